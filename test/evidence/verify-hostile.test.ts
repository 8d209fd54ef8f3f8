import { execFileSync, spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Header, Pack, ReadEntry } from 'tar';
import { buildBundle, type BundleInput } from '../../src/evidence/bundle.js';
import { privateKeyFromPem, publicKeyPem, signBytes } from '../../src/evidence/sign.js';
import { readTarGz, type TarFile } from '../../src/evidence/tar.js';
import { verifyBundle } from '../../src/evidence/verify.js';
import { BIN } from '../e2e/helpers.js';
import { runInProcess } from '../e2e/in-process.js';
import { FIXED_REPORT } from '../reporters/fixed-run.js';
import { fixedContext } from '../reporters/fixed-context.js';

/*
 * Bundles made by someone else: re-signed with their own key (so the signature is valid), with
 * a manifest of the wrong shape, names that hold terminal escapes, or a gzip bomb. Each must be
 * a bundle that fails verification (exit 1) or is shown escaped, in bounded memory.
 */

const HOST = { hostname: 'ci-runner', platform: 'linux', release: '6.1', arch: 'x64', node: 'v20.20.2', cpus: 2, memoryMiB: 4096 };
const teamPem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const teamKey = privateKeyFromPem(teamPem);
let dir = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'payready-verify-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function input(overrides: Partial<BundleInput> = {}): BundleInput {
  return {
    report: FIXED_REPORT,
    reports: [{ name: 'report.json', text: `${JSON.stringify(FIXED_REPORT)}\n`, mediaType: 'application/json' }],
    interactions: Buffer.from('{"checkId":"a","method":"GET"}\n'),
    artifacts: fixedContext().artifacts!,
    key: teamKey,
    host: HOST,
    ...overrides,
  };
}

async function tarGz(entries: TarFile[]): Promise<Buffer> {
  const pack = new Pack({ portable: true, preservePaths: true });
  const chunks: Buffer[] = [];
  pack.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve) => pack.on('end', () => resolve()));
  for (const e of entries) {
    const entry = new ReadEntry(new Header({ path: e.path, mode: 0o644, size: e.data.length, mtime: new Date(0), type: 'File' }));
    pack.add(entry);
    entry.end(e.data);
  }
  pack.end();
  await done;
  return gzipSync(Buffer.concat(chunks));
}

/** A bundle whose manifest was edited by `edit` and signed again with the team key: the signature is valid. */
async function resigned(edit: (manifest: Record<string, unknown>) => void, extra: TarFile[] = []): Promise<Buffer> {
  const { files } = await readTarGz((await buildBundle(input())).bytes);
  const manifest = JSON.parse(files[0]!.data.toString('utf8')) as Record<string, unknown>;
  edit(manifest);
  const manifestBytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
  return tarGz([{ path: 'manifest.json', data: manifestBytes }, { path: 'manifest.sig', data: signBytes(manifestBytes, teamKey.privateKey) }, ...files.slice(2), ...extra]);
}

describe('[verify/shape] verify: a manifest of the wrong shape', () => {
  it('a correctly signed manifest without suite, without host or with a wrong type fails verification naming the field', async () => {
    const cases: [(m: Record<string, unknown>) => void, string][] = [
      [(m) => delete m.suite, 'field "suite" is missing'],
      [(m) => delete m.host, 'field "host" is missing'],
      [(m) => ((m.host as Record<string, unknown>).hostname = 42), 'field "host.hostname" must be a string'],
      [(m) => ((m.files as Record<string, unknown>[])[1]!.bytes = -1), 'field "files[1].bytes" must be >= 0'],
    ];
    for (const [edit, field] of cases) {
      const result = await verifyBundle(await resigned(edit), { publicKeyPem: publicKeyPem(teamKey.privateKey) });
      expect(result.ok, field).toBe(false);
      expect(result.problems, field).toEqual([{ kind: 'changed', file: 'manifest.json', detail: `not a payready manifest: ${field}` }]);
      expect(result.manifest).toBeUndefined();
    }
  });

  it('payready verify on it: exit 1 naming the field, not "a bug in payready"', async () => {
    writeFileSync(join(dir, 'no-host.tar.gz'), await resigned((m) => delete m.host));
    const result = await runInProcess(['verify', 'no-host.tar.gz'], { cwd: dir });
    expect(result.code, result.stdout + result.stderr).toBe(1);
    expect(result.stdout).toContain('  changed    manifest.json: not a payready manifest: field "host" is missing');
    expect(result.stderr).toBe('');
  });
});

describe('[verify/escaped] verify: what a bundle says is shown escaped', () => {
  it('manifest fields with escapes and line breaks cannot draw an OK line or "signed by the key given with --pubkey"', async () => {
    const bundle = await resigned((m) => {
      (m.suite as Record<string, unknown>).name = 'go-live\r\u001b[2KOK  forged.tar.gz: everything fine';
      (m.host as Record<string, unknown>).hostname = 'ci\n    signed by the key given with --pubkey: the bundle is unchanged and comes from its holder\u001b[8m';
    });
    writeFileSync(join(dir, 'forged.tar.gz'), bundle);
    const result = await runInProcess(['verify', 'forged.tar.gz'], { cwd: dir });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
    expect(result.stdout).toContain('suite go-live\\x0d\\x1b[2KOK  forged.tar.gz: everything fine (');
    expect(result.stdout).toContain('on ci\\x0a    signed by the key given with --pubkey');
    const lines = result.stdout.split('\n');
    expect(lines.filter((line) => line.startsWith('OK'))).toHaveLength(1);
    expect(lines.filter((line) => line.startsWith('    signed by the key given with --pubkey'))).toEqual([]);
    expect(lines.at(-2)).toMatch(/^ {4}checked with the key inside the bundle/);
  });

  it('an added entry whose name holds escapes is named escaped', async () => {
    const bundle = await resigned(() => undefined, [{ path: 'notes\u001b[1A\r.txt', data: Buffer.from('x') }]);
    writeFileSync(join(dir, 'added.tar.gz'), bundle);
    const result = await runInProcess(['verify', 'added.tar.gz'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
    expect(result.stdout).toContain('  added      notes\\x1b[1A\\x0d.txt: not listed in the manifest');
  });
});

describe('verify: size caps', () => {
  it('an entry larger than the manifest declares stops the reading at its header', async () => {
    const bundle = await resigned(() => undefined, [{ path: 'artifacts/x/big.bin', data: Buffer.alloc(50 * 1024 * 1024) }]);
    const result = await verifyBundle(bundle);
    expect(result.ok).toBe(false);
    expect(result.problems).toContainEqual({ kind: 'refused', file: '(bundle)', detail: expect.stringMatching(/^stopped reading: artifacts\/x\/big\.bin declares 52,428,800 bytes: the bundle would unpack to more than [\d,]+ bytes$/) });
  });

  it('a fixed cap holds without a manifest: an entry header or the bytes unpacked past it stop the reading; a tar compressed twice is refused', async () => {
    const header = await verifyBundle(await tarGz([{ path: 'a.bin', data: Buffer.alloc(4 * 1024 * 1024) }]), { maxUnpackedBytes: 1024 * 1024 });
    expect(header.problems).toContainEqual({ kind: 'refused', file: '(bundle)', detail: 'stopped reading: a.bin declares 4,194,304 bytes: the bundle would unpack to more than 1 MiB' });
    const zeros = await verifyBundle(gzipSync(Buffer.alloc(4 * 1024 * 1024)), { maxUnpackedBytes: 1024 * 1024 });
    expect(zeros.problems).toContainEqual({ kind: 'refused', file: '(bundle)', detail: 'stopped reading: the bundle unpacks to more than 1 MiB' });
    const entries = await verifyBundle(await tarGz([0, 1, 2].map((n) => ({ path: `part-${n}.bin`, data: Buffer.alloc(400 * 1024, n) }))), { maxUnpackedBytes: 1024 * 1024 });
    expect(entries.problems).toContainEqual({ kind: 'refused', file: '(bundle)', detail: expect.stringMatching(/^stopped reading: (part-2\.bin declares 409,600 bytes: the bundle would unpack to more than 1 MiB|the bundle unpacks to more than 1 MiB)$/) });
    // The tar parser would gunzip an inner layer itself, past the count: refused.
    const twice = await verifyBundle(gzipSync(await tarGz([{ path: 'a.txt', data: Buffer.from('a') }])));
    expect(twice.problems).toEqual([{ kind: 'changed', file: '(bundle)', detail: 'not a readable tar archive (compressed twice)' }]);
  });

  it('[verify/gzip-bomb] a 1 MB gzip bomb is refused by payready verify in bounded memory (peak RSS of the child under 200 MB)', () => {
    // 64 MiB of zeros compress to ~64 KB; gzip members may follow each other, so 17 of them unpack to 1.06 GiB.
    const zeros = gzipSync(Buffer.alloc(64 * 1024 * 1024), { level: 9 });
    const huge = new Header({ path: 'reports/report.json', size: 8 * 1024 ** 3, type: 'File', mode: 0o644, mtime: new Date(0) });
    huge.encode();
    const bombs = {
      // A tar header announcing an 8 GiB report, then zeros.
      header: Buffer.concat([gzipSync(huge.block!), ...Array<Buffer>(17).fill(zeros)]),
      // Nothing but zeros: an empty archive (two zero blocks end it), then a gigabyte of "padding".
      zeros: Buffer.concat(Array<Buffer>(17).fill(zeros)),
    };
    for (const [name, bytes] of Object.entries(bombs)) {
      expect(bytes.length, name).toBeLessThan(1_500_000);
      const file = join(dir, `${name}-bomb.tar.gz`);
      writeFileSync(file, bytes);
      // The real verification path (the file streamed by the CLI's own code), in a child whose peak memory is read at exit.
      const script = `
        import { open } from 'node:fs/promises';
        import { verifyBundle } from ${JSON.stringify(new URL('../../dist/evidence/verify.js', import.meta.url).href)};
        const handle = await open(${JSON.stringify(file)}, 'r');
        const result = await verifyBundle(handle.createReadStream({ autoClose: false }));
        await handle.close();
        process.stdout.write(JSON.stringify({ problems: result.problems, maxRssKiB: process.resourceUsage().maxRSS }));`;
      const out = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })) as { problems: { file: string; detail: string }[]; maxRssKiB: number };
      expect(out.problems.map((p) => `${p.file}: ${p.detail}`), name).toContainEqual(
        name === 'header' ? '(bundle): stopped reading: reports/report.json declares 8,589,934,592 bytes: the bundle would unpack to more than 1024 MiB' : '(bundle): stopped reading: more than 1 MiB of data after the end of the archive',
      );
      expect(out.maxRssKiB / 1024, name).toBeLessThan(200);
    }
    // And through the command itself: a bundle that fails verification, exit 1.
    const cli = spawnSync(process.execPath, [BIN, 'verify', 'header-bomb.tar.gz'], { cwd: dir, encoding: 'utf8' });
    expect(cli.status, cli.stderr).toBe(1);
    expect(cli.stdout).toContain('  refused    (bundle): stopped reading: reports/report.json declares 8,589,934,592 bytes: the bundle would unpack to more than 1024 MiB');
  });
});
