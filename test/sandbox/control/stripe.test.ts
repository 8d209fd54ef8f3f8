import { readFile } from 'node:fs/promises';
import { Agent } from 'node:https';
import Stripe from 'stripe';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { Receiver, apiMessage, freshStripe, rejection, stripeFor } from '../stripe/support.js';
import { control, https, orderId, plan, recordsOf } from './support.js';

/**
 * The control API's per-order behaviours in the Stripe dialect, driven with the official SDK: each
 * behaviour is planned for one order while another order, paid at the same time, goes through
 * untouched; the per-order records show what reached the sandbox.
 */
let sandbox: Sandbox;
let stripe: Stripe;

beforeAll(async () => {
  sandbox = await freshStripe();
  stripe = stripeFor(sandbox);
});

/** Creates and confirms a payment of `order` with the SDK, idempotency key derived from the order. */
function pay(order: string, extra: Partial<Stripe.PaymentIntentCreateParams> = {}, client = stripe): Promise<Stripe.PaymentIntent> {
  return client.paymentIntents.create({ amount: 2500, currency: 'eur', payment_method: 'pm_card_visa', confirm: true, metadata: { order_id: order }, ...extra }, { idempotencyKey: `${order}-pay` });
}

describe('control API: access', () => {
  it('refuses a missing or wrong token and answers the right one', async () => {
    expect(sandbox.controlUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sandbox.controlToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(sandbox.targetFields()).toMatchObject({ controlUrl: sandbox.controlUrl, controlToken: sandbox.controlToken });
    const missing = await control(sandbox, 'GET', '/requests', undefined, null);
    expect(missing.status).toBe(401);
    expect(missing.body['error']).toMatch(/Bearer/);
    const wrong = await control(sandbox, 'PUT', '/orders/x', { behaviour: { kind: 'decline' } }, `${sandbox.controlToken.slice(1)}A`);
    expect(wrong.status).toBe(401);
    expect((await control(sandbox, 'GET', '/requests')).status).toBe(200);
  });

  it('validates behaviours, answers unknown paths with 404 and unrequested orders with no records', async () => {
    const bad = await control(sandbox, 'PUT', '/orders/x', { behaviour: { kind: 'explode' } });
    expect(bad.status).toBe(400);
    expect(bad.body['error']).toMatch(/kind/);
    expect((await control(sandbox, 'PUT', '/orders/x', { behaviour: { kind: 'error', status: 418 } })).status).toBe(400);
    expect((await control(sandbox, 'GET', '/nothing')).status).toBe(404);
    const ok = await control(sandbox, 'PUT', '/orders/x', { behaviour: { kind: 'decline', code: 'stolen_card' } });
    expect(ok).toMatchObject({ status: 200, body: { orderRef: 'x', behaviour: { kind: 'decline', code: 'stolen_card' } } });
    expect((await control(sandbox, 'DELETE', '/orders/x')).status).toBe(200);
    expect(await control(sandbox, 'GET', '/orders/never/requests')).toMatchObject({ status: 200, body: { orderRef: 'never', requests: [] } });
  });
});

describe('control API: stripe dialect behaviours per order', () => {
  it('decline: every attempt of the order is declined (do_not_honor), the other order succeeds', async () => {
    const declined = orderId('decline');
    const other = orderId('other');
    await plan(sandbox, declined, { kind: 'decline' });
    const [error, paid] = await Promise.all([rejection(pay(declined)), pay(other)]);
    expect(error).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(error.statusCode).toBe(402);
    expect(error.code).toBe('card_declined');
    expect(error.decline_code).toBe('do_not_honor');
    expect(error.payment_intent).toMatchObject({ status: 'requires_payment_method', last_payment_error: { type: 'card_error', decline_code: 'do_not_honor' } });
    expect(paid.status).toBe('succeeded');
    // A second attempt on the same intent (a new payment method) is declined too: the order, not the card.
    const again = await rejection(stripe.paymentIntents.confirm(error.payment_intent?.id ?? '', { payment_method: 'pm_card_mastercard' }));
    expect(again.decline_code).toBe('do_not_honor');

    const records = await recordsOf(sandbox, declined);
    expect(records.map((r) => [r.operation, r.status, r.outcome])).toEqual([
      ['create', 402, 'declined'],
      ['confirm', 402, 'declined'],
    ]);
    expect(records[0]).toMatchObject({ method: 'POST', path: '/v1/payment_intents', idempotencyKey: `${declined}-pay`, amount: 2500, currency: 'eur', paymentId: error.payment_intent?.id, declineCode: 'do_not_honor', rawCard: false, credentialInUrl: false, auth: 'bearer' });
    expect(await recordsOf(sandbox, other)).toMatchObject([{ operation: 'create', status: 200, outcome: 'succeeded', paymentId: paid.id }]);

    // The request log names the order and the idempotency key.
    const lines = (await readFile(sandbox.requestLog, 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toContainEqual(expect.objectContaining({ path: '/v1/payment_intents', status: 402, order: declined, idempotencyKey: `${declined}-pay` }));
  });

  it('timeout: the first write is processed but its answer held; the retry with the same key is answered at once', async () => {
    const slow = orderId('timeout');
    const other = orderId('other');
    await plan(sandbox, slow, { kind: 'timeout', delayMs: 3000 });
    const agent = new Agent({ ca: sandbox.caPem, keepAlive: false });
    const impatient = new Stripe(sandbox.apiKey ?? '', { host: sandbox.host, port: sandbox.port, protocol: 'https', httpAgent: agent, maxNetworkRetries: 0, timeout: 400 });
    try {
      const started = Date.now();
      const [timedOut, paid] = await Promise.all([rejection(pay(slow, {}, impatient)), pay(other, {}, impatient)]);
      expect(timedOut).toBeInstanceOf(Stripe.errors.StripeConnectionError);
      expect(paid.status).toBe('succeeded');
      const retried = await pay(slow, {}, impatient);
      expect(retried.status).toBe('succeeded');
      expect(Date.now() - started).toBeLessThan(3000);
      const records = await recordsOf(sandbox, slow);
      expect(records).toHaveLength(2);
      expect(records[0]).toMatchObject({ operation: 'create', status: 200, outcome: 'succeeded', delayedMs: 3000, idempotencyKey: `${slow}-pay` });
      expect(records[1]).toMatchObject({ operation: 'create', status: 200, paymentId: records[0]?.paymentId });
      expect(records[1]?.delayedMs).toBeUndefined();
      expect((await recordsOf(sandbox, other))[0]?.delayedMs).toBeUndefined();
    } finally {
      agent.destroy();
    }
  });

  it('error 503 with Retry-After: refused unprocessed, an early retry is marked early, the other order is untouched', async () => {
    const failing = orderId('error');
    const other = orderId('other');
    await plan(sandbox, failing, { kind: 'error', status: 503, retryAfter: 30 });
    const [error, paid] = await Promise.all([rejection(pay(failing)), pay(other)]);
    expect(error).toBeInstanceOf(Stripe.errors.StripeAPIError);
    expect(error.statusCode).toBe(503);
    expect(error.headers?.['retry-after']).toBe('30');
    expect(paid.status).toBe('succeeded');
    // Nothing was processed: no intent carries the order yet.
    const none = await stripe.paymentIntents.search({ query: `metadata['order_id']:'${failing}'` });
    expect(none.data).toHaveLength(0);
    const retried = await pay(failing);
    expect(retried.status).toBe('succeeded');
    const records = await recordsOf(sandbox, failing);
    expect(records.map((r) => [r.status, r.outcome, r.early])).toEqual([
      [503, 'error', undefined],
      [200, 'succeeded', true],
    ]);
    expect((await recordsOf(sandbox, other))[0]?.early).toBeUndefined();
  });

  it('error 429: a rate_limit_error, times counts requests', async () => {
    const limited = orderId('429');
    await plan(sandbox, limited, { kind: 'error', status: 429, times: 2, retryAfter: 0 });
    const first = await rejection(pay(limited));
    expect(first).toBeInstanceOf(Stripe.errors.StripeRateLimitError);
    expect(first.type).toBe('StripeRateLimitError');
    const second = await rejection(pay(limited));
    expect(second.statusCode).toBe(429);
    expect((await pay(limited)).status).toBe('succeeded');
    expect((await recordsOf(sandbox, limited)).map((r) => r.status)).toEqual([429, 429, 200]);
  });

  it('cap: a payment above the order\'s cap is refused as amount_too_large; the other order pays the same amount', async () => {
    const capped = orderId('cap');
    const other = orderId('other');
    await plan(sandbox, capped, { kind: 'cap', max: 1000 });
    const [error, paid] = await Promise.all([rejection(pay(capped)), pay(other)]);
    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(error.statusCode).toBe(400);
    expect(error.code).toBe('amount_too_large');
    expect(apiMessage(error)).toBe('Amount must be no more than €10.00');
    expect(paid.status).toBe('succeeded');
    const split = await stripe.paymentIntents.create({ amount: 1000, currency: 'eur', payment_method: 'pm_card_visa', confirm: true, metadata: { order_id: capped } }, { idempotencyKey: `${capped}-part-1` });
    expect(split.status).toBe('succeeded');
    expect((await recordsOf(sandbox, capped)).map((r) => [r.status, r.outcome])).toContainEqual([400, 'refused']);
  });

  it('raw card data of an order: refused as for an account without raw card access, recorded, logged masked', async () => {
    const raw = orderId('raw');
    const body = new URLSearchParams({ amount: '2500', currency: 'eur', confirm: 'true', 'metadata[order_id]': raw, 'payment_method_data[type]': 'card', 'payment_method_data[card][number]': '4242424242424242', 'payment_method_data[card][exp_month]': '12', 'payment_method_data[card][exp_year]': '2034', 'payment_method_data[card][cvc]': '123' });
    const error = await rejection(stripe.rawRequest('POST', '/v1/payment_intents', Object.fromEntries(body)));
    // 402 "Request Failed" with an invalid_request_error body (stripe-node names every 402 a StripeCardError).
    expect(error.statusCode).toBe(402);
    expect((error.raw as { type?: string }).type).toBe('invalid_request_error');
    expect(apiMessage(error)).toMatch(/^Sending credit card numbers directly to the Stripe API is generally unsafe\./);
    expect(await recordsOf(sandbox, raw)).toMatchObject([{ operation: 'create', rawCard: true, outcome: 'refused' }]);
    const log = await readFile(sandbox.requestLog, 'utf8');
    expect(log).not.toContain('4242424242424242');
    expect(log.split('\n').filter((line) => line.includes(raw))).toEqual([expect.stringContaining('"card":"424242******4242"')]);
    // Without an order the dialect keeps taking raw card data (its behaviour before the control API).
    const untagged = await stripe.rawRequest('POST', '/v1/payment_intents', Object.fromEntries([...body].filter(([key]) => key !== 'metadata[order_id]')));
    expect((untagged as unknown as { status: string }).status).toBe('succeeded');
  });

  it('later requests on the intent inherit the order; untagged requests are records without orderRef', async () => {
    const order = orderId('inherit');
    const intent = await stripe.paymentIntents.create({ amount: 4000, currency: 'usd', metadata: { order_id: order }, capture_method: 'manual' }, { idempotencyKey: `${order}-create` });
    await stripe.paymentIntents.confirm(intent.id, { payment_method: 'pm_card_visa' }, { idempotencyKey: `${order}-confirm` });
    await stripe.paymentIntents.capture(intent.id, {}, { idempotencyKey: `${order}-capture` });
    await stripe.paymentIntents.retrieve(intent.id);
    await stripe.refunds.create({ payment_intent: intent.id, amount: 1000 }, { idempotencyKey: `${order}-refund` });
    await stripe.paymentIntents.list({ limit: 1 });
    expect((await recordsOf(sandbox, order)).map((r) => [r.operation, r.outcome, r.paymentId === intent.id])).toEqual([
      ['create', undefined, true],
      ['confirm', 'requires_capture', true],
      ['capture', 'succeeded', true],
      ['read', undefined, true],
      ['refund', 'succeeded', true],
    ]);
    const all = (await control(sandbox, 'GET', '/requests')).body['requests'] as { orderRef?: string; path: string }[];
    expect(all.find((r) => r.path === '/v1/payment_intents' && r.orderRef === undefined)).toBeDefined();
  });

  it('3ds: requires_action with a redirect to the challenge page; complete succeeds, fail fails, each back to return_url', async () => {
    const receiver = new Receiver();
    await stripe.webhookEndpoints.create({ url: await receiver.listen(), enabled_events: ['*'] });
    const passes = orderId('3ds-ok');
    const fails = orderId('3ds-fail');
    const other = orderId('other');
    await plan(sandbox, passes, { kind: '3ds' });
    await plan(sandbox, fails, { kind: '3ds' });
    const returnUrl = 'http://127.0.0.1:9/checkout/return?from=test';
    const [ok, ko, plain] = await Promise.all([pay(passes, { return_url: returnUrl }), pay(fails, { return_url: returnUrl }), pay(other)]);
    expect(plain.status).toBe('succeeded');
    for (const intent of [ok, ko]) {
      expect(intent.status).toBe('requires_action');
      expect(intent.next_action).toEqual({ type: 'redirect_to_url', redirect_to_url: { url: `${sandbox.baseUrl}/3ds/challenge/${intent.id}`, return_url: returnUrl } });
    }
    const challenge = await https(sandbox, 'GET', `/3ds/challenge/${ok.id}`);
    expect(challenge.status).toBe(200);
    expect(challenge.headers['content-type']).toMatch(/^text\/html/);
    expect(challenge.text).toMatch(/<button[^>]*>Complete authentication<\/button>/);
    expect(challenge.text).toMatch(/<button[^>]*>Fail authentication<\/button>/);

    const completed = await https(sandbox, 'POST', `/3ds/challenge/${ok.id}`, { result: 'complete' });
    expect(completed.status).toBe(302);
    const back = new URL(String(completed.headers['location']));
    expect(`${back.origin}${back.pathname}`).toBe('http://127.0.0.1:9/checkout/return');
    expect(Object.fromEntries(back.searchParams)).toEqual({ from: 'test', payment_intent: ok.id, payment_intent_client_secret: ok.client_secret, redirect_status: 'succeeded' });
    expect((await stripe.paymentIntents.retrieve(ok.id)).status).toBe('succeeded');
    await receiver.waitFor((d) => d.body.includes('"payment_intent.succeeded"') && d.body.includes(ok.id));

    const failed = await https(sandbox, 'POST', `/3ds/challenge/${ko.id}`, { result: 'fail' });
    expect(new URL(String(failed.headers['location'])).searchParams.get('redirect_status')).toBe('failed');
    const after = await stripe.paymentIntents.retrieve(ko.id);
    expect(after.status).toBe('requires_payment_method');
    expect(after.last_payment_error?.code).toBe('payment_intent_authentication_failure');
    await receiver.waitFor((d) => d.body.includes('"payment_intent.payment_failed"') && d.body.includes(ko.id));
    // Answered once: the page is gone.
    expect((await https(sandbox, 'POST', `/3ds/challenge/${ok.id}`, { result: 'complete' })).status).toBe(409);
    // The shopper's visits to the challenge belong to the order's records.
    expect((await recordsOf(sandbox, passes)).map((r) => [r.method, r.operation, r.outcome, r.paymentId])).toEqual([
      ['POST', 'create', 'requires_action', ok.id],
      ['GET', 'other', undefined, ok.id],
      ['POST', 'other', 'succeeded', ok.id],
      ['GET', 'read', undefined, ok.id],
      ['POST', 'other', undefined, ok.id],
    ]);
    expect((await recordsOf(sandbox, fails)).find((r) => r.method === 'POST' && r.path === `/3ds/challenge/${ko.id}`)).toMatchObject({ outcome: 'declined', declineCode: 'payment_intent_authentication_failure' });
  });
});
