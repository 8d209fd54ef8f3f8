import { getPath } from '../checks/shared/assert.js';
import type { Outcome } from '../model/outcome.js';
import { credentialsIn } from '../net/credentials.js';
import type { CheckSpec } from '../suite/types.js';
import type { RunExit } from './exit.js';

/** What the capture stage took from an outcome. */
export interface Captured {
  /** Values by capture name, for `${checks.<id>.<name>}` (absent when the check did not pass or warn). */
  values?: Record<string, unknown>;
  /** Why a capture failed (the check becomes an error with this summary). */
  failure?: string;
}

/**
 * Stage 3, capture: tells the exit the secrets an outcome reveals (what the check declares in
 * `secrets`, every token a server handed out, captured or not, and each `secret: true` capture),
 * so nothing that leaves afterwards holds them, and takes the values the suite's `capture:` names
 * from a passing or warning outcome. A capture with nothing at its path fails the check;
 * `summary` is the summary the failure quotes.
 */
export function captureValues(spec: CheckSpec, outcome: Outcome, summary: string, exit: RunExit): Captured {
  for (const secret of outcome.secrets ?? []) exit.learn(secret);
  for (const secret of credentialsIn(outcome.values)) exit.learn(secret);
  if (outcome.status !== 'pass' && outcome.status !== 'warn') return {};
  const values: Record<string, unknown> = {};
  for (const [name, capture] of Object.entries(spec.capture)) {
    const value = getPath(outcome.values ?? {}, capture.from);
    if (value === undefined) return { values, failure: `could not capture "${name}": nothing at "${capture.from}" in the ${spec.type} result (${summary})` };
    if (capture.secret) exit.learn(typeof value === 'string' ? value : JSON.stringify(value));
    values[name] = value;
  }
  return { values };
}
