import { randomBytes } from 'node:crypto';
import type { MessageData, Messages } from '../../model/messages.js';
import { assertion, show } from '../../model/operators.js';
import type { CheckContext, ParamsOf } from '../types.js';
import type { Assertion, Operator } from '../../model/outcome.js';
import { formatMoney } from '../../money.js';
import { errorFields } from '../shared/error-body.js';
import { messenger } from '../shared/messages.js';
import { answered, type ApiResult, type CallOptions, type PaymentsApi } from './api.js';
import { ScenarioError, ScenarioSkip, StopScenario } from './errors.js';
import type { OperationResult, PaymentView, ProviderClient } from './provider.js';
import type { OperationName, PaymentState } from '../../providers/profiles.js';
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

/** What a run knows of one of its payments. */
interface Known {
  state: PaymentState;
  value: number;
  currency: string;
  captured?: number;
  refunded?: number;
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

  /** What the run's own calls say about each payment it made. */
  private readonly known = new Map<string, Known>();
  /** When the run started (ms since the epoch). */
  private readonly started = Date.now();

  constructor(
    /** The provider's API, as its profile describes it. */
    readonly client: ProviderClient,
    /** Parameters with defaults applied. */
    readonly params: Params,
    /** The check's context. */
    readonly ctx: CheckContext,
  ) {
    this.reference = `${params.reference}-${params.scenario}-${randomBytes(4).toString('hex')}`;
  }

  /** The HTTP side (transcript, call count, live guard). */
  get api(): PaymentsApi {
    return this.client.api;
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
    if (!this.expect(`${what} status`, 'in', [...statuses], result.status, say('stepStatus', { what, answer: answered(result), expected: statuses.join(' or '), detail: this.detail(result) }))) throw new StopScenario();
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

  /** The vars every operation of this run may name: the order reference, the run's start (`since`, unix seconds, for list filters), and `extra`. */
  vars(extra: Record<string, unknown>): Record<string, unknown> {
    // Ten minutes of slack: the provider's clock may differ from ours.
    return { reference: this.reference, since: Math.floor(this.started / 1000) - 600, ...extra };
  }

  /** Authorises a payment with the provider's approved test method (or `method`), guarded on live targets. */
  async authorise(value: number, options: { currency?: string; method?: unknown; reference?: string; call?: CallOptions } = {}): Promise<OperationResult> {
    const currency = options.currency ?? this.params.currency;
    this.api.guard(value, currency, `a payment of ${this.money(value, currency)}`);
    const method = options.method ?? this.params.method ?? this.client.profile.methods.approved;
    const answer = await this.client.call('authorise', this.vars({ amount: value, currency, method, ...(options.reference ? { reference: options.reference } : {}) }), options.call);
    const { result, view } = answer;
    if (result.status !== undefined && this.client.success('authorise').includes(result.status) && view.id && view.state !== 'declined') {
      this.track(view.id, { state: view.state ?? 'authorised', value, currency });
      this.undoPayment(view.id);
    }
    return answer;
  }

  /** Captures payment `id` (all of `value`, or part of it). */
  async capture(id: string, value: number, currency = this.params.currency, call: CallOptions = {}): Promise<OperationResult> {
    const answer = await this.client.call('capture', this.vars({ id, amount: value, currency }), call);
    if (answer.result.status !== undefined && this.client.success('capture').includes(answer.result.status)) this.track(id, { state: 'captured', captured: value });
    return answer;
  }

  /** Refunds `value` of payment `id`. */
  async refund(id: string, value: number, currency = this.params.currency, call: CallOptions = {}): Promise<OperationResult> {
    const answer = await this.client.call('refund', this.vars({ id, amount: value, currency }), call);
    const known = this.known.get(id);
    if (known && answer.result.status !== undefined && this.client.success('refund').includes(answer.result.status)) {
      const refunded = (known.refunded ?? 0) + value;
      this.track(id, { refunded, state: refunded >= (known.captured ?? known.value) ? 'refunded' : 'partially_refunded' });
    }
    return answer;
  }

  /** Reads payment `id` back (the caller checks `client.supports('read')` first). */
  read(id: string): Promise<OperationResult> {
    return this.client.call('read', this.vars({ id }));
  }

  /** What this run knows of payment `id` from its own calls (for providers that cannot read a payment back). */
  private track(id: string, change: Partial<Known> & Partial<Pick<Known, 'value' | 'currency'>>): void {
    const before = this.known.get(id);
    this.known.set(id, { value: 0, currency: this.params.currency, state: 'authorised', ...before, ...change } as Known);
  }

  /** Cancels or refunds payment `id` at cleanup, whatever state it reached. */
  undoPayment(id: string): void {
    if (this.undone.has(id)) return;
    this.undone.add(id);
    this.onCleanup(`undo ${id}`, async () => {
      const known = this.known.get(id);
      let state = known?.state;
      let captured = known?.captured ?? known?.value ?? 0;
      let refunded = known?.refunded ?? 0;
      if (this.client.supports('read')) {
        const { view } = await this.read(id);
        state = view.state;
        if (typeof view.captured === 'number') captured = view.captured;
        if (typeof view.refunded === 'number') refunded = view.refunded;
      }
      const currency = known?.currency ?? this.params.currency;
      if (state === 'authorised' && this.client.supports('cancel')) await this.client.call('cancel', this.vars({ id }));
      else if ((state === 'captured' || state === 'partially_refunded') && this.client.supports('refund') && captured > refunded) await this.client.call('refund', this.vars({ id, amount: captured - refunded, currency }));
    });
  }

  /** Payments the provider holds for `reference`, or undefined when its API cannot list them. */
  async paymentsFor(reference = this.reference): Promise<PaymentView[] | undefined> {
    if (!this.client.supports('list')) return undefined;
    const { result, items } = await this.client.list(this.vars({ reference }));
    this.require(`listing payments of order ${reference}`, result, this.client.success('list'));
    return items;
  }

  /** Ends the scenario after a failed assertion (cleanup still runs). */
  stop(): never {
    throw new StopScenario();
  }

  /** A step the provider's API has no way to do: the scenario ends `skip`, saying why. */
  unsupported(what: string, reason: string): never {
    throw new ScenarioSkip({ what, provider: this.client.name, reason });
  }

  /** The error answer's code, where the profile says it is. */
  codeOf(result: ApiResult): unknown {
    return this.client.error(result).code;
  }

  /** ": The amount ...": the refusal's reason for a message (the profile's message field, or any known error shape), empty when there is none. */
  detail(result: ApiResult): string {
    const message = this.client.error(result).message;
    return typeof message === 'string' && message.trim() !== '' ? `: ${message}` : detailOf(result);
  }

  /**
   * Expects a cap's refusal as the provider signals it: a decline (`via: decline`, Adyen's Refused
   * with its refusalReasonCode) or a 4xx error with a readable reason (never a 5xx, never success).
   */
  expectCapRefusal(what: string, result: ApiResult, code: string | undefined, via: string | undefined): boolean {
    if (via !== 'decline') return this.expectRefusal(what, result, code);
    if (result.status === undefined) throw unanswered(what, result);
    if (result.status === 401 || result.status === 403) this.require(what, result, this.client.success('authorise'));
    const declined = this.client.decline(result);
    const view = this.client.view('authorise', result.body);
    if (!this.expect(`${what} refused`, 'eq', 'declined', declined.declined ? 'declined' : (view.state ?? result.status), result.status !== undefined && result.status >= 500 ? say('refusalServerError', { what, status: result.status, detail: this.detail(result) }) : say('refusalAccepted', { what, status: `${result.status}${view.word ? ` ${view.word}` : ''}`, payment: view.id ? `, ${view.id}` : '' }))) return false;
    if (code === undefined) return true;
    return this.expect(`${what} code`, 'eq', code, declined.code === undefined ? undefined : String(declined.code), say('refusalCode', { what, status: result.status, code: show(declined.code), expected: code }));
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
        ? say('refusalServerError', { what, status, detail: this.detail(result) })
        : say('refusalAccepted', { what, status, payment: typeof this.client.view('authorise', result.body).id === 'string' ? `, ${this.client.view('authorise', result.body).id}` : '' }),
    );
    if (!refused) return false;
    const reason = this.detail(result);
    const ok = this.expect(`${what} reason`, 'exists', true, reason ? reason.slice(2) : undefined, say('refusalNoReason', { what, status }));
    const given = this.codeOf(result);
    if (code !== undefined) return this.expect(`${what} code`, 'eq', code, given, say('refusalCode', { what, status, code: show(given), expected: code })) && ok;
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
  /** What the profile must describe for the scenario to run at all (an operation, or webhooks); without it the scenario ends skip. */
  needs: readonly (OperationName | 'webhooks')[];
  /** Operations used when the profile has them; without them the scenario judges the provider by its answers (no read-back, no listing). */
  uses?: readonly OperationName[];
  /** The cap whose refusal it provokes: a profile saying the provider has none (`limits.<limit>.unsupported`) makes it skip. */
  limit?: 'perTransaction' | 'daily';
  /** Runs the steps; returns the message of a pass (failed assertions make the summary otherwise). */
  run(run: ScenarioRun): Promise<ScenarioPass>;
}
