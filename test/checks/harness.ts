import type { ProviderName } from '../../src/providers/names.js';
import { expect } from 'vitest';
import type { CheckContext, CheckType, Clock, Prepared, Target } from '../../src/checks/types.js';
import { sleep } from '../../src/sleep.js';
import type { Outcome } from '../../src/model/outcome.js';
import { formatMessage } from '../../src/model/messages.js';
import { loadCheckType } from '../../src/checks/index.js';
import { HttpTransport } from '../../src/net/http.js';
import { InteractionLog } from '../../src/model/interactions.js';
import { systemClock } from '../../src/runner/run.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { validateParams } from '../../src/suite/schema.js';
import { interpolate } from '../../src/suite/interpolate.js';
import { sandboxWith } from '../support/sandbox.js';
import { table } from '../support/table.js';

/**
 * Layer 1 of the tests: a check type run against a REAL sandbox (one per fault set, started on
 * first use and closed after the file: test/support/sandbox.ts), through the same parameter
 * validation and context the runner gives it. No mocks.
 */

/** One table row: a check type, its parameters (with `${target.x}` references), sandbox faults and what must come out. */
export interface CheckCase {
  /** What the row shows. */
  name: string;
  /** Sandbox faults switched on. */
  faults?: string[];
  /**
   * `with:` parameters; `${target.x}` are the sandbox's fields, `${secrets.x}` its client credentials
   * and expired token. A function is called when the test runs (e.g. to get a fresh token).
   */
  params: Record<string, unknown> | (() => Promise<Record<string, unknown>>);
  /** Expected status. */
  status: Outcome['status'];
  /** Id of the type's message the summary must be made from (see the type's `messages.ts`). */
  message?: string;
  /** Values the message must carry (a subset of `outcome.message.data`). */
  data?: Record<string, unknown>;
  /** Pattern the summary must match (for a type not yet on a messages table, or to show the words). */
  summary?: RegExp;
  /** Check timeout (ms), default 10 s. */
  timeoutMs?: number;
}

/** Context pieces a case can inspect after the run. */
export interface CaseRun {
  /** The outcome. */
  outcome: Outcome;
  /** The sandbox used. */
  sandbox: Sandbox;
  /** Interactions recorded. */
  interactions: InteractionLog;
}

/** How runCheck runs a check type. */
export interface RunOptions {
  faults?: string[];
  /** The sandbox's dialect (default payready). */
  provider?: ProviderName;
  baseDir?: string;
  clock?: Clock;
  prompt?: (message: string) => void;
  timeoutMs?: number;
  target?: Partial<Target>;
  /** A log shared between runs (a kpi check reads what earlier checks recorded). */
  interactions?: InteractionLog;
  /** Check id recorded in the interaction log (default `test-<type>`). */
  checkId?: string;
  /** Cap on amounts for a live (non-sandbox) target. */
  liveMaxAmount?: number;
  /** Receives progress updates. */
  progress?: CheckContext['progress'];
  /** What the type's `prepare` started, as the runner hands it over. */
  prepared?: Prepared;
  /** The run's response body limit (`--max-body`); default the transport's. */
  maxBodyBytes?: number;
}

/**
 * One test per row: runs `typeName` with the row's parameters against the sandbox with its faults
 * and asserts the row's status and summary. `options` adds what every row runs with, `assert` the
 * table's own checks of each result.
 */
export function checkTable<C extends CheckCase>(typeName: string, cases: readonly C[], more: { options?: (c: C) => RunOptions; assert?: (run: CaseRun, c: C) => void } = {}): void {
  table(cases, (c) => c.name, async (c) => {
    const params = typeof c.params === 'function' ? await c.params() : c.params;
    const run = await runCheck(typeName, params, { faults: c.faults, ...(c.timeoutMs ? { timeoutMs: c.timeoutMs } : {}), ...more.options?.(c) });
    expect(run.outcome.status, run.outcome.summary).toBe(c.status);
    if (c.message === undefined && c.summary === undefined) throw new Error(`case "${c.name}" asserts neither a message id nor a summary`);
    if (c.message !== undefined) expect(run.outcome.message?.id, run.outcome.summary).toBe(c.message);
    if (c.data !== undefined) expect(run.outcome.message?.data).toMatchObject(c.data);
    if (c.summary !== undefined) expect(run.outcome.summary).toMatch(c.summary);
    more.assert?.(run, c);
  });
}

/**
 * A type on a messages table says every summary from it: the outcome names an entry whose statuses
 * include the outcome's and whose template, filled with the outcome's data, is the summary.
 */
export function expectFromTable(type: CheckType, outcome: Outcome): void {
  if (!type.messages) return;
  const ref = outcome.message;
  expect(ref, `${type.name}: summary "${outcome.summary}" carries no message id`).toBeDefined();
  const entry = type.messages[ref!.id];
  expect(entry, `${type.name}: message "${ref!.id}" is not in its messages table`).toBeDefined();
  const statuses: readonly string[] = typeof entry!.status === 'string' ? [entry!.status] : entry!.status;
  expect(statuses, `${type.name}: message "${ref!.id}" is not declared for ${outcome.status}`).toContain(outcome.status);
  expect(outcome.summary).toBe(formatMessage(entry!.text, ref!.data));
}

/** Runs one check type with `params` against the sandbox with `faults`. */
export async function runCheck(typeName: string, params: Record<string, unknown>, options: RunOptions = {}): Promise<CaseRun> {
  const sandbox = await sandboxWith(options.faults, options.provider);
  const type: CheckType = await loadCheckType(typeName);
  const fields: Record<string, unknown> = { ...sandbox.targetFields(), clientId: sandbox.clientId, clientSecret: sandbox.clientSecret };
  if (sandbox.provider !== 'payready') Object.assign(fields, { provider: sandbox.provider, apiKey: sandbox.apiKey, ...(sandbox.merchantAccount ? { merchantAccount: sandbox.merchantAccount } : {}) });
  const readOnly = sandbox.clients.find((client) => client.id !== sandbox.clientId);
  const secrets = { clientId: sandbox.clientId, clientSecret: sandbox.clientSecret, expiredToken: sandbox.expiredToken, readOnlyClientId: readOnly?.id ?? '', readOnlyClientSecret: readOnly?.secret ?? '' };
  const resolved = interpolate(params, { env: {}, vars: {}, secrets, target: fields, checks: {} });
  const validated = await validateParams(type, resolved);
  if (!validated.ok) throw new Error(`test parameters do not validate: ${validated.message}`);
  const interactions = options.interactions ?? new InteractionLog();
  const checkId = options.checkId ?? `test-${typeName}`;
  const target: Target = { name: 'sandbox', sandbox: true, baseUrl: sandbox.baseUrl, ca: [sandbox.caPem], insecure: false, fields, ...options.target };
  const transport = new HttpTransport({ ca: target.ca, insecure: target.insecure, ...(options.maxBodyBytes !== undefined ? { maxBodyBytes: options.maxBodyBytes } : {}) }, interactions);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const outcome = await type.run(validated.params as never, {
      checkId,
      signal,
      timeoutMs,
      http: transport.forCheck(checkId, signal, timeoutMs),
      target,
      baseDir: options.baseDir ?? process.cwd(),
      allowLive: options.liveMaxAmount !== undefined,
      ...(options.liveMaxAmount !== undefined ? { liveMaxAmount: options.liveMaxAmount } : {}),
      ...(options.progress ? { progress: options.progress } : {}),
      interactions,
      clock: options.clock ?? systemClock,
      log: { debug: () => undefined },
      ...(options.prompt ? { prompt: options.prompt } : {}),
      wait: (ms) => sleep(ms, signal),
      ...(options.prepared ? { prepared: options.prepared } : {}),
    });
    expectFromTable(type, outcome);
    return { outcome, sandbox, interactions };
  } finally {
    await transport.close();
  }
}
