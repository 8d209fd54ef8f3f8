import { mkdir } from 'node:fs/promises';
import { resolve, join } from 'node:path';
import { EXIT, UsageError } from '../errors.js';
import { VERSION, displayPath } from '../paths.js';
import type { FailOn } from '../runner/report.js';
import type { Io } from './io.js';
import type { Sandbox } from '../sandbox/index.js';
import { didYouMean } from '../text.js';

/** Everything `run` and `demo` take from the command line. */
export interface SessionOptions {
  /** Suite file path as the user gave it (relative to cwd). */
  suiteFile: string;
  /** Display name of the suite file when it is not what the user typed (demo). */
  suiteDisplay?: string;
  /** Environment name (`--env`). */
  env?: string;
  /** Sandbox faults for an embedded environment (`--fault`). */
  faults: string[];
  /** `--only`. */
  only: string[];
  /** `--skip`. */
  skip: string[];
  /** `--tag`. */
  tags: string[];
  /** `--concurrency`. */
  concurrency: number;
  /** `--fail-on`. */
  failOn: FailOn;
  /** `--reporter NAME[=PATH]`, repeatable. */
  reporters: string[];
  /** `--out DIR`. */
  outDir: string;
  /** `--log PATH` (interaction log), default `<out>/interactions.jsonl`. */
  logPath?: string;
  /** Print assertion details and debug lines. */
  verbose: boolean;
  /** Print nothing but errors. */
  quiet: boolean;
}

/**
 * Loads a suite, starts the embedded sandbox when the environment asks for it, runs the checks
 * with live terminal output, writes the reports and the interaction log atomically, and returns
 * the exit code: 0 ready, 1 not ready, 130/143 interrupted.
 */
export async function runSession(options: SessionOptions, io: Io): Promise<number> {
  const [{ loadSuite }, { resolveEnvironment }, { runSuite }, { TerminalReporter }, { InteractionLog }, { Redactor }, reporters, writers] = await Promise.all([
    import('../suite/load.js'),
    import('../suite/resolve.js'),
    import('../runner/run.js'),
    import('../reporters/terminal.js'),
    import('../runner/interactions.js'),
    import('../evidence/redact.js'),
    import('../reporters/index.js'),
    import('../evidence/write.js'),
  ]);

  const requested = await Promise.all(
    parseReporters(options.reporters, reporters.reporterNames).map(async ({ name, path }) => ({ name, path: path ?? join(options.outDir, (await reporters.loadReporter(name)).defaultFile) })),
  );
  const suite = await loadSuite(options.suiteFile, { env: io.env, ...(options.env ? { environment: options.env } : {}), cwd: io.cwd, ...(options.suiteDisplay ? { displayName: options.suiteDisplay } : {}) });
  const envName = options.env ?? suite.defaultEnvironment;
  const environment = suite.environments[envName];
  if (!environment) {
    throw new UsageError(`suite ${suite.file} has no environment "${envName}"${didYouMean(envName, Object.keys(suite.environments))}`, `environments in this suite: ${Object.keys(suite.environments).join(', ')}`);
  }
  if (options.faults.length > 0 && !environment.embedded) {
    throw new UsageError(`--fault only applies to the embedded sandbox, and environment "${envName}" is not embedded`);
  }

  const controller = new AbortController();
  let interruptedBy: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (interruptedBy) return;
    interruptedBy = signal;
    io.stderr.write(`\n${signal === 'SIGINT' ? 'Interrupted' : 'Terminated'}: stopping running checks and writing a partial report...\n`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const env: Record<string, string | undefined> = { ...io.env };
  let sandbox: Sandbox | undefined;
  try {
    if (environment.embedded) {
      const { startSandbox } = await import('../sandbox/index.js');
      sandbox = await startSandbox({
        faults: options.faults,
        ...(env.PAYREADY_CLIENT_ID ? { clientId: env.PAYREADY_CLIENT_ID } : {}),
        ...(env.PAYREADY_CLIENT_SECRET ? { clientSecret: env.PAYREADY_CLIENT_SECRET } : {}),
      });
      env.PAYREADY_CLIENT_ID = sandbox.clientId;
      env.PAYREADY_CLIENT_SECRET = sandbox.clientSecret;
      // An already-expired token, so "an expired token is refused" can be probed without waiting an hour.
      env.PAYREADY_EXPIRED_TOKEN = sandbox.expiredToken;
    }
    const { target, secrets } = await resolveEnvironment(suite, envName, { env, ...(sandbox ? { embeddedFields: sandbox.targetFields() } : {}) });

    const outDir = resolve(io.cwd, options.outDir);
    await mkdir(outDir, { recursive: true });
    const redactor = new Redactor();
    if (environment.embedded) {
      redactor.add(env.PAYREADY_CLIENT_SECRET);
      redactor.add(env.PAYREADY_EXPIRED_TOKEN);
    }
    const interactions = new InteractionLog();
    const logPath = resolve(io.cwd, options.logPath ?? join(options.outDir, 'interactions.jsonl'));
    const log = await writers.openJsonl(logPath, redactor);
    interactions.pipe((entry) => log.write(entry));

    const terminal = options.quiet ? undefined : new TerminalReporter({ stream: io.stdout, env: io.env, verbose: options.verbose });
    await terminal?.prepare();
    let output: Awaited<ReturnType<typeof runSuite>>;
    try {
      output = await runSuite(
        { suite, target, embedded: environment.embedded, secrets, env, faults: options.faults },
        {
          only: options.only,
          skip: options.skip,
          tags: options.tags,
          concurrency: options.concurrency,
          failOn: options.failOn,
          signal: controller.signal,
          listeners: terminal ? [terminal] : [],
          toolVersion: VERSION,
          redactor,
          interactions,
          ...(options.verbose ? { debug: (line: string) => io.stderr.write(`debug: ${line}\n`) } : {}),
          // A person is there to sign in (authorization_code against a real provider) only on a TTY outside CI.
          ...(io.stdout.isTTY && !io.env.CI ? { prompt: (message: string) => io.stderr.write(`\n${message}\n`) } : {}),
        },
      );
    } catch (err) {
      await log.discard();
      throw err;
    }

    const written: string[] = [];
    await log.commit();
    written.push(displayPath(logPath, io.cwd));
    for (const { name, path } of requested) {
      const reporter = await reporters.loadReporter(name);
      const text = output.redactor.redact(reporter.render(output.report, { interactions: output.interactions, artifacts: output.artifacts }));
      await writers.writeFileAtomic(resolve(io.cwd, path), text);
      written.unshift(displayPath(resolve(io.cwd, path), io.cwd));
    }
    terminal?.end(output.report, written);

    if (interruptedBy) return interruptedBy === 'SIGTERM' ? EXIT.sigterm : EXIT.sigint;
    return output.report.verdict === 'NOT READY' ? EXIT.notReady : EXIT.ok;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await sandbox?.close();
  }
}

/**
 * `--reporter json`, `--reporter junit=out/junit.xml`: each format once; `json` is always written
 * (to `<out>/report.json` unless given a path).
 */
export function parseReporters(specs: string[], known: readonly string[]): { name: string; path?: string }[] {
  const chosen = new Map<string, string | undefined>();
  for (const spec of specs) {
    const [name = '', path] = spec.split(/=(.*)/s, 2);
    if (name === 'terminal') continue;
    if (!known.includes(name)) {
      throw new UsageError(`unknown reporter "${name}"${didYouMean(name, known)}`, `reporters: terminal (always on), ${known.join(', ')}; write --reporter NAME or --reporter NAME=PATH`);
    }
    if (chosen.has(name)) throw new UsageError(`reporter "${name}" given twice; each format is written once`);
    chosen.set(name, path || undefined);
  }
  if (!chosen.has('json')) chosen.set('json', undefined);
  return [...chosen].map(([name, path]) => (path ? { name, path } : { name }));
}
