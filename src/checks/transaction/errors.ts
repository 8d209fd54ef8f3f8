import type { MessageData } from '../../model/messages.js';
import type { TransactionMessageId } from './messages.js';

/**
 * The scenario cannot decide (no answer, no access, a guard refused, a parameter cannot work): the
 * check ends as `error`, its summary the message `id` of the type's table with `data` (the run adds
 * `scenario`). `setup` when the suite's own configuration is at fault, not the target.
 */
export class ScenarioError extends Error {
  override readonly name: string = 'ScenarioError';
  /** True when the suite's own configuration (a base URL, its credentials) is at fault, not the target. */
  readonly setup: boolean;

  constructor(
    /** The message of the type's table that words it. */
    readonly id: TransactionMessageId,
    /** The values of its placeholders (all but `scenario`). */
    readonly data: MessageData,
    options: { setup?: boolean } = {},
  ) {
    // Only the run words it (it knows the scenario); this text is for a stray stack trace.
    super(`${id} ${JSON.stringify(data)}`);
    this.setup = options.setup ?? false;
  }
}

/** A required step failed: stop here (cleanup still runs); the assertions say why. */
export class StopScenario extends Error {
  override readonly name = 'StopScenario';
}

/** The provider has no such concept or call: the scenario ends `skip`, saying why (message `unsupported`). */
export class ScenarioSkip extends Error {
  override readonly name = 'ScenarioSkip';

  constructor(
    /** `what`, `provider` and `reason` for the message. */
    readonly data: { what: string; provider: string; reason: string },
  ) {
    super(`${data.provider} has no ${data.what}: ${data.reason}`);
  }
}
