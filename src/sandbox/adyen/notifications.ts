import { randomBytes } from 'node:crypto';
import { request as httpRequest, type ClientRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { adyenSignature } from '../../net/webhook-signature.js';
import type { FaultSet } from '../faults.js';
import { DELIVERY_SCHEDULE_MS } from '../webhooks/delivery.js';
import type { AdyenAmount } from './validation.js';

/** Event codes this dialect sends (Adyen's standard webhook event codes). */
export type AdyenEventCode = 'AUTHORISATION' | 'CAPTURE' | 'CAPTURE_FAILED' | 'CANCELLATION' | 'REFUND' | 'REFUND_FAILED' | 'CANCEL_OR_REFUND' | 'TECHNICAL_CANCEL';

/** One `NotificationRequestItem` as Adyen sends it: every scalar a string, `amount.value` a number. */
export interface NotificationRequestItem {
  additionalData: Record<string, string>;
  amount: AdyenAmount;
  eventCode: AdyenEventCode;
  eventDate: string;
  merchantAccountCode: string;
  merchantReference: string;
  originalReference?: string;
  pspReference: string;
  paymentMethod?: string;
  reason: string;
  success: 'true' | 'false';
  operations?: string[];
}

/** The body of a standard notification. */
export interface AdyenNotification {
  live: 'false';
  notificationItems: { NotificationRequestItem: NotificationRequestItem }[];
}

/** A webhook registered through the Management API. */
export interface AdyenWebhook {
  /** Adyen's webhook id. */
  id: string;
  url: string;
  active: boolean;
  /** The key (hex) notifications to this webhook are signed with. */
  hmacKey: string;
  /** Deliveries over HTTPS accept a self-signed or untrusted certificate (the Management API's flags). */
  acceptsSelfSigned: boolean;
  /** Basic authentication Adyen sends, when configured. */
  username?: string;
  password?: string;
}


/** Adyen's acknowledgement: the receiver answers 2xx with `[accepted]` in the body. */
export const ACCEPTED = '[accepted]';
const DELIVERY_TIMEOUT_MS = 5_000;

/**
 * Registered webhooks and the delivery of notifications. Adyen: "If we don't receive an
 * acknowledgement, we retry" — here on the compressed schedule of the payready dialect
 * (DELIVERY_SCHEDULE_MS: at once, then after 1 s and 3 s), bounded so a test or a demo never waits
 * Adyen's real hours. A delivery counts as accepted only on a 2xx whose body holds `[accepted]`.
 */
export class AdyenNotifier {
  private readonly webhooks = new Map<string, AdyenWebhook>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly requests = new Set<ClientRequest>();
  private closed = false;

  constructor(
    private readonly faults: FaultSet,
    /** The account's default key (hex): what a new webhook signs with until it generates its own. */
    readonly defaultHmacKey: string,
  ) {}

  register(url: string, options: { active?: boolean; acceptsSelfSigned?: boolean; username?: string; password?: string } = {}): AdyenWebhook {
    const webhook: AdyenWebhook = {
      id: `S2-${randomBytes(8).toString('hex').toUpperCase()}`,
      url,
      active: options.active ?? true,
      hmacKey: this.defaultHmacKey,
      acceptsSelfSigned: options.acceptsSelfSigned ?? false,
      ...(options.username !== undefined ? { username: options.username } : {}),
      ...(options.password !== undefined ? { password: options.password } : {}),
    };
    this.webhooks.set(webhook.id, webhook);
    return webhook;
  }

  get(id: string): AdyenWebhook | undefined {
    return this.webhooks.get(id);
  }

  remove(id: string): boolean {
    return this.webhooks.delete(id);
  }

  /** A new HMAC key for the webhook (the Management API's generateHmac); undefined when unknown. */
  generateHmac(id: string): string | undefined {
    const webhook = this.webhooks.get(id);
    if (!webhook) return undefined;
    webhook.hmacKey = randomBytes(32).toString('hex').toUpperCase();
    return webhook.hmacKey;
  }

  /** Signs `item` for each active webhook and sends it (fire and forget; never throws). */
  emit(item: Omit<NotificationRequestItem, 'additionalData'>, additionalData: Record<string, string> = {}): void {
    if (this.closed) return;
    for (const webhook of this.webhooks.values()) {
      if (!webhook.active) continue;
      // `webhook-bad-signature`: signed with a key nobody holds.
      const key = this.faults.apply('adyenHmacKey', webhook.hmacKey);
      const notification: AdyenNotification = {
        live: 'false',
        notificationItems: [{ NotificationRequestItem: { ...item, additionalData: { ...additionalData, hmacSignature: adyenSignature(item, key) } } }],
      };
      this.schedule(webhook, JSON.stringify(notification), 0);
    }
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const req of this.requests) req.destroy();
    this.requests.clear();
  }

  private schedule(webhook: AdyenWebhook, body: string, attempt: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.deliver(webhook, body).then((ok) => {
        const next = attempt + 1;
        if (!ok && !this.closed && next < DELIVERY_SCHEDULE_MS.length && this.webhooks.has(webhook.id)) this.schedule(webhook, body, next);
      });
    }, DELIVERY_SCHEDULE_MS[attempt] ?? 0);
    this.timers.add(timer);
  }

  /** One attempt: true when the receiver acknowledged with `[accepted]`. Never rejects. */
  private deliver(webhook: AdyenWebhook, body: string): Promise<boolean> {
    return new Promise((resolve) => {
      const url = new URL(webhook.url);
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
        'user-agent': 'Adyen HttpClient 1.0',
      };
      if (webhook.username !== undefined) headers['authorization'] = `Basic ${Buffer.from(`${webhook.username}:${webhook.password ?? ''}`).toString('base64')}`;
      const options = { method: 'POST', timeout: DELIVERY_TIMEOUT_MS, headers };
      const req = url.protocol === 'https:' ? httpsRequest(url, { ...options, rejectUnauthorized: !webhook.acceptsSelfSigned }) : httpRequest(url, options);
      this.requests.add(req);
      const finish = (ok: boolean): void => {
        this.requests.delete(req);
        resolve(ok);
      };
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => {
          if (chunks.length < 16) chunks.push(chunk);
        });
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          finish(status >= 200 && status < 300 && Buffer.concat(chunks).toString('utf8').includes(ACCEPTED));
        });
        res.on('error', () => finish(false));
      });
      req.on('timeout', () => req.destroy());
      req.on('error', () => finish(false));
      req.end(body);
    });
  }
}
