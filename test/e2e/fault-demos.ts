import { expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isTemplateWarning, runCli, stackTraceIn, tempDir } from './helpers.js';
import { FAULTS } from '../../src/sandbox/faults.js';

/** What each fault's guarding check must say: the problem and what to do about it. */
const FAULT_SUMMARIES: Record<string, RegExp> = {
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
 * Every fault but `down` (which takes the whole API away) and `no-auth` (demo.test.ts) breaks one
 * guideline item: exactly the check FAULTS names fails, with the ones it lists as depending on the
 * same behaviour; every other check passes or is skipped because it needs a failing one (the HTTPS
 * checks need api-certificate), and the guarding check's summary says what to fix.
 *
 * The faults are shared out over `parts` test files (`part` is this file's, from 0) so that the
 * test workers run them side by side.
 */
export function faultDemoTests(part: number, parts: number): void {
  const faults = FAULTS.filter((f) => f.name !== 'down' && f.name !== 'no-auth').filter((_, i) => i % parts === part);
  for (const fault of faults) {
    const expected: readonly string[] = [fault.caughtBy, ...(fault.alsoFails ?? [])];
    it(`--fault ${fault.name}: exactly ${expected.join(', ')} (${fault.section})`, async () => {
      const out = tempDir();
      // Only the checkout fault needs the browser check; leaving it out elsewhere keeps these runs light.
      const skip = fault.name === 'broken-checkout' ? [] : ['--skip', 'checkout-mobile'];
      const result = await runCli(['demo', '--fault', fault.name, '--out', out, ...skip]);
      expect(result.code, result.stdout).toBe(1);
      expect(result.stdout).toMatch(/^NOT READY\s/m);
      expect(stackTraceIn(result.stdout + result.stderr)).toBeUndefined();
      const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
      const results = report.results as { id: string; type: string; status: string; summary: string; section: string; skippedBy?: string }[];
      const bad = results.filter((r) => r.status === 'fail' || r.status === 'error');
      expect(bad.map((r) => r.id).sort(), JSON.stringify(bad.map((r) => `${r.id}: ${r.summary}`))).toEqual([...expected].sort());
      for (const r of results.filter((x) => x.status !== 'pass' && !bad.includes(x) && !isTemplateWarning(x) && x.skippedBy !== 'filter')) {
        expect(r.skippedBy, `${r.id}: ${r.summary}`).toBe('dependency');
      }
      const caught = results.find((r) => r.id === fault.caughtBy)!;
      expect(caught.status).toBe('fail');
      expect(caught.section).toBe(fault.section);
      const said = FAULT_SUMMARIES[fault.name];
      if (said) expect(caught.summary).toMatch(said);
    });
  }
}
