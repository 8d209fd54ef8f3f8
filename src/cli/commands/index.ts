import type { Command } from 'commander';
import type { Io } from '../io.js';
import checks from './checks.js';
import coverage from './coverage.js';
import demo from './demo.js';
import diff from './diff.js';
import init from './init.js';
import merge from './merge.js';
import run from './run.js';
import sandbox from './sandbox.js';
import schema from './schema.js';
import validate from './validate.js';
import verify from './verify.js';

/** How a command ended, besides its exit code. */
export interface ExitOptions {
  /** A SIGINT/SIGTERM is how this command normally ends (a server): its code stands, not 130/143. */
  stoppedBySignal?: boolean;
}

/** Registers one command on the program; its action stores an exit code through `setExit`. */
export type RegisterCommand = (program: Command, io: Io, setExit: (code: number, options?: ExitOptions) => void) => void;

/** Every command, in the order `--help` lists them. */
export const commands: RegisterCommand[] = [run, demo, sandbox, validate, checks, coverage, verify, diff, merge, init, schema];
