import { expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isTemplateWarning, stackTraceIn, tempDir } from './helpers.js';
import { runInProcess } from './in-process.js';
import { FAULTS } from '../../src/sandbox/faults.js';

/** What each fault's guarding check must say: the problem and what to do about it. */
const FAULT_SUMMARIES: Record<string, RegExp> = {
  // The p95 leads; on a busy machine other latency thresholds may break too ("(and N more)").
  'slow-api': /^overall p95 is 2\.\d+ s, not below 1\.5 s( \(and \d+ more\))?$/,
  // The load phase stops at 500 requests or 3 s, whichever comes first: fewer on a busy machine.
  flaky: /errorRate is \d+(\.\d+)?%, not below 1% \(\d+ of \d+ calls failed: 503 x\d+\)/,
  'expired-cert': /expired on \d{4}-\d\d-\d\d: renew it$/,
  'legacy-tls': /^TLS 1\.0 and TLS 1\.1 accepted on 127\.0\.0\.1:\d+: disable TLS 1\.0 and TLS 1\.1/,
  'no-rate-limit': /got no 429 \(declared limit 20\): rate-limit this endpoint and answer 429 with Retry-After$/,
  'open-allowlist': /from 127\.0\.0\.2 \(outside the allowlist\) got 200: restrict API access to allowlisted source addresses$/,
  'plain-http': /^plain HTTP on 127\.0\.0\.1:\d+ answered 404 instead of redirecting to https: redirect every http:\/\/ request to https:\/\//,
  'slow-network': /Mbps (is|are) below the 1 Mbps minimum .*: the network path must carry at least 1 Mbps$/,
  'weak-cipher': /accepts NULL and anonymous cipher suites .*: remove them from the server's cipher list$/,
  'weak-headers': /no Strict-Transport-Security header: send Strict-Transport-Security: max-age=31536000/,
  'wrong-host-cert': /is for DNS:api\.example\.com, not 127\.0\.0\.1: issue it for 127\.0\.0\.1$/,
};

/**
 * Faults whose demo runs the whole suite (but the browser check). Under the certificate faults
 * nearly every check is skipped (they need api-certificate), so the run is cheap and shows that
 * what does not need the certificate (the file scans, the attestations) still passes. `flaky`
 * breaks api-kpis, which judges every API call of the run: a few checks' calls are too few for one
 * in ten failing to show. (`slow-api` holds back exactly one call in four, which the few calls of
 * api-kpis's own needs show as well; its whole-suite demo took 18-21 s, each chain of payment calls
 * meeting its share of 2.5 s waits.)
 */
const WHOLE_SUITE = ['expired-cert', 'wrong-host-cert', 'flaky'];

/**
 * Faults whose demo another file runs, asserting as much and more: `down` and `no-auth`
 * (demo.test.ts), `broken-checkout`, `hardcoded-secret` and `pan-in-logs` (compliance.test.ts).
 */
const ELSEWHERE = ['down', 'no-auth', 'broken-checkout', 'hardcoded-secret', 'pan-in-logs'];

/**
 * Every fault (but ELSEWHERE's) breaks one guideline item. Each fault's demo runs the checks that guard against it (the one FAULTS names
 * and the ones it lists as depending on the same behaviour) with `--only`, which pulls in what they
 * need: exactly those fail, everything they need passes, and the guarding check's summary says
 * what to fix. That no other check of the suite fails under the fault is isolation.test.ts's to
 * prove (every fault switched on in a few full demos), so each fault costs a handful of checks
 * here, not a whole demo (but for WHOLE_SUITE's).
 *
 * The demos run in-process (runInProcess): what is proven is what the demo reports, and a spawned
 * CLI would import the whole CLI again for each fault. The faults are shared out over `parts` test
 * files (`part` is this file's, from 0) so that the test workers run them side by side.
 */
export function faultDemoTests(part: number, parts: number): void {
  const faults = FAULTS.filter((f) => !ELSEWHERE.includes(f.name)).filter((_, i) => i % parts === part);
  for (const fault of faults) {
    const expected: readonly string[] = [fault.caughtBy, ...(fault.alsoFails ?? [])];
    it(`--fault ${fault.name}: exactly ${expected.join(', ')} (${fault.section})`, async () => {
      const out = tempDir();
      const whole = WHOLE_SUITE.includes(fault.name);
      const only = whole ? ['--skip', 'checkout-mobile'] : expected.flatMap((id) => ['--only', id]);
      const result = await runInProcess(['demo', '--fault', fault.name, '--out', out, ...only]);
      expect(result.code, result.stdout).toBe(1);
      expect(result.stdout).toMatch(/^NOT READY\s/m);
      expect(stackTraceIn(result.stdout + result.stderr)).toBeUndefined();
      const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
      const results = report.results as { id: string; type: string; status: string; summary: string; section: string; skippedBy?: string }[];
      const bad = results.filter((r) => r.status === 'fail' || r.status === 'error');
      expect(bad.map((r) => r.id).sort(), JSON.stringify(bad.map((r) => `${r.id}: ${r.summary}`))).toEqual([...expected].sort());
      // What the guarding checks need ran, and passed: the fault breaks the guarded behaviour only.
      // In a whole-suite run, every other check passes or is skipped because it needs a failing one.
      for (const r of results.filter((x) => x.skippedBy !== 'filter' && !expected.includes(x.id) && !isTemplateWarning(x))) {
        if (whole && r.status === 'skip') expect(r.skippedBy, `${r.id}: ${r.summary}`).toBe('dependency');
        else expect(r.status, `${r.id}: ${r.summary}`).toBe('pass');
      }
      const caught = results.find((r) => r.id === fault.caughtBy)!;
      expect(caught.status).toBe('fail');
      expect(caught.section).toBe(fault.section);
      const said = FAULT_SUMMARIES[fault.name];
      if (said) expect(caught.summary).toMatch(said);
    }, 60_000);
  }
}
