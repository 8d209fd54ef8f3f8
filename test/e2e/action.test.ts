import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT, runAction } from './helpers.js';

const SUITE = join(ROOT, 'checks', 'go-live.yaml');

describe('the GitHub Action (action.yml and its entry script)', () => {
  it('declares the inputs and outputs, and runs the entry script', () => {
    const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as { inputs: Record<string, unknown>; outputs: Record<string, unknown>; runs: { using: string; steps: { run: string; env?: Record<string, string> }[] } };
    expect(Object.keys(action.inputs)).toEqual(expect.arrayContaining(['suite', 'environment', 'reporters', 'evidence', 'fail-on', 'shard', 'merge']));
    expect(Object.keys(action.outputs).sort()).toEqual(['evidence', 'report', 'verdict']);
    expect(action.runs.using).toBe('composite');
    const step = action.runs.steps.find((s) => s.run.includes('ci/github/action.js'))!;
    // Every input reaches the script (a composite action must pass them itself).
    for (const name of Object.keys(action.inputs)) expect(step.env?.[`INPUT_${name.toUpperCase()}`], name).toBe(`\${{ inputs.${name} }}`);
  });

  it('READY exits 0 with the verdict, report and bundle as outputs, the summary and a notice; NOT READY exits 1 with an error annotation; a suite that cannot run exits 2', async () => {
    const [ready, notReady, broken] = await Promise.all([
      runAction({ suite: SUITE, environment: 'sandbox', reporters: 'junit, codequality', evidence: 'out/evidence.tar.gz', 'fail-on': 'major', out: 'out', args: '--only api-https' }),
      runAction({ suite: SUITE, environment: 'sandbox', args: '--only payments-require-auth --fault no-auth' }),
      runAction({ suite: 'no-such-suite.yaml' }),
    ]);
    expect(ready.code, ready.stderr).toBe(0);
    expect(ready.outputs).toEqual({ verdict: 'READY', report: join(ready.dir, 'out', 'report.json'), evidence: join(ready.dir, 'out', 'evidence.tar.gz') });
    expect(existsSync(ready.outputs.evidence!)).toBe(true);
    expect(existsSync(join(ready.dir, 'out', 'junit.xml')) && existsSync(join(ready.dir, 'out', 'gl-code-quality-report.json'))).toBe(true);
    expect(ready.summary).toContain('READY');
    expect(ready.stdout).toMatch(/^::notice title=payready%3A READY::go-live on sandbox: 3 checks/m);

    expect(notReady.code, notReady.stderr).toBe(1);
    expect(notReady.outputs).toMatchObject({ verdict: 'NOT READY', report: join(notReady.dir, 'payready-report', 'report.json'), evidence: '' });
    expect(notReady.stdout).toMatch(/^::error title=payready payments-require-auth \(1\.1%2C blocker\)::FAIL: /m);
    expect(notReady.summary).toContain('NOT READY');

    expect(broken.code).toBe(2);
    expect(broken.outputs).toEqual({ verdict: '', report: '', evidence: '' });
    expect(broken.stderr).toContain('no-such-suite.yaml');
  }, 90_000);
});
