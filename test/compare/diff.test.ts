import { describe, expect, it } from 'vitest';
import { diffReports, renderDiff } from '../../src/compare/diff.js';
import type { CheckResult, Report } from '../../src/model/report.js';
import { FIXED_REPORT } from '../reporters/fixed-run.js';
import { expectMatchesFile } from '../reporters/expected.js';

/** The fixed run as it looked a day earlier: everything passed, a little slower, one check that has since been removed. */
function earlier(): Report {
  const old = structuredClone(FIXED_REPORT);
  old.verdict = 'READY';
  old.results = old.results
    .filter((r) => r.id !== 'refund-full')
    .map((r): CheckResult => ({ ...r, status: r.id === 'json-utf8' ? 'fail' : 'pass', waived: false, summary: `${r.id} ok` }));
  const auth = old.results.find((r) => r.id === 'payments-require-auth')!;
  auth.measurements = [{ name: 'response time', value: 6.0, unit: 'ms' }];
  const port = old.results.find((r) => r.id === 'api-port-open')!;
  port.measurements = [{ name: 'connect 127.0.0.1:8443', value: 0.9, unit: 'ms' }]; // 0.41 now: -54%, but under the 1 ms noise floor
  const burst = old.results.find((r) => r.id === 'rate-limit-burst')!;
  burst.measurements = [{ name: 'requests before 429', value: 20, unit: 'count' }];
  old.results.push({ ...auth, id: 'legacy-check', measurements: [] });
  old.suite = { ...old.suite, sha256: 'b'.repeat(64) };
  return old;
}

describe('payready diff', () => {
  const diff = diffReports(earlier(), FIXED_REPORT);

  it('lists new failures (waived ones excluded), fixed checks, moved measurements, added and removed checks', () => {
    expect(diff.verdict).toEqual({ old: 'READY', new: 'NOT READY', regressed: true });
    expect(diff.newFailures.map((c) => `${c.id}:${c.was}->${c.now}`)).toEqual(['payments-require-auth:pass->fail', 'hostile-server:pass->error', 'rate-limit-burst:pass->fail']);
    expect(diff.fixed.map((c) => `${c.id}:${c.was}->${c.now}`)).toEqual(['json-utf8:fail->warn']);
    expect(diff.changed.map((c) => `${c.id}:${c.was}->${c.now}`)).toEqual(['payment-approve:pass->fail']);
    expect(diff.measurements).toEqual([
      { id: 'payments-require-auth', name: 'response time', unit: 'ms', old: 6, new: 12.01, percent: expect.closeTo(100.17, 1), direction: 'worse' },
      { id: 'rate-limit-burst', name: 'requests before 429', unit: 'count', old: 20, new: 50, percent: 150, direction: 'moved' },
    ]);
    expect(diff.added).toEqual(['refund-full']);
    expect(diff.removed).toEqual(['legacy-check']);
    expect(diff.suiteChanged).toBe(true);
    expect(diff.regressions).toBe(5); // 3 new failures, 1 worse measurement, the verdict
  });

  it('a wider tolerance hides the slower response; a report against itself has no regression', () => {
    expect(diffReports(earlier(), FIXED_REPORT, 150).measurements.filter((m) => m.direction === 'worse')).toEqual([]);
    const same = diffReports(FIXED_REPORT, FIXED_REPORT);
    expect(same).toMatchObject({ regressions: 0, newFailures: [], fixed: [], measurements: [], verdict: { regressed: false } });
    expect(renderDiff(same, { old: 'a.json', new: 'b.json' })).toMatch(/No regressions\.\n$/);
  });

  it('throughput and success rates are better when higher; latency when lower', () => {
    const mk = (value: number, unit: string, name = 'm'): Report => ({ ...FIXED_REPORT, results: [{ ...FIXED_REPORT.results[0]!, measurements: [{ name, value, unit }] }] });
    const dir = (a: Report, b: Report) => diffReports(a, b).measurements[0]?.direction;
    expect(dir(mk(10, 'Mbps'), mk(5, 'Mbps'))).toBe('worse');
    expect(dir(mk(5, 'Mbps'), mk(10, 'Mbps'))).toBe('better');
    expect(dir(mk(99, '%', 'success rate'), mk(70, '%', 'success rate'))).toBe('worse');
    expect(dir(mk(1, '%', 'error rate'), mk(5, '%', 'error rate'))).toBe('worse');
    expect(dir(mk(100, 'ms'), mk(50, 'ms'))).toBe('better');
    expect(diffReports(mk(0, 'ms'), mk(0.5, 'ms')).measurements).toEqual([]);
    expect(diffReports(mk(0, 'count'), mk(3, 'count')).measurements[0]).toMatchObject({ percent: null, direction: 'moved' });
  });

  it('renders regressions first (expected output)', () => {
    const text = renderDiff(diff, { old: 'monday/report.json', new: 'tuesday/report.json' });
    expectMatchesFile(text, 'diff.txt');
    expect(text).not.toMatch(/\u001b|\u0007/);
  });

  it('shows ids, sections and file names escaped: a crafted report cannot forge a line', () => {
    const forged = structuredClone(FIXED_REPORT);
    const fake = 'api\u001b[2K\r  FIXED  everything (1.1, blocker) was fail: ok\nNo regressions.';
    const auth = forged.results.find((r) => r.id === 'payments-require-auth')!;
    auth.id = fake;
    auth.section = '1.1\u202e';
    const text = renderDiff(diffReports(earlier(), forged), { old: 'old.json', new: 'new\rnew.json' });
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u202e]/);
    expect(text).toContain('api\\x1b[2K\\x0d  FIXED  everything (1.1, blocker) was fail: ok\\x0aNo regressions. (1.1\\u202e, blocker)');
    expect(text).toContain('payready diff old.json -> new\\x0dnew.json');
    expect(text.split('\n').filter((line) => line === 'No regressions.' || line.startsWith('  FIXED  everything'))).toEqual([]);
  });
});
