import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, stackTraceIn, tempDir } from './helpers.js';
import { runInProcess } from './in-process.js';

describe('payready diff and merge on real runs', () => {
  it('diff names the new failure (exit 1) and finds nothing between a run and itself (exit 0); merge keeps both vantages', async () => {
    const dir = tempDir();
    // Two real runs that differ in one check: the check no-auth breaks, and what it needs.
    const only = ['--only', 'payments-require-auth'];
    const [good, bad] = await Promise.all([runCli(['demo', '-q', ...only, '--out', 'good'], { cwd: dir }), runCli(['demo', '-q', ...only, '--fault', 'no-auth', '--out', 'bad'], { cwd: dir })]);
    expect([good.code, bad.code]).toEqual([0, 1]);

    const worse = await runInProcess(['diff', 'good/report.json', 'bad/report.json', '--tolerance', '1000000%'], { cwd: dir });
    expect(worse.code).toBe(1);
    expect(worse.stdout).toMatch(/^verdict {6}READY -> NOT READY {2}\(regression\)$/m);
    expect(worse.stdout).toMatch(/^New failures \(1\):\n {2}FAIL {3}payments-require-auth \(1\.1, blocker\) was pass: GET \/v1\/payments\/pay_0+ answered 404 to a request without a token: it must be 401/m);
    const better = await runInProcess(['diff', 'bad/report.json', 'good/report.json', '--json', '--tolerance', '1000000'], { cwd: dir });
    expect(better.code, better.stdout).toBe(0);
    expect(JSON.parse(better.stdout)).toMatchObject({ regressions: 0, fixed: [{ id: 'payments-require-auth', was: 'fail', now: 'pass' }] });
    const same = await runInProcess(['diff', 'good/report.json', 'good/report.json'], { cwd: dir });
    expect(same.code).toBe(0);
    expect(same.stdout).toMatch(/No regressions\.$/m);

    const merged = await runInProcess(['merge', 'eu=good/report.json', 'bad/report.json', '--out', 'merged.json', '--reporter', 'html=merged.html'], { cwd: dir });
    expect(merged.code).toBe(1);
    expect(merged.stdout).toMatch(/^Merged 2 reports: eu READY, bad NOT READY -> NOT READY$/m);
    expect(merged.stdout).toMatch(/^payments-require-auth +pass +FAIL$/m);
    expect(merged.stdout).toMatch(/^Wrote merged\.json\nWrote merged\.html$/m);
    const report = JSON.parse(readFileSync(join(dir, 'merged.json'), 'utf8'));
    expect(report.verdict).toBe('NOT READY');
    expect(report.vantages.map((v: { name: string }) => v.name)).toEqual(['eu', 'bad']);
    expect(readFileSync(join(dir, 'merged.html'), 'utf8')).toContain('<h2>Vantage points</h2>');
    const ok = await runInProcess(['merge', 'a=good/report.json', 'b=good/report.json'], { cwd: dir });
    expect(ok.code).toBe(0);
  });

  it('refuses what is not a report, with a usage error (exit 2)', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'x.json'), '{"hello": 1}');
    writeFileSync(join(dir, 'y.json'), 'not json');
    for (const args of [['diff', 'x.json', 'y.json'], ['diff', 'nope.json', 'x.json'], ['merge', 'x.json'], ['merge', 'x.json', 'y.json'], ['diff', 'x.json', 'x.json', '--tolerance', 'lots']]) {
      const result = await runInProcess(args, { cwd: dir });
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(/^error: /);
      expect(stackTraceIn(result.stderr)).toBeUndefined();
    }
    expect((await runInProcess(['diff', 'x.json', 'y.json'], { cwd: dir })).stderr).toMatch(/x\.json is not a payready report/);
  });
});
