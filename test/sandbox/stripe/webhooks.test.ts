import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { Receiver, apiMessage, freshStripe, rejection, stripeFor } from './support.js';

/** Webhook endpoints and events, verified with stripe-node's own `webhooks.constructEvent`. */
describe('stripe dialect: webhooks', () => {
  it('registers an endpoint (secret returned once) and delivers signed events that constructEvent verifies', async () => {
    const sandbox = await freshStripe();
    const stripe = stripeFor(sandbox);
    const receiver = new Receiver();
    const url = await receiver.listen();
    const endpoint = await stripe.webhookEndpoints.create({ url, enabled_events: ['payment_intent.succeeded', 'charge.refunded', 'payment_intent.payment_failed'] });
    expect(endpoint).toMatchObject({ object: 'webhook_endpoint', url, status: 'enabled', enabled_events: ['payment_intent.succeeded', 'charge.refunded', 'payment_intent.payment_failed'] });
    expect(endpoint.secret).toMatch(/^whsec_/);
    const read = await stripe.webhookEndpoints.retrieve(endpoint.id);
    expect(read.secret).toBeUndefined();

    const intent = await stripe.paymentIntents.create({ amount: 1800, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, metadata: { order_id: 'W-1' } });
    const succeeded = await receiver.waitFor((d) => d.body.includes('"payment_intent.succeeded"'));
    const event = stripe.webhooks.constructEvent(succeeded.body, String(succeeded.headers['stripe-signature']), endpoint.secret ?? '');
    expect(event.type).toBe('payment_intent.succeeded');
    expect(event.data.object).toMatchObject({ id: intent.id, object: 'payment_intent', status: 'succeeded', metadata: { order_id: 'W-1' } });
    expect(event.livemode).toBe(false);
    expect(String(succeeded.headers['stripe-signature'])).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    // The event is readable at /v1/events/:id too, and names the request that caused it.
    const stored = await stripe.events.retrieve(event.id);
    expect(stored).toMatchObject({ id: event.id, type: 'payment_intent.succeeded', request: { id: intent.lastResponse.requestId } });

    await stripe.refunds.create({ payment_intent: intent.id, amount: 800 });
    const refunded = await receiver.waitFor((d) => d.body.includes('"charge.refunded"'));
    const refundEvent = stripe.webhooks.constructEvent(refunded.body, String(refunded.headers['stripe-signature']), endpoint.secret ?? '');
    expect(refundEvent.data.object).toMatchObject({ object: 'charge', amount_refunded: 800, payment_intent: intent.id });

    await rejection(stripe.paymentIntents.create({ amount: 1800, currency: 'usd', payment_method: 'pm_card_chargeDeclined', confirm: true }));
    const failed = await receiver.waitFor((d) => d.body.includes('"payment_intent.payment_failed"'));
    const failedEvent = stripe.webhooks.constructEvent(failed.body, String(failed.headers['stripe-signature']), endpoint.secret ?? '');
    expect(failedEvent.data.object).toMatchObject({ status: 'requires_payment_method', last_payment_error: { code: 'card_declined', decline_code: 'generic_decline' } });
    // Only the enabled events were sent.
    expect(receiver.ofType('payment_intent.created')).toHaveLength(0);

    // A tampered body or a wrong secret fails verification: the signature covers both.
    expect(() => stripe.webhooks.constructEvent(succeeded.body.replace('"usd"', '"eur"'), String(succeeded.headers['stripe-signature']), endpoint.secret ?? '')).toThrow(Stripe.errors.StripeSignatureVerificationError);
    expect(() => stripe.webhooks.constructEvent(succeeded.body, String(succeeded.headers['stripe-signature']), 'whsec_other')).toThrow(Stripe.errors.StripeSignatureVerificationError);

    const deleted = await stripe.webhookEndpoints.del(endpoint.id);
    expect(deleted).toMatchObject({ id: endpoint.id, deleted: true });
    expect((await rejection(stripe.webhookEndpoints.retrieve(endpoint.id))).code).toBe('resource_missing');
  });

  it("sends the manual-capture events ('*' enables all): amount_capturable_updated, then succeeded on capture, canceled on cancel", async () => {
    const sandbox = await freshStripe();
    const stripe = stripeFor(sandbox);
    const receiver = new Receiver();
    const endpoint = await stripe.webhookEndpoints.create({ url: await receiver.listen(), enabled_events: ['*'] });
    const held = await stripe.paymentIntents.create({ amount: 900, currency: 'eur', payment_method: 'pm_card_visa', confirm: true, capture_method: 'manual' });
    await receiver.waitFor((d) => d.body.includes('"payment_intent.amount_capturable_updated"'));
    await stripe.paymentIntents.capture(held.id, { amount_to_capture: 500 });
    const captured = await receiver.waitFor((d) => d.body.includes('"payment_intent.succeeded"'));
    expect(stripe.webhooks.constructEvent(captured.body, String(captured.headers['stripe-signature']), endpoint.secret ?? '').data.object).toMatchObject({ amount_received: 500 });
    const other = await stripe.paymentIntents.create({ amount: 900, currency: 'eur', payment_method: 'pm_card_visa', confirm: true, capture_method: 'manual' });
    await stripe.paymentIntents.cancel(other.id);
    await receiver.waitFor((d) => d.body.includes('"payment_intent.canceled"'));
    const types = receiver.deliveries.map((d) => (JSON.parse(d.body) as { type: string }).type);
    expect(types).toEqual(expect.arrayContaining(['payment_intent.created', 'charge.succeeded', 'charge.captured', 'payment_intent.amount_capturable_updated', 'payment_intent.succeeded', 'payment_intent.canceled']));
  });

  it('delivers to the receivers given at start, signed with the sandbox-wide webhookSecret', async () => {
    const receiver = new Receiver();
    const url = await receiver.listen();
    const sandbox = await freshStripe({ webhookUrls: [url] });
    const stripe = stripeFor(sandbox);
    await stripe.paymentIntents.create({ amount: 1000, currency: 'usd', payment_method: 'pm_card_visa', confirm: true });
    const delivery = await receiver.waitFor((d) => d.body.includes('"payment_intent.succeeded"'));
    expect(stripe.webhooks.constructEvent(delivery.body, String(delivery.headers['stripe-signature']), sandbox.webhookSecret).type).toBe('payment_intent.succeeded');
  });

  it('refuses a receiver off loopback and an unknown event type', async () => {
    const stripe = stripeFor(await freshStripe());
    const outside = await rejection(stripe.webhookEndpoints.create({ url: 'https://example.com/hooks', enabled_events: ['*'] }));
    expect(outside).toMatchObject({ code: 'url_invalid', param: 'url' });
    const unknown = await rejection(stripe.webhookEndpoints.create({ url: 'http://127.0.0.1:9/hooks', enabled_events: ['invoice.paid' as Stripe.WebhookEndpointCreateParams.EnabledEvent] }));
    expect(unknown.param).toBe('enabled_events[0]');
    expect(apiMessage(unknown)).toContain('payment_intent.succeeded');
  });

  it('webhook-bad-signature: deliveries are signed with another key, so constructEvent throws', async () => {
    const sandbox = await freshStripe({ faults: ['webhook-bad-signature'] });
    const stripe = stripeFor(sandbox);
    const receiver = new Receiver();
    const endpoint = await stripe.webhookEndpoints.create({ url: await receiver.listen(), enabled_events: ['payment_intent.succeeded'] });
    await stripe.paymentIntents.create({ amount: 1000, currency: 'usd', payment_method: 'pm_card_visa', confirm: true });
    const delivery = await receiver.waitFor(() => true);
    expect(String(delivery.headers['stripe-signature'])).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(() => stripe.webhooks.constructEvent(delivery.body, String(delivery.headers['stripe-signature']), endpoint.secret ?? '')).toThrow(Stripe.errors.StripeSignatureVerificationError);
  });
});
