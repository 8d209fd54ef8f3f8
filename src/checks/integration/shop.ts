import { randomBytes } from 'node:crypto';
import { NetError } from '../../net/errors.js';
import type { HttpClient } from '../../net/http.js';
import type { IntegrationConfig } from './config.js';
import { at, render, renderText } from '../shared/templates.js';

/** One shopper's order: what payready asks the merchant to charge. */
export interface Order {
  /** `pr-<scenario>-<random>`: the merchant passes it to the provider, which is how the sandbox knows the order. */
  id: string;
  /** Minor units. */
  amount: number;
  /** ISO 4217, upper case. */
  currency: string;
  /** The test payment method (a provider token). */
  paymentMethod: string;
}

/** What the merchant told the shopper. */
export interface ShopperAnswer {
  /** HTTP status, or undefined when the merchant could not be reached. */
  httpStatus?: number;
  /** The order status at `pay.status`, as text. */
  status?: string;
  /** The provider's payment id at `pay.paymentId`. */
  paymentId?: string;
  /** The shopper's message at `pay.message`. */
  message?: string;
  /** A URL the shopper is sent to (3-D Secure). */
  redirect?: string;
  /** The body as received (clipped), for the evidence. */
  body: string;
  /** The body was JSON. */
  json?: true;
  /** Why the merchant could not be reached. */
  error?: string;
  /** Milliseconds from sending to the whole answer. */
  ms: number;
}

/** An order's state as the merchant reports it afterwards. */
export interface OrderState {
  httpStatus: number;
  status?: string;
  appliedEvents?: number;
}

const MAX_BODY_SHOWN = 4000;

/** The merchant's shop as a shopper and payready see it: pay for an order, read an order's state. */
export class Shop {
  constructor(
    readonly config: IntegrationConfig,
    /** The check's HTTP client: every call to the shop is in the interaction log. */
    private readonly http: HttpClient,
    private readonly signal: AbortSignal,
    /** How long the shop may take to answer the shopper before it counts as no answer. */
    private readonly payTimeoutMs: number,
  ) {}

  /** A new order of `scenario`, with a random suffix so runs never collide. */
  order(scenario: string, amount: number, overrides: Partial<Pick<Order, 'currency' | 'paymentMethod'>> = {}): Order {
    return {
      id: `pr-${scenario}-${randomBytes(4).toString('hex')}`,
      amount,
      currency: overrides.currency ?? this.config.currency,
      paymentMethod: overrides.paymentMethod ?? this.config.paymentMethod,
    };
  }

  /** The values `{name}` placeholders of the templates take for `order`. */
  vars(order: Order): Record<string, unknown> {
    return { orderId: order.id, amount: order.amount, currency: order.currency, paymentMethod: order.paymentMethod, returnUrl: `${this.config.url}/checkout/return` };
  }

  /**
   * Pays for `order` through the merchant's API, as its checkout does. `expected` are the statuses
   * the scenario provokes (a decline's 402), logged as such so KPIs do not count them as errors.
   */
  async pay(order: Order, expected: readonly number[] = []): Promise<ShopperAnswer> {
    const pay = this.config.pay;
    const vars = this.vars(order);
    const started = performance.now();
    try {
      const res = await this.http.request({
        method: pay.method,
        url: this.resolve(renderText(pay.path, vars)),
        headers: { accept: 'application/json', ...pay.headers },
        json: render(pay.body, vars),
        timeoutMs: this.payTimeoutMs,
        ...(expected.length > 0 ? { expected: { status: expected } } : {}),
      });
      const text = res.text();
      const answer: ShopperAnswer = { httpStatus: res.status, body: text.slice(0, MAX_BODY_SHOWN), ms: performance.now() - started };
      const json = parseJson(text);
      if (json !== undefined) {
        answer.json = true;
        setText(answer, 'status', at(json, pay.status));
        setText(answer, 'paymentId', at(json, pay.paymentId));
        setText(answer, 'message', at(json, pay.message));
        setText(answer, 'redirect', at(json, pay.redirect));
      }
      return answer;
    } catch (error) {
      if (this.signal.aborted) throw error;
      const timedOut = error instanceof NetError && error.kind === 'timeout';
      return { body: '', error: timedOut ? `no answer within ${this.payTimeoutMs / 1000} s (payTimeoutMs)` : describeError(error), ms: performance.now() - started };
    }
  }

  /** The shopper's checkout page of `order` (`checkout.path` under the merchant's URL). */
  checkoutUrl(order: Order): string {
    return this.resolve(renderText(this.config.checkout.path, this.vars(order)));
  }

  /** The order's state, when the suite says where to read it. */
  async state(order: Order): Promise<OrderState | undefined> {
    const spec = this.config.order;
    if (!spec) return undefined;
    try {
      const res = await this.http.request({ url: this.resolve(renderText(spec.path, this.vars(order))), headers: { accept: 'application/json' }, timeoutMs: this.payTimeoutMs });
      const json = parseJson(res.text());
      const state: OrderState = { httpStatus: res.status };
      const status = at(json, spec.status);
      if (typeof status === 'string' || typeof status === 'number') state.status = String(status);
      const applied = spec.appliedEvents === undefined ? undefined : at(json, spec.appliedEvents);
      if (typeof applied === 'number') state.appliedEvents = applied;
      return state;
    } catch (error) {
      if (this.signal.aborted) throw error;
      return undefined;
    }
  }

  /** Whether the merchant told the shopper the payment worked. */
  succeeded(answer: ShopperAnswer): boolean {
    return answer.httpStatus !== undefined && answer.httpStatus < 300 && answer.status !== undefined && this.config.pay.succeeded.includes(answer.status);
  }

  /** A path under the merchant's URL, or a full URL as given. */
  resolve(path: string): string {
    return /^https?:\/\//i.test(path) ? path : this.config.url + (path.startsWith('/') ? path : `/${path}`);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function setText(answer: ShopperAnswer, key: 'status' | 'paymentId' | 'message' | 'redirect', value: unknown): void {
  if (typeof value === 'string' || typeof value === 'number') answer[key] = String(value);
}

/** A network error in words, with its cause (`ECONNREFUSED 127.0.0.1:4242`). */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  const code = (error as { code?: string }).code;
  if (cause instanceof Error && cause.message !== error.message) return `${error.message} (${cause.message})`;
  return code && !error.message.includes(code) ? `${error.message} (${code})` : error.message;
}
