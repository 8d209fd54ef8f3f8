import { describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { readTarGz } from '../../src/evidence/tar.js';
import { cliEnv, ROOT, stackTraceIn, tempDir } from './helpers.js';
import { runInProcess } from './in-process.js';

/** Every way a secret shows up when it leaks: as is, base64 (padded or not), base64url, URL-encoded. */
function forms(secret: string): string[] {
  const b64 = Buffer.from(secret).toString('base64');
  return [secret, b64, b64.replace(/=+$/, ''), Buffer.from(secret).toString('base64url'), encodeURIComponent(secret)];
}

describe('evidence bundle end to end', () => {
  it('payready demo --evidence out.tar.gz, then payready verify out.tar.gz: exit 0', async () => {
    const dir = tempDir();
    // An attestation (its evidence file goes in the bundle) and a probe (its transcript does): the
    // whole suite's bundle is pan-masking.test.ts's and canary.test.ts's to search.
    const run = await runInProcess(['demo', '--only', 'attest-backups', '--only', 'payment-schema', '--evidence', 'out.tar.gz', '--out', 'report'], { cwd: dir });
    expect(run.stderr).toBe('');
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toMatch(/^Wrote {6}out\.tar\.gz$/m);
    expect(run.stdout).toMatch(/^Warning {4}The evidence bundle is signed with an ephemeral key made for this run: .*integrity/m);
    expect(readdirSync(dir).filter((f) => f.startsWith('.payready-tmp'))).toEqual([]);
    const verify = await runInProcess(['verify', 'out.tar.gz'], { cwd: dir });
    expect(verify.stderr).toBe('');
    expect(verify.code).toBe(0);
    expect(verify.stdout).toMatch(/^OK {2}out\.tar\.gz: \d+ files match manifest\.json; Ed25519 signature valid/);
    expect(verify.stdout).toMatch(/ephemeral key made for this run: proves the bundle is unchanged since it was written \(integrity\), not who wrote it/);
    const { files } = await readTarGz(readFileSync(join(dir, 'out.tar.gz')));
    const paths = files.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['manifest.json', 'manifest.sig', 'public-key.pem', 'reports/report.json', 'reports/junit.xml', 'reports/report.md', 'reports/report.html', 'interactions.jsonl', 'suite/go-live.yaml', 'coverage.json']));
    expect(paths).toContain('artifacts/attest-backups/evidence/backup-schedule.md');
    expect(paths.some((p) => /^artifacts\/[a-z-]+\/transcript\.http$/.test(p))).toBe(true);
    const report = JSON.parse(files.find((f) => f.path === 'reports/report.json')!.data.toString());
    expect(report.warnings.join(' ')).toMatch(/ephemeral key/);
    const manifest = JSON.parse(files.find((f) => f.path === 'manifest.json')!.data.toString());
    expect(manifest).toMatchObject({ verdict: 'READY', signature: { key: 'ephemeral' }, suite: { file: 'checks/go-live.yaml' }, host: { node: process.version } });
  });

  it('a planted secret appears in no file of the bundle, in no encoding', async () => {
    const dir = tempDir();
    const canary = 'canary-Secret-9d1e4f77b2';
    const token = 'tok_live_Plant3d+/=Value';
    // A suite whose attestation evidence file contains a declared secret: it must be redacted in the bundle.
    mkdirSync(join(dir, 'evidence'));
    writeFileSync(join(dir, 'evidence', 'support.md'), `# Support\nescalation token: ${token}\n`);
    const suite = readFileSync(join(ROOT, 'checks', 'go-live.yaml'), 'utf8')
      .replace(/^checks:\n/m, 'checks:\n  - id: attest-support-token\n    type: attestation\n    section: "4.1"\n    with: { evidence: evidence/support.md, owner: ops@example.com, date: 2026-11-01, expires: 2030-01-01 }\n')
      .replace(/^secrets:\n/m, 'secrets:\n  supportToken: { env: SUPPORT_TOKEN }\n');
    writeFileSync(join(dir, 'suite.yaml'), suite);
    for (const f of readdirSync(join(ROOT, 'checks', 'evidence'))) copyFileSync(join(ROOT, 'checks', 'evidence', f), join(dir, 'evidence', f));
    // The attestation, and checks that send the client secret (the whole suite's outputs are
    // searched for it by demo.test.ts and canary.test.ts).
    const only = ['attest-support-token', 'oauth-token', 'oauth-errors', 'payment-approve'].flatMap((id) => ['--only', id]);
    const run = await runInProcess(['run', 'suite.yaml', ...only, '--evidence', 'b.tar.gz', '--reporter', 'html', '--reporter', 'junit', '--reporter', 'markdown', '--verbose'], {
      cwd: dir,
      env: cliEnv({ PAYREADY_CLIENT_SECRET: canary, SUPPORT_TOKEN: token }),
    });
    expect(run.stderr.replace(/^debug: .*\n/gm, '')).toBe('');
    expect(run.code, run.stdout).toBe(0);
    const bytes = readFileSync(join(dir, 'b.tar.gz'));
    const { files } = await readTarGz(bytes);
    expect(files.find((f) => f.path === 'artifacts/attest-support-token/evidence/support.md')!.data.toString()).toContain('escalation token: [REDACTED]');
    const tar = gunzipSync(bytes).toString('latin1');
    for (const secret of [canary, token]) {
      for (const form of forms(secret)) {
        expect(tar, form).not.toContain(form);
        for (const f of files) expect(f.data.toString('latin1'), `${f.path}: ${form}`).not.toContain(form);
        expect(run.stdout + run.stderr).not.toContain(form);
      }
    }
  });

  it("--sign-key signs with the team's key; verify --pubkey proves it, another key is refused naming the file", async () => {
    const dir = tempDir();
    const team = generateKeyPairSync('ed25519');
    writeFileSync(join(dir, 'sign.pem'), team.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    writeFileSync(join(dir, 'sign.pub.pem'), team.publicKey.export({ type: 'spki', format: 'pem' }));
    writeFileSync(join(dir, 'other.pub.pem'), generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }));
    const run = await runInProcess(['demo', '--evidence', 'signed.tar.gz', '--sign-key', 'sign.pem', '--only', 'attest-backups'], { cwd: dir });
    expect(run.code, run.stdout).toBe(0);
    const ok = await runInProcess(['verify', 'signed.tar.gz', '--pubkey', 'sign.pub.pem'], { cwd: dir });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/signed by the key given with --pubkey/);
    const wrong = await runInProcess(['verify', 'signed.tar.gz', '--pubkey', 'other.pub.pem'], { cwd: dir });
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toMatch(/^FAILED {2}signed\.tar\.gz: 1 problem\(s\)/);
    expect(wrong.stdout).toMatch(/^ {2}signature {2}public-key\.pem: the bundle was signed with a different key than --pubkey$/m);
    const { files } = await readTarGz(readFileSync(join(dir, 'signed.tar.gz')));
    expect(JSON.parse(files.find((f) => f.path === 'reports/report.json')!.data.toString()).warnings).toEqual([]);
  });

  it('refuses keys that cannot sign, and unreadable bundles, with usage errors (exit 2)', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'rsa.pem'), generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const rsa = await runInProcess(['demo', '--evidence', 'x.tar.gz', '--sign-key', 'rsa.pem'], { cwd: dir });
    expect(rsa.code).toBe(2);
    expect(rsa.stderr).toMatch(/--sign-key rsa\.pem: the signing key is an RSA key, not Ed25519/);
    const lonely = await runInProcess(['demo', '--sign-key', 'rsa.pem'], { cwd: dir });
    expect(lonely.code).toBe(2);
    expect(lonely.stderr).toMatch(/--sign-key signs an evidence bundle: add --evidence/);
    const missing = await runInProcess(['verify', 'nope.tar.gz'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read nope\.tar\.gz: no such file/);
    writeFileSync(join(dir, 'junk.tar.gz'), 'junk');
    const junk = await runInProcess(['verify', 'junk.tar.gz'], { cwd: dir });
    expect(junk.code).toBe(1);
    expect(junk.stdout).toMatch(/not a readable \.tar\.gz/);
    mkdirSync(join(dir, 'taken.tar.gz'));
    const unwritable = await runInProcess(['demo', '-q', '--only', 'api-port-open', '--evidence', 'taken.tar.gz'], { cwd: dir });
    expect(unwritable.code).toBe(2);
    expect(unwritable.stderr).toMatch(/^error: cannot write taken\.tar\.gz: it is a directory$/m);
    for (const r of [rsa, lonely, missing, junk, unwritable]) expect(stackTraceIn(r.stdout + r.stderr)).toBeUndefined();
  });

  it('in GitHub Actions: annotations on stdout and the Markdown summary appended to $GITHUB_STEP_SUMMARY', async () => {
    const dir = tempDir();
    const summary = join(dir, 'summary.md');
    writeFileSync(summary, '# earlier step\n');
    const run = await runInProcess(['demo', '--fault', 'no-auth', '--only', 'payments-require-auth', '--only', 'attest-backups', '--out', 'r'], { cwd: dir, env: cliEnv({ GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary }) });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^::error file=checks\/go-live\.yaml,line=\d+,title=payready payments-require-auth \(1\.1%2C blocker\)::FAIL: GET \/v1\/payments\/pay_0+ answered 404 to a request without a token: it must be 401/m);
    expect(run.stdout).toMatch(/^::warning file=checks\/go-live\.yaml,line=\d+,title=payready attest-backups \(3\.3%2C major\)::WARN: /m);
    expect(run.stdout).toMatch(/^::notice title=payready%3A NOT READY::/m);
    const text = readFileSync(summary, 'utf8');
    expect(text.startsWith('# earlier step\n## payready: ❌ NOT READY')).toBe(true);
    expect(text).toMatch(/### Fix these first \(1 blocking\)/);
  });
});
