import { describe, expect, it } from 'vitest';
import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { Histogram } from '../../src/model/histogram.js';
import { EndpointStats, type Interaction } from '../../src/model/interactions.js';
import type { Report } from '../../src/model/report.js';
import { loadSuite } from '../../src/suite/load.js';
import { ROOT, runCli, runRecipeLine, tempDir, type CliResult } from './helpers.js';
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
function shardRecipes(): { github: { indexes: number[]; shard: string; merge: string }; gitlab: { parallel: number; variables: Record<string, string>; merge: string[] } } {
  const blocks = [...readFileSync(join(ROOT, 'docs', 'ci.md'), 'utf8').matchAll(/^```yaml\n([\s\S]*?)^```$/gm)].map((m) => parse(m[1]!) as Record<string, unknown>);
  const workflow = blocks.find((b) => typeof b.jobs === 'object' && b.jobs !== null && 'merge' in b.jobs)!.jobs as Record<string, GitHubJob>;
  const pipeline = blocks.find((b) => Array.isArray(b.include) && 'go-live-merge' in b) as Record<string, GitLabJob>;
  const step = (job: GitHubJob, command: string): string => job.steps.find((s) => s.run?.includes(command))!.run!;
  return {
    github: { indexes: workflow.shard!.strategy!.matrix!.index!, shard: step(workflow.shard!, 'npx payready'), merge: step(workflow.merge!, 'npx payready merge') },
    gitlab: { parallel: pipeline['go-live']!.parallel!, variables: pipeline['go-live']!.variables!, merge: pipeline['go-live-merge']!.script! },
  };
}

/** The GitLab template's hidden job. */
const gitlabTemplate = (): Required<GitLabJob> => (parse(readFileSync(join(ROOT, 'ci', 'gitlab', 'payready.gitlab-ci.yml'), 'utf8')) as Record<string, Required<GitLabJob>>)['.payready']!;

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
    const failures = (list: CliResult[]): string => list.map((r) => r.stderr + r.stdout.split('\n').filter((l) => /^(FAIL|ERROR)/.test(l)).join('\n')).join('\n');
    const runs = await Promise.all([runCli(['demo', '--skip', 'checkout-mobile', '--out', 'whole'], { cwd: dir }), ...recipes.github.indexes.map((i) => runRecipeLine(shardLine(i), { cwd: dir }))]);
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

    // Both recipes' merge jobs, as written: one report with the single run's verdict.
    const [githubMerge, gitlabMerge] = await Promise.all([runRecipeLine(recipes.github.merge, { cwd: dir }), script(recipes.gitlab.merge, gitlab)]);
    for (const [merge, folder] of [[githubMerge, dir], [gitlabMerge, gitlab]] as const) {
      expect(merge!.code, merge!.stderr).toBe(0);
      expect(merge!.stdout).toMatch(/^Merged 3 shards: 1\/3 READY, 2\/3 READY, 3\/3 READY -> READY$/m);
      const one = read(folder, 'payready-report/report.json');
      expect([one.verdict, one.shard]).toEqual([whole.verdict, undefined]);
      const skipped = folder === gitlab ? ['api-load', 'network-bandwidth'] : [];
      expect(one.results.map((r) => [r.id, r.status])).toEqual(whole.results.map((r) => [r.id, skipped.includes(r.id) ? 'skip' : r.status]));
    }
    expect(existsSync(join(dir, 'payready-report', 'junit.xml'))).toBe(true);
    // The GitLab shards are the template's runs: each kept its reports and its own evidence bundle.
    for (const env of nodes) for (const file of ['junit.xml', 'gl-code-quality-report.json', 'evidence.tar.gz']) expect(existsSync(join(gitlab, env.PAYREADY_OUT!, file)), `${env.PAYREADY_OUT}/${file}`).toBe(true);
    // Evidence stays per shard (docs/ci.md says so): merge writes no bundle, and each shard's verifies on its own.
    expect(readFileSync(join(ROOT, 'docs', 'ci.md'), 'utf8')).toMatch(/Evidence stays per shard: each shard given `--evidence` writes and signs its own bundle/);
    expect(existsSync(join(gitlab, 'payready-report', 'evidence.tar.gz'))).toBe(false);
    const verified = await Promise.all(nodes.map((env) => runCli(['verify', join(env.PAYREADY_OUT!, 'evidence.tar.gz')], { cwd: gitlab })));
    for (const verify of verified) expect([verify.code, verify.stdout], verify.stderr).toEqual([0, expect.stringMatching(/^OK {2}shard-\d\/evidence\.tar\.gz: \d+ files match manifest\.json; Ed25519 signature valid/)]);

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
