import { Command, CommanderError, Help, type Option } from 'commander';
import { EXIT, UsageError } from '../errors.js';
import { VERSION } from '../paths.js';
import { commands, type ExitOptions } from './commands/index.js';
import { renderError, type Io } from './io.js';
import { exitCodeFor, listenForInterrupt, type Interrupt } from './interrupt.js';

/**
 * Builds the commander program. Each command lives in its own file and imports its
 * implementation lazily, so `--help` loads nothing heavy. Actions store an exit code instead of
 * exiting, so the whole CLI runs in-process in tests.
 */
export function buildProgram(io: Io, setExit: (code: number, options?: ExitOptions) => void): Command {
  const program = new Command('payready')
    .description('Tells whether a payment integration is ready to go live, proves it, and gates CI.')
    .version(VERSION, '-V, --version')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    // Inherited by every command added below (commander copies help settings to subcommands).
    .configureHelp({ optionDescription })
    .addHelpText(
      'after',
      `
Start here:
  npx payready demo                      run the go-live suite against the built-in sandbox
  npx payready run checks/go-live.yaml --env sandbox

Exit codes: 0 ready, 1 not ready, 2 usage or suite error (or a run blocked only by setup errors), 130/143/129 interrupted.`,
    );
  for (const command of commands) command(program, io, setExit);
  return program;
}

/**
 * An option's help line without commander's own `(default: ...)` when it says nothing or repeats
 * the description: a description that states its default in words ("default: a free port") would
 * otherwise show two, and a repeatable option's `[]` is no default a reader needs.
 */
function optionDescription(this: Help, option: Option): string {
  const value: unknown = option.defaultValue;
  const silent = (Array.isArray(value) && value.length === 0) || /\bdefault\b/i.test(option.description);
  if (value === undefined || !silent) return Help.prototype.optionDescription.call(this, option);
  const shown = Object.create(option) as Option;
  shown.defaultValue = undefined;
  return Help.prototype.optionDescription.call(this, shown);
}

/**
 * Runs the CLI with `argv` (without node and script); resolves to the exit code. A command that
 * a SIGINT or SIGTERM interrupted exits 130 or 143 whatever it was doing (a validate, a verify),
 * unless stopping on a signal is its normal end (the sandbox server).
 */
export async function main(argv: string[], io: Io = processIo(listenForInterrupt())): Promise<number> {
  let code: number = EXIT.ok;
  let stoppedBySignal = false;
  const program = buildProgram(io, (c, options) => {
    code = c;
    stoppedBySignal = options?.stoppedBySignal ?? false;
  });
  const interrupted = (): number | undefined => (io.interrupt.received && !stoppedBySignal ? exitCodeFor(io.interrupt.received) : undefined);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return interrupted() ?? code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version print through configureOutput and exit 0; usage mistakes exit 2.
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    // After a signal, an error is most likely the abort itself: not a bug worth a report.
    const signalled = interrupted();
    if (signalled !== undefined && !(err instanceof UsageError)) return signalled;
    const rendered = renderError(err, io);
    return signalled ?? rendered;
  }
}

/** The real process surfaces; `interrupt` comes from bin/payready.js, which listens from the first moment. */
export function processIo(interrupt: Interrupt): Io {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    // Touching process.stdin opens it; only `init` on a terminal needs it.
    get stdin() {
      return process.stdin;
    },
    env: process.env,
    cwd: process.cwd(),
    interrupt,
  };
}

export { UsageError };
