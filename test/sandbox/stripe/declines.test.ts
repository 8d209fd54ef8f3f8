import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { apiMessage, rejection, stripeFor, stripeWith } from './support.js';

/**
 * Each of Stripe's documented decline test methods (https://docs.stripe.com/testing#declined-payments)
 * gives stripe-node a StripeCardError with the documented `code` and `decline_code`, and leaves
 * the PaymentIntent in requires_payment_method with last_payment_error and a failed charge.
 */
const DECLINES: readonly { method: string; code: string; declineCode: string | undefined; message: string }[] = [
  { method: 'pm_card_chargeDeclined', code: 'card_declined', declineCode: 'generic_decline', message: 'Your card was declined.' },
  { method: 'pm_card_visa_chargeDeclined', code: 'card_declined', declineCode: 'generic_decline', message: 'Your card was declined.' },
  { method: 'pm_card_chargeDeclinedInsufficientFunds', code: 'card_declined', declineCode: 'insufficient_funds', message: 'Your card has insufficient funds.' },
  { method: 'pm_card_chargeDeclinedLostCard', code: 'card_declined', declineCode: 'lost_card', message: 'Your card was declined.' },
  { method: 'pm_card_chargeDeclinedStolenCard', code: 'card_declined', declineCode: 'stolen_card', message: 'Your card was declined.' },
  { method: 'pm_card_chargeDeclinedExpiredCard', code: 'expired_card', declineCode: undefined, message: 'Your card has expired.' },
  { method: 'pm_card_chargeDeclinedIncorrectCvc', code: 'incorrect_cvc', declineCode: undefined, message: "Your card's security code is incorrect." },
  { method: 'pm_card_chargeDeclinedProcessingError', code: 'processing_error', declineCode: undefined, message: 'An error occurred while processing your card. Try again in a little while.' },
  { method: 'pm_card_chargeDeclinedFraudulent', code: 'card_declined', declineCode: 'fraudulent', message: 'Your card was declined.' },
  { method: 'pm_card_radarBlock', code: 'card_declined', declineCode: 'fraudulent', message: 'Your card was declined.' },
];

describe('stripe dialect: decline test payment methods', () => {
  it.each(DECLINES)('$method: StripeCardError $code / $declineCode', async ({ method, code, declineCode, message }) => {
    const stripe = stripeFor(await stripeWith());
    const error = await rejection(stripe.paymentIntents.create({ amount: 2500, currency: 'usd', payment_method: method, confirm: true, metadata: { method } }));
    expect(error).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(error.statusCode).toBe(402);
    expect(error.code).toBe(code);
    // stripe-node's StripeCardError fills a missing decline_code with ''; the body has none.
    expect(error.decline_code).toBe(declineCode ?? '');
    expect((error.raw as { decline_code?: string }).decline_code).toBe(declineCode);
    expect(apiMessage(error)).toBe(message);
    expect(error.doc_url).toBe(`https://stripe.com/docs/error-codes/${code.replaceAll('_', '-')}`);
    expect(error.charge).toMatch(/^ch_/);
    const intent = error.payment_intent;
    expect(intent).toMatchObject({ object: 'payment_intent', status: 'requires_payment_method', payment_method: null, latest_charge: error.charge });
    expect(intent?.last_payment_error).toMatchObject({ type: 'card_error', code, charge: error.charge });
    expect(intent?.last_payment_error?.decline_code).toBe(declineCode);
    const stored = await stripe.paymentIntents.retrieve(intent?.id ?? '');
    expect(stored.status).toBe('requires_payment_method');
    const charge = await stripe.charges.retrieve(error.charge ?? '');
    expect(charge).toMatchObject({ status: 'failed', paid: false, captured: false, failure_code: code });
  });

  it('a declined PaymentIntent can be confirmed again with another card', async () => {
    const stripe = stripeFor(await stripeWith());
    const error = await rejection(stripe.paymentIntents.create({ amount: 2500, currency: 'usd', payment_method: 'pm_card_chargeDeclinedInsufficientFunds', confirm: true }));
    const retried = await stripe.paymentIntents.confirm(error.payment_intent?.id ?? '', { payment_method: 'pm_card_visa' });
    expect(retried).toMatchObject({ status: 'succeeded', last_payment_error: null, amount_received: 2500 });
  });

  it('a decline method attached at creation declines when the intent is confirmed later', async () => {
    const stripe = stripeFor(await stripeWith());
    const created = await stripe.paymentIntents.create({ amount: 2500, currency: 'usd', payment_method: 'pm_card_chargeDeclinedExpiredCard' });
    expect(created.status).toBe('requires_confirmation');
    const error = await rejection(stripe.paymentIntents.confirm(created.id));
    expect(error).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(error.code).toBe('expired_card');
  });

  it('an unknown payment method is a 400 resource_missing, not a decline', async () => {
    const stripe = stripeFor(await stripeWith());
    const error = await rejection(stripe.paymentIntents.create({ amount: 2500, currency: 'usd', payment_method: 'pm_card_nonsense', confirm: true }));
    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(error).toMatchObject({ code: 'resource_missing', param: 'payment_method' });
  });
});
