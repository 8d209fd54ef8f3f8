import type { DeferredCheck } from '../model/report.js';
import { interpolate } from '../suite/interpolate.js';
import type { CheckSpec } from '../suite/types.js';
import { selectionError } from './messages.js';
import type { RunPlan } from './types.js';

/** `--shard i/n`: this run is shard `index` (1-based) of `count`. */
export interface ShardSpec {
  /** 1-based. */
  index: number;
  /** Number of shards. */
  count: number;
}

/**
 * Types whose checks judge the calls of the whole run (a KPI over every check's interactions): a
 * shard sees only its own calls, so a sharded run leaves them to `payready merge`, which runs them
 * over every shard's calls merged (histograms, not averaged percentiles).
 */
export const RUN_JUDGES: ReadonlySet<string> = new Set(['kpi']);

/** Types that read files, not the network (attestations, scans): gathered into one shard. */
const LOCAL_TYPES: ReadonlySet<string> = new Set(['attestation', 'secrets', 'pan-scan']);

/** How a suite's checks split into shards. */
export interface ShardSplit {
  /** Shard (1-based) of every check that runs in a shard, by id. */
  shardOf: Map<string, number>;
  /** Checks left to merge (RUN_JUDGES types), in suite order. */
  deferred: CheckSpec[];
}

/**
 * The deterministic split of `checks` into `count` shards. A check and everything connected to it
 * through `needs` (either way, transitively: a connected component of the needs graph) stay in
 * one shard, since a check runs only after what it needs and a capture never crosses machines.
 * Components made only of attestations and scans go to one shard together. Units are placed
 * largest first (ties: the one written first), each on the shard with the fewest checks so far
 * (ties: the lowest index). The same suite, selection and count give the same split everywhere.
 */
export function splitShards(checks: readonly CheckSpec[], count: number): ShardSplit {
  const deferred = checks.filter((c) => RUN_JUDGES.has(c.type));
  const deferredIds = new Set(deferred.map((c) => c.id));
  const sharded = checks.filter((c) => !deferredIds.has(c.id));
  for (const c of sharded) {
    const judge = c.needs.find((need) => deferredIds.has(need));
    if (judge) throw selectionError('shardNeedsJudge', { id: c.id, judge });
  }
  const indexOf = new Map(sharded.map((c, i) => [c.id, i]));
  const parent = sharded.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  sharded.forEach((c, i) => {
    for (const need of c.needs) {
      const j = indexOf.get(need);
      if (j !== undefined) parent[find(i)] = find(j);
    }
  });
  const components = new Map<number, number[]>();
  sharded.forEach((_, i) => {
    const root = find(i);
    const list = components.get(root) ?? [];
    list.push(i);
    components.set(root, list);
  });
  const units: number[][] = [];
  const local: number[] = [];
  for (const members of components.values()) {
    if (members.every((i) => LOCAL_TYPES.has(sharded[i]!.type))) local.push(...members);
    else units.push(members);
  }
  if (local.length > 0) units.push(local.sort((a, b) => a - b));
  units.sort((a, b) => b.length - a.length || a[0]! - b[0]!);
  const load = new Array<number>(count).fill(0);
  const shardOf = new Map<string, number>();
  for (const unit of units) {
    let target = 0;
    for (let s = 1; s < count; s++) if (load[s]! < load[target]!) target = s;
    load[target]! += unit.length;
    for (const i of unit) shardOf.set(sharded[i]!.id, target + 1);
  }
  return { shardOf, deferred };
}

/**
 * A deferred check as its shard's report keeps it: parameters resolved now (variables,
 * environment, target), so merge needs neither the suite nor the environment. A deferred check
 * cannot read another check's captures: those live in the shard that made them.
 */
export function deferCheck(spec: CheckSpec, plan: RunPlan): DeferredCheck {
  let params: unknown;
  try {
    params = interpolate(spec.with, { env: plan.env, vars: plan.suite.variables, secrets: plan.secrets, target: plan.target.fields, checks: {} });
  } catch (err) {
    throw selectionError('shardDeferredUnresolved', { id: spec.id, why: (err as Error).message });
  }
  return {
    id: spec.id,
    type: spec.type,
    title: spec.title,
    section: spec.section,
    ...(spec.proves ? { proves: spec.proves } : {}),
    severity: spec.severity,
    tags: spec.tags,
    needs: spec.needs,
    with: params as Record<string, unknown>,
    timeoutMs: spec.timeoutMs,
    retries: spec.retries,
    ...(spec.waiver ? { waiver: spec.waiver } : {}),
  };
}
