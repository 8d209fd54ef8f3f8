// Budget: the `load` check's requests/s at least 0.95x autocannon's against the same sandbox
// endpoint, with both tools' p50/p99 (autocannon's are whole milliseconds; ours are exact).
// The sandbox runs in its own process (`payready sandbox`), so each client has the other core.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, WORK, median, round, timeProcess } from '../lib.js';

const require = createRequire(import.meta.url);
const CONNECTIONS = 10;
const SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 5);
const PATH = '/health';

/** Starts `payready sandbox` and resolves with its base URL and CA file once it listens. */
function startSandbox() {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'sandbox'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const baseUrl = /API \(HTTPS\)\s+(\S+)/.exec(out)?.[1];
      const caFile = /CA certificate\s+(\S+)/.exec(out)?.[1];
      if (baseUrl && caFile) resolve({ child, baseUrl, caFile });
    });
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`payready sandbox exited ${code}: ${out}`)));
  });
}

function suiteFor(baseUrl, caFile) {
  return [
    'suite: bench-load',
    'title: load check throughput',
    'environments:',
    '  bench:',
    `    baseUrl: ${baseUrl}`,
    `    ca: ${caFile}`,
    '    sandbox: true',
    'checks:',
    '  - id: load',
    '    type: load',
    '    section: "3.2"',
    '    timeout: 2m',
    '    with:',
    `      url: \${target.baseUrl}${PATH}`,
    `      duration: ${SECONDS}s`,
    `      requests: 10000000`,
    `      connections: ${CONNECTIONS}`,
    '      thresholds: ["requests >= 1"]',
    '',
  ].join('\n');
}

/** One `payready run` of the load check: its req/s, p50 and p99 from report.json. */
function payready(suiteFile) {
  const out = join(WORK, 'load-report');
  timeProcess(process.execPath, [BIN, 'run', suiteFile, '--env', 'bench', '--out', out, '-q']);
  const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
  const result = report.results[0];
  if (result.status !== 'pass') throw new Error(`load check ${result.status}: ${result.summary}`);
  const m = Object.fromEntries(result.measurements.map((x) => [x.name, x.value]));
  return { rps: m.rps, p50: m.p50, p99: m.p99, requests: m.requests };
}

/** One autocannon run (its CLI, JSON output) against the same endpoint. */
function autocannon(baseUrl, caFile) {
  const bin = join(require.resolve('autocannon/package.json'), '..', 'autocannon.js');
  const { stdout } = timeProcess(process.execPath, [bin, '-c', String(CONNECTIONS), '-d', String(SECONDS), '-j', `${baseUrl}${PATH}`], {
    env: { ...process.env, NODE_EXTRA_CA_CERTS: caFile },
  });
  const r = JSON.parse(stdout);
  if (r.errors || r.non2xx) throw new Error(`autocannon saw ${r.errors} errors, ${r.non2xx} non-2xx`);
  return { rps: r.requests.total / r.duration, p50: r.latency.p50, p99: r.latency.p99, requests: r.requests.total };
}

export default async function load({ runs }) {
  const { child, baseUrl, caFile } = await startSandbox();
  try {
    const suiteFile = join(WORK, 'suite-load.yaml');
    writeFileSync(suiteFile, suiteFor(baseUrl, caFile));
    const rounds = Math.max(1, Math.min(runs, Number(process.env.BENCH_LOAD_ROUNDS ?? 5)));
    const ours = [];
    const theirs = [];
    // Interleaved, so machine noise hits both tools alike.
    for (let i = 0; i < rounds; i++) {
      ours.push(payready(suiteFile));
      theirs.push(autocannon(baseUrl, caFile));
    }
    const pick = (samples, key) => median(samples.map((s) => s[key]));
    const rps = pick(ours, 'rps');
    const peerRps = pick(theirs, 'rps');
    // Each round is a pair (ours, then autocannon's): the ratio is the median of the pairs' ratios,
    // so a busy stretch of the machine weighs on both sides of the round it falls in.
    const ratio = median(ours.map((s, i) => s.rps / theirs[i].rps));
    return [
      { name: `autocannon ${PATH}, ${CONNECTIONS} connections, ${SECONDS} s`, unit: 'req/s', median: round(peerRps, 0), samples: theirs.map((s) => round(s.rps, 0)), p50Ms: pick(theirs, 'p50'), p99Ms: pick(theirs, 'p99') },
      {
        name: `load check ${PATH}, ${CONNECTIONS} connections, ${SECONDS} s`,
        unit: 'req/s',
        median: round(rps, 0),
        samples: ours.map((s) => round(s.rps, 0)),
        p50Ms: round(pick(ours, 'p50'), 3),
        p99Ms: round(pick(ours, 'p99'), 3),
        ratio: round(ratio),
        peer: 'autocannon',
        budget: '>= 0.95x',
        ok: ratio >= 0.95,
      },
    ];
  } finally {
    child.kill('SIGTERM');
  }
}
