import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { at } from '../shared/templates.js';
import { verifyAdyenItem, verifySignature, type AdyenNotificationItem, type SignatureCheck } from '../../net/webhook-signature.js';

/** How deliveries are signed: the profile's `webhooks.signature`. */
export interface ReceiverScheme {
  /** `hmac-sha256-timestamp` (a `t=...,v1=...` header: payready, Stripe) or `adyen-hmac` (hmacSignature in each notification item). */
  scheme: 'hmac-sha256-timestamp' | 'adyen-hmac';
  /** The signature header (lower case), for the header scheme. */
  header: string;
  /** Allowed age of a signed timestamp, seconds. */
  toleranceSeconds: number;
  /** The body a verified delivery is acknowledged with (Adyen: "[accepted]"). */
  acknowledge?: string;
  /** Where an event holds its id (the profile's `webhooks.event.idAt`): what makes two deliveries the same event. */
  idAt?: string;
}

/** One delivery as the receiver saw it. */
export interface Delivery {
  /** Request headers. */
  headers: IncomingHttpHeaders;
  /** Raw body (what the signature covers). */
  body: string;
  /** The parsed event, when the body is JSON. */
  event?: Record<string, unknown>;
  /** The signature verdict. */
  signature: SignatureCheck;
  /** Status the receiver answered. */
  answer: number;
}

/** Largest delivery body read. */
const MAX_BODY = 1024 * 1024;

/**
 * A webhook receiver on loopback that does what a merchant's receiver must: verify the
 * HMAC-SHA256 signature over "<timestamp>.<raw body>" in constant time, refuse a timestamp outside
 * the tolerance (400), refuse a tampered body (400), and refuse an event id it already processed
 * (409), so a replayed delivery changes nothing. It answers 2xx only to a new, verified event.
 */
export class WebhookReceiver {
  /** Every delivery, in arrival order. */
  readonly deliveries: Delivery[] = [];
  private readonly seen = new Set<string>();
  private readonly waiters = new Set<() => void>();
  private readonly server: Server;
  private secret = '';

  constructor(private readonly scheme: ReceiverScheme) {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY) req.destroy();
        else chunks.push(chunk);
      });
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const delivery = this.judge(req.headers, body);
        this.deliveries.push(delivery);
        res.writeHead(delivery.answer, { 'content-type': 'text/plain; charset=utf-8' }).end(delivery.answer === 200 ? (this.scheme.acknowledge ?? '') : '');
        for (const wake of this.waiters) wake();
      });
    });
  }

  /** Listens on 127.0.0.1 (a free port); returns the URL to register. */
  async listen(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/payready-webhooks`;
  }

  /** The endpoint's signing secret (known once the endpoint is registered). */
  useSecret(secret: string): void {
    this.secret = secret;
  }

  /** Resolves with the first delivery `test` accepts, or undefined after `timeoutMs` or on abort. */
  waitFor(test: (delivery: Delivery) => boolean, timeoutMs: number, signal: AbortSignal): Promise<Delivery | undefined> {
    return new Promise((resolve) => {
      const finish = (found: Delivery | undefined): void => {
        clearTimeout(timer);
        this.waiters.delete(look);
        signal.removeEventListener('abort', give);
        resolve(found);
      };
      const look = (): void => {
        const found = this.deliveries.find(test);
        if (found) finish(found);
      };
      const give = (): void => finish(undefined);
      const timer = setTimeout(give, timeoutMs);
      signal.addEventListener('abort', give, { once: true });
      this.waiters.add(look);
      look();
    });
  }

  /** Stops listening and drops keep-alive connections. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private judge(headers: IncomingHttpHeaders, body: string): Delivery {
    let event: Record<string, unknown> | undefined;
    try {
      const parsed: unknown = JSON.parse(body);
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) event = parsed as Record<string, unknown>;
    } catch {
      event = undefined;
    }
    const signature = this.verify(headers, body, event);
    if (!signature.ok || !event) return { headers, body, ...(event ? { event } : {}), signature, answer: 400 };
    const id = this.eventId(event, body);
    if (this.seen.has(id)) return { headers, body, event, signature, answer: 409 };
    this.seen.add(id);
    return { headers, body, event, signature, answer: 200 };
  }

  private verify(headers: IncomingHttpHeaders, body: string, event: Record<string, unknown> | undefined): SignatureCheck {
    if (this.scheme.scheme === 'hmac-sha256-timestamp') {
      const header = headers[this.scheme.header];
      return verifySignature(Array.isArray(header) ? header[0] : header, body, this.secret, { toleranceSeconds: this.scheme.toleranceSeconds });
    }
    // Adyen: every item of the batch carries its own signature; one bad item refuses the batch.
    const items = adyenItems(event);
    if (items.length === 0) return { ok: false, problem: 'malformed', detail: 'no notificationItems[].NotificationRequestItem in the body' };
    for (const item of items) {
      const check = verifyAdyenItem(item, this.secret);
      if (!check.ok) return check;
    }
    return { ok: true, timestamp: Math.floor(Date.now() / 1000) };
  }

  /**
   * What makes a delivery the same event: its id where the profile says (`idAt`), else `id`
   * (payready, Stripe: `evt_...`); for Adyen, which has no event id, the items' pspReference with
   * their eventCode and success ("check for duplicates by eventCode and pspReference", Adyen's
   * webhook docs).
   */
  private eventId(event: Record<string, unknown>, body: string): string {
    const declared = at(event, this.scheme.idAt);
    if (typeof declared === 'string' && declared !== '') return declared;
    if (typeof event['id'] === 'string') return event['id'];
    const items = adyenItems(event);
    if (items.length > 0) return items.map((item) => `${item.pspReference}:${item.eventCode}:${item.success}`).join(',');
    return body;
  }
}

/** The NotificationRequestItems of an Adyen notification. */
function adyenItems(event: Record<string, unknown> | undefined): (AdyenNotificationItem & { additionalData?: { hmacSignature?: unknown } })[] {
  const list = event?.['notificationItems'];
  if (!Array.isArray(list)) return [];
  return list.flatMap((entry: unknown) => {
    const item = entry !== null && typeof entry === 'object' ? (entry as Record<string, unknown>)['NotificationRequestItem'] : undefined;
    return item !== null && typeof item === 'object' ? [item as AdyenNotificationItem] : [];
  });
}
