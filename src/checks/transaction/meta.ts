import { DEFAULT_TOLERANCE_SECONDS } from '../../net/webhook-signature.js';

/** Names of the scenarios in the library (library.ts maps each to its steps). */
export const SCENARIO_NAMES = [
  'approve',
  'decline',
  'over-limit',
  'daily-cap',
  'idempotency-replay',
  'timeout-retry',
  'refund-partial',
  'refund-full',
  'refund-over',
  'currency-exponent',
  'amount-bounds',
  'webhook',
] as const;

/**
 * The amount most scenarios pay when `amount` is not given, in minor units. Not a schema default:
 * over-limit, daily-cap and currency-exponent derive theirs from other parameters.
 */
export const DEFAULT_AMOUNT = 1000;

const minorUnits = { type: 'integer', minimum: 1 } as const;

/** The `transaction` type's metadata: everything but its behaviour (read by the registry, the docs and `payready checks`). */
export const meta = {
  name: 'transaction',
  title: 'Payment scenarios',
  description: 'Sandbox payment scenarios by name: approve, declines, over-limit with a split or alternate fallback, daily cap, idempotency replay, timeout with safe retry, refunds, currency exponents, amount bounds, signed webhooks.',
  // Caps and the over-limit fallback (3.1), sandbox scenarios standard and edge-case (5.1), key
  // flows validated with test transactions (5.2.b). Certification (5.2.a) is a provider's process:
  // an attestation.
  items: ['3.1.a', '3.1.b', '5.1.a', '5.1.b', '5.2.b'],
  movesMoney: true,
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['scenario'],
    properties: {
      scenario: { enum: SCENARIO_NAMES, description: 'Which scenario of the library to run; what each proves: docs/payments.md.' },
      provider: { type: 'string', minLength: 1, description: "The provider whose API the scenarios speak: payready, stripe, adyen, or the path of a profile file (default: the environment's provider, else payready). docs/providers.md" },
      baseUrl: { type: 'string', minLength: 1, description: "Base URL of the payments API (default: the environment's baseUrl)." },
      apiKey: { type: 'string', minLength: 1, 'x-secret': true, description: 'API key for providers that authenticate with one (Stripe sk_test_..., an Adyen X-API-Key), e.g. ${secrets.stripeKey}.' },
      settings: { type: 'object', additionalProperties: { type: 'string' }, description: "Values the provider's profile needs, e.g. { merchantAccount: ... } for Adyen (default: the environment's fields of the same names)." },
      token: { type: 'string', minLength: 1, 'x-secret': true, description: 'Bearer access token, e.g. ${checks.oauth-token.token} (a capture marked secret: true).' },
      clientId: { type: 'string', minLength: 1, description: 'OAuth client id: without a token, the check gets its own with client_credentials.' },
      clientSecret: { type: 'string', minLength: 1, 'x-secret': true, description: 'OAuth client secret, e.g. ${secrets.clientSecret}.' },
      tokenUrl: { type: 'string', minLength: 1, description: "Token endpoint for client credentials (default: the environment's tokenUrl, else <baseUrl>/oauth/token)." },
      amount: { ...minorUnits, description: `Amount in minor units (default ${DEFAULT_AMOUNT}; over-limit: 1.5 x cap; daily-cap: the per-transaction cap).` },
      currency: { type: 'string', pattern: '^[A-Z]{3}$', default: 'EUR', description: 'ISO 4217 currency of the amounts.' },
      method: { description: "A test payment method that is approved, as the provider takes it (default: the profile's, e.g. pm_card_visa)." },
      declines: {
        type: 'array',
        minItems: 1,
        description: "decline: test payment methods and the decline code each must get (default: the provider's documented ones, from its profile).",
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['method', 'code'],
          properties: { method: {}, code: { type: 'string', minLength: 1 }, label: { type: 'string', minLength: 1 } },
        },
      },
      cap: { ...minorUnits, description: "over-limit and daily-cap: the per-transaction cap in minor units, e.g. ${target.transactionCap} (over-limit's default: the profile's documented maximum, e.g. Stripe's 99999999)." },
      dailyCap: { ...minorUnits, description: "daily-cap: the daily cap in minor units, e.g. ${target.dailyCap} (required where the provider has one; Stripe's profile has none, and the scenario skips)." },
      fallback: { enum: ['split', 'alternate', 'none'], description: 'over-limit (default split) and daily-cap (default alternate): how the refused order is completed.' },
      alternateMethod: { description: "The payment method of the alternate route (default: the profile's, e.g. a bank transfer, which has higher caps)." },
      capErrorCode: { type: 'string', minLength: 1, description: "Documented code of the refusal over the per-transaction cap (default: the profile's)." },
      dailyCapErrorCode: { type: 'string', minLength: 1, description: "Documented code of the refusal over the daily cap (default: the profile's)." },
      refundAmount: { ...minorUnits, description: 'refund-partial: amount refunded (default 40% of the amount).' },
      currencies: { type: 'array', minItems: 1, items: { type: 'string', pattern: '^[A-Z]{3}$' }, default: ['JPY', 'EUR', 'KWD'], description: 'currency-exponent: currencies round-tripped (0, 2 and 3 decimals).' },
      maxAmount: { type: 'integer', minimum: 1, description: "amount-bounds: the largest amount the provider accepts (minor units); one more must be refused (default: the profile's)." },
      firstAttemptTimeoutMs: { type: 'integer', minimum: 1, default: 500, description: 'timeout-retry: our timeout for the first attempt (ms).' },
      delayMs: { type: 'integer', minimum: 1, maximum: 30_000, default: 3000, description: 'timeout-retry: how long the provider is asked to hold its first answer (ms).' },
      delayHeader: { type: 'string', minLength: 1, default: 'Sandbox-Delay', description: 'timeout-retry: request header asking the provider to hold an answer (the sandbox honours Sandbox-Delay in every dialect).' },
      toleranceSeconds: { type: 'integer', minimum: 1, default: DEFAULT_TOLERANCE_SECONDS, description: "webhook: allowed age of a signed timestamp (s) (the profile's tolerance when it states one)." },
      webhookTimeoutMs: { type: 'integer', minimum: 1, default: 5000, description: 'webhook: how long to wait for the event (ms).' },
      reference: { type: 'string', minLength: 1, maxLength: 80, default: 'payready', description: 'Order reference prefix; each run adds the scenario and a random suffix.' },
      cleanup: { type: 'boolean', default: true, description: 'Cancel authorisations and refund captures the scenario made, once it is judged.' },
      retries: { type: 'integer', minimum: 0, maximum: 10, default: 3, description: 'Retries of a 503/429 answer, with the same idempotency key (Retry-After honoured up to 2 s).' },
    },
  },
  values: {
    scenario: 'the scenario run',
    provider: 'the provider profile the scenario spoke',
    paymentId: 'the payment the scenario made (approve, idempotency, refunds, webhook)',
    paymentIds: 'over-limit: the payments of the fallback',
    authorised: 'daily-cap: minor units authorised before the refusal',
    status: 'approve: the status read back',
    calls: 'API calls made',
  },
  example: { scenario: 'approve', token: '${checks.oauth-token.token}', amount: 1000, currency: 'EUR' },
} as const;
