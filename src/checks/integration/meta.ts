import { DEFAULT_TOLERANCE_SECONDS } from '../../net/webhook-signature.js';

/** Names of the integration scenarios (run.ts maps each to its function). */
export const INTEGRATION_SCENARIOS = ['happy-path', 'decline', 'timeout', 'provider-error', 'over-cap', 'webhooks', 'tls', 'credentials', 'card-data', 'three-d-secure'] as const;

const minorUnits = { type: 'integer', minimum: 1 } as const;

/** The `integration` type's metadata: everything but its behaviour. */
export const meta = {
  name: 'integration',
  title: 'Integration under test',
  description: "Pays through the team's own system (the suite's `integration:` section) while the sandbox misbehaves for that one order, and judges what the shopper was told and what reached the provider.",
  // The merchant's own code: the over-limit fallback (3.1), detailed logs without card data (3.2),
  // edge cases in the sandbox (5.1), key flows with test transactions (5.2.b), clear messages and
  // guidance for shoppers (6.2), TLS on every call (2.1.a), no card number where a token belongs (2.2.a).
  items: ['2.1.a', '2.2.a', '3.1.a', '3.1.b', '5.1.a', '5.1.b', '5.2.b', '6.2.a', '6.2.b'],
  movesMoney: true,
  runsLast: true,
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['scenario'],
    properties: {
      scenario: { enum: INTEGRATION_SCENARIOS, description: 'Which provider behaviour to inject for one order, and what to judge; docs/integration.md.' },
      provider: { type: 'string', minLength: 1, description: "Whose API the sandbox speaks (default: the environment's provider field)." },
      amount: { ...minorUnits, default: 2500, description: "The order's amount in minor units." },
      payTimeoutMs: { type: 'integer', minimum: 100, default: 10_000, description: "How long the shop may take to answer the shopper (ms) before the order counts as unanswered; keep it under the check's timeout." },
      declineCode: { type: 'string', minLength: 1, default: 'do_not_honor', description: 'decline: the hard decline code the provider answers.' },
      delayMs: { type: 'integer', minimum: 1, maximum: 60_000, default: 3000, description: "timeout: how long the provider holds its first answer (longer than the merchant's own timeout)." },
      status: { enum: [429, 500, 502, 503], default: 503, description: 'provider-error: the status the provider answers once.' },
      retryAfter: { type: 'integer', minimum: 0, maximum: 30, description: 'provider-error: Retry-After seconds sent with it (default 1 for 429 and 503; 0 sends none).' },
      maxAttempts: { type: 'integer', minimum: 1, default: 5, description: 'provider-error: most write requests one order may take.' },
      cap: { ...minorUnits, default: 50000, description: "over-cap: the provider's per-transaction cap for this order (minor units)." },
      overCapAmount: { ...minorUnits, description: 'over-cap: the order amount (default 1.5 x cap).' },
      modes: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: ['untrusted', 'wrong-host', 'tls1.1'] }, default: ['untrusted', 'wrong-host', 'tls1.1'], description: 'tls: what the provider endpoint presents, one order each.' },
      orders: { type: 'integer', minimum: 2, maximum: 20, default: 3, description: 'credentials: payments made to see whether the access token is reused.' },
      webhookSecret: { type: 'string', minLength: 1, 'x-secret': true, description: "webhooks: the endpoint's signing secret (default: ${target.webhookSecret}, the embedded sandbox's)." },
      toleranceSeconds: { type: 'integer', minimum: 1, default: DEFAULT_TOLERANCE_SECONDS, description: "webhooks: the signature's allowed age; the stale delivery is signed twice as long ago." },
      webhookTimeoutMs: { type: 'integer', minimum: 1, default: 5000, description: "webhooks: how long the provider's own delivery may take to be applied (ms)." },
      browser: { type: 'string', minLength: 1, description: 'three-d-secure: the Chromium executable that plays the shopper; default the headless shell (Debian chromium-headless-shell) or Chromium at a usual path.' },
      pageTimeoutMs: { type: 'integer', minimum: 100, maximum: 60_000, default: 10_000, description: 'three-d-secure: how long each step in the browser may take (the checkout page, the way to the challenge, the way back).' },
    },
  },
  example: { scenario: 'decline' },
  writesWhen: "Always: it pays through the merchant's system, which charges the sandbox (refused on a non-sandbox environment unless allowLive).",
} as const;
