import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Header, Pack, ReadEntry, type HeaderData } from 'tar';
import { buildBundle, type BundleInput } from '../../src/evidence/bundle.js';
import { ephemeralKey, privateKeyFromPem, publicKeyPem } from '../../src/evidence/sign.js';
import { readTarGz, type TarFile } from '../../src/evidence/tar.js';
import { verifyBundle } from '../../src/evidence/verify.js';
import { RunExit } from '../../src/runner/exit.js';
import { FIXED_REPORT } from '../reporters/fixed-run.js';
import { fixedContext } from '../reporters/fixed-context.js';
import { tempDir } from '../support/temp.js';

const HOST = { hostname: 'ci-runner', platform: 'linux', release: '6.1', arch: 'x64', node: 'v20.20.2', cpus: 2, memoryMiB: 4096 };
const teamPem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const teamKey = privateKeyFromPem(teamPem);

function input(overrides: Partial<BundleInput> = {}): BundleInput {
  const context = fixedContext();
  return {
    report: FIXED_REPORT,
    reports: [{ name: 'report.json', text: `${JSON.stringify(FIXED_REPORT)}\n`, mediaType: 'application/json' }],
    interactions: Buffer.from('{"checkId":"a","method":"GET"}\n'),
    artifacts: context.artifacts!,
    suiteSource: { name: 'go-live.yaml', bytes: Buffer.from('suite: go-live\n') },
    key: teamKey,
    host: HOST,
    ...overrides,
  };
}

/** A gzipped tar written entry by entry, including what payready never writes (links, absolute paths). */
async function rawTar(entries: (TarFile & { type?: HeaderData['type']; linkpath?: string })[]): Promise<Buffer> {
  const pack = new Pack({ portable: true, preservePaths: true });
  const chunks: Buffer[] = [];
  pack.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve) => pack.on('end', () => resolve()));
  for (const e of entries) {
    const entry = new ReadEntry(new Header({ path: e.path, mode: 0o644, size: e.type && e.type !== 'File' ? 0 : e.data.length, mtime: new Date(0), type: e.type ?? 'File', ...(e.linkpath ? { linkpath: e.linkpath } : {}) }));
    pack.add(entry);
    entry.end(e.type && e.type !== 'File' ? Buffer.alloc(0) : e.data);
  }
  pack.end();
  await done;
  return gzipSync(Buffer.concat(chunks));
}

describe('evidence bundle', () => {
  it('holds the manifest, signature, public key, reports, interaction log, suite and artifacts; verifies', async () => {
    const { bytes, manifest } = await buildBundle(input());
    const { files } = await readTarGz(bytes);
    expect(files.map((f) => f.path)).toEqual([
      'manifest.json',
      'manifest.sig',
      'public-key.pem',
      'reports/report.json',
      'interactions.jsonl',
      'suite/go-live.yaml',
      'artifacts/payments-require-auth/transcript.http',
      'artifacts/payments-require-auth/checkout.png',
    ]);
    expect(manifest).toMatchObject({
      format: 'payready-evidence',
      formatVersion: 1,
      tool: FIXED_REPORT.tool,
      suite: { ...FIXED_REPORT.suite, bundled: 'suite/go-live.yaml' },
      environment: FIXED_REPORT.environment,
      startedAt: FIXED_REPORT.startedAt,
      finishedAt: FIXED_REPORT.finishedAt,
      host: HOST,
      verdict: 'NOT READY',
      signature: { algorithm: 'Ed25519', key: 'provided', publicKeySha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
    });
    expect(manifest.files).toHaveLength(5);
    expect(manifest.files[4]).toMatchObject({ path: 'artifacts/payments-require-auth/checkout.png', bytes: 70, mediaType: 'image/png' });
    const result = await verifyBundle(bytes);
    expect(result).toMatchObject({ ok: true, problems: [], checked: 5, keySource: 'embedded' });
  });

  it('is reproducible: the same run gives the same bytes (fixed mtime, owners, order, gzip header)', async () => {
    const a = await buildBundle(input());
    const b = await buildBundle(input());
    expect(a.bytes.equals(b.bytes)).toBe(true);
  });

  it('the signature is plain Ed25519 over manifest.json: openssl verifies it too', async () => {
    const { bytes } = await buildBundle(input());
    const dir = tempDir('payready-openssl-');
    for (const f of (await readTarGz(bytes)).files.slice(0, 3)) writeFileSync(join(dir, f.path), f.data);
    const run = spawnSync('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', 'public-key.pem', '-rawin', '-in', 'manifest.json', '-sigfile', 'manifest.sig'], { cwd: dir, encoding: 'utf8' });
    expect(run.error).toBeUndefined();
    expect(run.stdout).toMatch(/Signature Verified Successfully/);
  });

  it('tampering with one byte of any file makes verify fail and name that file', async () => {
    const { bytes } = await buildBundle(input());
    const { files } = await readTarGz(bytes);
    for (const target of files) {
      const tampered = files.map((f) => {
        if (f !== target) return f;
        const data = Buffer.from(f.data);
        const at = Math.floor(data.length / 2);
        data[at] = data[at]! ^ 0x01;
        return { path: f.path, data };
      });
      const result = await verifyBundle(await rawTar(tampered));
      expect(result.ok, target.path).toBe(false);
      expect(result.problems.map((p) => p.file).join(' '), target.path).toContain(target.path);
    }
  });

  it('an added or a removed file is named', async () => {
    const { bytes } = await buildBundle(input());
    const { files } = await readTarGz(bytes);
    const added = await verifyBundle(await rawTar([...files, { path: 'artifacts/x/extra.txt', data: Buffer.from('hi') }]));
    expect(added.problems).toEqual([{ kind: 'added', file: 'artifacts/x/extra.txt', detail: 'not listed in the manifest' }]);
    for (const gone of files) {
      const removed = await verifyBundle(await rawTar(files.filter((f) => f !== gone)));
      expect(removed.ok, gone.path).toBe(false);
      expect(removed.problems.map((p) => p.file).join(' '), gone.path).toContain(gone.path);
    }
  });

  it('refuses absolute paths, .., links and duplicates, naming each', async () => {
    const { bytes } = await buildBundle(input());
    const { files } = await readTarGz(bytes);
    const hostile = await rawTar([
      ...files,
      { path: '/etc/cron.d/payready', data: Buffer.from('x') },
      { path: 'reports/../../escape.txt', data: Buffer.from('x') },
      { path: 'artifacts/link', data: Buffer.alloc(0), type: 'SymbolicLink', linkpath: '/etc/passwd' },
      { path: 'artifacts/hard', data: Buffer.alloc(0), type: 'Link', linkpath: 'manifest.json' },
      { path: 'reports/report.json', data: Buffer.from('{"verdict":"READY"}') },
    ]);
    const result = await verifyBundle(hostile);
    expect(result.ok).toBe(false);
    const refused = Object.fromEntries(result.problems.filter((p) => p.kind === 'refused').map((p) => [p.file, p.detail]));
    expect(refused).toEqual({
      '/etc/cron.d/payready': 'absolute path',
      'reports/../../escape.txt': 'path leaves the bundle (..)',
      'artifacts/link': 'symbolic link',
      'artifacts/hard': 'hard link',
      'reports/report.json': 'duplicate entry: a later copy would replace the first when extracted',
    });
  });

  it('--pubkey proves who signed: the right key passes, another key or a re-signed bundle fails', async () => {
    const { bytes } = await buildBundle(input());
    const pub = publicKeyPem(teamKey.privateKey);
    expect(await verifyBundle(bytes, { publicKeyPem: pub })).toMatchObject({ ok: true, keySource: 'given' });
    const other = publicKeyPem(ephemeralKey().privateKey);
    const wrong = await verifyBundle(bytes, { publicKeyPem: other });
    expect(wrong.ok).toBe(false);
    expect(wrong.problems).toEqual([{ kind: 'signature', file: 'public-key.pem', detail: 'the bundle was signed with a different key than --pubkey' }]);
    // Someone rebuilds the bundle with their own key: intact on its own terms, refused against the team key.
    const forged = await buildBundle(input({ key: ephemeralKey(), report: { ...FIXED_REPORT, verdict: 'READY' } }));
    expect((await verifyBundle(forged.bytes)).ok).toBe(true);
    expect((await verifyBundle(forged.bytes, { publicKeyPem: pub })).ok).toBe(false);
  });

  it('garbage is not a bundle: verify fails with a reason', async () => {
    const result = await verifyBundle(Buffer.from('not a tarball'));
    expect(result).toMatchObject({ ok: false, problems: [{ file: '(bundle)', detail: expect.stringMatching(/not a readable \.tar\.gz/) }] });
  });

  it('built from parts that passed the run\'s exit, redacts every text file; artifact names cannot leave their folder', async () => {
    const exit = new RunExit();
    exit.learn('sk_live_canary_4242');
    const artifacts = new Map([['payments-require-auth', [{ name: '../../../etc/passwd', mediaType: 'text/plain', data: 'token=sk_live_canary_4242' }]]]);
    const { bytes } = await buildBundle(exit.bundle(input({ artifacts, interactions: Buffer.from('{"url":"https://x/?k=sk_live_canary_4242"}\n') })));
    const { files } = await readTarGz(bytes);
    expect(files.map((f) => f.path)).toContain('artifacts/payments-require-auth/etc/passwd');
    for (const f of files) expect(f.data.toString('latin1'), f.path).not.toContain('sk_live_canary_4242');
  });
});
