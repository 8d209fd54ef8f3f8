import { Option, type Command } from 'commander';
import { FAIL_ON_VALUES, type FailOn } from '../../model/report.js';
// The registry module only lists names and lazy imports: reading it loads no reporter.
import { reporterNames } from '../../reporters/index.js';
import { byteSize, collect, positiveInt, shardSpec } from '../io.js';
import type { SessionOptions } from '../session.js';

/** Options shared by `run` and `demo` (one definition, two commands). */
export function addRunOptions(command: Command): Command {
  return command
    .option('--only <id>', 'run only this check (and what it needs); repeatable', collect, [])
    .option('--skip <id>', 'skip this check (and what needs it); repeatable', collect, [])
    .option('--tag <tag>', 'run only checks with this tag; repeatable', collect, [])
    .option('--shard <i/n>', 'run shard i of n (checks joined by needs stay together); payready merge joins the shards\' reports', shardSpec)
    .option('--concurrency <n>', 'checks running at once', positiveInt('--concurrency'), 8)
    .option('--max-body <size>', 'largest response body read (e.g. 10MB, 512KiB); a larger one is an error', byteSize('--max-body'))
    .addOption(new Option('--fail-on <severity>', 'a fail or error at this severity or above makes the run NOT READY').choices(FAIL_ON_VALUES as string[]).default('major'))
    .option('--reporter <name[=path]>', `also write this format (${reporterNames.join(', ')}); repeatable`, collect, [])
    .option('--out <dir>', 'folder for report.json and the interaction log', 'payready-report')
    .option('--log <path>', 'interaction log (JSONL), default <out>/interactions.jsonl')
    .option('--evidence <path>', 'write a signed evidence bundle (.tar.gz): reports, interaction log, artifacts, attestation files, manifest')
    .option('--sign-key <pem>', "sign the bundle with the team's Ed25519 private key (default: an ephemeral key, integrity only)")
    .option('-v, --verbose', 'show assertion details and debug lines', false)
    .option('-q, --quiet', 'print nothing but errors', false);
}

/** Raw commander values of the shared options. */
export interface RawRunOptions {
  only: string[];
  skip: string[];
  tag: string[];
  shard?: { index: number; count: number };
  concurrency: number;
  maxBody?: number;
  failOn: string;
  reporter: string[];
  out: string;
  log?: string;
  evidence?: string;
  signKey?: string;
  verbose: boolean;
  quiet: boolean;
  env?: string;
  fault?: string[];
}

/** Maps commander values onto session options. */
export function toSessionOptions(suiteFile: string, raw: RawRunOptions): SessionOptions {
  return {
    suiteFile,
    ...(raw.env ? { env: raw.env } : {}),
    faults: raw.fault ?? [],
    only: raw.only,
    skip: raw.skip,
    tags: raw.tag,
    ...(raw.shard ? { shard: raw.shard } : {}),
    concurrency: raw.concurrency,
    ...(raw.maxBody ? { maxBodyBytes: raw.maxBody } : {}),
    failOn: raw.failOn as FailOn,
    reporters: raw.reporter,
    outDir: raw.out,
    ...(raw.log ? { logPath: raw.log } : {}),
    ...(raw.evidence ? { evidencePath: raw.evidence } : {}),
    ...(raw.signKey ? { signKeyPath: raw.signKey } : {}),
    verbose: raw.verbose,
    quiet: raw.quiet,
  };
}
