import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Histogram } from '../../src/model/histogram.js';
import { EndpointStats, type Interaction } from '../../src/model/interactions.js';
import type { Report } from '../../src/model/report.js';
import { loadSuite } from '../../src/suite/load.js';
import { ROOT, runCli, tempDir } from './helpers.js';

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

describe('payready run --shard i/n and payready merge of the shards', () => {
  it('three shards of the demo merge to the verdict and section scores of one run, with percentiles from merged histograms', async () => {
    const dir = tempDir();
    const common = ['demo', '-q', '--skip', 'checkout-mobile'];
    const runs = await Promise.all([runCli([...common, '--out', 'whole'], { cwd: dir }), ...[1, 2, 3].map((i) => runCli([...common, '--shard', `${i}/3`, '--out', `s${i}`], { cwd: dir }))]);
    expect(runs.map((r) => r.code), runs.map((r) => r.stderr).join('\n')).toEqual([0, 0, 0, 0]);
    const whole = read(dir, 'whole/report.json');
    const shards = [1, 2, 3].map((i) => read(dir, `s${i}/report.json`));

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

    const merged = await runCli(['merge', 's3/report.json', 's1/report.json', 's2/report.json', '--out', 'merged.json'], { cwd: dir });
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
      readFileSync(join(dir, `s${i}`, 'interactions.jsonl'), 'utf8')
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
    const mixed = await runCli(['merge', 's1/report.json', 's2/report.json', 'whole/report.json'], { cwd: dir });
    expect([mixed.code, mixed.stderr]).toEqual([2, expect.stringContaining('s1/report.json is shard 1/3 of a sharded run and whole/report.json is not a shard report')]);
    const missing = await runCli(['merge', 's1/report.json', 's3/report.json'], { cwd: dir });
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringContaining('shard 2 of 3 missing')]);
    const twice = await runCli(['merge', 's1/report.json', 's2/report.json', 's2/report.json', 's3/report.json'], { cwd: dir });
    expect([twice.code, twice.stderr]).toEqual([2, expect.stringContaining('shard 2/3 given twice')]);
  }, 120_000);

  it('refuses a malformed --shard', async () => {
    const bad = await runCli(['demo', '-q', '--shard', '4/3'], { cwd: tempDir() });
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
