import { randomBytes } from 'node:crypto';
import { assertion, show } from '../../model/operators.js';
import type { CheckContext } from '../types.js';
import type { Assertion, Operator } from '../../model/outcome.js';
import { formatMoney } from '../../money.js';
import { errorFields } from '../shared/error-body.js';
import { answered, type ApiResult, type CallOptions, type PaymentsApi } from './api.js';

/** Names of the scenarios in the library. */
export const SCENARIO_NAMES = [
  'approve',
  'decline',
  'over-limit',
  'daily-cap',
  'idempotency-replay',
  'timeout-retry',
  'refund-partial',
  'refund-full',
  'refund-over',
  'currency-exponent',
  'amount-bounds',
  'webhook',
] as const;

/** A scenario name. */
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

/** A test card and the decline it must get. */
export interface DeclineCase {
  /** Card number. */
  card: string;
  /** Documented decline code, e.g. `insufficient_funds`. */
  code: string;
}

/** Parameters of the `transaction` check type (each scenario reads the ones it needs). */
export interface TransactionParams {
  /** Which scenario of the library to run. */
  scenario: ScenarioName;
  /** Base URL of the payments API. */
  baseUrl?: string;
  /** Bearer access token. */
  token?: string;
  /** OAuth client id (client credentials, when no token is given). */
  clientId?: string;
  /** OAuth client secret. */
  clientSecret?: string;
  /** Token endpoint for client credentials. */
  tokenUrl?: string;
  /** Amount in minor units. */
  amount?: number;
  /** ISO 4217 currency. */
  currency: string;
  /** Card number that is approved. */
  card: string;
  /** Test cards and the decline each must get. */
  declines?: DeclineCase[];
  /** Per-transaction cap in minor units of `currency`. */
  cap?: number;
  /** Daily cap in minor units of `currency`. */
  dailyCap?: number;
  /** Fallback when a payment is over a cap. */
  fallback?: 'split' | 'alternate' | 'none';
  /** The payment method of the alternate route. */
  alternateMethod: Record<string, unknown>;
  /** Documented error code of a payment over the per-transaction cap. */
  capErrorCode?: string;
  /** Documented error code of a payment over the daily cap. */
  dailyCapErrorCode?: string;
  /** Refund amount (refund-partial), minor units. */
  refundAmount?: number;
  /** Currencies round-tripped (currency-exponent). */
  currencies: string[];
  /** Largest amount the provider accepts (amount-bounds probes one more), minor units. */
  maxAmount: number;
  /** Client-side timeout of the first attempt (timeout-retry), ms. */
  firstAttemptTimeoutMs: number;
  /** How long the provider is asked to hold the first answer (timeout-retry), ms. */
  delayMs: number;
  /** Request header asking the provider to hold an answer. */
  delayHeader: string;
  /** Allowed clock difference for webhook timestamps, seconds. */
  toleranceSeconds: number;
  /** How long to wait for a webhook, ms. */
  webhookTimeoutMs: number;
  /** Merchant reference prefix (a random suffix makes each run's orders unique). */
  reference: string;
  /** Undo what the scenario did (cancel authorisations, refund captures). */
  cleanup: boolean;
  /** Retries of a 503/429 answer (same Idempotency-Key). */
  retries: number;
}

/** The scenario cannot decide (no answer, no access): the check ends as `error`. */
export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';
}

/** A required step failed: stop here (cleanup still runs); the assertions say why. */
export class StopScenario extends Error {
  override readonly name = 'StopScenario';
}

/** What a scenario works with. */
export class ScenarioRun {
  /** Comparisons made, in order. */
  readonly assertions: Assertion[] = [];
  /** Values for `capture:`. */
  readonly values: Record<string, unknown> = {};
  /** Secrets the scenario obtained (a webhook signing secret), redacted everywhere. */
  readonly secrets: string[] = [];
  /** Order reference of this run (prefix + random suffix). */
  readonly reference: string;
  private readonly cleanups: { title: string; action: () => Promise<unknown> }[] = [];
  private readonly undone = new Set<string>();

  constructor(
    /** The payments API. */
    readonly api: PaymentsApi,
    /** Parameters with defaults applied. */
    readonly params: TransactionParams,
    /** The check's context. */
    readonly ctx: CheckContext,
  ) {
    this.reference = `${params.reference}-${params.scenario}-${randomBytes(4).toString('hex')}`;
  }

  /** Records a comparison; returns whether it held. */
  expect(name: string, operator: Operator, expected: unknown, actual: unknown, message: string): boolean {
    const a = assertion(name, operator, expected, actual, message);
    this.assertions.push(a);
    return a.passed;
  }

  /**
   * A step that must get one of `statuses`: no answer or 401/403 is an error (nothing can be
   * decided); another status is a failed assertion that stops the scenario.
   */
  require(what: string, result: ApiResult, statuses: readonly number[]): Record<string, unknown> {
    if (result.status === undefined) throw new ScenarioError(`${what} ${answered(result)}`);
    if ((result.status === 401 || result.status === 403) && !statuses.includes(result.status)) {
      throw new ScenarioError(`${what} ${answered(result)}: give the check an access token (token: \${checks.<id>.token}) or client credentials with the payments scopes`);
    }
    if (!this.expect(`${what} status`, 'in', [...statuses], result.status, `${what} ${answered(result)}, expected ${statuses.join(' or ')}${detailOf(result)}`)) throw new StopScenario();
    if (result.body === undefined) {
      const type = String(result.headers['content-type'] ?? 'no Content-Type');
      this.expect(`${what} body`, 'type', 'object', 'text', `${what} ${answered(result)} with a body that is not a JSON object (${type})`);
      throw new StopScenario();
    }
    return result.body;
  }

  /** Registers an undo step, run after the scenario (in reverse order) when `cleanup` is on. */
  onCleanup(title: string, action: () => Promise<unknown>): void {
    this.cleanups.push({ title, action });
  }

  /** Runs the undo steps; failures only go to the debug log (the verdict is already made). */
  async cleanup(): Promise<void> {
    if (!this.params.cleanup) return;
    for (const { title, action } of this.cleanups.reverse()) {
      this.api.transcript.push(`# cleanup: ${title}\n`);
      await action().catch((err: unknown) => this.ctx.log.debug(`cleanup "${title}" failed: ${err instanceof Error ? err.message : String(err)}`));
    }
  }

  /** A transcript heading for the next exchanges. */
  step(title: string): void {
    this.api.transcript.push(`# ${title}\n`);
  }

  /** Formats an amount of the scenario's currency (or another). */
  money(value: number, currency = this.params.currency): string {
    return formatMoney(value, currency);
  }

  /** A card payment request body. */
  cardPayment(value: number, options: { currency?: string; card?: string; reference?: string } = {}): Record<string, unknown> {
    return {
      amount: { value, currency: options.currency ?? this.params.currency },
      paymentMethod: { type: 'card', number: options.card ?? this.params.card, expiryMonth: 12, expiryYear: new Date().getUTCFullYear() + 3, cvc: '737' },
      reference: options.reference ?? this.reference,
    };
  }

  /** Authorises a card payment (guarded on live targets); returns the raw result. */
  async authorise(value: number, options: { currency?: string; card?: string; reference?: string; method?: Record<string, unknown>; call?: CallOptions } = {}): Promise<ApiResult> {
    const currency = options.currency ?? this.params.currency;
    this.api.guard(value, currency, `a payment of ${this.money(value, currency)}`);
    const body = this.cardPayment(value, options);
    if (options.method) body['paymentMethod'] = options.method;
    const result = await this.api.post('/v1/payments', body, options.call);
    const id = result.body?.['id'];
    if (result.status !== undefined && result.status < 300 && typeof id === 'string') this.undoPayment(id);
    return result;
  }

  /** Cancels or refunds payment `id` at cleanup, whatever state it reached. */
  undoPayment(id: string): void {
    if (this.undone.has(id)) return;
    this.undone.add(id);
    this.onCleanup(`undo ${id}`, async () => {
      const current = await this.api.get(`/v1/payments/${id}`);
      const status = current.body?.['status'];
      if (status === 'authorised') await this.api.post(`/v1/payments/${id}/cancel`, undefined);
      else if (status === 'captured' || status === 'partially_refunded') await this.api.post(`/v1/payments/${id}/refunds`, undefined);
    });
  }

  /** Payments the provider holds for `reference` (newest first). */
  async paymentsFor(reference = this.reference): Promise<Record<string, unknown>[]> {
    const listed = await this.api.get(`/v1/payments?reference=${encodeURIComponent(reference)}`);
    const body = this.require(`listing payments of order ${reference}`, listed, [200]);
    return Array.isArray(body['data']) ? (body['data'] as Record<string, unknown>[]) : [];
  }

  /** Expects a refusal with a 4xx (never a 5xx, never success) and a readable reason. */
  expectRefusal(what: string, result: ApiResult, code?: string): boolean {
    if (result.status === undefined) throw new ScenarioError(`${what} ${answered(result)}`);
    const status = result.status;
    // No access is not a refusal of the amount: nothing about the limit can be judged.
    if (status === 401 || status === 403) this.require(what, result, [200, 201]);
    const refused = this.expect(
      `${what} status`,
      'eq',
      '4xx',
      status >= 400 && status < 500 ? '4xx' : status,
      status >= 500
        ? `${what} answered ${status} (a server error) instead of a documented 4xx refusal${detailOf(result)}`
        : `${what} was accepted (${status}${typeof result.body?.['id'] === 'string' ? `, ${result.body['id']}` : ''}) but must be refused with a 4xx`,
    );
    if (!refused) return false;
    const ok = this.expect(`${what} reason`, 'exists', true, detailOf(result) ? detailOf(result).slice(2) : undefined, `${what} was refused with ${status} but without a readable reason (no message in the error body)`);
    if (code !== undefined) return this.expect(`${what} code`, 'eq', code, result.body?.['code'], `${what} was refused with ${status} ${show(result.body?.['code'])}, not the documented "${code}"`) && ok;
    return ok;
  }
}

/** ": The amount ...": the refusal's reason for a message (its message in any known error shape), empty when there is none. */
export function detailOf(result: ApiResult): string {
  const detail = errorFields(result.body).message ?? result.body?.['detail'];
  return typeof detail === 'string' && detail.trim() !== '' ? `: ${detail}` : '';
}

/** A named scenario of the library. */
export interface Scenario {
  /** Library name. */
  name: ScenarioName;
  /** What it proves, for docs. */
  description: string;
  /** Parameters it reads besides authentication, for docs. */
  reads: readonly (keyof TransactionParams)[];
  /** Runs the steps; returns the summary of a pass (failed assertions make the summary otherwise). */
  run(run: ScenarioRun): Promise<string>;
}
