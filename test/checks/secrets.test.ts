import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { runCheck } from './harness.js';
import { LITERALS, PLANTED, plantRepo } from '../scan/plant.js';
import { ROOT } from '../e2e/helpers.js';
import type { Outcome } from '../../src/model/outcome.js';

/** Every planted value must stay out of the outcome: only masks and fingerprints leave the check. */
function expectNoPlantedValue(outcome: Outcome): void {
  const text = JSON.stringify(outcome);
  for (const value of [...Object.values(PLANTED).filter((v) => !v.startsWith('-----')), ...Object.values(LITERALS)]) expect(text).not.toContain(value);
}

function located(outcome: Outcome): string[] {
  return (outcome.findings ?? []).map((f) => `${f.level} ${f.rule} ${f.file}:${f.line}`);
}

describe('secrets check against a fixture repository with planted credentials', () => {
  const leakyGit = plantRepo('leaky-repo', { git: true });
  const leaky = plantRepo('leaky-repo');
  const clean = plantRepo('clean-repo');

  it('finds every planted credential, masked, and the .env file git tracks', async () => {
    const { outcome } = await runCheck('secrets', { paths: ['.'] }, { baseDir: leakyGit });
    expect(outcome.status).toBe('fail');
    expect(located(outcome)).toEqual([
      'error generic/credential-assignment config/settings.yaml:4',
      'error private-key/pem deploy/id_rsa:1',
      'error payment/live-secret-key src/config.js:3',
      'error aws/access-key-id src/storage.py:3',
      'error aws/secret-access-key src/storage.py:4',
      'error gcp/api-key src/storage.py:6',
      'warning payment/test-secret-key test/fixtures/stripe.json:3',
      'error env-file/tracked .env:1',
      'error generic/credential-assignment .env:1',
    ]);
    expect(outcome.message).toMatchObject({ id: 'leaks', data: { count: 8, where: 'config/settings.yaml:4', listed: '', them: 'them' } });
    expect(outcome.summary).toMatch(
      /^8 hard-coded credentials in 8 files, [\d.]+ KB?, 1 binary skipped, first config\/settings\.yaml:4 \(credential-named variable assigned a high-entropy literal \*{8}fH4s\): move them to environment variables or a vault, and rotate them$/,
    );
    const byRule = Object.fromEntries(outcome.findings!.map((f) => [f.rule, f.message]));
    expect(byRule['payment/live-secret-key']).toMatch(/^live secret API key .* sk_live_\*{8}p7dc \(fingerprint [0-9a-f]{16}\)$/);
    expect(byRule['aws/access-key-id']).toMatch(/^AWS access key id AKIA\*{8} \(fingerprint/);
    expect(byRule['private-key/pem']).toMatch(/^PEM private key RSA PRIVATE KEY \(fingerprint/);
    expect(outcome.findings!.find((f) => f.rule === 'payment/live-secret-key')).toMatchObject({ column: 15 });
    expect(outcome.values).toMatchObject({ leaks: 9, allowed: 0, files: 8 });
    expectNoPlantedValue(outcome);
  });

  it('without git it still finds the credentials (the tracked-.env check needs a work tree)', async () => {
    const { outcome } = await runCheck('secrets', { paths: ['.'] }, { baseDir: leaky });
    expect(outcome.status).toBe('fail');
    expect(located(outcome)).not.toContain('error env-file/tracked .env:1');
    expect(located(outcome)).toHaveLength(7);
    const cleanRun = await runCheck('secrets', { paths: ['.'] }, { baseDir: clean });
    expect(cleanRun.outcome.status).toBe('pass');
    expect(cleanRun.outcome.message).toMatchObject({ id: 'clean', data: { scanned: expect.stringMatching(/^4 files, .*1 binary skipped$/), allowed: '' } });
  });

  it('honours .gitignore by default; gitignore: false scans ignored files (never node_modules)', async () => {
    const { outcome } = await runCheck('secrets', { paths: ['.'], gitignore: false, trackedEnvFiles: false }, { baseDir: leaky });
    const where = located(outcome);
    expect(where).toContain('error payment/live-secret-key build/bundle.js:1');
    expect(where).toContain('error generic/credential-assignment .env:1');
    expect(where.some((w) => w.includes('node_modules'))).toBe(false);
  });

  it('allow entries turn findings into notes with their reason; the rest still fail', async () => {
    const first = await runCheck('secrets', { paths: ['src'] }, { baseDir: leaky });
    const gcp = first.outcome.findings!.find((f) => f.rule === 'gcp/api-key')!;
    const fp = /fingerprint ([0-9a-f]{16})/.exec(gcp.message)![1];
    const { outcome } = await runCheck(
      'secrets',
      {
        paths: ['src'],
        allow: [
          { rule: 'aws/*', reason: 'AWS documentation example keys' },
          { fingerprint: fp, reason: 'browser key restricted to our domain' },
          { path: 'src/config.js', rule: 'payment/live-secret-key', reason: 'rotated and revoked on 2026-01-10' },
        ],
      },
      { baseDir: leaky },
    );
    expect(outcome.status).toBe('pass');
    expect(outcome.message).toMatchObject({ id: 'clean', data: { scanned: expect.stringMatching(/^2 files, /), allowed: '; 4 allowed', allowedCount: 4 } });
    expect(outcome.findings!.map((f) => f.level)).toEqual(['note', 'note', 'note', 'note']);
    expect(outcome.findings![0]!.message).toMatch(/; allowed: rotated and revoked on 2026-01-10$/);
  });

  it('a test-mode key alone is a warning', async () => {
    const { outcome } = await runCheck('secrets', { paths: ['test/fixtures/stripe.json'] }, { baseDir: leaky });
    expect(outcome.status).toBe('warn');
    expect(outcome.message).toMatchObject({ id: 'testKeys', data: { credentials: '1 test-mode credential', where: 'test/fixtures/stripe.json:3', them: 'it', allowed: '' } });
    expect(outcome.findings![0]!.message).toMatch(/sk_test_\*{8}p7dc/);
  });

  it('globs and exclude narrow the scan', async () => {
    const py = await runCheck('secrets', { paths: ['src/**/*.py'] }, { baseDir: leaky });
    expect(located(py.outcome)).toEqual(['error aws/access-key-id src/storage.py:3', 'error aws/secret-access-key src/storage.py:4', 'error gcp/api-key src/storage.py:6']);
    const excluded = await runCheck('secrets', { paths: ['.'], exclude: ['src/**', 'deploy/**', 'config/**'] }, { baseDir: leaky });
    expect(excluded.outcome.status).toBe('warn');
    expect(excluded.outcome.message?.id).toBe('testKeys');
  });

  it('paths climb out of the suite folder and findings keep the path as written', async () => {
    const { outcome } = await runCheck('secrets', { paths: ['../src'] }, { baseDir: join(leaky, 'config') });
    expect(located(outcome)[0]).toBe('error payment/live-secret-key ../src/config.js:3');
  });

  it('a clean repository passes; a missing path is an error', async () => {
    const { outcome } = await runCheck('secrets', { paths: ['.'] }, { baseDir: join(ROOT, 'fixtures/scan/clean-repo') });
    expect(outcome.status, outcome.summary).toBe('pass');
    expect(outcome.message).toMatchObject({ id: 'clean', data: { scanned: expect.stringMatching(/^4 files, [\d.]+ K?B$/), allowed: '' } });
    const missing = await runCheck('secrets', { paths: ['nope'] }, { baseDir: clean });
    expect(missing.outcome).toMatchObject({ status: 'error', message: { id: 'badPath', data: { cause: 'nope: no such file or folder' } } });
  });
});
