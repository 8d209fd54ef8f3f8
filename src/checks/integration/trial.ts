import type { Artifact, Assertion } from '../../model/outcome.js';
import type { CheckContext } from '../types.js';
import { clip, judgeShopperMessage } from '../shared/shopper-message.js';
import type { Behaviour, ProviderRequest, SandboxControl } from './control.js';
import type { Order, OrderState, Shop, ShopperAnswer } from './shop.js';

/** One order placed by a scenario, and everything seen about it. */
export interface OrderRecord {
  /** What the scenario calls this order, e.g. `untrusted certificate`. */
  label: string;
  order: Order;
  behaviour: Behaviour;
  answer: ShopperAnswer;
  /** What reached the provider for this order. */
  requests: ProviderRequest[];
  /** The merchant's view of the order afterwards, when the suite says where to read it. */
  state?: OrderState;
}

/** The statuses a shop may answer a refused payment with. */
const REFUSALS: readonly number[] = [400, 402, 403, 409, 422, 424];
const WRITE_OPERATIONS: readonly ProviderRequest['operation'][] = ['create', 'confirm', 'capture', 'cancel', 'refund'];
const CHARGED: readonly (ProviderRequest['outcome'] | undefined)[] = ['succeeded', 'requires_capture'];
// A Node, Python, PHP, Java or .NET stack trace in what the shopper got.
const STACK_TRACE = /(\n\s+at \S.*:\d+:\d+\)?)|(Traceback \(most recent call last\))|(\.php:\d+)|(\n\s+at [\w$.]+\([\w$]+\.java:\d+\))|(Exception:.*\n\s+at )/;

/**
 * The state of one scenario run: it places orders (planning the provider's behaviour for each),
 * records what the shopper was told and what reached the provider, and collects the assertions.
 */
export class Trial {
  readonly orders: OrderRecord[] = [];
  readonly assertions: Assertion[] = [];
  readonly notes: string[] = [];
  /** Evidence a scenario adds beside the orders (a screenshot of the shopper's last page). */
  readonly artifacts: Artifact[] = [];

  constructor(
    readonly ctx: CheckContext,
    readonly shop: Shop,
    readonly control: SandboxControl,
  ) {}

  /**
   * Places one order with `behaviour` planned for it: pays through the merchant, waits `settleMs`
   * (a held provider answer finishing), then reads what reached the provider and the order's state.
   */
  async place(label: string, order: Order, behaviour: Behaviour, options: { settleMs?: number; around?: (pay: () => Promise<ShopperAnswer>) => Promise<ShopperAnswer>; refusalExpected?: boolean } = {}): Promise<OrderRecord> {
    await this.control.plan(order.id, behaviour);
    let answer: ShopperAnswer;
    try {
      // A refusal the scenario provokes (a decline, the cap, a bad certificate) is logged as expected: KPIs do not count it.
      const pay = (): Promise<ShopperAnswer> => this.shop.pay(order, options.refusalExpected ? REFUSALS : []);
      answer = options.around ? await options.around(pay) : await pay();
      if (options.settleMs) await this.sleep(options.settleMs);
    } finally {
      await this.control.clear(order.id).catch(() => undefined);
    }
    const requests = await this.control.requests(order.id);
    const state = await this.shop.state(order);
    const record: OrderRecord = { label, order, behaviour, answer, requests, ...(state ? { state } : {}) };
    this.orders.push(record);
    return record;
  }

  /** Records one comparison; `message` says what is wrong when it fails, naming the order. */
  expect(record: OrderRecord | undefined, name: string, passed: boolean, expected: unknown, actual: unknown, message: string): boolean {
    const prefix = record ? `order ${record.order.id}${record.label ? ` (${record.label})` : ''}: ` : '';
    this.assertions.push({ name, operator: 'eq', expected, actual, passed, ...(passed ? {} : { message: prefix + message }) });
    return passed;
  }

  /** The shopper got an answer, not a 5xx, not a stack trace. */
  expectNoServerError(record: OrderRecord): boolean {
    const { answer } = record;
    if (answer.httpStatus === undefined) return this.expect(record, 'shopper.answer', false, 'an HTTP answer', answer.error, `the merchant did not answer the shopper: ${answer.error ?? 'no answer'}`);
    const ok = this.expect(record, 'shopper.httpStatus', answer.httpStatus < 500, '< 500', answer.httpStatus, `the shopper got HTTP ${answer.httpStatus}${quoteBody(answer)}: answer with a clear message, never a server error`);
    const trace = STACK_TRACE.test(answer.body);
    return this.expect(record, 'shopper.stackTrace', !trace, 'no stack trace', trace ? clip(answer.body, 120) : 'none', `the shopper was shown a stack trace (${clip(answer.body.trim(), 100)}): show a sentence, log the details`) && ok;
  }

  /** The shopper's message is a sentence with guidance (guideline 6.2). */
  expectClearMessage(record: OrderRecord): boolean {
    const message = record.answer.message;
    if (message === undefined || message.trim() === '') {
      return this.expect(record, 'shopper.message', false, 'a sentence with guidance', record.answer.body.slice(0, 120), `the shopper was told nothing they can read (no message at ${this.shop.config.pay.message}${quoteBody(record.answer)}): tell them what happened and what to do`);
    }
    const verdict = judgeShopperMessage(message);
    const why = verdict === 'notSentence' ? 'is not a sentence a shopper can read (a bare code?)' : 'does not say what to do next (use another card, contact the bank, try again)';
    return this.expect(record, 'shopper.message', verdict === 'ok', 'a sentence with guidance', message, `the shopper was told "${clip(message)}", which ${why}`);
  }

  /** The shopper was told it worked. */
  expectSucceeded(record: OrderRecord): boolean {
    return this.expect(record, 'shopper.status', this.shop.succeeded(record.answer), this.shop.config.pay.succeeded, record.answer.status ?? record.answer.httpStatus, `the shopper was told ${told(record.answer)}, not that the payment worked`);
  }

  /** The order was charged exactly `times` times (distinct provider payments that succeeded). */
  expectCharged(record: OrderRecord, times: number): boolean {
    const charged = chargedPayments(record.requests);
    const what = times === 0 ? 'never charged' : times === 1 ? 'charged exactly once' : `charged ${times} times`;
    return this.expect(record, 'provider.charged', charged.length === times, times, charged.length, `the order was charged ${charged.length} time(s) at the provider (${charged.join(', ') || 'none'}); it must be ${what}${summarizeRequests(record.requests)}`);
  }

  /** Every write request of the order carried an idempotency key, and retries reused it. */
  expectIdempotentWrites(record: OrderRecord): boolean {
    const writes = writesOf(record.requests);
    const unkeyed = writes.filter((r) => !r.idempotencyKey);
    let ok = this.expect(record, 'provider.idempotencyKey', unkeyed.length === 0, 'a key on every write', `${writes.length - unkeyed.length}/${writes.length}`, `${unkeyed.length} of ${writes.length} write request(s) reached the provider without an Idempotency-Key (${unkeyed.map((r) => `${r.method} ${r.path}`).join(', ')}): send one, the same on every retry`);
    const creates = writes.filter((r) => r.operation === 'create');
    const keys = new Set(creates.map((r) => r.idempotencyKey ?? ''));
    if (creates.length > 1 && unkeyed.length === 0) {
      ok = this.expect(record, 'provider.retryKey', keys.size === 1, 'one key for every attempt', [...keys].length, `the merchant retried the payment with ${keys.size} different idempotency keys: a retry must reuse the first attempt's key so the provider charges once`) && ok;
    }
    return ok;
  }

  async sleep(ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.ctx.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve();
      }, { once: true });
    });
  }
}

/** Write requests (anything but reads) of an order. */
export function writesOf(requests: readonly ProviderRequest[]): ProviderRequest[] {
  return requests.filter((r) => WRITE_OPERATIONS.includes(r.operation));
}

/** Distinct payment ids the provider charged (or authorised) for an order. */
export function chargedPayments(requests: readonly ProviderRequest[]): string[] {
  return [...new Set(requests.filter((r) => CHARGED.includes(r.outcome)).map((r) => r.paymentId ?? `${r.method} ${r.path}`))];
}

/** What the shopper was told, for a sentence: `HTTP 402 "declined": "Your card was declined..."`. */
export function told(answer: ShopperAnswer): string {
  if (answer.httpStatus === undefined) return `nothing (${answer.error ?? 'no answer'})`;
  const status = answer.status === undefined ? '' : ` "${answer.status}"`;
  const message = answer.message === undefined ? '' : `: "${clip(answer.message)}"`;
  return `HTTP ${answer.httpStatus}${status}${message}`;
}

function quoteBody(answer: ShopperAnswer): string {
  const body = answer.body.trim();
  return body === '' ? '' : ` (${clip(body.replace(/\s+/g, ' '), 100)})`;
}

/** `; the provider saw: POST /v1/payment_intents 200 succeeded, ...`, at most five. */
export function summarizeRequests(requests: readonly ProviderRequest[]): string {
  if (requests.length === 0) return '; nothing reached the provider';
  const shown = requests.slice(0, 5).map((r) => `${r.method} ${r.path} ${r.status}${r.outcome ? ` ${r.outcome}` : ''}`);
  return `; the provider saw: ${shown.join(', ')}${requests.length > 5 ? `, and ${requests.length - 5} more` : ''}`;
}
