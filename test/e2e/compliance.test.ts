import { describe, expect, it } from 'vitest';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliEnv, filesUnder, isTemplateWarning, ROOT, stackTraceIn, tempDir } from './helpers.js';
import { runInProcess } from './in-process.js';
import { LITERALS, PLANTED, plantRepo } from '../scan/plant.js';

interface Result {
  id: string;
  type: string;
  status: string;
  summary: string;
  findings: { rule: string; file?: string; message: string }[];
  artifacts: { name: string; mediaType: string; bytes: number }[];
}

function reportIn(dir: string): { verdict: string; results: Result[] } {
  return JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as { verdict: string; results: Result[] };
}

function notPassing(dir: string): string[] {
  return reportIn(dir)
    .results.filter((r) => r.status !== 'pass' && !isTemplateWarning(r))
    .map((r) => r.id);
}

/** Asserts none of `values` appears in the CLI's output or in any file it wrote. */
function expectNowhere(values: string[], out: { stdout: string; stderr: string }, dir: string): void {
  for (const value of values) {
    expect(out.stdout).not.toContain(value);
    expect(out.stderr).not.toContain(value);
    for (const file of filesUnder(dir)) expect(file.bytes.toString('latin1'), file.path).not.toContain(value);
  }
}

const SANDBOX_PANS = ['4111111111111111', '4000000000000002'];

describe('compliance checks end to end', () => {
  // These demos run the guarding check and what it needs: that the fault breaks nothing else is
  // isolation.test.ts's to prove.
  it('demo --fault pan-in-logs fails exactly no-pan-in-logs, with the numbers masked everywhere', async () => {
    const out = tempDir();
    const result = await runInProcess(['demo', '--fault', 'pan-in-logs', '--only', 'no-pan-in-logs', '--out', out]);
    expect(result.code).toBe(1);
    expect(notPassing(out)).toEqual(['no-pan-in-logs']);
    expect(result.stdout).toMatch(/^FAIL\s+no-pan-in-logs\s+2\.2\s.*\d+ unmasked card numbers? in 1 file, .*requests\.jsonl:\d+ \(test visa card number 411111\*{6}1111\): mask PANs/m);
    expectNowhere(SANDBOX_PANS, result, out);
    expect(stackTraceIn(result.stdout + result.stderr)).toBeUndefined();
  });

  it('demo --fault broken-checkout fails exactly checkout-mobile; its four screenshots are in the report', async () => {
    const out = tempDir();
    const result = await runInProcess(['demo', '--fault', 'broken-checkout', '--only', 'checkout-mobile', '--out', out, '--reporter', 'sarif']);
    expect(result.code).toBe(1);
    expect(notPassing(out)).toEqual(['checkout-mobile']);
    expect(result.stdout).toMatch(/^FAIL\s+checkout-mobile\s+6\.1\s.*no <meta name="viewport"/m);
    const ui = reportIn(out).results.find((r) => r.id === 'checkout-mobile')!;
    expect(ui.artifacts.map((a) => [a.name, a.mediaType])).toEqual([
      ['checkout-360x640.png', 'image/png'],
      ['checkout-390x844.png', 'image/png'],
      ['checkout-768x1024.png', 'image/png'],
      ['checkout-1280x800.png', 'image/png'],
    ]);
    for (const artifact of ui.artifacts) expect(artifact.bytes).toBeGreaterThan(1000);
    expect(ui.findings.map((f) => f.rule)).toContain('ui/decline-message');
    // The ui findings have no file: a code-scanning upload of this run is empty, and valid.
    const sarif = JSON.parse(readFileSync(join(out, 'report.sarif'), 'utf8')) as { version: string; runs: { results: unknown[] }[] };
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0]!.results).toEqual([]);
    expectNowhere(SANDBOX_PANS, result, out);
  });

  it('demo --fault hardcoded-secret fails exactly no-hardcoded-credentials and never shows the secret', async () => {
    const out = tempDir();
    const canary = 'canary-Secret-5f0c1d9e7a2b';
    const result = await runInProcess(['demo', '--fault', 'hardcoded-secret', '--only', 'no-hardcoded-credentials', '--out', out, '--reporter', 'sarif'], { env: cliEnv({ PAYREADY_CLIENT_SECRET: canary }) });
    expect(result.code).toBe(1);
    expect(notPassing(out)).toEqual(['no-hardcoded-credentials']);
    expect(result.stdout).toMatch(/^FAIL\s+no-hardcoded-credentials\s+2\.1\s.*1 hard-coded credential in \d+ files, .*config\/payments\.json:5 \(credential-named variable assigned a high-entropy literal \*{8}7a2b\)/m);
    const sarif = JSON.parse(readFileSync(join(out, 'report.sarif'), 'utf8')) as { runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
    expect(sarif.runs[0]!.results.map((r) => r.ruleId)).toEqual(['generic/credential-assignment']);
    expect(sarif.runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation.uri).toMatch(/^file:\/\/\/.*\/integration\/config\/payments\.json$/);
    expectNowhere([canary], result, out);
  });

  it('run on a repository with planted credentials and logs with card numbers: NOT READY, SARIF written, nothing leaks', async () => {
    const repo = plantRepo('leaky-repo', { git: true });
    mkdirSync(join(repo, 'checks'));
    cpSync(join(ROOT, 'fixtures/scan/logs'), join(repo, 'logs'), { recursive: true });
    writeFileSync(
      join(repo, 'checks', 'compliance.yaml'),
      [
        'suite: compliance',
        'title: Credentials and card data',
        'environments:',
        '  local: { sandbox: true }',
        'checks:',
        '  - id: no-hardcoded-credentials',
        '    type: secrets',
        '    section: "2.1"',
        '    severity: blocker',
        '    with: { paths: [".."], allow: [{ path: "../test/**", reason: "documented test key" }] }',
        '  - id: no-pan-in-logs',
        '    type: pan-scan',
        '    section: "2.2"',
        '    severity: blocker',
        '    with: { paths: ["../logs"] }',
        '',
      ].join('\n'),
    );
    const out = join(repo, 'payready-report');
    const result = await runInProcess(['run', 'checks/compliance.yaml', '--reporter', 'sarif'], { cwd: repo });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^FAIL\s+no-hardcoded-credentials\s+2\.1\s.*8 hard-coded credentials in \d+ files, .*first \.\.\/config\/settings\.yaml:4/m);
    expect(result.stdout).toMatch(/^FAIL\s+no-pan-in-logs\s+2\.2\s.*4 unmasked card numbers in 4 files, .*first \.\.\/logs\/real-cards\.log:2/m);
    const sarif = JSON.parse(readFileSync(join(out, 'report.sarif'), 'utf8')) as { runs: { results: { ruleId: string; level: string; locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region?: { startLine: number } } }[] }[] }[] };
    const located = sarif.runs[0]!.results.map((r) => `${r.level} ${r.ruleId} ${r.locations[0]!.physicalLocation.artifactLocation.uri}:${r.locations[0]!.physicalLocation.region?.startLine ?? '-'}`);
    expect(located).toContain('error payment/live-secret-key src/config.js:3');
    expect(located).toContain('note payment/test-secret-key test/fixtures/stripe.json:3');
    expect(located).toContain('error env-file/tracked .env:1');
    expect(located.filter((l) => l.includes(' pan/'))).toHaveLength(8);
    // The file pan-scan could not read is in the SARIF too, as a note without a line.
    expect(located.filter((l) => l.includes(' scan/binary-skipped '))).toEqual([expect.stringMatching(/^note scan\/binary-skipped \S*logs\/screenshot\.bin:-$/)]);
    const secrets = [...Object.values(PLANTED).filter((v) => !v.startsWith('-----')), ...Object.values(LITERALS)];
    const pans = ['4532015112830366', '5425233430109903', '371483105720212', '6011007731139423', '4111111111111111', '4242424242424242'];
    expectNowhere([...secrets, ...pans], result, out);
    expect(result.stdout + result.stderr).not.toContain(repo);
  });

  it('init writes a suite that runs READY against the built-in sandbox', async () => {
    const dir = tempDir();
    // Default environments (sandbox, production): the writes (a test payment, the checkout form) are left out.
    const init = await runInProcess(['init'], { cwd: dir });
    expect(init.code).toBe(0);
    expect(init.stdout).toMatch(/^Wrote payready\.yaml/);
    expect(await runInProcess(['validate', 'payready.yaml'], { cwd: dir })).toMatchObject({ code: 0, stdout: 'ok  payready.yaml  (6 checks, suite payments)\n' });
    const withLive = await runInProcess(['run', 'payready.yaml'], { cwd: dir });
    expect(withLive.stdout).toMatch(/^READY\s/m);
    expect(withLive.code, withLive.stdout).toBe(0);
    // Every environment a sandbox: the test payment and the checkout check are in too.
    const init2 = await runInProcess(['init', 'sandbox-only.yaml', '--env', 'sandbox'], { cwd: dir });
    expect(init2.code).toBe(0);
    const validate = await runInProcess(['validate', 'sandbox-only.yaml'], { cwd: dir });
    expect(validate).toMatchObject({ code: 0, stdout: 'ok  sandbox-only.yaml  (8 checks, suite sandbox-only)\n' });
    const run = await runInProcess(['run', 'sandbox-only.yaml', '--skip', 'checkout-mobile'], { cwd: dir });
    expect(run.stdout).toMatch(/^READY\s/m);
    expect(run.code, run.stdout).toBe(0);
  });
});
