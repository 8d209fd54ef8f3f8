import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/index.js';
import { startMerchant, type MerchantProcess } from '../support/merchant.js';
import { tempDir } from '../support/temp.js';
import { freshStripe, stripeFor } from '../sandbox/stripe/support.js';
import { freshSandbox } from '../support/sandbox.js';

/**
 * The reference merchant (examples/merchant/) as a process, paying through the official stripe SDK
 * against the Stripe-dialect sandbox, and each BREAK switch tested here breaking what it says.
 * Retries are tested against a scripted fake Stripe (plain HTTP), which answers 429/503/slowly
 * on demand; the sandbox's per-order control API does that for the integration scenarios.
 */

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function order(merchant: MerchantProcess, orderId: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${merchant.url}/api/orders/${encodeURIComponent(orderId)}`);
  return (await response.json()) as Record<string, unknown>;
}

let counter = 0;
/** An order id of its own for each payment (the sandbox is shared by the whole file). */
const newOrder = (label: string): string => `${label}-${process.pid}-${++counter}`;

/** One webhook delivery the sandbox made. */
interface Delivery {
  body: string;
  signature: string;
  event: { id: string; type: string; data: { object: { metadata?: Record<string, string> } } };
}

/**
 * The sandbox's webhook receiver: it forwards every delivery, as it came, to every merchant
 * started (a merchant ignores events of orders it does not have), and keeps it so a test can
 * replay it. A delivery is recorded once every merchant has answered it.
 */
class Relay {
  readonly targets = new Set<string>();
  readonly deliveries: Delivery[] = [];
  private readonly server: Server;
  private waiters: (() => void)[] = [];

  constructor() {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        const signature = String(req.headers['stripe-signature'] ?? '');
        const forwarded = [...this.targets].map((target) => fetch(`${target}/webhooks/stripe`, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': signature }, body }).then((r) => r.arrayBuffer()));
        void Promise.allSettled(forwarded).then(() => {
          this.deliveries.push({ body, signature, event: JSON.parse(body) as Delivery['event'] });
          res.writeHead(200).end();
          for (const wake of this.waiters.splice(0)) wake();
        });
      });
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as { port: number }).port}/hooks`;
  }

  /** The delivery of `type` for `orderId`, once every merchant has answered it. */
  async delivered(type: string, orderId: string, ms = 5_000): Promise<Delivery> {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = this.deliveries.find((d) => d.event.type === type && d.event.data.object.metadata?.['order_id'] === orderId);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${type} delivery for ${orderId} in ${ms} ms`);
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
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }
}

/** One request the fake Stripe got. */
interface FakeRequest {
  at: number;
  answeredAt: number;
  headers: IncomingHttpHeaders;
  form: URLSearchParams;
}

/**
 * A scripted stand-in for Stripe's PaymentIntents endpoint (plain HTTP): per order id
 * (`metadata[order_id]`), the first answers follow the script (`429:2` is a 429 with
 * `Retry-After: 2`, `slow:600` holds a success 600 ms), then a succeeded PaymentIntent.
 */
class FakeStripe {
  readonly requests = new Map<string, FakeRequest[]>();
  readonly scripts = new Map<string, string[]>();
  private readonly server: Server;

  constructor() {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        const form = new URLSearchParams(body);
        const orderId = form.get('metadata[order_id]') ?? '';
        const seen = this.requests.get(orderId) ?? [];
        this.requests.set(orderId, seen);
        const record: FakeRequest = { at: Date.now(), answeredAt: 0, headers: req.headers, form };
        seen.push(record);
        const step = this.scripts.get(orderId)?.[seen.length - 1] ?? 'ok';
        const [kind, arg] = step.split(':');
        const send = (status: number, payload: unknown, headers: Record<string, string> = {}): void => {
          record.answeredAt = Date.now();
          if (!res.destroyed) res.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_${seen.length}`, ...headers }).end(JSON.stringify(payload));
        };
        const intent = { id: `pi_fake_${orderId}`, object: 'payment_intent', status: 'succeeded', amount: Number(form.get('amount')), currency: form.get('currency'), metadata: { order_id: orderId } };
        if (kind === '429' || kind === '503') {
          const type = kind === '429' ? 'rate_limit_error' : 'api_error';
          send(Number(kind), { error: { type, message: 'Try again later.' } }, arg ? { 'retry-after': arg } : {});
        } else if (kind === 'slow') {
          setTimeout(() => send(200, intent), Number(arg));
        } else {
          send(200, intent);
        }
      });
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }
}

const PAN = '4242424242424242';

describe('reference merchant (examples/merchant)', () => {
  const relay = new Relay();
  const fake = new FakeStripe();
  let sandbox: Sandbox;
  let logs: string;
  const merchants: Record<string, MerchantProcess> = {};

  beforeAll(async () => {
    sandbox = await freshStripe({ webhookUrls: [await relay.listen()] });
    const fakeUrl = await fake.listen();
    const payready = await freshSandbox({ provider: 'payready' });
    const payreadyEnv = {
      PROVIDER: 'payready',
      PAYREADY_API_BASE: payready.baseUrl,
      PAYREADY_CA_FILE: payready.caFile,
      PAYREADY_CLIENT_ID: payready.clientId,
      PAYREADY_CLIENT_SECRET: payready.clientSecret,
      PAYREADY_TOKEN_URL: `${payready.baseUrl}/oauth/token`,
    };
    logs = tempDir('merchant-logs-');
    const stripeEnv = { STRIPE_SECRET_KEY: sandbox.apiKey ?? '', STRIPE_API_BASE: sandbox.baseUrl, STRIPE_CA_FILE: sandbox.caFile, STRIPE_WEBHOOK_SECRET: sandbox.webhookSecret };
    const fakeEnv = { STRIPE_SECRET_KEY: 'sk_test_fake', STRIPE_API_BASE: fakeUrl, STRIPE_WEBHOOK_SECRET: 'whsec_fake', STRIPE_TIMEOUT_MS: '300' };
    const variants: Record<string, Record<string, string>> = {
      default: { ...stripeEnv, MERCHANT_LOG: join(logs, 'default.log') },
      unsignedWebhooks: { ...stripeEnv, BREAK: 'unsigned-webhooks' },
      applyDuplicates: { ...stripeEnv, BREAK: 'apply-duplicates' },
      logPan: { ...stripeEnv, BREAK: 'log-pan', MERCHANT_LOG: join(logs, 'log-pan.log') },
      fiveHundred: { ...stripeEnv, BREAK: '500-on-decline' },
      retryDecline: { ...stripeEnv, BREAK: 'retry-hard-decline' },
      bareMessage: { ...stripeEnv, BREAK: 'bare-decline-message' },
      noCapFallback: { ...stripeEnv, BREAK: 'no-cap-fallback', MERCHANT_SPLIT_MAX: '50000000' },
      split: { ...stripeEnv, MERCHANT_SPLIT_MAX: '50000000' },
      // Without the sandbox's CA: verification refuses its certificate, unless switched off.
      noCa: { ...stripeEnv, STRIPE_CA_FILE: '' },
      tlsOffNoCa: { ...stripeEnv, STRIPE_CA_FILE: '', BREAK: 'tls-off' },
      fake: fakeEnv,
      fakeIgnoreRetryAfter: { ...fakeEnv, BREAK: 'ignore-retry-after' },
      fakeNoKey: { ...fakeEnv, BREAK: 'no-idempotency-key' },
      rawCard: { ...stripeEnv, BREAK: 'raw-card' },
      payready: payreadyEnv,
      payreadyTokenPerRequest: { ...payreadyEnv, BREAK: 'token-per-request' },
    };
    const started = await Promise.all(Object.entries(variants).map(async ([name, env]) => [name, await startMerchant(env)] as const));
    for (const [name, merchant] of started) {
      merchants[name] = merchant;
      relay.targets.add(merchant.url);
    }
  });

  afterAll(async () => {
    await Promise.all(Object.values(merchants).map((m) => m.stop()));
    await relay.close();
    await fake.close();
  });

  const m = (name: string): MerchantProcess => {
    const merchant = merchants[name];
    if (!merchant) throw new Error(`no merchant ${name}`);
    return merchant;
  };
  const pay = (name: string, orderId: string, paymentMethod = 'pm_card_visa', amount = 2500, currency = 'eur'): Promise<Answer> =>
    post(`${m(name).url}/api/checkout`, { orderId, amount, currency, paymentMethod });
  const intentsOf = async (orderId: string) => (await stripeFor(sandbox).paymentIntents.search({ query: `metadata['order_id']:'${orderId}'` })).data;

  it('pays an order: one succeeded PaymentIntent carrying metadata.order_id, keyed by the order, and says so', async () => {
    const id = newOrder('happy');
    const answer = await pay('default', id);
    expect(answer).toMatchObject({ status: 200, body: { orderId: id, status: 'paid', message: 'Thank you! Your payment of €25.00 succeeded.' } });
    const intents = await intentsOf(id);
    expect(intents).toHaveLength(1);
    expect(intents[0]).toMatchObject({ id: answer.body['paymentId'], status: 'succeeded', amount: 2500, currency: 'eur', metadata: { order_id: id } });
    // The webhook arrived and was applied; paying the order again charges nothing.
    await relay.delivered('payment_intent.succeeded', id);
    expect(await order(m('default'), id)).toMatchObject({ orderId: id, status: 'paid', paymentId: answer.body['paymentId'], amount: 2500, currency: 'eur', appliedEvents: 1 });
    expect((await pay('default', id)).body).toMatchObject({ status: 'paid', message: 'This order is already paid. Thank you!' });
    expect(await intentsOf(id)).toHaveLength(1);
    expect(m('default').output()).toContain(`idempotencyKey=order-${id}-checkout1 outcome=succeeded`);
  });

  it('tells a declined shopper what to do (402), without retrying the decline', async () => {
    const id = newOrder('declined');
    const answer = await pay('default', id, 'pm_card_visa_chargeDeclined');
    expect(answer).toMatchObject({ status: 402, body: { orderId: id, status: 'declined', message: 'Your card was declined. Please use another card or contact your bank.' } });
    expect(await intentsOf(id)).toHaveLength(1);
    const funds = await pay('default', newOrder('funds'), 'pm_card_chargeDeclinedInsufficientFunds');
    expect(funds.body['message']).toBe('Your card has insufficient funds. Please use another card or contact your bank.');
    // An unknown order is a 404; a malformed checkout a 400 with a sentence.
    expect((await fetch(`${m('default').url}/api/orders/nope`)).status).toBe(404);
    const bad = await post(`${m('default').url}/api/checkout`, { orderId: 'x', amount: 10.5, currency: 'eur', paymentMethod: 'pm_card_visa' });
    expect(bad).toMatchObject({ status: 400, body: { message: 'amount must be a whole number of minor units (cents) above 0.' } });
  });

  it('splits an order over the cap into parts under MERCHANT_SPLIT_MAX, and refuses one that would need too many', async () => {
    const id = newOrder('split');
    const answer = await pay('split', id, 'pm_card_visa', 100_000_001, 'usd');
    expect(answer).toMatchObject({ status: 200, body: { status: 'split', message: expect.stringMatching(/^Thank you! Your payment of \$1,000,000\.01 succeeded, charged in 3 parts/) } });
    const intents = await intentsOf(id);
    expect(intents.map((i) => i.amount).sort()).toEqual([33_333_333, 33_333_334, 33_333_334]);
    expect(intents.every((i) => i.status === 'succeeded')).toBe(true);
    // The default split size (50000) would need 2000 parts: a clear refusal, not a 500.
    const refused = await pay('default', newOrder('refused'), 'pm_card_visa', 100_000_001, 'usd');
    expect(refused).toMatchObject({ status: 422, body: { status: 'refused', message: expect.stringContaining('your card was not charged') } });
  });

  it('applies a webhook the sandbox signed once, acknowledges a replay without applying it, refuses a forged one', async () => {
    const id = newOrder('hooks');
    await pay('default', id);
    const delivery = await relay.delivered('payment_intent.succeeded', id);
    expect((await order(m('default'), id))['appliedEvents']).toBe(1);
    const replay = await post(`${m('default').url}/webhooks/stripe`, delivery.body, { 'stripe-signature': delivery.signature });
    expect(replay).toEqual({ status: 200, body: { received: true } });
    expect((await order(m('default'), id))['appliedEvents']).toBe(1);
    const forged = delivery.body.replace(delivery.event.id, `${delivery.event.id}x`);
    expect((await post(`${m('default').url}/webhooks/stripe`, forged, { 'stripe-signature': delivery.signature })).status).toBe(400);
    expect((await post(`${m('default').url}/webhooks/stripe`, forged)).status).toBe(400);
    expect((await order(m('default'), id))['appliedEvents']).toBe(1);
  });

  it('BREAK=unsigned-webhooks: a forged "succeeded" marks a declined order paid', async () => {
    const id = newOrder('forged');
    await pay('unsignedWebhooks', id, 'pm_card_visa_chargeDeclined');
    const failed = await relay.delivered('payment_intent.payment_failed', id);
    expect(await order(m('unsignedWebhooks'), id)).toMatchObject({ status: 'declined', appliedEvents: 1 });
    const forged = failed.body.replaceAll('payment_intent.payment_failed', 'payment_intent.succeeded').replace(failed.event.id, `${failed.event.id}x`);
    expect((await post(`${m('unsignedWebhooks').url}/webhooks/stripe`, forged, { 'stripe-signature': 't=1,v1=00' })).status).toBe(200);
    expect(await order(m('unsignedWebhooks'), id)).toMatchObject({ status: 'paid', appliedEvents: 2 });
  });

  it('BREAK=apply-duplicates: a replayed event is applied again', async () => {
    const id = newOrder('dupes');
    await pay('applyDuplicates', id);
    const delivery = await relay.delivered('payment_intent.succeeded', id);
    await post(`${m('applyDuplicates').url}/webhooks/stripe`, delivery.body, { 'stripe-signature': delivery.signature });
    expect((await order(m('applyDuplicates'), id))['appliedEvents']).toBe(2);
  });

  it('logs the card masked; BREAK=log-pan writes the whole number to MERCHANT_LOG', async () => {
    await pay('default', newOrder('log'));
    await pay('logPan', newOrder('log'));
    const masked = readFileSync(join(logs, 'default.log'), 'utf8');
    expect(masked).toContain('card=****4242');
    expect(masked).not.toContain(PAN);
    expect(readFileSync(join(logs, 'log-pan.log'), 'utf8')).toContain(`card=${PAN}`);
  });

  it('BREAK=500-on-decline answers a decline with a 500 (and no stack trace); BREAK=bare-decline-message with the code', async () => {
    const answer = await pay('fiveHundred', newOrder('five'), 'pm_card_visa_chargeDeclined');
    expect(answer).toEqual({ status: 500, body: { error: 'Internal Server Error' } });
    const bare = await pay('bareMessage', newOrder('bare'), 'pm_card_visa_chargeDeclinedStolenCard');
    expect(bare).toMatchObject({ status: 402, body: { status: 'declined', message: 'stolen_card' } });
  });

  it('BREAK=retry-hard-decline charges a stolen card three times; BREAK=no-cap-fallback answers 500 over the cap', async () => {
    const id = newOrder('again');
    expect((await pay('retryDecline', id, 'pm_card_visa_chargeDeclinedStolenCard')).status).toBe(402);
    expect(await intentsOf(id)).toHaveLength(3);
    expect((await pay('noCapFallback', newOrder('nocap'), 'pm_card_visa', 100_000_001, 'usd')).status).toBe(500);
  });

  it('keeps TLS verification on (no payment without the CA); BREAK=tls-off pays anyway', async () => {
    const refused = await pay('noCa', newOrder('tls'));
    expect(refused).toMatchObject({ status: 402, body: { status: 'failed', message: 'We could not reach our payment provider securely, so your card was not charged. Please try again later.' } });
    const id = newOrder('tlsoff');
    expect((await pay('tlsOffNoCa', id)).body).toMatchObject({ status: 'paid' });
    expect(await intentsOf(id)).toHaveLength(1);
  });

  it('retries a 503, a 429 and a timeout with the same idempotency key, waiting out Retry-After', async () => {
    const id = newOrder('retry');
    fake.scripts.set(id, ['429:1', 'slow:600', 'ok']);
    const answer = await pay('fake', id);
    expect(answer.body).toMatchObject({ status: 'paid', paymentId: `pi_fake_${id}` });
    const seen = fake.requests.get(id) ?? [];
    expect(seen).toHaveLength(3);
    expect(new Set(seen.map((r) => r.headers['idempotency-key']))).toEqual(new Set([`order-${id}-checkout1`]));
    const [first, second] = seen;
    expect(second!.at - first!.answeredAt).toBeGreaterThanOrEqual(1000);
    // Retry-After over 10 s: a clear "try later" after one call, never a 5xx.
    const busy = newOrder('busy');
    fake.scripts.set(busy, ['503:30']);
    expect(await pay('fake', busy)).toMatchObject({ status: 402, body: { status: 'failed', message: expect.stringContaining('Please try again in a few minutes') } });
    expect(fake.requests.get(busy)).toHaveLength(1);
    // Three 503s in a row: three calls, then the same answer.
    const down = newOrder('down');
    fake.scripts.set(down, ['503', '503', '503', 'ok']);
    expect((await pay('fake', down)).body['status']).toBe('failed');
    expect(fake.requests.get(down)).toHaveLength(3);
  });

  it('BREAK=ignore-retry-after retries at once; BREAK=no-idempotency-key sends no key', async () => {
    const id = newOrder('early');
    fake.scripts.set(id, ['429:2', 'ok']);
    expect((await pay('fakeIgnoreRetryAfter', id)).body['status']).toBe('paid');
    const [first, second] = fake.requests.get(id) ?? [];
    expect(second!.at - first!.answeredAt).toBeLessThan(2000);
    const keyless = newOrder('keyless');
    fake.scripts.set(keyless, ['503', 'ok']);
    expect((await pay('fakeNoKey', keyless)).body['status']).toBe('paid');
    expect((fake.requests.get(keyless) ?? []).map((r) => r.headers['idempotency-key'])).toEqual([undefined, undefined]);
  });

  it('PROVIDER=payready: pays with one OAuth token for many payments; BREAK=token-per-request fetches one per payment', async () => {
    const tokens = (name: string): number => m(name).output().split('access token fetched').length - 1;
    for (const name of ['payready', 'payreadyTokenPerRequest']) {
      expect((await pay(name, newOrder('pr'))).body).toMatchObject({ status: 'paid', paymentId: expect.stringMatching(/^pay_/) });
      expect(await pay(name, newOrder('pr'), 'pm_card_visa_chargeDeclined')).toMatchObject({ status: 402, body: { status: 'declined' } });
    }
    expect(tokens('payready')).toBe(1);
    // Authorise and capture for the paid order, authorise for the declined one: three calls, three tokens.
    expect(tokens('payreadyTokenPerRequest')).toBe(3);
  });

  it('sends the token, never the card number; BREAK=raw-card sends the number', async () => {
    // The sandbox's request log notes (masked) every request that carried a whole card number.
    const carried = (): number => readFileSync(sandbox.requestLog, 'utf8').split('\n').filter((line) => line.includes('"card":')).length;
    const before = carried();
    expect((await pay('default', newOrder('token'))).body['status']).toBe('paid');
    expect(carried()).toBe(before);
    // The sandbox, like Stripe for an account without raw card data access, refuses the number
    // (a 402 the SDK raises as a card error), and logs the request with the card masked.
    const id = newOrder('raw');
    const raw = await pay('rawCard', id);
    expect(raw.body['status']).toBe('declined');
    expect(carried()).toBe(before + 1);
    expect(await intentsOf(id)).toHaveLength(0);
  });

  it('after a redirect, reads the payment from the provider and says how it ended in a status region', async () => {
    const id = newOrder('back');
    const paid = await pay('default', id);
    const page = async (query: string): Promise<string> => (await fetch(`${m('default').url}/checkout/return?${query}`)).text();
    expect(await page(`orderId=${id}&payment_intent=${String(paid.body['paymentId'])}&redirect_status=succeeded`)).toContain('<p id="result" role="status">Your payment succeeded. Thank you for your order!</p>');
    // Another order's payment, or a redirect_status the browser made up, proves nothing.
    const other = await pay('default', newOrder('other'), 'pm_card_visa_chargeDeclined');
    expect(await page(`orderId=${id}&payment_intent=${String(other.body['paymentId'])}&redirect_status=succeeded`)).toContain('This payment does not belong to this order.');
    const declinedId = newOrder('back-declined');
    const declined = await pay('default', declinedId, 'pm_card_visa_chargeDeclined');
    expect(await page(`orderId=${declinedId}&payment_intent=${String(declined.body['paymentId'])}&redirect_status=succeeded`)).toContain('Your payment failed because your bank could not confirm it.');
  });

  it('serves a checkout page with a Pay button and a status region', async () => {
    const response = await fetch(`${m('default').url}/checkout?orderId=page-1&amount=1999&currency=usd`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    const page = await response.text();
    expect(page).toContain('<button type="submit">Pay</button>');
    expect(page).toContain('role="status"');
    expect(page).toContain('$19.99');
  });
});
