import { readFile } from 'node:fs/promises';
import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { clientFor } from '../../support/sandbox.js';
import { rejection, stripeFor, stripeWith } from './support.js';

/** Each payments fault, observed in the Stripe dialect through stripe-node (webhook-bad-signature: webhooks.test.ts). */
describe('stripe dialect: faults', () => {
  const visa = { amount: 2000, currency: 'usd', payment_method: 'pm_card_visa', confirm: true };

  it('no-idempotency: a replay with the same key charges again (a second PaymentIntent, no Idempotent-Replayed)', async () => {
    const stripe = stripeFor(await stripeWith(['no-idempotency']));
    const first = await stripe.paymentIntents.create(visa, { idempotencyKey: 'retry-1' });
    const second = await stripe.paymentIntents.create(visa, { idempotencyKey: 'retry-1' });
    expect(second.id).not.toBe(first.id);
    expect(second.status).toBe('succeeded');
    expect(second.lastResponse.headers['idempotent-replayed']).toBeUndefined();
    // And the same key with other parameters is not refused either.
    expect((await stripe.paymentIntents.create({ ...visa, amount: 2100 }, { idempotencyKey: 'retry-1' })).amount).toBe(2100);
  });

  it('cap-500: an amount over 99999999 crashes the API with a 500 (StripeAPIError) instead of amount_too_large', async () => {
    const stripe = stripeFor(await stripeWith(['cap-500']));
    const error = await rejection(stripe.paymentIntents.create({ amount: 100_000_000, currency: 'usd' }));
    expect(error).toBeInstanceOf(Stripe.errors.StripeAPIError);
    expect(error.statusCode).toBe(500);
    expect((await stripe.paymentIntents.create({ amount: 99_999_999, currency: 'usd' })).amount).toBe(99_999_999);
  });

  it('no-cap: an amount over 99999999 is charged', async () => {
    const stripe = stripeFor(await stripeWith(['no-cap']));
    const intent = await stripe.paymentIntents.create({ ...visa, amount: 150_000_000 });
    expect(intent).toMatchObject({ status: 'succeeded', amount: 150_000_000 });
  });

  it("schema-drift: a PaymentIntent's amount is a string and created is missing", async () => {
    const stripe = stripeFor(await stripeWith(['schema-drift']));
    const intent = await stripe.paymentIntents.create(visa);
    expect(intent.amount as unknown).toBe('2000');
    expect('created' in intent).toBe(false);
    const read = await stripe.paymentIntents.retrieve(intent.id);
    expect(read.amount as unknown).toBe('2000');
  });

  it('opaque-errors: error bodies are a plain-text stack trace, which stripe-node cannot read as an error object', async () => {
    const sandbox = await stripeWith(['opaque-errors']);
    const error = await rejection(stripeFor(sandbox).paymentIntents.create({ ...visa, payment_method: 'pm_card_chargeDeclined' }));
    expect(error).not.toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(error.code).toBeUndefined();
    const raw = await clientFor(sandbox).send('/v1/payment_intents', { headers: { authorization: `Bearer ${sandbox.apiKey ?? ''}` }, form: { amount: '1', currency: 'usd' } });
    expect(raw.status).toBe(400);
    expect(raw.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(raw.text).toMatch(/^Error: request failed\n\s+at /);
    // Successes are untouched.
    expect((await stripeFor(sandbox).paymentIntents.create(visa)).status).toBe('succeeded');
  });

  it('latin1: JSON comes back in ISO-8859-1, so non-ASCII text reaches the SDK mangled', async () => {
    const sandbox = await stripeWith(['latin1']);
    const intent = await stripeFor(sandbox).paymentIntents.create({ ...visa, description: 'Zoë Łukasz' });
    expect(intent.description).not.toBe('Zoë Łukasz');
    expect(intent.lastResponse.headers['content-type']).toBe('application/json; charset=iso-8859-1');
  });

  it('pan-in-logs: a raw card number is logged whole (first six/last four without the fault)', async () => {
    const card = { amount: '1000', currency: 'usd', confirm: 'true', 'payment_method_data[type]': 'card', 'payment_method_data[card][number]': '4242424242424242', 'payment_method_data[card][exp_month]': '12', 'payment_method_data[card][exp_year]': String(new Date().getUTCFullYear() + 2), 'payment_method_data[card][cvc]': '123' };
    for (const [faults, logged] of [[['pan-in-logs'], '"card":"4242424242424242"'], [[], '"card":"424242******4242"']] as const) {
      const sandbox = await stripeWith([...faults]);
      const response = await clientFor(sandbox).send('/v1/payment_intents', { headers: { authorization: `Bearer ${sandbox.apiKey ?? ''}` }, form: card });
      expect(response.json()).toMatchObject({ status: 'succeeded' });
      expect(await readFile(sandbox.requestLog, 'utf8')).toContain(logged);
    }
  });

  it('no-auth: any API key, or none, is taken', async () => {
    const sandbox = await stripeWith(['no-auth']);
    expect((await stripeFor(sandbox, 'sk_test_anything').paymentIntents.create(visa)).status).toBe('succeeded');
    expect((await clientFor(sandbox).send('/v1/payment_intents')).status).toBe(200);
  });

  it('flaky: every tenth request is a 503 api_error (Retry-After) that processed nothing', async () => {
    const stripe = stripeFor(await stripeWith(['flaky']));
    const outcomes: (number | string)[] = [];
    for (let i = 0; i < 10; i += 1) {
      try {
        await stripe.paymentIntents.list({ limit: 1 });
        outcomes.push(200);
      } catch (error) {
        const e = error as Stripe.errors.StripeError;
        outcomes.push(`${e.statusCode ?? 0} ${e.type}`);
      }
    }
    expect(outcomes.filter((o) => o !== 200)).toEqual(['503 StripeAPIError']);
  });

  it('transport faults apply to the Stripe routes too (weak-headers: no HSTS, versions in Server)', async () => {
    const intent = await stripeFor(await stripeWith(['weak-headers'])).paymentIntents.create(visa);
    expect(intent.lastResponse.headers['strict-transport-security']).toBeUndefined();
    expect(intent.lastResponse.headers['x-powered-by']).toBe('Express/4.17.1');
    const healthy = await stripeFor(await stripeWith()).paymentIntents.create(visa);
    expect(healthy.lastResponse.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
  });
});
