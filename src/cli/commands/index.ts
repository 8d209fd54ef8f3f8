import type { Command } from 'commander';
import type { Io } from '../io.js';
import checks from './checks.js';
import demo from './demo.js';
import init from './init.js';
import run from './run.js';
import sandbox from './sandbox.js';
import schema from './schema.js';
import validate from './validate.js';

/** Registers one command on the program; its action stores an exit code through `setExit`. */
export type RegisterCommand = (program: Command, io: Io, setExit: (code: number) => void) => void;

/** Every command, in the order `--help` lists them. */
export const commands: RegisterCommand[] = [run, demo, sandbox, validate, checks, init, schema];
