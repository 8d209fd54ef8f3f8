/**
 * The suite's `integration:` section: the team's own system (the merchant) that the `integration`
 * check type drives. Declared here, beside the type that reads it, and put into the suite schema by
 * src/suite/schema-build.ts. The defaults describe the reference merchant in examples/merchant/.
 */

import type { FromSchema } from 'json-schema-to-ts';
import { DURATION, JSON_POINTER } from '../../model/patterns.js';

const text = { type: 'string', minLength: 1 } as const;
const pointer = { type: 'string', pattern: JSON_POINTER } as const;

/** JSON Schema of the `integration:` section (draft 2020-12). */
export const INTEGRATION_SCHEMA = {
  type: 'object',
  title: 'Integration under test',
  description:
    "The team's own system (the merchant), pointed at the sandbox and paid through like a shopper by `integration` checks. Values may use ${target.x} (the sandbox's baseUrl, caFile, apiKey, webhookSecret...), ${secrets.x}, ${env.X} and ${vars.x}. docs/integration.md",
  additionalProperties: false,
  required: ['url'],
  properties: {
    url: { ...text, description: "Base URL of the merchant's HTTP API, e.g. http://127.0.0.1:4242." },
    start: {
      type: 'object',
      description: "A command payready starts before the first integration check and stops after the run (like Playwright's webServer); omit it to reach a system that is already running.",
      additionalProperties: false,
      required: ['command'],
      properties: {
        command: { ...text, description: 'Shell command line, e.g. `node server.js` or `docker compose up shop`.' },
        cwd: { ...text, description: 'Working directory, relative to the suite file (default: the suite folder).' },
        env: {
          type: 'object',
          description: "Environment variables added to payready's own, e.g. STRIPE_API_BASE: ${target.baseUrl}.",
          propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
          additionalProperties: { type: ['string', 'number', 'boolean'] },
        },
        ready: { ...text, description: 'URL (or path under url) polled until it answers, default url itself; any HTTP answer below 500 means ready.' },
        timeout: { type: ['integer', 'string'], minimum: 1, pattern: DURATION, description: 'How long to wait for it to be ready: `30s`, `2m` or milliseconds (default 60s).' },
        reuseExisting: { type: 'boolean', default: false, description: 'When `ready` already answers, use that system and start nothing (a developer running their shop).' },
      },
    },
    pay: {
      type: 'object',
      description: "How a shopper pays: the request sent to the merchant and where its answer holds the outcome. `{orderId}`, `{amount}`, `{currency}`, `{paymentMethod}` and `{returnUrl}` are filled per order.",
      additionalProperties: false,
      properties: {
        method: { enum: ['POST', 'PUT'], default: 'POST', description: 'HTTP method of the pay request.' },
        path: { ...text, default: '/api/checkout', description: 'Path under url (or a full URL).' },
        headers: { type: 'object', additionalProperties: { type: 'string' }, description: 'Request headers, e.g. a session cookie.' },
        body: { description: 'JSON body template.', default: { orderId: '{orderId}', amount: '{amount}', currency: '{currency}', paymentMethod: '{paymentMethod}' } },
        status: { ...pointer, default: '/status', description: 'JSON Pointer to the order status in the answer.' },
        paymentId: { ...pointer, default: '/paymentId', description: "JSON Pointer to the provider's payment id." },
        message: { ...pointer, default: '/message', description: 'JSON Pointer to the message shown to the shopper.' },
        redirect: { ...pointer, default: '/redirectUrl', description: 'JSON Pointer to a URL the shopper is sent to (3-D Secure).' },
        succeeded: { type: 'array', items: text, minItems: 1, default: ['paid', 'succeeded', 'split'], description: 'Status values that tell the shopper the payment worked.' },
        actionRequired: { type: 'array', items: text, default: ['requires_action'], description: 'Status values that send the shopper to authenticate (3-D Secure).' },
      },
    },
    order: {
      type: 'object',
      description: "Where to read an order's state afterwards (optional; without it webhook effects are judged from the acknowledgements alone).",
      additionalProperties: false,
      properties: {
        path: { ...text, default: '/api/orders/{orderId}', description: 'Path under url (or a full URL) answering the order as JSON.' },
        status: { ...pointer, default: '/status', description: 'JSON Pointer to the order status.' },
        appliedEvents: { ...pointer, description: 'JSON Pointer to how many webhook events were applied to the order (proves a duplicate is not applied twice).' },
      },
    },
    webhooks: {
      type: 'object',
      description: 'Where the merchant receives the provider\'s webhooks (the embedded sandbox delivers there, signed with ${target.webhookSecret}).',
      additionalProperties: false,
      required: ['url'],
      properties: { url: { ...text, description: 'Full URL, e.g. http://127.0.0.1:4242/webhooks/stripe (${env.X} and ${vars.x} only: the sandbox needs it before it starts).' } },
    },
    checkout: {
      type: 'object',
      description: "The shopper's checkout page, driven in Chromium for 3-D Secure.",
      additionalProperties: false,
      properties: {
        path: { ...text, default: '/checkout?orderId={orderId}&amount={amount}&currency={currency}&paymentMethod={paymentMethod}', description: 'Path under url (or a full URL) of the page where the shopper pays.' },
        payButton: { ...text, default: 'Pay', description: 'Accessible name of the button that pays.' },
        resultRole: { ...text, default: 'status', description: 'ARIA role of the element that shows the outcome after the shopper comes back.' },
      },
    },
    logs: { type: 'array', items: text, description: "The merchant's log files (relative to the suite), scanned for card numbers with its output." },
    paymentMethod: { ...text, default: 'pm_card_visa', description: "The test payment method a shopper pays with (the provider's token, never a card number)." },
    currency: { type: 'string', pattern: '^[A-Z]{3}$', default: 'EUR', description: 'ISO 4217 currency of the orders.' },
    sandbox: {
      type: 'object',
      description: 'The sandbox control API (per-order faults and what reached the provider); defaults to the embedded sandbox\'s ${target.controlUrl} and ${target.controlToken}.',
      additionalProperties: false,
      properties: { controlUrl: { ...text, description: 'e.g. http://127.0.0.1:41234, as `payready sandbox --json` prints it.' }, controlToken: { ...text, 'x-secret': true, description: 'Its bearer token, e.g. ${secrets.sandboxControlToken}.' } },
    },
  },
} as const;

/** The `integration:` section as written (with `${...}` still unresolved). */
export type IntegrationSection = FromSchema<typeof INTEGRATION_SCHEMA>;

/** The section resolved and with its defaults: what the `integration` check type and the CLI use. */
export interface IntegrationConfig {
  url: string;
  start?: { command: string; cwd: string; env: Record<string, string>; ready: string; timeoutMs: number; reuseExisting: boolean };
  pay: { method: 'POST' | 'PUT'; path: string; headers: Record<string, string>; body: unknown; status: string; paymentId: string; message: string; redirect: string; succeeded: string[]; actionRequired: string[] };
  order?: { path: string; status: string; appliedEvents?: string };
  webhooks?: { url: string };
  checkout: { path: string; payButton: string; resultRole: string };
  /** Absolute paths. */
  logs: string[];
  paymentMethod: string;
  currency: string;
  sandbox: { controlUrl?: string; controlToken?: string };
}
