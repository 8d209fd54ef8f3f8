import { randomBytes } from 'node:crypto';
import { request as httpRequest, type ClientRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { signatureHeader } from '../../net/webhook-signature.js';
import type { FaultSet } from '../faults.js';
import type { Payment, Refund } from '../payments/store.js';

/** Events the sandbox sends. */
export const WEBHOOK_EVENTS = ['payment.authorised', 'payment.declined', 'payment.captured', 'payment.refunded', 'payment.cancelled'] as const;

/** Name of an event. */
export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number];

/** Delays before each attempt of one delivery: at once, then retries while the receiver fails. */
export const DELIVERY_SCHEDULE_MS: readonly number[] = [0, 1_000, 3_000];
/** How long one delivery attempt may take. */
const DELIVERY_TIMEOUT_MS = 5_000;

/** A registered receiver. */
export interface WebhookEndpoint {
  /** `we_` + random hex. */
  id: string;
  /** Where events are POSTed. */
  url: string;
  /** Event types sent to it (`*`: all). */
  events: string[];
  /** The signing secret (`whsec_...`), returned once at registration. */
  secret: string;
  /** ISO 8601 time (UTC). */
  createdAt: string;
}

/** The body of a delivery. */
export interface WebhookEvent {
  /** `evt_` + random hex: receivers drop a second delivery of the same id. */
  id: string;
  /** Event type. */
  type: WebhookEventType;
  /** ISO 8601 time (UTC). */
  createdAt: string;
  /** The payment as it is after the event, and the refund for `payment.refunded`. */
  data: { payment: Payment; refund?: Refund };
}

/** One body for one receiver, whatever the dialect. */
export interface Delivery {
  /** The receiver (a loopback URL). */
  url: string;
  /** The JSON text POSTed. */
  body: string;
  /** Headers of one attempt (the signature), computed when it is sent. */
  headers: () => Record<string, string>;
  /** Whether retries should go on (the endpoint is still registered). */
  wanted: () => boolean;
}

/** True for a URL the sandbox may POST to: http(s) on a loopback address (no outside calls). */
export function isLoopbackUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

/**
 * Registered webhook endpoints and event delivery: each event is POSTed as JSON to every endpoint
 * that wants it, signed with HMAC-SHA256 over "<timestamp>.<body>", and retried on the
 * DELIVERY_SCHEDULE_MS while the receiver fails. Deliveries never throw into the request that
 * caused them; `close()` stops pending retries and in-flight requests.
 */
export class Webhooks {
  private readonly endpoints = new Map<string, WebhookEndpoint>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly requests = new Set<ClientRequest>();
  private closed = false;

  constructor(private readonly faults: FaultSet) {}

  register(url: string, events: string[]): WebhookEndpoint {
    const endpoint: WebhookEndpoint = {
      id: `we_${randomBytes(12).toString('hex')}`,
      url,
      events,
      secret: `whsec_${randomBytes(24).toString('base64url')}`,
      createdAt: new Date().toISOString(),
    };
    this.endpoints.set(endpoint.id, endpoint);
    return endpoint;
  }

  remove(id: string): boolean {
    return this.endpoints.delete(id);
  }

  /** Sends `type` about `payment` to every endpoint that wants it (fire and forget). */
  emit(type: WebhookEventType, payment: Payment, refund?: Refund): void {
    if (this.closed || this.endpoints.size === 0) return;
    const event: WebhookEvent = {
      id: `evt_${randomBytes(12).toString('hex')}`,
      type,
      createdAt: new Date().toISOString(),
      data: { payment, ...(refund ? { refund } : {}) },
    };
    const body = JSON.stringify(event);
    for (const endpoint of this.endpoints.values()) {
      if (!endpoint.events.includes('*') && !endpoint.events.includes(type)) continue;
      this.send({
        url: endpoint.url,
        body,
        // A fault may sign with another key (`webhook-bad-signature`).
        headers: () => ({ 'payready-signature': signatureHeader(this.faults.apply('webhookSecret', endpoint.secret), body) }),
        wanted: () => this.endpoints.has(endpoint.id),
      });
    }
  }

  /**
   * Delivers one JSON body to one receiver (fire and forget), retried on DELIVERY_SCHEDULE_MS while
   * it fails and `wanted()` holds; `headers()` is called for each attempt, so a signature's
   * timestamp is fresh. Every dialect's events go through here, so `close()` stops them all.
   */
  send(delivery: Delivery): void {
    if (this.closed) return;
    this.schedule(delivery, 0);
  }

  /** Stops every pending retry and in-flight delivery. */
  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const req of this.requests) req.destroy();
    this.requests.clear();
  }

  private schedule(delivery: Delivery, attempt: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      // Fire and forget: the timer callback cannot await, and deliver() never rejects.
      void this.deliver(delivery).then((ok) => {
        const next = attempt + 1;
        if (!ok && !this.closed && next < DELIVERY_SCHEDULE_MS.length && delivery.wanted()) this.schedule(delivery, next);
      });
    }, DELIVERY_SCHEDULE_MS[attempt] ?? 0);
    this.timers.add(timer);
  }

  /** One attempt; resolves true on a 2xx answer, false on anything else. Never rejects. */
  private deliver({ url: target, body, headers }: Delivery): Promise<boolean> {
    return new Promise((resolve) => {
      const url = new URL(target);
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = send(url, {
        method: 'POST',
        timeout: DELIVERY_TIMEOUT_MS,
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'content-length': String(Buffer.byteLength(body)),
          'user-agent': 'payready-sandbox-webhooks',
          ...headers(),
        },
      });
      this.requests.add(req);
      const finish = (ok: boolean): void => {
        this.requests.delete(req);
        resolve(ok);
      };
      req.on('response', (res) => {
        res.resume();
        res.on('end', () => finish((res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300));
        res.on('error', () => finish(false));
      });
      req.on('timeout', () => req.destroy());
      req.on('error', () => finish(false));
      req.end(body);
    });
  }
}
