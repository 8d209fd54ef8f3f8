import type { Profile, OperationName, PaymentState, RequestTemplate } from '../../providers/profiles.js';
import { at, formEncode, render, renderText, type Vars } from '../shared/templates.js';
import type { ApiResult, CallOptions, PaymentsApi } from './api.js';

/** What a scenario reads of a payment, whatever the provider calls it. */
export interface PaymentView {
  /** The payment's id (`pay_...`, `pi_...`, a pspReference). */
  id?: string;
  /** The provider's own status word (`requires_capture`, `Authorised`, `received`). */
  word?: string;
  /** That word in payready's states (refunds folded in from the refunded amount). */
  state?: PaymentState;
  /** Amount, minor units, as answered (a number when the provider is right). */
  amount?: unknown;
  /** Currency, as answered (normalised to upper case when the provider writes it lower). */
  currency?: unknown;
  /** Amount captured, as answered. */
  captured?: unknown;
  /** Amount refunded, as answered. */
  refunded?: unknown;
}

/** An operation's exchange and what it says about the payment. */
export interface OperationResult {
  /** The exchange. */
  result: ApiResult;
  /** The payment as the answer describes it. */
  view: PaymentView;
}

/** How the provider answered a payment that may be declined. */
export interface DeclineView {
  /** Whether the answer is the provider's documented decline signal. */
  declined: boolean;
  /** The decline code it carries. */
  code: unknown;
  /** The message it carries. */
  message: unknown;
  /** The declined payment's id, when the answer names it. */
  id: unknown;
}

/** Parameters that each operation's templates may name, besides the step's own values. */
export type Settings = Readonly<Record<string, unknown>>;

/**
 * A provider's payment API as its profile describes it: the scenarios ask for an operation
 * (authorise, capture, cancel, refund, read, list) with values; this renders the profile's
 * request template, encodes it (JSON or form), sends it through the payments API client, and reads
 * the answer through the profile's pointers and status words.
 */
export class ProviderClient {
  constructor(
    /** The profile. */
    readonly profile: Profile,
    /** The HTTP side: authentication, idempotency keys, retries, the transcript. */
    readonly api: PaymentsApi,
    /** Settings for the templates (merchantAccount...). */
    private readonly settings: Settings,
  ) {}

  /** The provider's name. */
  get name(): string {
    return this.profile.provider;
  }

  /** What the provider calls a payment's id, for summaries ("PaymentIntent", "pspReference"). */
  get paymentWord(): string {
    return this.profile.paymentWord ?? 'payment';
  }

  /** Whether the profile has the operation. */
  supports(operation: OperationName): boolean {
    return this.profile.operations[operation] !== undefined;
  }

  /** Whether the provider only acknowledges the operation (its outcome comes in a notification). */
  isAsync(operation: OperationName): boolean {
    return this.profile.operations[operation]?.async === true;
  }

  /** Statuses of a successful answer to the operation. */
  success(operation: OperationName): readonly number[] {
    return this.profile.operations[operation]?.success ?? [200, 201];
  }

  /** A currency code as the provider writes it. */
  currency(code: string): string {
    return this.profile.currencyCase === 'lower' ? code.toLowerCase() : code.toUpperCase();
  }

  /** Runs an operation of the profile with `vars` (amount, currency, method, reference, id...). */
  async call(operation: OperationName, vars: Vars, options: CallOptions = {}): Promise<OperationResult> {
    const op = this.profile.operations[operation];
    if (!op) throw new Error(`the ${this.name} profile has no ${operation} operation`);
    const result = await this.send(op.request, { ...vars, ...(typeof vars['currency'] === 'string' ? { currency: this.currency(vars['currency']) } : {}) }, options);
    return { result, view: this.view(operation, result.body) };
  }

  /** Sends one request template (an operation's, or a webhook registration step's). */
  send(template: RequestTemplate, vars: Vars, options: CallOptions = {}): Promise<ApiResult> {
    const all = { ...this.settings, ...vars };
    let path = renderText(template.path, all);
    const query = template.query === undefined ? undefined : render(template.query, all);
    const encodedQuery = query === undefined ? '' : formEncode(query);
    if (encodedQuery) path += `${path.includes('?') ? '&' : '?'}${encodedQuery}`;
    const base = template.base ? all[template.base] : undefined;
    const url = typeof base === 'string' && base !== '' ? `${base.replace(/\/+$/, '')}${path}` : path;
    const body = template.body === undefined ? undefined : render(template.body, all);
    const headers = template.headers ? Object.fromEntries(Object.entries(template.headers).map(([k, v]) => [k.toLowerCase(), renderText(v, all)])) : {};
    const encoded = body === undefined ? undefined : this.profile.encoding === 'form' ? { text: formEncode(body), contentType: 'application/x-www-form-urlencoded' } : { text: JSON.stringify(body), contentType: 'application/json' };
    return this.api.call(template.method, url, encoded, { ...options, headers: { ...headers, ...options.headers } });
  }

  /** Reads a payment out of an operation's answer. */
  view(operation: OperationName, body: unknown): PaymentView {
    const pointers = this.profile.operations[operation]?.result ?? {};
    return this.viewWith(pointers, body);
  }

  private viewWith(pointers: Partial<Record<'id' | 'status' | 'amount' | 'currency' | 'captured' | 'refunded', string>>, body: unknown): PaymentView {
    const id = at(body, pointers.id);
    const word = at(body, pointers.status);
    const currency = at(body, pointers.currency);
    const view: PaymentView = {
      ...(typeof id === 'string' ? { id } : {}),
      ...(typeof word === 'string' ? { word } : {}),
      amount: at(body, pointers.amount),
      currency: typeof currency === 'string' ? currency.toUpperCase() : currency,
      captured: at(body, pointers.captured),
      refunded: at(body, pointers.refunded),
    };
    if (typeof word === 'string' && Object.hasOwn(this.profile.statuses, word)) {
      let state = this.profile.statuses[word] as PaymentState;
      // A provider that keeps "succeeded" after a refund (Stripe) says it with the refunded amount.
      if (state === 'captured' && typeof view.refunded === 'number' && view.refunded > 0) {
        const captured = typeof view.captured === 'number' ? view.captured : typeof view.amount === 'number' ? view.amount : Infinity;
        state = view.refunded >= captured ? 'refunded' : 'partially_refunded';
      }
      view.state = state;
    }
    return view;
  }

  /** The payments of an order (the profile's `list`, filtered by its `match`). */
  async list(vars: Vars, options: CallOptions = {}): Promise<{ result: ApiResult; items: PaymentView[] }> {
    const op = this.profile.operations.list;
    if (!op) throw new Error(`the ${this.name} profile has no list operation`);
    const result = await this.send(op.request, vars, options);
    const raw = at(result.body, op.result?.items ?? '');
    const all = { ...this.settings, ...vars };
    const kept = (Array.isArray(raw) ? raw : []).filter((item) => !op.match || at(item, op.match.at) === renderText(op.match.equals, all));
    return { result, items: kept.map((item) => this.viewWith(op.result ?? {}, item)) };
  }

  /** Whether an answer is the profile's decline signal, and what it carries. */
  decline(result: ApiResult): DeclineView {
    const { decline } = this.profile;
    const statusMatches = result.status !== undefined && decline.status.includes(result.status);
    const flagged = !decline.when || at(result.body, decline.when.at) === decline.when.equals;
    return {
      declined: statusMatches && flagged,
      code: at(result.body, decline.code) ?? at(result.body, decline.codeOr),
      message: at(result.body, decline.message),
      id: at(result.body, decline.id),
    };
  }

  /** An error answer's code and message, read where the profile says. */
  error(result: ApiResult): { code: unknown; message: unknown; type: unknown } {
    const { errors } = this.profile;
    return { code: at(result.body, errors.code), message: at(result.body, errors.message), type: at(result.body, errors.type) };
  }

  /** Whether `value` (an API key, a base URL) is the provider's live mode. */
  isLive(apiKey: string | undefined, baseUrl: string): boolean {
    const { livePattern, liveHosts } = this.profile.auth;
    if (apiKey !== undefined && livePattern && new RegExp(livePattern).test(apiKey)) return true;
    let host = '';
    try {
      host = new URL(baseUrl).hostname;
    } catch {
      return false;
    }
    return (liveHosts ?? []).some((live) => host === live || host.endsWith(`.${live}`) || host.endsWith(`-${live}`));
  }
}
