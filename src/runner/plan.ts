import { loadCheckType } from '../checks/index.js';
import type { CheckType } from '../checks/types.js';
import { interpolate } from '../suite/interpolate.js';
import { credentialEnvNames } from '../suite/secrets.js';
import { validateParams } from '../suite/schema.js';
import type { CheckSpec } from '../suite/types.js';
import type { RunExit } from './exit.js';
import { selectChecks } from './select.js';
import { deferCheck, splitShards } from './shard.js';
import type { DeferredCheck } from '../model/report.js';
import type { RunOptions, RunPlan, Validate } from './types.js';

/** What the plan stage settles before the first check starts. */
export interface Planned {
  /** Checks in the report, in suite order (the scheduler orders them by `needs` as it goes). */
  included: CheckSpec[];
  /** Ids skipped by `--skip`. */
  skipped: Set<string>;
  /** The type of every included check, by name. */
  types: Map<string, CheckType>;
  /** The parameter validator, every schema already compiled. */
  validate: Validate;
  /** With `--shard`: every check of the whole run in suite order, and the checks left to merge. */
  shard?: { order: string[]; deferred: DeferredCheck[] };
}

/**
 * Stage 1, plan: selects the checks (`--only`, `--skip`, `--tag`, plus what they need), loads
 * their types, tells the exit every secret known before the run (declared secrets, and
 * environment variables a check sends as credentials, declared or not), and compiles every
 * parameter schema: compiling blocks the event loop, and doing it mid-run would add to the
 * latencies the running checks measure.
 */
export async function planRun(plan: RunPlan, options: RunOptions, exit: RunExit): Promise<Planned> {
  for (const value of Object.values(plan.secrets)) exit.learn(value);
  const selected = selectChecks(plan.suite.checks, options);
  const { skipped } = selected;
  let { included } = selected;
  let shard: Planned['shard'];
  if (options.shard) {
    // The selection first, then the split: every shard given the same options splits the same checks.
    const { index } = options.shard;
    const { shardOf, deferred } = splitShards(included, options.shard.count);
    shard = { order: included.map((c) => c.id), deferred: deferred.map((spec) => deferCheck(spec, plan)) };
    included = included.filter((c) => shardOf.get(c.id) === index);
  }
  const types = new Map<string, CheckType>();
  const loadType = options.loadType ?? loadCheckType;
  for (const type of new Set(included.map((c) => c.type))) types.set(type, await loadType(type));
  for (const spec of included) for (const name of credentialEnvNames(spec.with, types.get(spec.type))) exit.learn(plan.env[name]);
  const validate = options.validate ?? validateParams;
  for (const type of types.values()) await validate(type, {});
  return { included, skipped, types, validate, ...(shard ? { shard } : {}) };
}

/**
 * Resolves one check's parameters just before an attempt (`${checks.x.y}` needs the captures of
 * the checks it needs), validates them against the type's schema, and refuses what would move
 * money or write on a live target without `allowLive`. Returns the parameters, or why the check
 * cannot run (a setup error).
 */
export async function resolveParams(
  spec: CheckSpec,
  type: CheckType,
  plan: RunPlan,
  captures: Record<string, Record<string, unknown>>,
  validate: Validate,
): Promise<{ ok: true; params: unknown } | { ok: false; summary: string }> {
  let params: unknown;
  try {
    params = interpolate(spec.with, { env: plan.env, vars: plan.suite.variables, secrets: plan.secrets, target: plan.target.fields, checks: captures });
  } catch (err) {
    return { ok: false, summary: `parameters could not be resolved: ${(err as Error).message}` };
  }
  const validated = await validate(type, params);
  if (!validated.ok) return { ok: false, summary: `invalid parameters after interpolation: ${validated.message}` };
  if (!plan.target.sandbox && !plan.suite.allowLive) {
    // The loader refused these already; resolved parameters (a method from ${vars.x}) are judged again here.
    if (type.movesMoney) {
      return { ok: false, summary: `refused: "${spec.type}" moves money and environment "${plan.target.name}" is not a sandbox (set allowLive: true in the suite to allow it)` };
    }
    const write = type.writes?.(validated.params as Record<string, unknown>)[0];
    if (write) {
      return { ok: false, summary: `refused: ${write.method} ${write.url} is a write request and environment "${plan.target.name}" is not a sandbox (set allowLive: true in the suite to allow it)` };
    }
  }
  return { ok: true, params: validated.params };
}
