import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { clientFor } from '../../support/sandbox.js';
import { apiMessage, freshStripe, rejection, stripeFor, stripeWith } from './support.js';

/** The emulated Stripe, driven by the official stripe-node SDK: the flows an integration runs. */
describe('stripe dialect: PaymentIntents through stripe-node', () => {
  it('creates and confirms with pm_card_visa: automatic capture ends succeeded, with a captured charge', async () => {
    const stripe = stripeFor(await stripeWith());
    const intent = await stripe.paymentIntents.create({ amount: 2000, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, metadata: { order_id: 'o-1' }, description: 'Zoë Łukasz' });
    expect(intent).toMatchObject({ object: 'payment_intent', status: 'succeeded', amount: 2000, amount_received: 2000, amount_capturable: 0, currency: 'usd', metadata: { order_id: 'o-1' }, description: 'Zoë Łukasz', livemode: false });
    expect(intent.id).toMatch(/^pi_\w{24}$/);
    expect(intent.latest_charge).toMatch(/^ch_/);
    expect(intent.payment_method).toMatch(/^pm_/);
    const charge = await stripe.charges.retrieve(intent.latest_charge as string);
    expect(charge).toMatchObject({ object: 'charge', amount: 2000, amount_captured: 2000, amount_refunded: 0, captured: true, paid: true, refunded: false, status: 'succeeded', payment_intent: intent.id });
    expect(charge.payment_method_details?.card).toMatchObject({ brand: 'visa', last4: '4242' });
    expect(await stripe.paymentIntents.retrieve(intent.id)).toMatchObject({ id: intent.id, status: 'succeeded' });
  });

  it('creates, then confirms in a second call (requires_confirmation in between)', async () => {
    const stripe = stripeFor(await stripeWith());
    // payment_method_types is no longer in stripe-node 23's create types, but the API still takes it.
    const created = await stripe.paymentIntents.create({ amount: 1500, currency: 'eur', payment_method: 'pm_card_mastercard', payment_method_types: ['card'] } as Stripe.PaymentIntentCreateParams);
    expect(created.status).toBe('requires_confirmation');
    expect(created.payment_method_types).toEqual(['card']);
    const confirmed = await stripe.paymentIntents.confirm(created.id);
    expect(confirmed.status).toBe('succeeded');
    const bare = await stripe.paymentIntents.create({ amount: 1500, currency: 'eur' });
    expect(bare.status).toBe('requires_payment_method');
    const error = await rejection(stripe.paymentIntents.confirm(bare.id));
    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(error.code).toBe('payment_intent_unexpected_state');
    expect((await stripe.paymentIntents.confirm(bare.id, { payment_method: 'pm_card_amex' })).status).toBe('succeeded');
  });

  it('capture_method manual: requires_capture, then a partial capture succeeds with amount_received the captured part', async () => {
    const stripe = stripeFor(await stripeWith());
    const intent = await stripe.paymentIntents.create({ amount: 5000, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, capture_method: 'manual' });
    expect(intent).toMatchObject({ status: 'requires_capture', amount_capturable: 5000, amount_received: 0 });
    expect((await stripe.charges.retrieve(intent.latest_charge as string)).captured).toBe(false);
    const over = await rejection(stripe.paymentIntents.capture(intent.id, { amount_to_capture: 6000 }));
    expect(over).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(over.param).toBe('amount_to_capture');
    const captured = await stripe.paymentIntents.capture(intent.id, { amount_to_capture: 3000 });
    expect(captured).toMatchObject({ status: 'succeeded', amount_received: 3000, amount_capturable: 0 });
    expect(await stripe.charges.retrieve(intent.latest_charge as string)).toMatchObject({ captured: true, amount_captured: 3000 });
    const again = await rejection(stripe.paymentIntents.capture(intent.id));
    expect(again.code).toBe('payment_intent_unexpected_state');
    expect(apiMessage(again)).toContain('status of succeeded');
  });

  it('cancels an uncaptured PaymentIntent (with a reason) and refuses to cancel a succeeded one', async () => {
    const stripe = stripeFor(await stripeWith());
    const intent = await stripe.paymentIntents.create({ amount: 1000, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, capture_method: 'manual' });
    const canceled = await stripe.paymentIntents.cancel(intent.id, { cancellation_reason: 'requested_by_customer' });
    expect(canceled).toMatchObject({ status: 'canceled', cancellation_reason: 'requested_by_customer', amount_capturable: 0 });
    expect(typeof canceled.canceled_at).toBe('number');
    expect(await stripe.charges.retrieve(intent.latest_charge as string)).toMatchObject({ refunded: true, amount_refunded: 1000 });
    const paid = await stripe.paymentIntents.create({ amount: 1000, currency: 'usd', payment_method: 'pm_card_visa', confirm: true });
    const error = await rejection(stripe.paymentIntents.cancel(paid.id));
    expect(error.code).toBe('payment_intent_unexpected_state');
    expect(apiMessage(error)).toBe('You cannot cancel this PaymentIntent because it has a status of succeeded. Only a PaymentIntent with one of the following statuses may be canceled: requires_payment_method, requires_capture, requires_confirmation, requires_action, processing.');
  });

  it('refunds partially, then the rest; a refund over what is left is refused as the API words it', async () => {
    const stripe = stripeFor(await stripeWith());
    const intent = await stripe.paymentIntents.create({ amount: 3000, currency: 'usd', payment_method: 'pm_card_visa', confirm: true });
    const partial = await stripe.refunds.create({ payment_intent: intent.id, amount: 1000, reason: 'requested_by_customer', metadata: { ticket: 'T-9' } });
    expect(partial).toMatchObject({ object: 'refund', amount: 1000, status: 'succeeded', payment_intent: intent.id, charge: intent.latest_charge, reason: 'requested_by_customer', metadata: { ticket: 'T-9' } });
    expect(await stripe.refunds.retrieve(partial.id)).toMatchObject({ id: partial.id, amount: 1000 });
    const over = await rejection(stripe.refunds.create({ payment_intent: intent.id, amount: 2500 }));
    expect(over).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(over.param).toBe('amount');
    expect(apiMessage(over)).toBe('Refund amount ($25.00) is greater than unrefunded amount on charge ($20.00)');
    const rest = await stripe.refunds.create({ charge: intent.latest_charge as string });
    expect(rest.amount).toBe(2000);
    expect(await stripe.charges.retrieve(intent.latest_charge as string)).toMatchObject({ amount_refunded: 3000, refunded: true });
    const done = await rejection(stripe.refunds.create({ payment_intent: intent.id }));
    expect(done.code).toBe('charge_already_refunded');
    expect(apiMessage(done)).toBe(`Charge ${intent.latest_charge as string} has already been refunded.`);
    const list = await stripe.refunds.list({ payment_intent: intent.id });
    expect(list.data.map((r) => r.amount)).toEqual([2000, 1000]);
  });

  it('updates metadata (an empty value unsets a key) and lists with limit and starting_after', async () => {
    const stripe = stripeFor(await freshStripe());
    const first = await stripe.paymentIntents.create({ amount: 700, currency: 'gbp', metadata: { a: '1', b: '2' } });
    const updated = await stripe.paymentIntents.update(first.id, { metadata: { a: '', c: '3' } });
    expect(updated.metadata).toEqual({ b: '2', c: '3' });
    const second = await stripe.paymentIntents.create({ amount: 800, currency: 'gbp' });
    const third = await stripe.paymentIntents.create({ amount: 900, currency: 'gbp' });
    const page1 = await stripe.paymentIntents.list({ limit: 2 });
    expect(page1.data.map((p) => p.id)).toEqual([third.id, second.id]);
    expect(page1.has_more).toBe(true);
    const page2 = await stripe.paymentIntents.list({ limit: 2, starting_after: second.id });
    expect(page2.data.map((p) => p.id)).toEqual([first.id]);
    expect(page2.has_more).toBe(false);
  });

  it("searches by metadata['order_id'] and status (search_result), and refuses a malformed query", async () => {
    const stripe = stripeFor(await freshStripe());
    const paid = await stripe.paymentIntents.create({ amount: 1200, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, metadata: { order_id: 'A-17' } });
    await stripe.paymentIntents.create({ amount: 1200, currency: 'usd', metadata: { order_id: 'A-17' } });
    await stripe.paymentIntents.create({ amount: 1200, currency: 'usd', metadata: { order_id: 'B-2' } });
    const byOrder = await stripe.paymentIntents.search({ query: "metadata['order_id']:'A-17'" });
    expect(byOrder.object).toBe('search_result');
    expect(byOrder.data).toHaveLength(2);
    const both = await stripe.paymentIntents.search({ query: "metadata['order_id']:'A-17' AND status:'succeeded'" });
    expect(both.data.map((p) => p.id)).toEqual([paid.id]);
    const either = await stripe.paymentIntents.search({ query: 'metadata["order_id"]:"B-2" OR amount>1199' });
    expect(either.data).toHaveLength(3);
    const negated = await stripe.paymentIntents.search({ query: "-status:'succeeded' metadata['order_id']:'A-17'" });
    expect(negated.data.map((p) => p.status)).toEqual(['requires_payment_method']);
    const paged = await stripe.paymentIntents.search({ query: 'amount:1200', limit: 2 });
    expect(paged.has_more).toBe(true);
    const next = await stripe.paymentIntents.search({ query: 'amount:1200', limit: 2, page: paged.next_page as string });
    expect(next.data).toHaveLength(1);
    const error = await rejection(stripe.paymentIntents.search({ query: "status:'succeeded' AND amount>1 OR currency:'usd'" }));
    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(error.param).toBe('query');
  });
});

describe('stripe dialect: idempotency', () => {
  it('replays the stored response for the same key and parameters (Idempotent-Replayed: true), nothing charged twice', async () => {
    const sandbox = await freshStripe();
    const stripe = stripeFor(sandbox);
    const params = { amount: 4200, currency: 'usd', payment_method: 'pm_card_visa', confirm: true };
    const first = await stripe.paymentIntents.create(params, { idempotencyKey: 'order-42' });
    const replay = await stripe.paymentIntents.create(params, { idempotencyKey: 'order-42' });
    expect(replay.id).toBe(first.id);
    expect(replay.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect((await stripe.paymentIntents.list()).data).toHaveLength(1);
  });

  it('refuses the same key with other parameters: StripeIdempotencyError with the API wording', async () => {
    const stripe = stripeFor(await stripeWith());
    await stripe.paymentIntents.create({ amount: 1000, currency: 'usd' }, { idempotencyKey: 'key-reused' });
    const error = await rejection(stripe.paymentIntents.create({ amount: 1001, currency: 'usd' }, { idempotencyKey: 'key-reused' }));
    expect(error).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect(error.statusCode).toBe(400);
    expect(error.type).toBe('StripeIdempotencyError');
    expect(apiMessage(error)).toBe("Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than 'key-reused' if you meant to execute a different request.");
    const elsewhere = await rejection(stripe.refunds.create({ payment_intent: 'pi_x' }, { idempotencyKey: 'key-reused' }));
    expect(elsewhere).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect(apiMessage(elsewhere)).toContain("can only be used for the same endpoint they were first used for ('/v1/payment_intents' vs '/v1/refunds')");
  });

  it('replays a decline (402) too, but not a validation error', async () => {
    const stripe = stripeFor(await stripeWith());
    const declined = { amount: 1000, currency: 'usd', payment_method: 'pm_card_chargeDeclined', confirm: true };
    const first = await rejection(stripe.paymentIntents.create(declined, { idempotencyKey: 'declined-1' }));
    const second = await rejection(stripe.paymentIntents.create(declined, { idempotencyKey: 'declined-1' }));
    expect(second).toMatchObject({ code: first.code, decline_code: first.decline_code, charge: first.charge, payment_intent: { id: first.payment_intent?.id } });
    expect(second.requestId).toBe(first.requestId);
    expect(second.headers?.['idempotent-replayed']).toBe('true');
    const invalid = await rejection(stripe.paymentIntents.create({ amount: 1, currency: 'usd' }, { idempotencyKey: 'invalid-1' }));
    expect(invalid.code).toBe('amount_too_small');
    const retried = await rejection(stripe.paymentIntents.create({ amount: 1, currency: 'usd' }, { idempotencyKey: 'invalid-1' }));
    expect(retried.headers?.['idempotent-replayed']).toBeUndefined();
  });
});

describe('stripe dialect: amounts, currencies, authentication and encoding', () => {
  it("enforces Stripe's amount rules: minimum per currency, 99999999 at most, integers of at least 1, three-decimal amounts ending in 0", async () => {
    const stripe = stripeFor(await stripeWith());
    const small = await rejection(stripe.paymentIntents.create({ amount: 49, currency: 'usd' }));
    expect(small).toMatchObject({ code: 'amount_too_small', param: 'amount' });
    expect(apiMessage(small)).toBe('Amount must be at least $0.50 usd');
    const large = await rejection(stripe.paymentIntents.create({ amount: 100_000_000, currency: 'usd' }));
    expect(large).toMatchObject({ code: 'amount_too_large', param: 'amount', statusCode: 400 });
    expect(apiMessage(large)).toBe('Amount must be no more than $999,999.99');
    expect((await stripe.paymentIntents.create({ amount: 99_999_999, currency: 'usd' })).amount).toBe(99_999_999);
    for (const amount of [0, -5, 10.5]) {
      const error = await rejection(stripe.paymentIntents.create({ amount, currency: 'usd' }));
      expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
      expect(error.param).toBe('amount');
    }
    expect((await stripe.paymentIntents.create({ amount: 500, currency: 'jpy' })).amount).toBe(500);
    expect(apiMessage(await rejection(stripe.paymentIntents.create({ amount: 49, currency: 'jpy' })))).toBe('Amount must be at least ¥50 jpy');
    expect((await rejection(stripe.paymentIntents.create({ amount: 5124, currency: 'kwd' }))).param).toBe('amount');
    expect((await stripe.paymentIntents.create({ amount: 5120, currency: 'KWD' })).currency).toBe('kwd');
    const currency = await rejection(stripe.paymentIntents.create({ amount: 500, currency: 'xyz' }));
    expect(currency.param).toBe('currency');
    const missing = await rejection(stripe.paymentIntents.create({ currency: 'usd' } as Stripe.PaymentIntentCreateParams));
    expect(missing).toMatchObject({ code: 'parameter_missing', param: 'amount' });
    expect(apiMessage(missing)).toBe('Missing required param: amount.');
  });

  it('refuses a wrong or missing API key with 401 (StripeAuthenticationError), and takes the key as HTTP Basic too', async () => {
    const sandbox = await stripeWith();
    const wrong = await rejection(stripeFor(sandbox, 'sk_test_wrongwrongwrong1234').paymentIntents.list());
    expect(wrong).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    expect(wrong.statusCode).toBe(401);
    expect(apiMessage(wrong)).toMatch(/^Invalid API Key provided: sk_test_\*+1234$/);
    const client = clientFor(sandbox);
    const none = await client.send('/v1/payment_intents');
    expect(none.status).toBe(401);
    expect(none.json()).toMatchObject({ error: { type: 'invalid_request_error' } });
    expect(String((none.json()['error'] as { message: string }).message)).toMatch(/^You did not provide an API key/);
    const basic = await client.send('/v1/payment_intents', { headers: { authorization: `Basic ${Buffer.from(`${sandbox.apiKey ?? ''}:`).toString('base64')}` } });
    expect(basic.status).toBe(200);
    expect(basic.json()).toMatchObject({ object: 'list', url: '/v1/payment_intents' });
  });

  it('parses bracket notation as curl writes it (metadata[k], payment_method_types[]) and answers JSON with a Request-Id', async () => {
    const sandbox = await stripeWith();
    const response = await clientFor(sandbox).send('/v1/payment_intents', {
      headers: { authorization: `Bearer ${sandbox.apiKey ?? ''}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'amount=1099&currency=usd&payment_method_types[]=card&metadata[order_id]=6735&metadata[note]=caf%C3%A9&payment_method=pm_card_visa&confirm=true',
    });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.headers['request-id']).toMatch(/^req_/);
    expect(response.json()).toMatchObject({ amount: 1099, payment_method_types: ['card'], metadata: { order_id: '6735', note: 'café' }, status: 'succeeded' });
  });

  it('accepts raw card numbers in payment_method_data and logs them as first six/last four', async () => {
    const sandbox = await freshStripe();
    const response = await clientFor(sandbox).send('/v1/payment_intents', {
      headers: { authorization: `Bearer ${sandbox.apiKey ?? ''}` },
      form: { amount: '1000', currency: 'eur', confirm: 'true', 'payment_method_data[type]': 'card', 'payment_method_data[card][number]': '4000000000009995', 'payment_method_data[card][exp_month]': '12', 'payment_method_data[card][exp_year]': String(new Date().getUTCFullYear() + 2), 'payment_method_data[card][cvc]': '123' },
    });
    expect(response.status).toBe(402);
    expect(response.json()).toMatchObject({ error: { type: 'card_error', code: 'card_declined', decline_code: 'insufficient_funds' } });
    expect(response.text).not.toContain('4000000000009995');
    const { readFile } = await import('node:fs/promises');
    const log = await readFile(sandbox.requestLog, 'utf8');
    expect(log).toContain('"card":"400000******9995"');
    expect(log).not.toContain('4000000000009995');
  });

  it('holds a response for Sandbox-Delay milliseconds, as the payready dialect does', async () => {
    const sandbox = await stripeWith();
    const stripe = stripeFor(sandbox);
    const started = performance.now();
    await stripe.paymentIntents.list({}, { headers: { 'Sandbox-Delay': '400' } } as Stripe.RequestOptions);
    expect(performance.now() - started).toBeGreaterThanOrEqual(380);
  });

  it('keeps the OAuth, checkout and transport routes, and serves no payready payments API', async () => {
    const sandbox = await stripeWith();
    const client = clientFor(sandbox);
    expect((await client.send('/.well-known/oauth-authorization-server')).status).toBe(200);
    expect((await client.send('/health')).status).toBe(200);
    expect((await client.send('/checkout')).status).toBe(200);
    expect((await client.send('/v1/payments', { json: {} })).status).toBe(404);
  });
});
