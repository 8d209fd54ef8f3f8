import { isAbsolute, resolve, join } from 'node:path';
import { EXIT } from '../errors.js';
import { usageError, type UsageId } from './messages.js';
import { VERSION, displayPath } from '../paths.js';
import type { FailOn } from '../model/report.js';
import type { RunOutput } from '../runner/run.js';
import type { Io } from './io.js';
import type { Sandbox } from '../sandbox/index.js';
import type { Merchant } from '../merchant/handle.js';
import { loadSigningKey } from './signing.js';
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
  /** `--shard i/n`. */
  shard?: { index: number; count: number };
  /** `--concurrency`. */
  concurrency: number;
  /** `--max-body`: largest response body read, in bytes (default 10 MB). */
  maxBodyBytes?: number;
  /** `--fail-on`. */
  failOn: FailOn;
  /** `--reporter NAME[=PATH]`, repeatable. */
  reporters: string[];
  /** `--out DIR`. */
  outDir: string;
  /** `--log PATH` (interaction log), default `<out>/interactions.jsonl`. */
  logPath?: string;
  /** `--evidence PATH`: write the signed evidence bundle there. */
  evidencePath?: string;
  /** `--sign-key PEM`: the team's Ed25519 private key (default: an ephemeral key). */
  signKeyPath?: string;
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
  const [{ loadSuite }, { resolveEnvironment }, { runSuite, RunExit }, { TerminalReporter, isLiveTerminal }, { InteractionLog }, reporters, writers, { writeOutputs }, { blockedOnlyBySetup }] = await Promise.all([
    import('../suite/load.js'),
    import('../suite/resolve.js'),
    import('../runner/run.js'),
    import('../reporters/terminal.js'),
    import('../model/interactions.js'),
    import('../reporters/index.js'),
    import('../evidence/write.js'),
    import('./outputs.js'),
    import('../model/report.js'),
  ]);

  // Loaded now: a hard exit renders them with no event loop turn to import anything.
  const requested = await Promise.all(
    parseReporters(options.reporters, reporters.reporterNames).map(async ({ name, path }) => {
      const reporter = await reporters.loadReporter(name);
      return { name, path: path ?? join(options.outDir, reporter.defaultFile), reporter };
    }),
  );
  if (options.signKeyPath && !options.evidencePath) throw usageError('signKeyWithoutEvidence');
  // Before anything loads or starts: a folder that cannot exist (under a file, under /proc) is a usage error at once.
  const outDir = resolve(io.cwd, options.outDir);
  await asUsage(() => writers.ensureDir(outDir, (p) => displayPath(p, io.cwd)), 'outUnusable', options.outDir, writers.outputProblem);
  const signingKey = options.evidencePath ? await loadSigningKey(options.signKeyPath, io) : undefined;
  const suite = await loadSuite(options.suiteFile, { env: io.env, ...(options.env ? { environment: options.env } : {}), cwd: io.cwd, ...(options.suiteDisplay ? { displayName: options.suiteDisplay } : {}) });
  const envName = options.env ?? suite.defaultEnvironment;
  const environment = suite.environments[envName];
  if (!environment) {
    throw usageError('unknownEnvironment', { suite: suite.file, environment: envName, suggestion: didYouMean(envName, Object.keys(suite.environments)), environments: Object.keys(suite.environments).join(', ') });
  }
  await checkFaults(options.faults);
  if (options.faults.length > 0 && !environment.embedded) {
    throw usageError('faultNotEmbedded', { environment: envName });
  }

  const interrupt = io.interrupt;
  interrupt.onInterrupt((signal) => {
    io.stderr.write(`\n${signal === 'SIGINT' ? 'Interrupted' : 'Terminated'}: stopping running checks and writing a partial report...\n`);
  });

  const env: Record<string, string | undefined> = { ...io.env };
  let sandbox: Sandbox | undefined;
  let merchant: Merchant | undefined;
  let unregisterHardExit: (() => void) | undefined;
  try {
    if (environment.embedded) {
      const { startSandbox } = await import('../sandbox/index.js');
      // The merchant under test receives the sandbox's webhooks from its start (`integration.webhooks.url`).
      const webhookUrl = suite.integration ? (await import('../suite/integration.js')).integrationWebhookUrl(suite, env) : undefined;
      sandbox = await startSandbox({
        faults: options.faults,
        ...(environment.embeddedProvider ? { provider: environment.embeddedProvider } : {}),
        ...(env.PAYREADY_CLIENT_ID ? { clientId: env.PAYREADY_CLIENT_ID } : {}),
        ...(env.PAYREADY_CLIENT_SECRET ? { clientSecret: env.PAYREADY_CLIENT_SECRET } : {}),
        ...(env.PAYREADY_API_KEY ? { apiKey: env.PAYREADY_API_KEY } : {}),
        ...(webhookUrl ? { webhookUrls: [webhookUrl] } : {}),
      });
      env.PAYREADY_CLIENT_ID = sandbox.clientId;
      env.PAYREADY_CLIENT_SECRET = sandbox.clientSecret;
      // The provider's API key (stripe, adyen), also ${target.apiKey}: a secret like the client secret.
      if (sandbox.apiKey !== undefined) env.PAYREADY_API_KEY = sandbox.apiKey;
      // An already-expired token, so "an expired token is refused" can be probed without waiting an hour.
      env.PAYREADY_EXPIRED_TOKEN = sandbox.expiredToken;
    }
    const { target, secrets } = await resolveEnvironment(suite, envName, { env, ...(sandbox ? { embeddedFields: sandbox.targetFields() } : {}) });
    // The team's own system, started on the first integration check's demand and stopped below.
    if (suite.integration) {
      const [{ resolveIntegration }, { merchantFor }] = await Promise.all([import('../suite/integration.js'), import('../merchant/handle.js')]);
      const config = resolveIntegration(suite, { env, secrets, target });
      if (config) merchant = merchantFor(config, env, interrupt.signal);
    }

    // Everything the run shows or writes leaves through this exit, redacted (src/runner/exit.ts).
    const exit = new RunExit();
    // Declared secrets are redacted even when no check uses them: attestation evidence may quote them.
    for (const spec of Object.values(suite.secrets)) if ('env' in spec) exit.learn(env[spec.env]);
    if (environment.embedded) {
      exit.learn(env.PAYREADY_CLIENT_SECRET);
      exit.learn(env.PAYREADY_EXPIRED_TOKEN);
      exit.learn(sandbox?.apiKey);
      exit.learn(sandbox?.webhookSecret);
      exit.learn(sandbox?.controlToken);
    }
    if (merchant?.handle.config.sandbox.controlToken) exit.learn(merchant.handle.config.sandbox.controlToken);
    const interactions = new InteractionLog();
    const logPath = options.logPath === '-' ? '-' : resolve(io.cwd, options.logPath ?? join(options.outDir, 'interactions.jsonl'));
    const logShown = options.logPath ?? displayPath(logPath, io.cwd);
    const log = await asUsage(() => writers.openJsonl(logPath, { spoolDir: outDir, std: io, show: (p) => displayPath(p, io.cwd) }), 'logUnwritable', logShown, writers.outputProblem);
    interactions.pipe(exit.interactionLines((line) => log.write(line)));

    const terminal = options.quiet ? undefined : new TerminalReporter({ stream: io.stdout, env: io.env, verbose: options.verbose });
    await terminal?.prepare();
    // If the process must end before this function returns (a second signal, or the graceful
    // path still running 1.5 s after the first), the reports are written from the run as it
    // stands, the interaction log is kept up to its last whole line, and no temporary file stays.
    let current: (() => RunOutput) | undefined;
    unregisterHardExit = interrupt.onHardExit(() => {
      merchant?.killNow();
      // No time left to close the sandbox: at least its temp folder (CA, request log) does not stay.
      sandbox?.removeStateSync();
      terminal?.abandon();
      const run = current?.();
      if (run) {
        for (const { path, reporter } of requested) {
          try {
            writers.writeFileAtomicSync(resolve(io.cwd, path), run.exit.text(reporter.render(run.report, { interactions: run.interactions, artifacts: run.artifacts })));
          } catch {
            // one report that cannot be written does not stop the others
          }
        }
      }
      try {
        log.salvageSync();
      } finally {
        writers.removeTemporariesSync();
      }
    });
    let output: Awaited<ReturnType<typeof runSuite>>;
    try {
      output = await runSuite(
        { suite, target, embedded: environment.embedded, secrets, env, faults: options.faults },
        {
          only: options.only,
          skip: options.skip,
          tags: options.tags,
          ...(options.shard ? { shard: options.shard } : {}),
          concurrency: options.concurrency,
          ...(options.maxBodyBytes ? { maxBodyBytes: options.maxBodyBytes } : {}),
          failOn: options.failOn,
          signal: interrupt.signal,
          listeners: terminal ? [terminal] : [],
          toolVersion: VERSION,
          exit,
          interactions,
          ...(merchant ? { integration: merchant.handle } : {}),
          snapshot: (snapshot) => {
            current = snapshot;
          },
          ...(options.verbose ? { debug: (line: string) => io.stderr.write(`debug: ${line}\n`) } : {}),
          // A person is there to sign in (authorization_code against a real provider) only on a TTY outside CI.
          ...(isLiveTerminal(io.stdout) && !io.env.CI ? { prompt: (message: string) => io.stderr.write(`\n${message}\n`) } : {}),
        },
      );
    } catch (err) {
      await log.discard();
      throw err;
    }
    const finished = output;
    current = () => finished;

    let written: Awaited<ReturnType<typeof writeOutputs>>;
    try {
      // A log that cannot be delivered (a FIFO nobody reads any more) must not cost the reports: they are written first.
      const committed = asUsage(() => log.commit(), 'logUnwritable', logShown, writers.outputProblem).then(
        () => undefined,
        (error: unknown) => error,
      );
      const logError = await committed;
      written = await writeOutputs(
        { output, suite, reporters: requested, interactions: () => log.contents(), ...(options.evidencePath && signingKey ? { evidence: { path: options.evidencePath, key: signingKey } } : {}) },
        io,
      );
      if (logError !== undefined) throw logError;
    } finally {
      // A log bound for a device or FIFO was kept in the output folder until the bundle read it.
      await log.discard();
    }
    terminal?.end(output.report, [...written.reports, displayPath(logPath, io.cwd), ...(written.bundle ? [written.bundle] : [])]);
    if (io.env.GITHUB_ACTIONS === 'true') {
      const { renderAnnotations } = await import('../reporters/github.js');
      const locations = new Map(isAbsolute(suite.file) ? [] : suite.checks.map((c) => [c.id, { file: suite.file, line: c.location.line }]));
      io.stdout.write(output.exit.text(renderAnnotations(output.report, locations)));
    }

    if (interrupt.received) return interrupt.received === 'SIGTERM' ? EXIT.sigterm : interrupt.received === 'SIGHUP' ? EXIT.sighup : EXIT.sigint;
    if (blockedOnlyBySetup(output.report)) return EXIT.usage;
    return output.report.verdict === 'NOT READY' ? EXIT.notReady : EXIT.ok;
  } finally {
    await merchant?.stop();
    await sandbox?.close();
    unregisterHardExit?.();
  }
}

/** Refuses a fault name the sandbox does not know, as a usage error with a suggestion (before anything starts). */
export async function checkFaults(names: readonly string[]): Promise<void> {
  if (names.length === 0) return;
  const { UnknownFaultError, validateFaults } = await import('../sandbox/faults.js');
  try {
    validateFaults(names);
  } catch (err) {
    if (!(err instanceof UnknownFaultError)) throw err;
    throw usageError('unknownFault', { fault: err.fault, suggestion: err.suggestion ? ` (did you mean "${err.suggestion}"?)` : '', faults: err.validNames.join(', ') });
  }
}

/** Runs `work`; a file-system problem `describe` can word becomes the usage error `id` about `path`. */
async function asUsage<T>(work: () => Promise<T>, id: UsageId, path: string, describe: (error: unknown) => string | undefined): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const why = describe(error);
    if (why === undefined) throw error;
    throw usageError(id, { path, why });
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
      throw usageError('unknownReporter', { name, suggestion: didYouMean(name, known), reporters: known.join(', ') });
    }
    if (chosen.has(name)) throw usageError('reporterTwice', { name });
    chosen.set(name, path || undefined);
  }
  if (!chosen.has('json')) chosen.set('json', undefined);
  return [...chosen].map(([name, path]) => (path ? { name, path } : { name }));
}

