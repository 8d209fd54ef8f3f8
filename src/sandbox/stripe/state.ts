import type { SandboxContext } from '../context.js';
import type { StripeRequest } from './api.js';
import { noSuch } from './errors.js';
import { DEFAULT_API_VERSION, StripeEvents, type StripeEventType } from './events.js';
import { StripeIdempotency } from './idempotency.js';
import type { TestCard } from './methods.js';
import type { Charge, PaymentIntent, PaymentMethod, Refund } from './objects.js';

/** Most objects of each kind kept; the oldest go first (a long load test must not grow memory forever). */
const CAPACITY = 50_000;

function bounded<T>(items: Map<string, T>, id: string, item: T): void {
  items.set(id, item);
  if (items.size > CAPACITY) {
    const oldest = items.keys().next();
    if (!oldest.done) items.delete(oldest.value);
  }
}

/** Everything the Stripe dialect of one sandbox keeps, in memory. */
export class StripeState {
  readonly intents = new Map<string, PaymentIntent>();
  readonly charges = new Map<string, Charge>();
  readonly refunds = new Map<string, Refund>();
  /** Payment methods created here, each with the test card it stands for (how its charges end). */
  readonly methods = new Map<string, { method: PaymentMethod; card: TestCard }>();
  readonly idempotency: StripeIdempotency;
  readonly events: StripeEvents;
  /** The API version responses name when the request named none. */
  readonly apiVersion = DEFAULT_API_VERSION;

  constructor(readonly ctx: SandboxContext) {
    this.idempotency = new StripeIdempotency(ctx.faults);
    this.events = new StripeEvents(ctx);
  }

  add(object: PaymentIntent | Charge | Refund): void {
    if (object.object === 'payment_intent') bounded(this.intents, object.id, object);
    else if (object.object === 'charge') bounded(this.charges, object.id, object);
    else bounded(this.refunds, object.id, object);
  }

  addMethod(method: PaymentMethod, card: TestCard): void {
    bounded(this.methods, method.id, { method, card });
  }

  intent(id: string, param = 'intent'): PaymentIntent {
    const found = this.intents.get(id);
    if (!found) throw noSuch('payment_intent', id, param);
    return found;
  }

  charge(id: string, param = 'charge'): Charge {
    const found = this.charges.get(id);
    if (!found) throw noSuch('charge', id, param);
    return found;
  }

  /**
   * An object as the API shows it: a copy, through the faults that change a PaymentIntent's shape
   * (`schema-drift`).
   */
  view(object: PaymentIntent | Charge | Refund): unknown {
    const copy = structuredClone(object);
    if (copy.object !== 'payment_intent') return copy;
    return this.ctx.faults.apply('stripeIntentView', copy as unknown as Record<string, unknown>);
  }

  /** Records and delivers an event about `object` (as it is now) caused by `request`. */
  emit(type: StripeEventType, object: PaymentIntent | Charge | Refund, request: StripeRequest): void {
    this.events.emit(type, object, { requestId: request.requestId, idempotencyKey: request.idempotencyKey, apiVersion: request.apiVersion }, (o) => this.view(o));
  }
}
