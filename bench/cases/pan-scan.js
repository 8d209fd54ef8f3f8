// Budget: pan-scan reads plain log files at >= 100 MB/s (docs/performance.md). Measured over a generated
// 500 MB log in bench/.work/ (never committed), side by side with `grep -cE` for a 16-digit
// pattern on the same file, whole process each, interleaved; plus payready's own scan-only
// figure from the report and the peak RSS of one run (constant memory: it must not grow with
// the file).
import { createWriteStream, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, WORK, interleave, peakRssOf, round } from '../lib.js';

const TARGET_BYTES = 500 * 1000 * 1000;
const LOG = join(WORK, 'pan-scan-500mb.log');
const SUITE = join(WORK, 'pan-scan-bench.yaml');
const OUT = join(WORK, 'pan-scan-report');

/** A day of access and application log lines: timestamps, ids, amounts, masked cards, a few test cards. */
async function generate() {
  const out = createWriteStream(LOG);
  let written = 0;
  let i = 0;
  const line = () => {
    i += 1;
    const t = new Date(Date.UTC(2026, 0, 15) + i * 3).toISOString();
    const id = `rq_${(i * 2654435761 >>> 0).toString(36)}`;
    const ms = ((i * 7919) % 9973) / 100;
    // A few unmasked test cards, so both tools have something to count.
    if (i % 250000 === 0) return `${t} DEBUG checkout body={"number":"4111 1111 1111 1111","cvc":"737"} ${id}\n`;
    if (i % 250000 === 125000) return `${t} DEBUG retry card=4242424242424242 ${id}\n`;
    switch (i % 10) {
      case 0:
        return `${t} INFO  api     POST /v1/payments 201 ${ms}ms ${id} card=411111******1111 amount=${i % 9000} EUR ip=203.0.113.${i % 250}\n`;
      case 1:
        return `${t} DEBUG billing order=${20260115000000 + i} total=${(i % 10000) / 100} EUR items=${i % 7} customer=cus_${id}\n`;
      case 2:
        return `${t} WARN  api     POST /v1/payments 402 ${ms}ms ${id} declineCode=do_not_honor card=400000******0002\n`;
      default:
        return `${t} INFO  api     GET /v1/payments/pay_${id} 200 ${ms}ms ua="Mozilla/5.0 (Linux; Android 14) Mobile" bytes=${(i * 31) % 40000}\n`;
    }
  };
  for (;;) {
    let chunk = '';
    for (let k = 0; k < 2000; k++) chunk += line();
    written += chunk.length;
    if (!out.write(chunk)) await new Promise((resolve) => out.once('drain', resolve));
    if (written >= TARGET_BYTES) break;
  }
  await new Promise((resolve) => out.end(resolve));
}

export default async function panScan({ runs }) {
  if (!existsSync(LOG) || statSync(LOG).size < TARGET_BYTES) {
    process.stderr.write(`  generating ${LOG} (500 MB)...\n`);
    await generate();
  }
  const bytes = statSync(LOG).size;
  writeFileSync(
    SUITE,
    ['suite: pan-scan-bench', 'title: pan-scan throughput', 'environments:', '  local: { sandbox: true }', 'checks:', '  - id: logs', '    type: pan-scan', '    section: "2.2"', '    timeout: 10m', '    with:', `      paths: [${JSON.stringify(LOG)}]`, ''].join('\n'),
  );
  const n = Math.min(runs, 5);
  const [payready, grep] = interleave(
    [
      { command: process.execPath, args: [BIN, 'run', SUITE, '--out', OUT, '--quiet'] },
      { command: 'grep', args: ['-cE', '[0-9]{16}', LOG] },
    ],
    n,
  );
  const report = JSON.parse(readFileSync(join(OUT, 'report.json'), 'utf8'));
  const scanOnly = report.results[0].measurements.find((m) => m.name === 'throughput').value;
  const rss = await peakRssOf(process.execPath, [BIN, 'run', SUITE, '--out', OUT, '--quiet']);
  const mbps = (ms) => bytes / 1e6 / (ms / 1000);
  return [
    { name: 'grep -cE [0-9]{16} (500 MB log)', unit: 'MB/s', median: round(mbps(grep.median), 1), samples: grep.samples },
    {
      name: 'payready run, pan-scan (500 MB log, whole process)',
      unit: 'MB/s',
      median: round(mbps(payready.median), 1),
      samples: payready.samples,
      ratio: round(grep.median / payready.median),
      peer: 'grep -cE',
      budget: '>= 100 MB/s',
      ok: mbps(payready.median) >= 100,
    },
    { name: 'pan-scan scan only (last run, from the report)', unit: 'MB/s', median: round(scanOnly, 1), budget: '>= 100 MB/s', ok: scanOnly >= 100 },
    { name: 'payready run, pan-scan peak RSS', unit: 'MB', median: round(rss.peakMb, 1) },
  ];
}
