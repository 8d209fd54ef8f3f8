// Bench driver: runs ONE check type with JSON parameters against a target, with the context the
// runner gives it (HttpTransport with the target's CA, real clock), and prints one JSON line:
// status, summary, values, measurements, the wall time of run() and RSS before and at its peak.
// Parameters are not schema-validated here: loading ajv and the suite schema adds ~30 MB of baseline
// RSS that has nothing to do with the check being measured. The schema's top-level defaults are
// applied (as the runner's validation would), so a case gives only what it means to set.
// Usage: node bench/drivers/run-check.js <type> '<params json>' <ca file>
import { readFileSync } from 'node:fs';
import { loadCheckType } from '../../dist/checks/index.js';
import { Redactor } from '../../dist/evidence/redact.js';
import { HttpTransport } from '../../dist/net/http.js';
import { InteractionLog } from '../../dist/model/interactions.js';

const [typeName, paramsJson, caFile] = process.argv.slice(2);
const type = await loadCheckType(typeName);
const params = JSON.parse(paramsJson);
for (const [name, property] of Object.entries(type.schema.properties ?? {})) {
  if (params[name] === undefined && property && typeof property === 'object' && 'default' in property) params[name] = structuredClone(property.default);
}
const ca = caFile ? [readFileSync(caFile, 'utf8')] : [];
const interactions = new InteractionLog();
const transport = new HttpTransport({ ca }, interactions);
const timeoutMs = 600_000;
const signal = AbortSignal.timeout(timeoutMs);
const rssBefore = process.memoryUsage.rss();
let rssPeak = rssBefore;
const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage.rss())), 5);
const started = performance.now();
const outcome = await type.run(params, {
  checkId: `bench-${typeName}`,
  signal,
  timeoutMs,
  http: transport.forCheck(`bench-${typeName}`, signal, timeoutMs),
  target: { name: 'bench', sandbox: true, ca, insecure: false, fields: {} },
  baseDir: process.cwd(),
  allowLive: false,
  redact: new Redactor(),
  interactions,
  // The runner's clock, inlined: importing runner/run.js would load the suite modules too.
  clock: { now: () => new Date(), monotonic: () => performance.now() },
  log: { debug: () => undefined },
});
const runMs = performance.now() - started;
clearInterval(sampler);
await transport.close();
const mb = (bytes) => Math.round(bytes / 1e5) / 10;
process.stdout.write(`${JSON.stringify({ status: outcome.status, summary: outcome.summary, values: outcome.values, measurements: outcome.measurements, runMs, rssBeforeMb: mb(rssBefore), rssPeakMb: mb(rssPeak) })}\n`);
