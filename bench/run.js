// `npm run bench`: measures payready against its budgets (docs/performance.md) and named peers, side by
// side in one run, and writes bench/results.json. Never gate tests on wall time: this is where
// speed is measured. `node bench/run.js startup validate` runs selected cases.
import { writeFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

const runs = Number(process.env.BENCH_RUNS ?? 11);
const dir = fileURLToPath(new URL('./cases/', import.meta.url));
const wanted = process.argv.slice(2);
const cases = readdirSync(dir)
  .filter((f) => f.endsWith('.js'))
  .map((f) => f.replace(/\.js$/, ''))
  .filter((name) => wanted.length === 0 || wanted.includes(name))
  .sort();

const results = {};
for (const name of cases) {
  process.stderr.write(`bench: ${name}...\n`);
  try {
    const mod = await import(new URL(`./cases/${name}.js`, import.meta.url));
    results[name] = await mod.default({ runs });
  } catch (err) {
    results[name] = [{ name, error: String(err?.message ?? err) }];
  }
  for (const entry of results[name]) {
    const figures = entry.error ? `ERROR ${entry.error}` : `${entry.median} ${entry.unit}${entry.ratio !== undefined ? `  (${entry.ratio}x ${entry.peer})` : ''}${entry.budget ? `  budget ${entry.budget}: ${entry.ok ? 'ok' : 'OVER'}` : ''}`;
    process.stderr.write(`  ${entry.name}: ${figures}\n`);
  }
}

const out = {
  date: new Date().toISOString(),
  runs,
  machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.release()}` },
  results,
};
const file = fileURLToPath(new URL('./results.json', import.meta.url));
let previous = {};
try {
  previous = JSON.parse((await import('node:fs')).readFileSync(file, 'utf8'));
} catch {
  /* first run */
}
// Selected cases update their entries; the others keep their last measurement.
if (wanted.length > 0 && previous.results) out.results = { ...previous.results, ...results };
writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
process.stderr.write(`bench: wrote bench/results.json\n`);
