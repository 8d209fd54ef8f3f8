import { randomBytes } from 'node:crypto';
import type { MessageData, Messages } from '../../model/messages.js';
import { assertion, show } from '../../model/operators.js';
import type { CheckContext, ParamsOf } from '../types.js';
import type { Assertion, Operator } from '../../model/outcome.js';
import { formatMoney } from '../../money.js';
import { errorFields } from '../shared/error-body.js';
import { messenger } from '../shared/messages.js';
import { answered, type ApiResult, type CallOptions, type PaymentsApi } from './api.js';
import { ScenarioError, StopScenario } from './errors.js';
import type { TransactionMessageId } from './messages.js';
import type { meta, SCENARIO_NAMES } from './meta.js';

/** A scenario name. */
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

/** Parameters of the `transaction` type, typed from its schema (defaults applied); each scenario reads the ones it needs. */
export type Params = ParamsOf<typeof meta.schema>;

/** A scenario's verdict when every assertion held: a message of the type's table and its data (the run adds `scenario`). */
export interface ScenarioPass {
  /** The pass message. */
  id: TransactionMessageId;
  /** Its placeholders' values. */
  data: MessageData;
}

/** What the steps every scenario shares can say (spread into the type's table by messages.ts). */
export const stepMessages = {
  unanswered: {
    status: 'error',
    text: '{scenario}: {what} failed: {cause}',
    fix: 'Make the payments API reachable from where payready runs (the cause quotes the network error).',
  },
  noAccess: {
    status: 'error',
    text: '{scenario}: {what} {answer}: give the check an access token (token: ${checks.<id>.token}) or client credentials with the payments scopes',
    fix: 'Give the check an access token (`token: ${checks.<id>.token}`) or the client credentials of a client with the payments scopes.',
  },
  stepStatus: {
    status: 'fail',
    text: '{what} {answer}, expected {expected}{detail}',
    fix: 'Make the step succeed as the payments API documents it; the transcript artifact holds the exchange.',
  },
  stepNotJson: {
    status: 'fail',
    text: '{what} {answer} with a body that is not a JSON object ({contentType})',
    fix: 'Answer payment calls with a JSON object (Content-Type: application/json).',
  },
  refusalServerError: {
    status: 'fail',
    text: '{what} answered {status} (a server error) instead of a documented 4xx refusal{detail}',
    fix: 'Refuse a request the provider will not take with a documented 4xx and a reason, never a 5xx: a 5xx tells the integration to retry.',
  },
  refusalAccepted: {
    status: 'fail',
    text: '{what} was accepted ({status}{payment}) but must be refused with a 4xx',
    fix: 'Enforce the limit on the server: refuse the request with a documented 4xx.',
  },
  refusalNoReason: {
    status: 'fail',
    text: '{what} was refused with {status} but without a readable reason (no message in the error body)',
    fix: 'Put a human-readable message in the error body (RFC 9457 `detail`, or the provider\'s error message field).',
  },
  refusalCode: {
    status: 'fail',
    text: '{what} was refused with {status} {code}, not the documented "{expected}"',
    fix: 'Refuse with the documented error code, or give the check the code the provider documents (capErrorCode, dailyCapErrorCode).',
  },
} as const satisfies Messages;

const say = sayer(stepMessages);

/** An assertion's words: the id of its message in the type's table, and the filled text. */
export interface Said {
  /** The message id. */
  id: TransactionMessageId;
  /** Its text with the data filled in. */
  text: string;
}

/**
 * Binds a table of this folder (the steps' or a scenario file's): `const say = sayer(approveMessages)`,
 * then `say('notAuthorised', { ... })` gives the id and text an assertion records.
 */
export function sayer<M extends Messages>(table: M): (id: keyof M & string, data?: MessageData) => Said {
  const words = messenger(table);
  // Every table of the folder is spread into the type's table (messages.ts), so its ids are the type's.
  return (id, data) => ({ id: id as TransactionMessageId, text: words.text(id, data) });
}

/** What a scenario works with. */
export class ScenarioRun {
  /** Comparisons made, in order. */
  readonly assertions: Assertion[] = [];
  /** The message id of each assertion's words (the report keeps only the text). */
  private readonly said = new Map<Assertion, TransactionMessageId>();
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
    readonly params: Params,
    /** The check's context. */
    readonly ctx: CheckContext,
  ) {
    this.reference = `${params.reference}-${params.scenario}-${randomBytes(4).toString('hex')}`;
  }

  /** Records a comparison, worded by `said` should it fail; returns whether it held. */
  expect(name: string, operator: Operator, expected: unknown, actual: unknown, said: Said | undefined): boolean {
    const a = assertion(name, operator, expected, actual, said?.text);
    this.assertions.push(a);
    if (said) this.said.set(a, said.id);
    return a.passed;
  }

  /** The message id a recorded assertion is worded by. */
  messageOf(a: Assertion): TransactionMessageId | undefined {
    return this.said.get(a);
  }

  /**
   * A step that must get one of `statuses`: no answer or 401/403 is an error (nothing can be
   * decided); another status is a failed assertion that stops the scenario.
   */
  require(what: string, result: ApiResult, statuses: readonly number[]): Record<string, unknown> {
    if (result.status === undefined) throw unanswered(what, result);
    if ((result.status === 401 || result.status === 403) && !statuses.includes(result.status)) throw new ScenarioError('noAccess', { what, answer: answered(result) });
    if (!this.expect(`${what} status`, 'in', [...statuses], result.status, say('stepStatus', { what, answer: answered(result), expected: statuses.join(' or '), detail: detailOf(result) }))) throw new StopScenario();
    if (result.body === undefined) {
      const contentType = String(result.headers['content-type'] ?? 'no Content-Type');
      this.expect(`${what} body`, 'type', 'object', 'text', say('stepNotJson', { what, answer: answered(result), contentType }));
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
    if (result.status === undefined) throw unanswered(what, result);
    const status = result.status;
    // No access is not a refusal of the amount: nothing about the limit can be judged.
    if (status === 401 || status === 403) this.require(what, result, [200, 201]);
    const refused = this.expect(
      `${what} status`,
      'eq',
      '4xx',
      status >= 400 && status < 500 ? '4xx' : status,
      status >= 500
        ? say('refusalServerError', { what, status, detail: detailOf(result) })
        : say('refusalAccepted', { what, status, payment: typeof result.body?.['id'] === 'string' ? `, ${result.body['id']}` : '' }),
    );
    if (!refused) return false;
    const ok = this.expect(`${what} reason`, 'exists', true, detailOf(result) ? detailOf(result).slice(2) : undefined, say('refusalNoReason', { what, status }));
    if (code !== undefined) return this.expect(`${what} code`, 'eq', code, result.body?.['code'], say('refusalCode', { what, status, code: show(result.body?.['code']), expected: code })) && ok;
    return ok;
  }
}

/** A step that got no answer at all (timeout, refused connection): nothing can be decided. */
function unanswered(what: string, result: ApiResult): ScenarioError {
  return new ScenarioError('unanswered', { what, cause: result.error?.message ?? 'no answer' });
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
  reads: readonly (keyof Params)[];
  /** Runs the steps; returns the message of a pass (failed assertions make the summary otherwise). */
  run(run: ScenarioRun): Promise<ScenarioPass>;
}
