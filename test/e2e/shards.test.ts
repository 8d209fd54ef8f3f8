import { describe, expect, it } from 'vitest';
import { createHash, createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { Histogram } from '../../src/model/histogram.js';
import { EndpointStats, type Interaction } from '../../src/model/interactions.js';
import type { Report } from '../../src/model/report.js';
import { loadSuite } from '../../src/suite/load.js';
import type { Manifest } from '../../src/evidence/bundle.js';
import { packTarGz, readTarGz, type TarFile } from '../../src/evidence/tar.js';
import { ROOT, runAction, runRecipeLine, tempDir, type CliResult } from './helpers.js';
import { runInProcess } from './in-process.js';

/** Nearest-rank percentile of exact samples (what the histogram approximates within 0.1%). */
function exact(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** The histogram's stated bound: 0.1% of the value, or 1 µs. */
function within(actual: number, want: number): boolean {
  return Math.abs(actual - want) <= Math.max(0.001, want * 0.001);
}

const read = (dir: string, file: string): Report => JSON.parse(readFileSync(join(dir, file), 'utf8')) as Report;

/** Every file of a bundle by path. */
async function unpack(file: string): Promise<Map<string, Buffer>> {
  return new Map((await readTarGz(readFileSync(file))).files.map((f) => [f.path, f.data]));
}

/** A copy of a bundle with one file's bytes changed (its manifest left as it was, unless `manifest` rewrites it). */
async function tamper(from: string, to: string, path: string, manifest?: (files: TarFile[]) => void): Promise<void> {
  const { files } = await readTarGz(readFileSync(from));
  const file = files.find((f) => f.path === path)!;
  file.data = Buffer.concat([file.data, Buffer.from('\ntampered\n')]);
  manifest?.(files);
  writeFileSync(to, await packTarGz(files, new Date(0)));
}

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

interface GitHubStep {
  run?: string;
}
interface GitHubJob {
  strategy?: { matrix?: { index?: number[] } };
  steps: GitHubStep[];
}
interface GitLabJob {
  extends?: string;
  parallel?: number;
  variables?: Record<string, string>;
  script?: string[];
}

/** The sharding recipes of docs/ci.md, as the page writes them: a GitHub matrix and merge job, and GitLab's `parallel:` on the template. */
function shardRecipes(): { github: { indexes: number[]; shard: string; merge: string }; gitlab: { parallel: number; variables: Record<string, string>; merge: GitLabJob } } {
  const blocks = [...readFileSync(join(ROOT, 'docs', 'ci.md'), 'utf8').matchAll(/^```yaml\n([\s\S]*?)^```$/gm)].map((m) => parse(m[1]!) as Record<string, unknown>);
  const workflow = blocks.find((b) => typeof b.jobs === 'object' && b.jobs !== null && 'merge' in b.jobs)!.jobs as Record<string, GitHubJob>;
  const pipeline = blocks.find((b) => Array.isArray(b.include) && 'go-live-merge' in b) as Record<string, GitLabJob>;
  const step = (job: GitHubJob, command: string): string => job.steps.find((s) => s.run?.includes(command))!.run!;
  return {
    github: { indexes: workflow.shard!.strategy!.matrix!.index!, shard: step(workflow.shard!, 'npx payready'), merge: step(workflow.merge!, 'npx payready merge') },
    gitlab: { parallel: pipeline['go-live']!.parallel!, variables: pipeline['go-live']!.variables!, merge: pipeline['go-live-merge']! },
  };
}

/** A hidden job of the GitLab template (`.payready`, `.payready-merge`). */
const gitlabTemplate = (name = '.payready'): Required<GitLabJob> => (parse(readFileSync(join(ROOT, 'ci', 'gitlab', 'payready.gitlab-ci.yml'), 'utf8')) as Record<string, Required<GitLabJob>>)[name]!;

/** Runs lines one after the other, as a job's script does, and returns the last one's result. */
async function script(lines: string[], cwd: string, env: Record<string, string> = {}): Promise<CliResult> {
  let last: CliResult | undefined;
  for (const line of lines) {
    // `npm ci` installs what the team's package.json pins; here the checkout is the install.
    if (line.startsWith('npm ci')) continue;
    last = await runRecipeLine(line, { cwd, env });
    if (last.code !== 0) break;
  }
  return last!;
}

describe('payready run --shard i/n and payready merge of the shards', () => {
  it('three shards of the demo merge to the verdict and section scores of one run, with percentiles from merged histograms', async () => {
    const dir = tempDir();
    const recipes = shardRecipes();
    // The GitHub matrix recipe of docs/ci.md, each shard's command as written (artifacts downloaded to shard-N/).
    expect(recipes.github.indexes).toEqual([1, 2, 3]);
    expect(recipes.github.shard).toContain('--skip checkout-mobile');
    const shardLine = (i: number): string => recipes.github.shard.replace(/\$\{\{\s*matrix\.index\s*\}\}/g, String(i));
    // The GitLab recipe: the template's job with the recipe's variables, as GitLab expands them on node N of `parallel:`.
    const gitlab = join(dir, 'gitlab');
    mkdirSync(gitlab);
    cpSync(join(ROOT, 'checks'), join(gitlab, 'checks'), { recursive: true });
    const template = gitlabTemplate();
    const nodes = Array.from({ length: recipes.gitlab.parallel }, (_, n): Record<string, string> => {
      const ci = { CI_NODE_INDEX: String(n + 1), CI_NODE_TOTAL: String(recipes.gitlab.parallel) };
      const variables = Object.fromEntries(Object.entries({ ...template.variables, ...recipes.gitlab.variables }).map(([k, v]) => [k, String(v).replace(/\$(CI_NODE_\w+)/g, (_, name: 'CI_NODE_INDEX' | 'CI_NODE_TOTAL') => ci[name])]));
      // The load and bandwidth phases are left out through the variable the recipe sets: they are timed, and the GitHub shards ran them.
      return { ...ci, ...variables, PAYREADY_ARGS: `${variables.PAYREADY_ARGS} --skip api-load --skip network-bandwidth` };
    });
    // The team's signing key, as the recipe's secret; each runner has its own $RUNNER_TEMP.
    const { privateKey } = generateKeyPairSync('ed25519');
    const runner = (name: string): Record<string, string> => {
      mkdirSync(join(dir, name));
      return { PAYREADY_SIGN_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), RUNNER_TEMP: join(dir, name) };
    };
    writeFileSync(join(dir, 'team.pub.pem'), createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }));
    // The recipes' lines and the action run as CI runs them, in processes of their own; the single
    // run to compare with, and the merges and verifies whose subject is their output, run in-process
    // (a spawned CLI costs half a CPU-second importing itself; see in-process.ts).
    const failures = (list: CliResult[]): string => list.map((r) => r.stderr + r.stdout.split('\n').filter((l) => /^(FAIL|ERROR)/.test(l)).join('\n')).join('\n');
    const runs = await Promise.all([runInProcess(['demo', '--skip', 'checkout-mobile', '--out', 'whole'], { cwd: dir }), ...recipes.github.indexes.map((i) => runRecipeLine(shardLine(i), { cwd: dir, env: runner(`runner-${i}`) }))]);
    expect(runs.map((r) => r.code), failures(runs)).toEqual([0, 0, 0, 0]);
    // After the timed runs, not beside them: seven runs at once on two cores slow the latency checks past their thresholds.
    const gitlabRuns = await Promise.all(nodes.map((env) => script(template.script, gitlab, env)));
    expect(gitlabRuns.map((r) => r.code), failures(gitlabRuns)).toEqual([0, 0, 0]);
    const whole = read(dir, 'whole/report.json');
    const shards = [1, 2, 3].map((i) => read(dir, `shard-${i}/report.json`));

    // The split: disjoint, covering every check but the deferred kpi, needs never crossing shards.
    const ran = shards.flatMap((s) => s.shard!.checks);
    expect(new Set(ran).size).toBe(ran.length);
    expect(shards[0]!.shard!.deferred.map((d) => d.id)).toEqual(['api-kpis']);
    expect([...ran, 'api-kpis'].sort()).toEqual(whole.results.map((r) => r.id).sort());
    const suite = await loadSuite(join(ROOT, 'checks', 'go-live.yaml'), { env: {}, cwd: ROOT });
    for (const s of shards) {
      const mine = new Set(s.shard!.checks);
      expect(s.results.map((r) => r.id)).toEqual(s.shard!.checks);
      for (const spec of suite.checks.filter((c) => mine.has(c.id))) for (const need of spec.needs) expect(mine.has(need), `${spec.id} needs ${need}`).toBe(true);
    }
    const attestations = whole.results.filter((r) => r.type === 'attestation' || r.type === 'secrets').map((r) => r.id);
    expect(new Set(attestations.map((id) => shards.findIndex((s) => s.shard!.checks.includes(id)))).size).toBe(1);

    // Both recipes' merge jobs, as written: one report with the single run's verdict. GitLab's is the template's merge job, which the recipe extends.
    expect(recipes.gitlab.merge.extends).toBe('.payready-merge');
    const mergeJob = gitlabTemplate('.payready-merge');
    const [githubMerge, gitlabMerge] = await Promise.all([
      runRecipeLine(recipes.github.merge, { cwd: dir, env: runner('runner-merge') }),
      script(mergeJob.script, gitlab, { ...mergeJob.variables, ...recipes.gitlab.merge.variables }),
    ]);
    for (const [merge, folder] of [[githubMerge, dir], [gitlabMerge, gitlab]] as const) {
      expect(merge!.code, merge!.stderr).toBe(0);
      expect(merge!.stdout).toMatch(/^Merged 3 shards: 1\/3 READY, 2\/3 READY, 3\/3 READY -> READY$/m);
      const one = read(folder, 'payready-report/report.json');
      expect([one.verdict, one.shard]).toEqual([whole.verdict, undefined]);
      const skipped = folder === gitlab ? ['api-load', 'network-bandwidth'] : [];
      expect(one.results.map((r) => [r.id, r.status])).toEqual(whole.results.map((r) => [r.id, skipped.includes(r.id) ? 'skip' : r.status]));
    }
    expect(existsSync(join(dir, 'payready-report', 'junit.xml'))).toBe(true);
    expect(existsSync(join(gitlab, 'payready-report', 'junit.xml')) && existsSync(join(gitlab, 'payready-report', 'report.md'))).toBe(true);
    // The GitLab shards are the template's runs: each kept its reports and its own evidence bundle.
    for (const env of nodes) for (const file of ['junit.xml', 'gl-code-quality-report.json', 'evidence.tar.gz']) expect(existsSync(join(gitlab, env.PAYREADY_OUT!, file)), `${env.PAYREADY_OUT}/${file}`).toBe(true);

    // One signed bundle of the merged run: the GitHub one signed with the team's key (which signed the shards), GitLab's with ephemeral keys throughout.
    expect(githubMerge!.stdout).toContain(`Verified 3 shard bundles before taking them in: every shard signed with one key (sha256 ${sha256(createPublicKey(privateKey).export({ type: 'spki', format: 'der' })).slice(0, 16)}...)`);
    expect(gitlabMerge!.stdout).toContain('Verified 3 shard bundles before taking them in: each shard signed with an ephemeral key made for its run (integrity only)');
    const [githubVerify, gitlabVerify] = await Promise.all([
      runInProcess(['verify', 'payready-report/evidence.tar.gz', '--pubkey', 'team.pub.pem'], { cwd: dir }),
      runInProcess(['verify', 'payready-report/evidence.tar.gz'], { cwd: gitlab }),
    ]);
    for (const verify of [githubVerify, gitlabVerify]) {
      expect([verify.code, verify.stdout], verify.stderr).toEqual([0, expect.stringMatching(/^OK {2}payready-report\/evidence\.tar\.gz: \d+ files match manifest\.json; Ed25519 signature valid/)]);
      expect(verify.stdout).toMatch(/merged from 3 shard bundles \(1\/3 in shards\/1\/, 2\/3 in shards\/2\/, 3\/3 in shards\/3\/\), .*: each shard's signature and files verified again inside this bundle/);
    }
    expect(githubVerify.stdout).toContain('signed by the key given with --pubkey');
    expect(githubVerify.stdout).toContain(', the one that signed this bundle)');
    // What a reviewer gets in the one file: the merged report as written beside it, and each shard's bundle whole, traceable to it.
    for (const folder of [dir, gitlab]) {
      const bundle = await unpack(join(folder, 'payready-report', 'evidence.tar.gz'));
      expect(bundle.get('reports/report.json')!.toString('utf8')).toBe(readFileSync(join(folder, 'payready-report', 'report.json'), 'utf8'));
      const manifest = JSON.parse(bundle.get('manifest.json')!.toString('utf8')) as Manifest;
      expect([manifest.verdict, manifest.summary, manifest.suite.bundled]).toEqual([whole.verdict, read(folder, 'payready-report/report.json').summary, 'shards/1/suite/go-live.yaml']);
      expect(manifest.shards!.map((s) => [s.index, s.count, s.path, s.source, s.verification])).toEqual(
        [1, 2, 3].map((i) => [i, 3, `shards/${i}`, `shard-${i}/evidence.tar.gz`, { ok: true, signature: 'valid', filesChecked: expect.any(Number) as number }]),
      );
      for (const s of manifest.shards!) {
        const shard = await unpack(join(folder, `shard-${s.index}`, 'evidence.tar.gz'));
        expect(s.manifestSha256).toBe(sha256(shard.get('manifest.json')!));
        expect(s.key).toBe(folder === dir ? 'provided' : 'ephemeral');
        expect(s.verification.filesChecked).toBe(shard.size - 3);
        for (const [path, data] of shard) expect(bundle.get(`${s.path}/${path}`)?.equals(data), `${s.path}/${path}`).toBe(true);
      }
      // Beside the shards, only the merged run's reports (every format, as a run's bundle has them) and the signature files.
      const reports = ['gl-code-quality-report.json', 'junit.xml', 'report.html', 'report.json', 'report.md', 'report.sarif'].map((f) => `reports/${f}`);
      expect([...bundle.keys()].filter((p) => !p.startsWith('shards/')).sort()).toEqual(['manifest.json', 'manifest.sig', 'public-key.pem', ...reports].sort());
      expect(bundle.size).toBe(3 + reports.length + manifest.shards!.reduce((n, s) => n + s.verification.filesChecked + 3, 0));
    }

    // A tampered shard bundle, or one signed with another key, stops the merge naming the shard; a tampered merged bundle fails verification.
    mkdirSync(join(gitlab, 'bad'));
    await tamper(join(gitlab, 'shard-2', 'evidence.tar.gz'), join(gitlab, 'bad', 'evidence.tar.gz'), 'interactions.jsonl');
    const other = join(dir, 'other.pem');
    writeFileSync(other, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const [tamperedShard, otherKey, ephemeralShards] = await Promise.all([
      runInProcess(['merge', 'shard-1/evidence.tar.gz', 'bad/evidence.tar.gz', 'shard-3', '--out', 'bad/report.json', '--evidence', 'bad/merged.tar.gz'], { cwd: gitlab }),
      runInProcess(['merge', 'shard-1', 'shard-2', 'shard-3', '--out', 'other/report.json', '--evidence', 'other/evidence.tar.gz', '--sign-key', other], { cwd: dir }),
      runInProcess(['merge', 'shard-1', 'shard-2', 'shard-3', '--out', 'signed/report.json', '--evidence', 'signed/evidence.tar.gz', '--sign-key', other], { cwd: gitlab }),
    ]);
    expect([tamperedShard.code, tamperedShard.stderr]).toEqual([2, expect.stringContaining('shard bundle bad/evidence.tar.gz (shard 2/3) fails verification, and merge takes in verified shards only: changed interactions.jsonl: sha256 ')]);
    expect([otherKey.code, otherKey.stderr]).toEqual([2, expect.stringMatching(/shard bundle shard-1\/evidence\.tar\.gz \(shard 1\/3\) is signed with another key \(sha256 [0-9a-f]{16}\.\.\.\), not with the key of --sign-key /)]);
    expect([ephemeralShards.code, ephemeralShards.stderr]).toEqual([2, expect.stringContaining('shard bundle shard-1/evidence.tar.gz (shard 1/3) is signed with an ephemeral key made for its run, not with the key of --sign-key')]);
    // Refused before anything is written.
    for (const file of [join(gitlab, 'bad', 'merged.tar.gz'), join(gitlab, 'bad', 'report.json'), join(dir, 'other'), join(gitlab, 'signed')]) expect(existsSync(file), file).toBe(false);
    const artifact = [...(await unpack(join(gitlab, 'payready-report', 'evidence.tar.gz'))).keys()].find((p) => p.startsWith('shards/2/artifacts/'))!;
    await tamper(join(gitlab, 'payready-report', 'evidence.tar.gz'), join(gitlab, 'tampered.tar.gz'), artifact);
    // Re-hashed and re-signed by whoever changed it: the merged signature holds, the shard's own manifest does not.
    await tamper(join(gitlab, 'payready-report', 'evidence.tar.gz'), join(gitlab, 'forged.tar.gz'), artifact, (files) => {
      const manifest = JSON.parse(files[0]!.data.toString('utf8')) as Manifest;
      const entry = manifest.files.find((f) => f.path === artifact)!;
      const data = files.find((f) => f.path === artifact)!.data;
      Object.assign(entry, { sha256: sha256(data), bytes: data.length });
      const key = generateKeyPairSync('ed25519').privateKey;
      manifest.signature.publicKeySha256 = sha256(createPublicKey(key).export({ type: 'spki', format: 'der' }));
      files[0]!.data = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
      files[1]!.data = sign(null, files[0]!.data, key);
      files[2]!.data = Buffer.from(createPublicKey(key).export({ type: 'spki', format: 'pem' }));
    });
    const [tampered, forged] = await Promise.all([runInProcess(['verify', 'tampered.tar.gz'], { cwd: gitlab }), runInProcess(['verify', 'forged.tar.gz'], { cwd: gitlab })]);
    expect([tampered.code, tampered.stdout]).toEqual([1, expect.stringContaining(`changed    ${artifact}: sha256 `)]);
    expect([forged.code, forged.stdout]).toEqual([1, expect.stringContaining(`changed    ${artifact}: not the file shard 2/3's manifest lists`)]);

    // The action's merge step: the shards' bundles into one report and one bundle, with the outputs and the job summary.
    const action = await runAction({ merge: [1, 2, 3].map((i) => join(dir, `shard-${i}`, 'evidence.tar.gz')).join('\n'), reporters: 'junit', evidence: 'out/evidence.tar.gz', 'sign-key': join(dir, 'runner-merge', 'sign.pem'), out: 'out' });
    expect(action.code, action.stderr).toBe(0);
    expect(action.outputs).toEqual({ verdict: whole.verdict, report: join(action.dir, 'out', 'report.json'), evidence: join(action.dir, 'out', 'evidence.tar.gz') });
    expect(existsSync(join(action.dir, 'out', 'junit.xml'))).toBe(true);
    expect(action.summary).toContain(whole.verdict);
    const actionVerify = await runInProcess(['verify', action.outputs.evidence!, '--pubkey', 'team.pub.pem'], { cwd: dir });
    expect(actionVerify.code, actionVerify.stdout).toBe(0);

    // Merge takes the shards in any order.
    const merged = await runInProcess(['merge', 'shard-3/report.json', 'shard-1/report.json', 'shard-2/report.json', '--out', 'merged.json'], { cwd: dir });
    expect(merged.code, merged.stderr).toBe(0);
    expect(merged.stdout).toMatch(/^Merged 3 shards: 1\/3 READY, 2\/3 READY, 3\/3 READY -> READY$/m);
    const report = read(dir, 'merged.json');
    expect(report.verdict).toBe(whole.verdict);
    expect(report.sections).toEqual(whole.sections);
    expect(report.summary).toEqual(whole.summary);
    expect(report.results.map((r) => [r.id, r.status])).toEqual(whole.results.map((r) => [r.id, r.status]));
    expect(report.shard).toBeUndefined();

    // Percentiles: the merged histograms against every call of the three shards' logs.
    const calls = [1, 2, 3].flatMap((i) =>
      readFileSync(join(dir, `shard-${i}`, 'interactions.jsonl'), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Interaction),
    );
    const timed = (list: Interaction[]): number[] => list.filter((c) => !(c.expected && c.status === undefined)).map((c) => c.durationMs);
    const endpoints = new Map<string, EndpointStats>();
    for (const perEndpoint of Object.values(report.shards!.interactions)) {
      for (const [key, stats] of Object.entries(perEndpoint)) {
        const total = endpoints.get(key) ?? new EndpointStats();
        total.merge(EndpointStats.fromJSON(stats));
        endpoints.set(key, total);
      }
    }
    expect(endpoints.size).toBeGreaterThan(5);
    for (const [key, stats] of endpoints) {
      const samples = timed(calls.filter((c) => `${c.method} ${c.endpoint}` === key));
      expect(stats.latency.count, key).toBe(samples.length);
      for (const p of [50, 95, 99]) expect(within(stats.latency.percentile(p), exact(samples, p)), `${key} p${p}`).toBe(true);
    }
    // The kpi check was judged at merge over every shard's calls but those it excludes.
    const kpi = report.results.find((r) => r.id === 'api-kpis')!;
    const counted = timed(calls.filter((c) => !['api-load', 'checkout-mobile', 'api-kpis'].includes(c.checkId)));
    expect(kpi.measurements.find((m) => m.name === 'overall requests')?.value).toBe(calls.filter((c) => !['api-load', 'checkout-mobile'].includes(c.checkId)).length);
    for (const p of [50, 95, 99]) {
      const shown = kpi.measurements.find((m) => m.name === `overall p${p}`)!.value;
      expect(Math.abs(shown - exact(counted, p)), `overall p${p}`).toBeLessThanOrEqual(Math.max(0.0015, exact(counted, p) * 0.001 + 0.0005));
    }

    // Mixed, missing and duplicate shards are usage errors (exit 2) that say which.
    const mixed = await runInProcess(['merge', 'shard-1/report.json', 'shard-2/report.json', 'whole/report.json'], { cwd: dir });
    expect([mixed.code, mixed.stderr]).toEqual([2, expect.stringContaining('shard-1/report.json is shard 1/3 of a sharded run and whole/report.json is not a shard report')]);
    const missing = await runInProcess(['merge', 'shard-1/report.json', 'shard-3/report.json'], { cwd: dir });
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringContaining('shard 2 of 3 missing')]);
    const twice = await runInProcess(['merge', 'shard-1/report.json', 'shard-2/report.json', 'shard-2/report.json', 'shard-3/report.json'], { cwd: dir });
    expect([twice.code, twice.stderr]).toEqual([2, expect.stringContaining('shard 2/3 given twice')]);
  }, 120_000);

  it('refuses a malformed --shard', async () => {
    const bad = await runInProcess(['demo', '-q', '--shard', '4/3'], { cwd: tempDir() });
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringContaining('--shard must be INDEX/COUNT with 1 <= INDEX <= COUNT, e.g. 2/3, got "4/3"')]);
  });
});

describe('histogram JSON', () => {
  it('round-trips losslessly and merges like one histogram fed every sample', () => {
    const a = new Histogram();
    const b = new Histogram();
    const all = new Histogram();
    for (let i = 1; i <= 500; i++) {
      const ms = (i * 7.31) % 900;
      (i % 2 ? a : b).record(ms);
      all.record(ms);
    }
    const merged = Histogram.fromJSON(JSON.parse(JSON.stringify(a.toJSON())) as ReturnType<Histogram['toJSON']>);
    merged.merge(Histogram.fromJSON(b.toJSON()));
    const { sum, ...rest } = merged.toJSON();
    const { sum: allSum, ...allRest } = all.toJSON();
    expect(rest).toEqual(allRest);
    expect(sum).toBeCloseTo(allSum, 6);
    for (const p of [50, 95, 99]) expect(merged.percentile(p)).toBe(all.percentile(p));
    expect(() => Histogram.fromJSON({ count: 1, sum: 1, min: 1, max: 1, buckets: [[1e9, 1]] })).toThrow(RangeError);
  });
});
