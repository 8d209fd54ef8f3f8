import { describe, expect, it } from 'vitest';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { buildBundle, buildMergedBundle, type Manifest } from '../../src/evidence/bundle.js';
import { ephemeralKey, privateKeyFromPem, publicKeyPem, signBytes, type SigningKey } from '../../src/evidence/sign.js';
import { packTarGz, readTarGz, type TarFile } from '../../src/evidence/tar.js';
import { verifyBundle } from '../../src/evidence/verify.js';
import { checkShardKeys, mergedShard, type ShardBundle } from '../../src/cli/merge-evidence.js';
import { UsageError } from '../../src/errors.js';
import type { Report, ShardInfo } from '../../src/model/report.js';
import { FIXED_REPORT } from '../reporters/fixed-run.js';
import { fixedContext } from '../reporters/fixed-context.js';

const HOST = { hostname: 'ci-runner', platform: 'linux', release: '6.1', arch: 'x64', node: 'v20.20.2', cpus: 2, memoryMiB: 4096 };
const teamKey = privateKeyFromPem(generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

/** Shard `index` of `count`: its report and its bundle (signed with `key`), verified as merge verifies it. */
async function shard(index: number, count: number, key: SigningKey): Promise<ShardBundle> {
  const info: ShardInfo = { index, count, suiteSha256: FIXED_REPORT.suite.sha256, selection: { only: [], skip: [], tags: [] }, order: [], checks: [], deferred: [], interactions: {} };
  const report: Report & { shard: ShardInfo } = { ...FIXED_REPORT, shard: info };
  const { bytes } = await buildBundle({
    report,
    reports: [{ name: 'report.json', text: `${JSON.stringify(report)}\n`, mediaType: 'application/json' }],
    interactions: Buffer.from(`{"shard":${index}}\n`),
    artifacts: fixedContext().artifacts!,
    suiteSource: { name: 'go-live.yaml', bytes: Buffer.from('suite: go-live\n') },
    key,
    host: { ...HOST, hostname: `runner-${index}` },
  });
  const verification = await verifyBundle(bytes, { keepFiles: true });
  expect(verification.ok, JSON.stringify(verification.problems)).toBe(true);
  return { bundle: { file: `shard-${index}/evidence.tar.gz`, verification: { ...verification, files: verification.files! }, reportText: '' }, report };
}

async function merged(shards: ShardBundle[], key: SigningKey = teamKey): Promise<Buffer> {
  const parts = await Promise.all(shards.map((s) => mergedShard(s, '/work')));
  return (await buildMergedBundle({ report: FIXED_REPORT, reports: [{ name: 'report.json', text: '{}\n', mediaType: 'application/json' }], shards: parts, key, host: HOST })).bytes;
}

/** The bundle changed by `change`, then re-hashed and re-signed with the team's key: only the shards' own manifests can tell. */
async function resigned(bytes: Buffer, change: (files: TarFile[]) => void): Promise<Buffer> {
  const { files } = await readTarGz(bytes);
  const manifest = JSON.parse(files[0]!.data.toString('utf8')) as Manifest;
  const rest = files.slice(3);
  change(rest);
  manifest.files = rest.map((f) => ({ path: f.path, sha256: sha256(f.data), bytes: f.data.length, mediaType: 'application/octet-stream' }));
  const manifestBytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
  return packTarGz([{ path: 'manifest.json', data: manifestBytes }, { path: 'manifest.sig', data: signBytes(manifestBytes, teamKey.privateKey) }, { path: 'public-key.pem', data: Buffer.from(publicKeyPem(teamKey.privateKey)) }, ...rest], new Date(0));
}

describe('the merged bundle of a sharded run', () => {
  it("holds every shard bundle whole under shards/<index>/, records each one's provenance, and verifies (each shard again inside it)", async () => {
    const shards = [await shard(1, 2, teamKey), await shard(2, 2, teamKey)];
    const bytes = await merged(shards);
    const v = await verifyBundle(bytes);
    expect(v.ok, JSON.stringify(v.problems)).toBe(true);
    const { files } = await readTarGz(bytes);
    const paths = files.map((f) => f.path);
    expect(paths.slice(0, 4)).toEqual(['manifest.json', 'manifest.sig', 'public-key.pem', 'reports/report.json']);
    for (const s of shards) {
      const index = s.report.shard.index;
      for (const [path, data] of s.bundle.verification.files) expect(files.find((f) => f.path === `shards/${index}/${path}`)?.data.equals(data), path).toBe(true);
    }
    expect(paths.filter((p) => !p.startsWith('shards/')).length).toBe(4);
    expect(v.manifest!.suite.bundled).toBe('shards/1/suite/go-live.yaml');
    expect(v.manifest!.shards).toEqual(
      shards.map((s, i) => ({
        index: i + 1,
        count: 2,
        source: `shard-${i + 1}/evidence.tar.gz`,
        path: `shards/${i + 1}`,
        manifestSha256: sha256(s.bundle.verification.files.get('manifest.json')!),
        publicKeySha256: v.keySha256,
        key: 'provided',
        verdict: FIXED_REPORT.verdict,
        startedAt: FIXED_REPORT.startedAt,
        finishedAt: FIXED_REPORT.finishedAt,
        hostname: `runner-${i + 1}`,
        verification: { ok: true, signature: 'valid', filesChecked: s.bundle.verification.checked },
      })),
    );
  });

  it('a shard changed inside a re-signed merged bundle fails verification naming the file: a changed, a removed or an added file, a swapped manifest, an unclaimed shard folder', async () => {
    const bytes = await merged([await shard(1, 2, teamKey), await shard(2, 2, teamKey)]);
    const problems = async (change: (files: TarFile[]) => void): Promise<string[]> => {
      const v = await verifyBundle(await resigned(bytes, change));
      expect(v.ok).toBe(false);
      return v.problems.map((p) => `${p.kind} ${p.file}: ${p.detail}`);
    };
    const at = (files: TarFile[], path: string): TarFile => files.find((f) => f.path === path)!;
    expect(await problems((files) => (at(files, 'shards/2/interactions.jsonl').data = Buffer.from('{"shard":1}\n')))).toEqual(["changed shards/2/interactions.jsonl: not the file shard 2/2's manifest lists"]);
    expect(await problems((files) => files.splice(files.indexOf(at(files, 'shards/1/interactions.jsonl')), 1))).toEqual(["missing shards/1/interactions.jsonl: listed in shard 1/2's manifest but not in the bundle"]);
    expect(await problems((files) => files.push({ path: 'shards/1/artifacts/extra.txt', data: Buffer.from('x') }))).toEqual(["added shards/1/artifacts/extra.txt: not listed in shard 1/2's manifest"]);
    expect(await problems((files) => files.push({ path: 'shards/3/report.json', data: Buffer.from('{}') }))).toEqual(['added shards/3/report.json: in a shard folder the manifest records no shard for']);
    // Shard 2's signed manifest and signature put in shard 1's place: each signature holds, the recorded digest does not, nor do shard 1's files.
    const swapped = await problems((files) => {
      for (const name of ['manifest.json', 'manifest.sig']) at(files, `shards/1/${name}`).data = at(files, `shards/2/${name}`).data;
    });
    expect(swapped[0]).toBe('changed shards/1/manifest.json: not the manifest of shard 1/2 the merged manifest records');
  });

  it('takes shards signed alike only: with --sign-key that very key; without, one team key or ephemeral keys throughout', async () => {
    const otherKey = privateKeyFromPem(generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    const [team1, team2, other2, eph1, eph2] = await Promise.all([shard(1, 2, teamKey), shard(2, 2, teamKey), shard(2, 2, otherKey), shard(1, 2, ephemeralKey()), shard(2, 2, ephemeralKey())]);
    const refusal = async (shards: ShardBundle[], signing: { key: SigningKey; path?: string }): Promise<unknown> => checkShardKeys(shards, signing).then(() => undefined, (err: unknown) => err);
    await expect(checkShardKeys([team1, team2], { key: teamKey, path: 'team.pem' })).resolves.toMatch(/^every shard signed with one key \(sha256 [0-9a-f]{16}\.\.\.\)$/);
    await expect(checkShardKeys([team1, team2], { key: ephemeralKey() })).resolves.toMatch(/^every shard signed with one key/);
    await expect(checkShardKeys([eph1, eph2], { key: ephemeralKey() })).resolves.toBe('each shard signed with an ephemeral key made for its run (integrity only)');
    for (const [shards, signing, what] of [
      [[team1, other2], { key: teamKey, path: 'team.pem' }, /^another key \(sha256 [0-9a-f]{16}\.\.\.\)$/],
      [[team1, other2], { key: ephemeralKey() }, /^another key/],
      [[eph1, eph2], { key: teamKey, path: 'team.pem' }, /^an ephemeral key made for its run$/],
      [[team1, eph2], { key: ephemeralKey() }, /^an ephemeral key made for its run$/],
    ] as const) {
      const err = await refusal([...shards], signing);
      expect(err).toBeInstanceOf(UsageError);
      expect((err as UsageError).toJSON()).toMatchObject({ id: 'shardKeyDiffers', data: { what: expect.stringMatching(what) as unknown } });
    }
  });
});
