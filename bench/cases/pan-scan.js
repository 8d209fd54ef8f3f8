// Budgets (docs/performance.md, issue 17): pan-scan reads plain logs at >= 0.5x `grep -cE '[0-9]{16}'` on the same file and at
// >= 300 MB/s, whole process each, with peak RSS under 150 MB (constant memory: it must not grow
// with the file). Two logs: the bench's 500 MB access log (generated once into bench/.work/, never
// committed) and 240 MB of realistic payment lines (ISO timestamps, order and PSP references with
// long digit runs, masked cards, hex trace ids; generated deterministically into a temp folder that
// is removed afterwards). Each is timed as:
//  - `payready run` of a pan-scan-only suite (what a user runs; the check as it is wired today),
//  - the scanner alone (bench/drivers/pan-scan.js: scanPanFiles, worker threads on every core),
//  - grep, the peer,
// interleaved, medians of the samples. The findings of payready and of the scanner alone must be
// the same; grep's count of lines with 16 digits in a row is shown for scale.
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, DRIVERS, WORK, interleave, peakRssOf, round, timeProcess } from '../lib.js';

const BENCH_BYTES = 500 * 1000 * 1000;
const REALISTIC_BYTES = 240 * 1000 * 1000;
const MIN_MBPS = 300;
const MIN_RATIO = 0.5;
const MAX_RSS_MB = 150;

/** Writes lines from `next()` until `target` bytes. */
async function writeLines(path, target, next) {
  const out = createWriteStream(path);
  let written = 0;
  while (written < target) {
    let chunk = '';
    for (let k = 0; k < 2000; k++) chunk += next();
    written += chunk.length;
    if (!out.write(chunk)) await new Promise((resolve) => out.once('drain', resolve));
  }
  await new Promise((resolve) => out.end(resolve));
}

/** A day of access and application log lines: timestamps, ids, amounts, masked cards, a few test cards. */
function benchLines() {
  let i = 0;
  return () => {
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
}

/**
 * Payment-service lines as a PSP integration writes them: every line has an ISO timestamp and most
 * a 32-hex trace id; PSP references are 17-digit numbers (grep counts those lines); order
 * references, amounts, IPs; cards masked. Now and then a line logs a full card number (test and
 * real-looking ones). Deterministic (mulberry32 from a fixed seed).
 */
function realisticLines() {
  let seed = 17;
  const rnd = () => {
    seed = (seed + 0x6d2b79f5) >>> 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  };
  const hex = (n) => {
    let out = '';
    while (out.length < n) out += rnd().toString(16).padStart(8, '0');
    return out.slice(0, n);
  };
  const leaked = ['4111 1111 1111 1111', '4532015112830366', '5425-2334-3010-9903', '371449635398431', '6011007731139423'];
  const t0 = Date.UTC(2026, 0, 15);
  let i = 0;
  return () => {
    i += 1;
    const t = new Date(t0 + i * 37).toISOString();
    const trace = hex(32);
    const order = `ORD-2026-${String(rnd() % 1e6).padStart(6, '0')}`;
    const ref = `${20260115000000000 + (rnd() % 1e9)}`;
    const amount = `${(rnd() % 100000) / 100}`;
    if (i % 100003 === 0) {
      return `${t} DEBUG payments.authorize trace_id=${trace} order=${order} request={"card":{"number":"${leaked[(i / 100003) % leaked.length]}","exp":"12/29"},"amount":${amount}}\n`;
    }
    switch (rnd() % 8) {
      case 0:
        return `${t} INFO  payments.authorize trace_id=${trace} span_id=${hex(16)} order=${order} psp_ref=${ref} card=411111******1111 amount=${amount} EUR status=authorized latency_ms=${rnd() % 900}\n`;
      case 1:
        return `${t} INFO  payments.capture trace_id=${trace} order=${order} psp_ref=${ref} card=542523******9903 amount=${amount} GBP status=captured\n`;
      case 2:
        return `${t} WARN  payments.authorize trace_id=${trace} order=${order} decline_code=do_not_honor card=371449*****8431 ip=198.51.100.${rnd() % 250}\n`;
      case 3:
        return `${t} DEBUG http.client POST https://api.psp.example/v1/payments/${ref}/captures 201 ${rnd() % 900}ms request_id=req_${hex(24)}\n`;
      case 4:
        return `${t} INFO  ledger.post trace_id=${trace} entry=${ref} account=acct_${hex(12)} debit=${amount} credit=0.00 balance=${(rnd() % 10000000) / 100}\n`;
      case 5:
        return `${t} INFO  webhook.received id=evt_${hex(24)} type=payment_intent.succeeded created=${1768435200 + (i % 86400)} livemode=false\n`;
      default:
        return `${t} INFO  api GET /v1/orders/${order} 200 ${rnd() % 400}ms ua="Mozilla/5.0 (X11; Linux x86_64)" bytes=${rnd() % 40000}\n`;
    }
  };
}

function suiteFor(dir, log) {
  const suite = join(dir, `pan-scan-bench-${log.split('/').pop()}.yaml`);
  writeFileSync(
    suite,
    ['suite: pan-scan-bench', 'title: pan-scan throughput', 'environments:', '  local: { sandbox: true }', 'checks:', '  - id: logs', '    type: pan-scan', '    section: "2.2"', '    timeout: 10m', '    with:', `      paths: [${JSON.stringify(log)}]`, ''].join('\n'),
  );
  return suite;
}

/** Times payready, the scanner alone and grep on one log; returns the result entries. */
async function measure(label, log, dir, runs) {
  const bytes = statSync(log).size;
  const out = join(dir, `pan-scan-report-${label.replace(/\W+/g, '-')}`);
  const run = { command: process.execPath, args: [BIN, 'run', suiteFor(dir, log), '--out', out, '--quiet'] };
  const alone = { command: process.execPath, args: [join(DRIVERS, 'pan-scan.js'), log] };
  // One run each first: the exit status (a finding fails the check), peak RSS, and a warm page cache.
  const rss = await peakRssOf(run.command, run.args);
  const aloneRss = await peakRssOf(alone.command, alone.args);
  const scanned = JSON.parse(aloneRss.stdout.trim());
  const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
  const result = report.results[0];
  const count = (name) => result.measurements.find((m) => m.name === name).value;
  const payreadyFindings = count('real-looking card numbers') + count('test card numbers');
  const grepLines = Number(timeProcess('grep', ['-cE', '[0-9]{16}', log]).stdout.trim());
  const [payready, scanner, grep] = interleave(
    [
      { ...run, options: { expectStatus: rss.code } },
      alone,
      { command: 'grep', args: ['-cE', '[0-9]{16}', log] },
    ],
    runs,
  );
  const scanOnly = count('throughput');
  const mbps = (ms) => bytes / 1e6 / (ms / 1000);
  const judge = (timing) => {
    const ratio = round(grep.median / timing.median);
    return { ratio, peer: 'grep -cE', budget: `>= ${MIN_RATIO}x grep, >= ${MIN_MBPS} MB/s`, ok: ratio >= MIN_RATIO && mbps(timing.median) >= MIN_MBPS };
  };
  const size = `${Math.round(bytes / 1e6)} MB ${label}`;
  return [
    { name: `grep -cE [0-9]{16} (${size}, ${grepLines} lines)`, unit: 'MB/s', median: round(mbps(grep.median), 1), samples: grep.samples },
    { name: `payready run, pan-scan (${size}, whole process, ${payreadyFindings} findings)`, unit: 'MB/s', median: round(mbps(payready.median), 1), samples: payready.samples, ...judge(payready) },
    { name: `pan-scan scan only in payready run (${size}, from the report)`, unit: 'MB/s', median: round(scanOnly, 1) },
    {
      name: `pan-scan scanner alone, worker threads (${size}, whole process, ${scanned.findings} findings)`,
      unit: 'MB/s',
      median: round(mbps(scanner.median), 1),
      samples: scanner.samples,
      ...judge(scanner),
      same: scanned.findings === payreadyFindings,
    },
    { name: `payready run, pan-scan peak RSS (${size})`, unit: 'MB', median: round(rss.peakMb, 1), budget: `< ${MAX_RSS_MB} MB`, ok: rss.peakMb < MAX_RSS_MB },
    { name: `pan-scan scanner alone peak RSS (${size})`, unit: 'MB', median: round(aloneRss.peakMb, 1), budget: `< ${MAX_RSS_MB} MB`, ok: aloneRss.peakMb < MAX_RSS_MB },
  ];
}

export default async function panScan({ runs }) {
  const n = Math.min(runs, 5);
  const benchLog = join(WORK, 'pan-scan-500mb.log');
  if (!existsSync(benchLog) || statSync(benchLog).size < BENCH_BYTES) {
    process.stderr.write(`  generating ${benchLog} (500 MB)...\n`);
    await writeLines(benchLog, BENCH_BYTES, benchLines());
  }
  const entries = await measure('access log', benchLog, WORK, n);
  const temp = mkdtempSync(join(tmpdir(), 'payready-bench-pan-'));
  try {
    const realistic = join(temp, 'payments-240mb.log');
    process.stderr.write(`  generating ${realistic} (240 MB)...\n`);
    await writeLines(realistic, REALISTIC_BYTES, realisticLines());
    entries.push(...(await measure('payment lines', realistic, temp, n)));
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
  return entries;
}
