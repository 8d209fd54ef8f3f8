import type { Profile } from '../../providers/profiles.js';
import type { Scenario } from './scenario.js';

/** Why a scenario ends skip under a profile: the `unsupported` message's `what` and `reason`. */
export interface Unsupported {
  /** What the provider has no such thing as ("capture operation in its profile"). */
  what: string;
  /** Why, in the profile's words where it gives them. */
  reason: string;
}

/**
 * Why `scenario` cannot run under `profile` whatever the check says: the profile declares the
 * scenario `unsupported`, or lacks an operation (or webhooks) the scenario needs. The run ends skip
 * with it before any call.
 */
export function unsupportedBy(profile: Profile, scenario: Scenario): Unsupported | undefined {
  const declared = profile.unsupported?.[scenario.name];
  if (declared !== undefined) return { what: `${scenario.name} scenario`, reason: declared };
  for (const need of scenario.needs) {
    if (need === 'webhooks') {
      if (!profile.webhooks) return { what: 'webhooks in its profile', reason: 'the profile describes no way to register a receiver' };
    } else if (!profile.operations[need]) {
      return { what: `${need} operation in its profile`, reason: `the ${scenario.name} scenario cannot run without one` };
    }
  }
  return undefined;
}

/** How a scenario runs under a profile, for the docs' support table. */
export interface Support {
  /** Why it ends skip (as shipped: a check may give what a limit lacks, e.g. capErrorCode), or undefined when it runs. */
  skip?: Unsupported;
  /** Operations it would use that the profile lacks: it judges the provider by its answers instead. */
  without: string[];
}

/** How `scenario` runs under `profile` when a check gives no more than the scenario requires. */
export function supportOf(profile: Profile, scenario: Scenario): Support {
  const without = (scenario.uses ?? []).filter((op) => !profile.operations[op]);
  const skip = unsupportedBy(profile, scenario);
  if (skip) return { skip, without };
  // The scenario's capCode skips the same way unless the check names the refusal code itself.
  const limit = scenario.limit ? profile.limits?.[scenario.limit]?.unsupported : undefined;
  if (limit !== undefined) return { skip: { what: scenario.limit === 'daily' ? 'daily cap' : 'per-transaction cap', reason: limit }, without };
  return { without };
}
