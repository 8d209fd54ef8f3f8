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

/** A mistake in how the command was called; the CLI prints the message and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(
    message: string,
    /** What to write instead, shown under the message. */
    readonly hint?: string,
  ) {
    super(message);
  }
}
