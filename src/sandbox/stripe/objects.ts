import { randomBytes } from 'node:crypto';
import type { TestCard } from './methods.js';

/**
 * The Stripe objects the emulator keeps and returns. Each carries exactly the keys of Stripe's
 * published example object (fixtures/reference/stripe/objects.json, from stripe/openapi's
 * fixtures3.json; test/sandbox/stripe/fixtures.test.ts holds them to it), with the emulator's
 * values: members it has no concept of (Connect, customers, shipping, Radar reviews) are null,
 * as the API sends them when unused.
 */

/** Stripe-style id: prefix + 24 alphanumerics (`pi_3Px...`). */
export function stripeId(prefix: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = randomBytes(24);
  let id = '';
  for (const byte of bytes) id += alphabet[byte % alphabet.length];
  return `${prefix}_${id}`;
}

/** Unix seconds now. */
export function now(): number {
  return Math.floor(Date.now() / 1000);
}

/** A PaymentIntent's `status`. */
export type IntentStatus = 'requires_payment_method' | 'requires_confirmation' | 'requires_action' | 'processing' | 'requires_capture' | 'succeeded' | 'canceled';

/**
 * `last_payment_error` (and the error body's members other than `payment_intent`); a failed
 * 3-D Secure authentication is an invalid_request_error without a charge.
 */
export interface PaymentError {
  type: 'card_error' | 'invalid_request_error';
  code: string;
  decline_code?: string;
  doc_url: string;
  message: string;
  charge?: string;
  payment_method: PaymentMethod;
}

/**
 * `next_action` of an intent in `requires_action` (https://docs.stripe.com/api/payment_intents/object#payment_intent_object-next_action):
 * the emulator only asks for a redirect to its 3-D Secure challenge page.
 */
export interface NextAction {
  type: 'redirect_to_url';
  redirect_to_url: { url: string; return_url: string | null };
}

/** A payment method as the API shows it (trimmed to what the emulator knows of a card). */
export interface PaymentMethod {
  id: string;
  object: 'payment_method';
  allow_redisplay: 'unspecified';
  billing_details: BillingDetails;
  card: { brand: string; checks: { address_line1_check: null; address_postal_code_check: null; cvc_check: 'pass' | 'fail' | null }; country: string; exp_month: number; exp_year: number; fingerprint: string; funding: string; last4: string; networks: { available: string[]; preferred: null } };
  created: number;
  customer: null;
  livemode: false;
  metadata: Record<string, string>;
  type: 'card';
}

interface BillingDetails {
  address: { city: null; country: null; line1: null; line2: null; postal_code: null; state: null };
  email: null;
  name: null;
  phone: null;
  tax_id: null;
}

/** https://docs.stripe.com/api/payment_intents/object */
export interface PaymentIntent {
  id: string;
  object: 'payment_intent';
  amount: number;
  amount_capturable: number;
  amount_details: { tip: Record<string, never> };
  amount_received: number;
  application: null;
  application_fee_amount: null;
  automatic_payment_methods: { allow_redirects: 'always'; enabled: true } | null;
  canceled_at: number | null;
  cancellation_reason: string | null;
  capture_method: 'automatic' | 'automatic_async' | 'manual';
  client_secret: string;
  confirmation_method: 'automatic' | 'manual';
  created: number;
  currency: string;
  customer: null;
  customer_account: null;
  description: string | null;
  excluded_payment_method_types: null;
  last_payment_error: PaymentError | null;
  latest_charge: string | null;
  livemode: false;
  managed_payments: { enabled: false };
  metadata: Record<string, string>;
  next_action: NextAction | null;
  on_behalf_of: null;
  payment_method: string | null;
  payment_method_configuration_details: null;
  payment_method_options: { card: { installments: null; mandate_options: null; network: null; request_three_d_secure: 'automatic' } };
  payment_method_types: string[];
  processing: null;
  receipt_email: string | null;
  review: null;
  setup_future_usage: null;
  shipping: null;
  source: null;
  statement_descriptor: string | null;
  statement_descriptor_suffix: string | null;
  status: IntentStatus;
  transfer_data: null;
  transfer_group: null;
}

/** https://docs.stripe.com/api/charges/object */
export interface Charge {
  id: string;
  object: 'charge';
  amount: number;
  amount_captured: number;
  amount_refunded: number;
  application: null;
  application_fee: null;
  application_fee_amount: null;
  balance_transaction: string | null;
  billing_details: BillingDetails;
  calculated_statement_descriptor: string | null;
  captured: boolean;
  created: number;
  currency: string;
  customer: null;
  description: string | null;
  disputed: false;
  failure_balance_transaction: null;
  failure_code: string | null;
  failure_message: string | null;
  fraud_details: Record<string, never>;
  livemode: false;
  metadata: Record<string, string>;
  on_behalf_of: null;
  outcome: { advice_code: null; network_advice_code: null; network_decline_code: null; network_status: string; reason: string | null; risk_level: string; risk_score: number; seller_message: string; type: string };
  paid: boolean;
  payment_intent: string;
  payment_method: string;
  payment_method_details: { card: ChargeCard; type: 'card' };
  receipt_email: string | null;
  receipt_number: null;
  receipt_url: string;
  refunded: boolean;
  refunds: { object: 'list'; data: Refund[]; has_more: false; url: string };
  review: null;
  shipping: null;
  source: null;
  source_transfer: null;
  statement_descriptor: string | null;
  statement_descriptor_suffix: string | null;
  status: 'succeeded' | 'pending' | 'failed';
  transfer_data: null;
  transfer_group: null;
}

interface ChargeCard {
  amount_authorized: number | null;
  authorization_code: string | null;
  brand: string;
  checks: { address_line1_check: null; address_postal_code_check: null; cvc_check: 'pass' | 'fail' | null };
  country: string;
  exp_month: number;
  exp_year: number;
  extended_authorization: { status: 'disabled' };
  fingerprint: string;
  funding: string;
  incremental_authorization: { status: 'unavailable' };
  installments: null;
  last4: string;
  mandate: null;
  multicapture: { status: 'unavailable' };
  network: string;
  network_token: { used: false };
  network_transaction_id: string | null;
  overcapture: { maximum_amount_capturable: number; status: 'unavailable' };
  regulated_status: 'unregulated';
  three_d_secure: null;
  transaction_link_id: null;
  wallet: null;
}

/** https://docs.stripe.com/api/refunds/object */
export interface Refund {
  id: string;
  object: 'refund';
  amount: number;
  balance_transaction: string;
  charge: string;
  created: number;
  currency: string;
  customer: null;
  customer_account: null;
  destination_details: { card: { reference: string; reference_status: 'available'; reference_type: 'acquirer_reference_number'; type: 'refund' }; type: 'card' };
  metadata: Record<string, string>;
  payment_intent: string;
  payment_method: string;
  reason: string | null;
  receipt_number: null;
  source_transfer_reversal: null;
  status: 'succeeded';
  transfer_reversal: null;
}

/** https://docs.stripe.com/api/webhook_endpoints/object */
export interface WebhookEndpoint {
  id: string;
  object: 'webhook_endpoint';
  api_version: string | null;
  application: null;
  created: number;
  description: string | null;
  enabled_events: string[];
  livemode: false;
  metadata: Record<string, string>;
  status: 'enabled';
  url: string;
}

/** https://docs.stripe.com/api/events/object */
export interface StripeEvent {
  id: string;
  object: 'event';
  api_version: string;
  created: number;
  data: { object: PaymentIntent | Charge | Refund; previous_attributes?: Record<string, unknown> };
  livemode: false;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
  type: string;
}

const NO_BILLING: BillingDetails = { address: { city: null, country: null, line1: null, line2: null, postal_code: null, state: null }, email: null, name: null, phone: null, tax_id: null };

/** Expiry the test cards carry: Stripe's docs ask for "a valid future date, such as 12/34". */
const EXPIRY = { exp_month: 12, exp_year: 2034 } as const;

/** A payment method object for a test card (a new `pm_` id each time, as the API creates one per use of `pm_card_visa`). */
export function newPaymentMethod(card: TestCard, expiry: { exp_month: number; exp_year: number } = EXPIRY): PaymentMethod {
  return {
    id: stripeId('pm'),
    object: 'payment_method',
    allow_redisplay: 'unspecified',
    billing_details: structuredClone(NO_BILLING),
    card: {
      brand: card.brand,
      checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: card.decline?.code === 'incorrect_cvc' ? 'fail' : 'pass' },
      country: card.country,
      ...expiry,
      fingerprint: randomBytes(8).toString('base64url').slice(0, 16),
      funding: card.funding,
      last4: card.last4,
      networks: { available: [card.brand], preferred: null },
    },
    created: now(),
    customer: null,
    livemode: false,
    metadata: {},
    type: 'card',
  };
}

/** What a new PaymentIntent is created from. */
export interface IntentFields {
  amount: number;
  currency: string;
  captureMethod: PaymentIntent['capture_method'];
  confirmationMethod: PaymentIntent['confirmation_method'];
  paymentMethodTypes: string[] | undefined;
  metadata: Record<string, string>;
  description: string | null;
  receiptEmail: string | null;
  statementDescriptor: string | null;
  statementDescriptorSuffix: string | null;
}

/** A PaymentIntent in `requires_payment_method`. */
export function newPaymentIntent(fields: IntentFields): PaymentIntent {
  const id = stripeId('pi');
  return {
    id,
    object: 'payment_intent',
    amount: fields.amount,
    amount_capturable: 0,
    amount_details: { tip: {} },
    amount_received: 0,
    application: null,
    application_fee_amount: null,
    // Without payment_method_types, current API versions turn automatic payment methods on.
    automatic_payment_methods: fields.paymentMethodTypes ? null : { allow_redirects: 'always', enabled: true },
    canceled_at: null,
    cancellation_reason: null,
    capture_method: fields.captureMethod,
    client_secret: `${id}_secret_${randomBytes(18).toString('base64url').replace(/[-_]/g, 'x')}`,
    confirmation_method: fields.confirmationMethod,
    created: now(),
    currency: fields.currency,
    customer: null,
    customer_account: null,
    description: fields.description,
    excluded_payment_method_types: null,
    last_payment_error: null,
    latest_charge: null,
    livemode: false,
    managed_payments: { enabled: false },
    metadata: fields.metadata,
    next_action: null,
    on_behalf_of: null,
    payment_method: null,
    payment_method_configuration_details: null,
    payment_method_options: { card: { installments: null, mandate_options: null, network: null, request_three_d_secure: 'automatic' } },
    payment_method_types: fields.paymentMethodTypes ?? ['card'],
    processing: null,
    receipt_email: fields.receiptEmail,
    review: null,
    setup_future_usage: null,
    shipping: null,
    source: null,
    statement_descriptor: fields.statementDescriptor,
    statement_descriptor_suffix: fields.statementDescriptorSuffix,
    status: 'requires_payment_method',
    transfer_data: null,
    transfer_group: null,
  };
}

/** The charge of one confirmation: succeeded (captured or not) or failed with the card's decline. */
export function newCharge(intent: PaymentIntent, method: PaymentMethod, card: TestCard, capture: boolean, baseUrl: string): Charge {
  const id = stripeId('ch');
  const decline = card.decline;
  const ok = decline === undefined;
  return {
    id,
    object: 'charge',
    amount: intent.amount,
    amount_captured: ok && capture ? intent.amount : 0,
    amount_refunded: 0,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: ok && capture ? stripeId('txn') : null,
    billing_details: structuredClone(NO_BILLING),
    calculated_statement_descriptor: 'PAYREADY SANDBOX',
    captured: ok && capture,
    created: now(),
    currency: intent.currency,
    customer: null,
    description: intent.description,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: decline?.code ?? null,
    failure_message: decline?.message ?? null,
    fraud_details: {},
    livemode: false,
    metadata: { ...intent.metadata },
    on_behalf_of: null,
    outcome: ok
      ? { advice_code: null, network_advice_code: null, network_decline_code: null, network_status: 'approved_by_network', reason: null, risk_level: 'normal', risk_score: 20, seller_message: 'Payment complete.', type: 'authorized' }
      : decline.outcome === 'blocked'
        ? { advice_code: null, network_advice_code: null, network_decline_code: null, network_status: 'not_sent_to_network', reason: 'highest_risk_level', risk_level: 'highest', risk_score: 95, seller_message: 'Stripe blocked this payment as too risky.', type: 'blocked' }
        : { advice_code: null, network_advice_code: null, network_decline_code: null, network_status: 'declined_by_network', reason: decline.declineCode ?? decline.code, risk_level: 'normal', risk_score: 20, seller_message: 'The bank did not return any further details with this decline.', type: 'issuer_declined' },
    paid: ok,
    payment_intent: intent.id,
    payment_method: method.id,
    payment_method_details: {
      card: {
        amount_authorized: ok ? intent.amount : null,
        authorization_code: ok ? String(100000 + (randomBytes(3).readUIntBE(0, 3) % 900000)) : null,
        brand: method.card.brand,
        checks: { ...method.card.checks },
        country: method.card.country,
        exp_month: method.card.exp_month,
        exp_year: method.card.exp_year,
        extended_authorization: { status: 'disabled' },
        fingerprint: method.card.fingerprint,
        funding: method.card.funding,
        incremental_authorization: { status: 'unavailable' },
        installments: null,
        last4: method.card.last4,
        mandate: null,
        multicapture: { status: 'unavailable' },
        network: method.card.brand,
        network_token: { used: false },
        network_transaction_id: ok ? randomBytes(8).toString('hex') : null,
        overcapture: { maximum_amount_capturable: intent.amount, status: 'unavailable' },
        regulated_status: 'unregulated',
        three_d_secure: null,
        transaction_link_id: null,
        wallet: null,
      },
      type: 'card',
    },
    receipt_email: intent.receipt_email,
    receipt_number: null,
    receipt_url: `${baseUrl}/receipts/payment/${id}`,
    refunded: false,
    refunds: { object: 'list', data: [], has_more: false, url: `/v1/charges/${id}/refunds` },
    review: null,
    shipping: null,
    source: null,
    source_transfer: null,
    statement_descriptor: intent.statement_descriptor,
    statement_descriptor_suffix: intent.statement_descriptor_suffix,
    status: ok ? 'succeeded' : 'failed',
    transfer_data: null,
    transfer_group: null,
  };
}

/** A succeeded refund of `amount` of `charge`. */
export function newRefund(charge: Charge, amount: number, reason: string | null, metadata: Record<string, string>): Refund {
  return {
    id: stripeId('re'),
    object: 'refund',
    amount,
    balance_transaction: stripeId('txn'),
    charge: charge.id,
    created: now(),
    currency: charge.currency,
    customer: null,
    customer_account: null,
    destination_details: { card: { reference: randomBytes(12).toString('hex').slice(0, 23), reference_status: 'available', reference_type: 'acquirer_reference_number', type: 'refund' }, type: 'card' },
    metadata,
    payment_intent: charge.payment_intent,
    payment_method: charge.payment_method,
    reason,
    receipt_number: null,
    source_transfer_reversal: null,
    status: 'succeeded',
    transfer_reversal: null,
  };
}
