import type { Readable, Writable } from 'node:stream';
import { EXIT, UsageError } from '../errors.js';
import { usageError } from './messages.js';
import type { Interrupt } from './interrupt.js';
import { SuiteError, formatSuiteError } from '../suite/errors.js';

/** The process surfaces a command uses, injected so tests run commands in-process. */
export interface Io {
  /** Standard output. */
  stdout: Writable & { isTTY?: boolean; columns?: number; rows?: number };
  /** Standard error. */
  stderr: Writable & { isTTY?: boolean };
  /** Standard input (questions `init` asks on a terminal); absent when there is none. */
  stdin?: Readable & { isTTY?: boolean };
  /** Environment variables. */
  env: Record<string, string | undefined>;
  /** Working directory relative paths resolve against. */
  cwd: string;
  /** SIGINT/SIGTERM, caught since the process started. */
  interrupt: Interrupt;
  /** Receives every error the CLI prints, before it is printed (tests match a usage error's id, not its words). */
  errors?: (error: unknown) => void;
}

/**
 * Prints an error that reached the top of a command and returns its exit code. Known errors get
 * their message and hint; anything else is a bug and gets one line (the stack only with
 * PAYREADY_DEBUG=1), never a raw trace.
 */
export function renderError(err: unknown, io: Io): number {
  io.errors?.(err);
  if (err instanceof SuiteError) {
    io.stderr.write(formatSuiteError(err));
    return EXIT.usage;
  }
  if (err instanceof UsageError) {
    io.stderr.write(`error: ${err.message}\n${err.hint ? `  hint: ${err.hint}\n` : ''}`);
    return EXIT.usage;
  }
  const message = err instanceof Error ? err.message : String(err);
  io.stderr.write(`error: ${message}\n`);
  if (io.env.PAYREADY_DEBUG && err instanceof Error && err.stack) io.stderr.write(`${err.stack}\n`);
  else io.stderr.write('  (this is a bug in payready; set PAYREADY_DEBUG=1 for details and please report it)\n');
  return EXIT.usage;
}

/** Collects a repeatable option into an array (commander helper). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Parses a positive integer option or throws a UsageError naming the option. */
export function positiveInt(name: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw usageError('notPositiveInteger', { option: name, value });
    return n;
  };
}

const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, kb: 1e3, mb: 1e6, gb: 1e9, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3 };

/** Parses a size option ("10MB", "512KiB", "1048576") into bytes, or throws a UsageError naming the option. */
export function byteSize(name: string): (value: string) => number {
  return (value) => {
    const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(value.trim());
    const unit = SIZE_UNITS[match?.[2]?.toLowerCase() ?? 'x'];
    const bytes = match && unit !== undefined ? Math.floor(Number(match[1]) * unit) : NaN;
    if (!(bytes >= 1 && Number.isSafeInteger(bytes))) throw usageError('notSize', { option: name, value });
    return bytes;
  };
}

/** Parses a whole number option (0 allowed) or throws a UsageError naming the option. */
export function nonNegativeInt(name: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) throw usageError('notMilliseconds', { option: name, value });
    return n;
  };
}

/** Parses `--shard i/n` (1 <= i <= n) or throws a UsageError. */
export function shardSpec(value: string): { index: number; count: number } {
  const match = /^(\d+)\/(\d+)$/.exec(value.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || !Number.isSafeInteger(count) || count < 1 || index < 1 || index > count) throw usageError('badShard', { value });
  return { index, count };
}
