import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { expect } from 'vitest';
import { afterFile } from '../../support/after-file.js';
import { OpenApiDocument } from '../../../src/schema/openapi.js';
import { toViolations } from '../../../src/schema/violations.js';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { clientFor, freshSandbox, type SandboxClient, type TestResponse } from '../../support/sandbox.js';

/**
 * Helpers for the Adyen dialect's tests. The yardstick is Adyen's own artefacts: every request
 * the tests send and every JSON response the emulator returns is validated against Adyen's
 * Checkout API v71 OpenAPI document (fixtures/openapi, MIT, from github.com/Adyen/adyen-openapi).
 */
const text = readFileSync(new URL('../../../fixtures/openapi/adyen-checkout-v71.openapi.json', import.meta.url), 'utf8');
export const checkoutDoc = OpenApiDocument.parse(text);

/** Violations of the request body of `path` (e.g. '/v71/payments'); empty when it conforms. */
export function requestViolations(path: string, body: unknown): string[] {
  const op = checkoutDoc.byRequest('post', path);
  if (!op) return [`no operation for POST ${path}`];
  const schema = checkoutDoc.requestSchema(op, 'application/json');
  if (schema.kind !== 'schema') return [`no request schema for POST ${path}: ${schema.kind}`];
  return schema.validator(body) ? [] : toViolations(schema.validator.errors).map((v) => `${v.message} (${v.rule})`);
}

/** Violations of a response to POST `path`; a status the document does not list is one too. */
export function responseViolations(path: string, response: TestResponse): string[] {
  const op = checkoutDoc.byRequest('post', path);
  if (!op) return [`no operation for POST ${path}`];
  const mediaType = (response.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
  const schema = checkoutDoc.responseSchema(op, response.status, mediaType);
  if (schema.kind !== 'schema') return [`${response.status} ${mediaType}: ${schema.kind}`];
  let body: unknown;
  try {
    body = JSON.parse(response.text);
  } catch {
    return ['the body is not JSON'];
  }
  return schema.validator(body) ? [] : toViolations(schema.validator.errors).map((v) => `${v.message} (${v.rule})`);
}

/** The ServiceError schema itself (for the 409 the document does not list). */
export function serviceErrorViolations(body: unknown): string[] {
  const validator = checkoutDoc.compile('#/components/schemas/ServiceError', 'response');
  return validator(body) ? [] : toViolations(validator.errors).map((v) => `${v.message} (${v.rule})`);
}

// Compile every schema the tests use now, before any sandbox starts: compiling Adyen's 889 KB
// document takes seconds of synchronous work, and the sandbox runs in this process. Done in the
// middle of a test, it would stall the server past its keep-alive timeout while the client still
// holds the connection (a spurious ECONNRESET on the next request).
const PSP = '/v71/payments/XXXXXXXXXXXXXXXX';
for (const path of ['/v71/payments', `${PSP}/captures`, `${PSP}/cancels`, `${PSP}/refunds`, `${PSP}/reversals`, '/v71/cancels']) {
  requestViolations(path, {});
  for (const status of [200, 201, 400, 401, 403, 422, 500]) {
    responseViolations(path, { status, headers: { 'content-type': 'application/json' }, text: '{}', json: () => ({}) });
  }
}
serviceErrorViolations({});

/** An Adyen API client of one sandbox: it checks every request against the document before sending. */
export class AdyenClient {
  constructor(
    readonly sandbox: Sandbox,
    readonly http: SandboxClient,
  ) {}

  /** POSTs `body` to `path` with the sandbox's API key (unless `headers` say otherwise); the request must conform unless `lax`. */
  async post(path: string, body: unknown, options: { headers?: Record<string, string>; lax?: boolean } = {}): Promise<TestResponse> {
    if (!options.lax && path.startsWith('/v71/')) expect(requestViolations(path, body), `request to ${path}`).toEqual([]);
    return this.http.send(path, { json: body, headers: { 'x-api-key': this.sandbox.apiKey ?? '', ...options.headers } });
  }

  /** POSTs and asserts the response conforms to the document; returns it parsed. */
  async conforming(path: string, body: unknown, options: { headers?: Record<string, string>; lax?: boolean } = {}): Promise<{ response: TestResponse; body: Record<string, unknown> }> {
    const response = await this.post(path, body, options);
    expect(responseViolations(path, response), `${response.status} ${response.text}`).toEqual([]);
    return { response, body: response.json() };
  }
}

/** A fresh Adyen-dialect sandbox (with these faults) and its client; closed after the file. */
export async function adyenSandbox(faults: string[] = [], options: { hmacKey?: string } = {}): Promise<AdyenClient> {
  const sandbox = await freshSandbox({ provider: 'adyen', faults, ...options });
  return new AdyenClient(sandbox, clientFor(sandbox));
}

/** A valid card payment request (PaymentRequest) for the sandbox's merchant account. */
export function adyenPayment(sandbox: Sandbox, overrides: Record<string, unknown> = {}, method: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    amount: { value: 1050, currency: 'EUR' },
    merchantAccount: sandbox.merchantAccount,
    reference: `order-${Math.random().toString(36).slice(2, 10)}`,
    returnUrl: 'https://shop.example/checkout/return',
    paymentMethod: { type: 'scheme', number: '4111111145551142', expiryMonth: '03', expiryYear: '2030', cvc: '737', holderName: 'Jane Doe', ...method },
    ...overrides,
  };
}

/** What a receiver got: the parsed notification body. */
export interface ReceivedNotification {
  live: string;
  notificationItems: { NotificationRequestItem: Record<string, unknown> & { additionalData: Record<string, string>; amount: { value: number; currency: string } } }[];
}

/** A loopback notification receiver; answers `[accepted]` unless told otherwise. */
export class NotificationReceiver {
  readonly received: ReceivedNotification[] = [];
  /** What to answer: Adyen's acknowledgement, or something else (to see retries). */
  answer: { status: number; body: string } = { status: 200, body: '[accepted]' };
  private readonly server: Server;
  private waiters: (() => void)[] = [];

  constructor() {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        this.received.push(JSON.parse(body) as ReceivedNotification);
        res.writeHead(this.answer.status, { 'content-type': 'text/plain' }).end(this.answer.body);
        for (const wake of this.waiters.splice(0)) wake();
      });
    });
    receivers.push(this);
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as { port: number }).port}/adyen`;
  }

  /** Items received so far, flattened. */
  items(): ReceivedNotification['notificationItems'][number]['NotificationRequestItem'][] {
    return this.received.flatMap((n) => n.notificationItems.map((i) => i.NotificationRequestItem));
  }

  /** Waits (up to `ms`) for an item matching `test`. */
  async waitFor(test: (item: Record<string, unknown>) => boolean, ms = 10_000): Promise<ReceivedNotification['notificationItems'][number]['NotificationRequestItem']> {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = this.items().find(test);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching notification within ${ms} ms; got ${JSON.stringify(this.items().map((i) => [i['eventCode'], i['success']]))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    // The sandbox's deliveries use keep-alive connections; close() alone would wait for them.
    this.server.closeAllConnections();
    return closed;
  }
}

const receivers: NotificationReceiver[] = [];
// After every test file: one worker runs many files and keeps this module loaded (test/support/after-file.ts).
afterFile(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

/** Registers `url` through the emulated Management API; returns the webhook's id. */
export async function registerWebhook(client: AdyenClient, url: string): Promise<string> {
  const response = await client.post(`/v3/merchants/${client.sandbox.merchantAccount}/webhooks`, { type: 'standard', url, active: true, communicationFormat: 'json' });
  expect(response.status, response.text).toBe(200);
  return String(response.json()['id']);
}
