import { signatureHeader } from '../../net/webhook-signature.js';
import type { SandboxContext } from '../context.js';
import { isLoopbackUrl } from '../webhooks/delivery.js';
import { now, stripeId, type Charge, type PaymentIntent, type Refund, type StripeEvent, type WebhookEndpoint } from './objects.js';

/**
 * Events and their delivery to webhook endpoints (https://docs.stripe.com/webhooks):
 *
 * "Stripe generates a unique secret key for each endpoint" and signs each delivery in the
 * `Stripe-Signature` header: "The Stripe-Signature header ... contains a timestamp and one or more
 * signatures ... The timestamp is prefixed by t=, and each signature is prefixed by a scheme.
 * Schemes start with v, followed by an integer. Currently, the only valid live signature scheme
 * is v1." "Stripe generates signatures using a hash-based message authentication code (HMAC) with
 * SHA-256" over "the signed_payload string ... by concatenating: The timestamp (as a string), The
 * character `.`, The actual JSON payload (that is, the request body)". stripe-node's
 * `webhooks.constructEvent` checks it with a default tolerance of 300 seconds.
 */

/** The event types the emulator sends. */
export const STRIPE_EVENT_TYPES = [
  'payment_intent.created',
  'payment_intent.succeeded',
  'payment_intent.amount_capturable_updated',
  'payment_intent.payment_failed',
  'payment_intent.requires_action',
  'payment_intent.canceled',
  'charge.succeeded',
  'charge.failed',
  'charge.captured',
  'charge.refunded',
  'refund.created',
] as const;

/** An event type the emulator sends. */
export type StripeEventType = (typeof STRIPE_EVENT_TYPES)[number];

/**
 * The API version events are rendered in when the request named none (`Stripe-Version`): the one
 * stripe-node 23.2 pins, which the emulator's objects follow.
 */
export const DEFAULT_API_VERSION = '2026-11-18.endive';

/** A registered endpoint and its signing secret. */
interface Endpoint {
  object: WebhookEndpoint;
  secret: string;
}

/** What caused an event: the request's id and idempotency key, the API version it spoke. */
export interface EventCause {
  requestId: string | null;
  idempotencyKey: string | null;
  apiVersion: string | null;
}

/** Events (readable at /v1/events/:id) and webhook endpoints of one sandbox. */
export class StripeEvents {
  private readonly events = new Map<string, StripeEvent>();
  private readonly endpoints = new Map<string, Endpoint>();

  constructor(private readonly ctx: SandboxContext) {
    // Receivers given at start (`payready sandbox --webhook-url`) get every event, signed with the
    // sandbox-wide secret `--json` prints.
    for (const url of ctx.webhookUrls) {
      if (isLoopbackUrl(url)) this.register(url, ['*'], null, ctx.webhookSecret);
    }
  }

  /** Registers an endpoint; the secret is returned with it once, at creation. */
  register(url: string, enabledEvents: string[], description: string | null, secret = `whsec_${stripeId('x').slice(2)}`, metadata: Record<string, string> = {}): WebhookEndpoint & { secret: string } {
    const object: WebhookEndpoint = {
      id: stripeId('we'),
      object: 'webhook_endpoint',
      api_version: null,
      application: null,
      created: now(),
      description,
      enabled_events: enabledEvents,
      livemode: false,
      metadata,
      status: 'enabled',
      url,
    };
    this.endpoints.set(object.id, { object, secret });
    return { ...structuredClone(object), secret };
  }

  /** An endpoint (without its secret). */
  endpoint(id: string): WebhookEndpoint | undefined {
    const found = this.endpoints.get(id);
    return found ? structuredClone(found.object) : undefined;
  }

  /** Every endpoint, newest first. */
  listEndpoints(): WebhookEndpoint[] {
    return [...this.endpoints.values()].reverse().map((e) => structuredClone(e.object));
  }

  remove(id: string): boolean {
    return this.endpoints.delete(id);
  }

  event(id: string): StripeEvent | undefined {
    const found = this.events.get(id);
    return found ? structuredClone(found) : undefined;
  }

  /** Records an event about a snapshot of `object` and delivers it to every endpoint that wants it. */
  emit(type: StripeEventType, object: PaymentIntent | Charge | Refund, cause: EventCause, view: (object: PaymentIntent | Charge | Refund) => unknown): StripeEvent {
    const targets = [...this.endpoints.values()].filter((e) => e.object.enabled_events.includes('*') || e.object.enabled_events.includes(type));
    const event: StripeEvent = {
      id: stripeId('evt'),
      object: 'event',
      api_version: cause.apiVersion ?? DEFAULT_API_VERSION,
      created: now(),
      data: { object: structuredClone(object) },
      livemode: false,
      pending_webhooks: targets.length,
      request: { id: cause.requestId, idempotency_key: cause.idempotencyKey },
      type,
    };
    this.events.set(event.id, event);
    const body = JSON.stringify({ ...event, data: { object: view(event.data.object) } }, null, 2);
    for (const target of targets) {
      const id = target.object.id;
      this.ctx.webhooks.send({
        url: target.object.url,
        body,
        // A fault may sign with another key (`webhook-bad-signature`); the timestamp is that of the attempt.
        headers: () => ({ 'stripe-signature': signatureHeader(this.ctx.faults.apply('webhookSecret', target.secret), body), 'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)' }),
        wanted: () => this.endpoints.has(id),
      });
    }
    return structuredClone(event);
  }
}
