import { EndpointStats, InteractionLog } from '../model/interactions.js';
import { plural } from '../text.js';
import { visible } from '../reporters/common.js';
import { computeVerdict, countStatuses, REPORT_SCHEMA_VERSION, scoreSections, type CheckResult, type DeferredCheck, type Report, type ShardInfo } from '../model/report.js';
import { reportError } from './messages.js';

/** A shard's report and the file it came from (for messages). */
export interface ShardReport {
  /** The path as given. */
  file: string;
  /** The report (its `shard` field set). */
  report: Report & { shard: ShardInfo };
}

/** True when a report was written by `payready run --shard i/n`. */
export function isShardReport(report: Report): report is Report & { shard: ShardInfo } {
  const s = report.shard as Partial<ShardInfo> | undefined;
  return typeof s === 'object' && s !== null && Number.isInteger(s.index) && Number.isInteger(s.count) && Array.isArray(s.order) && Array.isArray(s.checks) && Array.isArray(s.deferred) && typeof s.interactions === 'object';
}

/**
 * Checks that the reports are every shard of one run, once each (same suite, selection, gate and
 * count), and returns them in shard order. Raises the usage error that says what is wrong.
 */
export function orderShards(inputs: readonly ShardReport[]): ShardReport[] {
  const first = inputs[0];
  if (!first) throw new Error('orderShards needs at least one report');
  const plan = (r: ShardReport['report']): Record<string, string> => ({
    'suite files (sha256)': r.shard.suiteSha256,
    'shard counts': String(r.shard.count),
    'check selections (--only, --skip, --tag)': JSON.stringify(r.shard.selection),
    'gates (--fail-on)': r.failOn,
    'check lists': JSON.stringify(r.shard.order),
  });
  const want = plan(first.report);
  const byIndex = new Map<number, ShardReport>();
  for (const input of inputs) {
    const have = plan(input.report);
    const what = Object.keys(want).filter((k) => want[k] !== have[k]);
    if (what.length > 0) throw reportError('shardOtherRun', { file: input.file, first: first.file, what: what.join(', ') });
    const { index, count } = input.report.shard;
    const seen = byIndex.get(index);
    if (seen) throw reportError('shardTwice', { index, count, first: seen.file, file: input.file });
    byIndex.set(index, input);
  }
  const count = first.report.shard.count;
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !byIndex.has(i));
  if (missing.length > 0) throw reportError('shardMissing', { missing: missing.join(', '), count });
  return [...byIndex.values()].sort((a, b) => a.report.shard.index - b.report.shard.index);
}

/**
 * Joins the shards of one sharded run into the report a single run would have written: every
 * check's result from the shard that ran it, in suite order; the checks that judge the whole run
 * (kpi) run now, over every shard's calls merged histogram by histogram, so p50/p95/p99 are those
 * of all the calls, never an average of the shards' percentiles; then verdict, counts and section
 * scores as a run computes them.
 */
export async function mergeShards(inputs: readonly ShardReport[], toolVersion: string): Promise<Report> {
  const shards = orderShards(inputs);
  const first = shards[0]!.report;
  const results = new Map<string, CheckResult>();
  const log = new InteractionLog();
  for (const { file, report } of shards) {
    for (const result of report.results) {
      if (results.has(result.id)) throw reportError('shardOtherRun', { file, first: shards[0]!.file, what: `their checks (both ran "${result.id}")` });
      results.set(result.id, result);
    }
    for (const [checkId, endpoints] of Object.entries(report.shard.interactions)) {
      for (const [key, stats] of Object.entries(endpoints)) log.absorb(checkId, key, EndpointStats.fromJSON(stats));
    }
  }
  for (const result of await judgeDeferred(first, first.shard.deferred, results, log, toolVersion)) results.set(result.id, result);
  const ordered = first.shard.order.map((id) => results.get(id)).filter((r): r is CheckResult => r !== undefined);
  const starts = shards.map((s) => s.report.startedAt).sort();
  const ends = shards.map((s) => s.report.finishedAt).sort();
  const incomplete = shards.some((s) => s.report.incomplete) || ordered.length !== first.shard.order.length;
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'payready', version: toolVersion },
    suite: first.suite,
    environment: first.environment,
    startedAt: starts[0]!,
    finishedAt: ends[ends.length - 1]!,
    durationMs: Math.max(0, Date.parse(ends[ends.length - 1]!) - Date.parse(starts[0]!)),
    verdict: computeVerdict(ordered, first.failOn, incomplete),
    failOn: first.failOn,
    summary: countStatuses(ordered),
    sections: scoreSections(ordered),
    results: ordered,
    warnings: [...new Set(shards.flatMap((s) => s.report.warnings))],
    incomplete,
    shards: {
      count: first.shard.count,
      suiteSha256: first.shard.suiteSha256,
      runs: shards.map(({ report }) => ({ index: report.shard.index, verdict: report.verdict, startedAt: report.startedAt, finishedAt: report.finishedAt, incomplete: report.incomplete })),
      interactions: log.toJSON(),
    },
  };
}

/**
 * Runs the deferred checks through the runner (their type, retries, timeout and waiver as in a
 * run) with the merged calls as the run's interaction log. A deferred check whose needs did not
 * all pass is skipped as a run would skip it.
 */
async function judgeDeferred(first: Report, deferred: readonly DeferredCheck[], results: ReadonlyMap<string, CheckResult>, log: InteractionLog, toolVersion: string): Promise<CheckResult[]> {
  if (deferred.length === 0) return [];
  const [{ runSuite, systemClock }, { gate, judge }] = await Promise.all([import('../runner/run.js'), import('../runner/judge.js')]);
  const location = { file: first.suite.file, line: 0, column: 0 };
  const out: CheckResult[] = [];
  const runnable = [];
  for (const d of deferred) {
    const spec = { ...d, capture: {}, location };
    const blocked = gate(spec, results, new Set());
    if (blocked) out.push(judge(spec, blocked, undefined, systemClock));
    // Its needs are settled above (they ran in the shards): the runner sees none.
    else runnable.push({ ...spec, needs: [] });
  }
  if (runnable.length === 0) return out;
  const env = first.environment;
  const run = await runSuite(
    {
      suite: { file: first.suite.file, path: first.suite.file, dir: '.', sha256: first.suite.sha256, name: first.suite.name, title: first.suite.title, environments: {}, variables: {}, secrets: {}, defaultEnvironment: env.name, allowLive: false, checks: runnable },
      target: { name: env.name, sandbox: env.sandbox, insecure: env.insecure, fields: {} },
      embedded: env.embedded,
      secrets: {},
      env: {},
    },
    { toolVersion, failOn: first.failOn, concurrency: 1, interactions: log },
  );
  return [...out, ...run.report.results];
}

/** The shards merged, in a few lines: each shard's verdict and what was judged at merge. */
export function renderShardMerge(report: Report): string {
  const shards = report.shards;
  const runs = shards?.runs ?? [];
  const lines = [`Merged ${plural(runs.length, 'shard')}: ${runs.map((r) => `${r.index}/${shards?.count ?? runs.length} ${visible(r.verdict)}`).join(', ')} -> ${visible(report.verdict)}`];
  const counts = report.summary;
  lines.push(`${plural(report.results.length, 'check')}: ${counts.pass} pass · ${counts.fail} fail · ${counts.error} error · ${counts.warn} warn · ${counts.skip} skip`);
  for (const w of report.warnings) lines.push(`warning: ${visible(w)}`);
  return `${lines.join('\n')}\n`;
}
