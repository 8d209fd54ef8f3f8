/** Exit codes, in one place (docs/commands.md documents them). */
export const EXIT = {
  /** READY (or READY WITH WAIVERS), or a command that succeeded. */
  ok: 0,
  /** NOT READY, or a command whose check found a problem (verify, diff, coverage). */
  notReady: 1,
  /** Bad usage or a suite that does not validate; also a run blocked only by setup errors (see `blockedOnlyBySetup`). */
  usage: 2,
  /** Interrupted by SIGINT (Ctrl-C). */
  sigint: 130,
  /** Interrupted by SIGTERM. */
  sigterm: 143,
  /** Interrupted by SIGHUP (the terminal closed). */
  sighup: 129,
} as const;

/**
 * Which entry of a usage-messages table an error came from (src/cli/messages.ts lists them all),
 * and the values filled into it: tests and tools match on the id, not on the words.
 */
export interface UsageRef {
  /** The entry's id, e.g. `unknownReporter`. */
  id: string;
  /** The values of its placeholders. */
  data: Readonly<Record<string, string | number | boolean>>;
}

/** A mistake in how the command was called; the CLI prints the message and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(
    message: string,
    /** What to write instead, shown under the message. */
    readonly hint?: string,
    /** The messages-table entry the words come from. */
    readonly ref?: UsageRef,
  ) {
    super(message);
  }

  /** The message id (undefined for an error not made from a table). */
  get id(): string | undefined {
    return this.ref?.id;
  }

  /** The JSON form: id and data next to the words. */
  toJSON(): { name: string; message: string; hint?: string; id?: string; data?: UsageRef['data'] } {
    return { name: this.name, message: this.message, ...(this.hint !== undefined ? { hint: this.hint } : {}), ...(this.ref ? { id: this.ref.id, data: this.ref.data } : {}) };
  }
}
