import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SIGNATURE_HEADER, verifySignature, type SignatureCheck } from '../../net/webhook-signature.js';

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

  constructor(private readonly toleranceSeconds: number) {
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
        res.writeHead(delivery.answer, { 'content-type': 'text/plain; charset=utf-8' }).end();
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
    const header = headers[SIGNATURE_HEADER];
    const signature = verifySignature(Array.isArray(header) ? header[0] : header, body, this.secret, { toleranceSeconds: this.toleranceSeconds });
    let event: Record<string, unknown> | undefined;
    try {
      const parsed: unknown = JSON.parse(body);
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) event = parsed as Record<string, unknown>;
    } catch {
      event = undefined;
    }
    if (!signature.ok || !event) return { headers, body, ...(event ? { event } : {}), signature, answer: 400 };
    const id = typeof event['id'] === 'string' ? event['id'] : body;
    if (this.seen.has(id)) return { headers, body, event, signature, answer: 409 };
    this.seen.add(id);
    return { headers, body, event, signature, answer: 200 };
  }
}
