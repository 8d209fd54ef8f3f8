/**
 * The JSON Schema of a provider profile: a provider's payment API as the `transaction` scenarios
 * see it, written as data (`providers/<name>.yaml` for the shipped ones; a team adds its own
 * provider as a file). `npm run docs` writes it to providers/profile.schema.json for editors.
 *
 * Templates: a request's path, query, headers and body are templates. A string that is exactly
 * `{name}` becomes that value with its type (a number stays a number, an object an object); a
 * key whose whole-string template names a value the step does not have is left out (an optional
 * `amount` on a capture); `{name}` inside longer text is replaced by its text. Names: amount,
 * currency, method, reference, id (the payment), url (a webhook receiver), the profile's
 * `settings` (e.g. merchantAccount) and what earlier steps `capture`d.
 */

import { JSON_POINTER } from '../model/patterns.js';

const pointer = { type: 'string', pattern: JSON_POINTER, description: 'A JSON Pointer (RFC 6901) into the answer, e.g. /error/code.' } as const;
const statuses = { type: 'array', minItems: 1, items: { type: 'integer', minimum: 100, maximum: 599 } } as const;

/** How a cap's refusal is signalled: an error answer (4xx, its code where `errors.code` says), or a decline (the `decline` signal and code: Adyen's Refused with a refusalReasonCode). */
const via = { enum: ['error', 'decline'], default: 'error' } as const;

/** The canonical states the scenarios reason in; a profile maps its provider's words onto them. */
export const PAYMENT_STATES = ['authorised', 'captured', 'partially_refunded', 'refunded', 'cancelled', 'declined', 'pending', 'action_required', 'failed'] as const;

/** One HTTP request of an operation. */
const request = {
  type: 'object',
  additionalProperties: false,
  required: ['method', 'path'],
  properties: {
    method: { enum: ['GET', 'POST', 'DELETE', 'PATCH', 'PUT'] },
    path: { type: 'string', pattern: '^/', description: 'Path template under the base URL, e.g. /v1/payment_intents/{id}/capture.' },
    query: { type: 'object', description: 'Query parameters (templates), encoded with the profile encoding rules for brackets.' },
    headers: { type: 'object', additionalProperties: { type: 'string' }, description: 'Extra request headers (templates).' },
    body: { description: 'Request body template (encoded as the profile says: JSON or form).' },
    base: { type: 'string', description: 'A setting naming another base URL for this request (e.g. managementUrl), default the payments base URL.' },
    capture: { type: 'object', additionalProperties: pointer, description: 'Values to keep from the answer for later steps: name -> JSON Pointer.' },
  },
} as const;

/** Where an operation's answer holds what the scenarios read. */
const result = {
  type: 'object',
  additionalProperties: false,
  properties: {
    id: pointer,
    status: pointer,
    amount: pointer,
    currency: pointer,
    captured: pointer,
    refunded: pointer,
    items: { ...pointer, description: 'list: the array of payments in the answer.' },
  },
} as const;

const operation = {
  type: 'object',
  additionalProperties: false,
  required: ['request'],
  properties: {
    request,
    success: { ...statuses, description: 'Statuses of a successful answer (default 200 and 201).' },
    result,
    async: {
      type: 'boolean',
      description: 'The provider only acknowledges the request and reports the outcome later (a notification): the answer says "received", not the new state.',
    },
    match: {
      type: 'object',
      additionalProperties: false,
      required: ['at', 'equals'],
      properties: { at: pointer, equals: { type: 'string' } },
      description: 'list: keep only the items whose value at `at` equals the template `equals` (e.g. the order reference in metadata).',
    },
    doc: { type: 'string', description: "Where the provider documents it (a URL)." },
  },
} as const;

const settingDescription = {
  type: 'object',
  additionalProperties: false,
  required: ['description'],
  properties: {
    description: { type: 'string' },
    required: { type: 'boolean' },
    secret: { type: 'boolean', description: 'Redacted wherever it appears.' },
  },
} as const;

/** The provider profile schema (draft 2020-12). */
export const profileSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://payready.dev/schema/provider-profile.json',
  title: 'payready provider profile',
  type: 'object',
  additionalProperties: false,
  required: ['provider', 'title', 'auth', 'encoding', 'idempotency', 'statuses', 'operations', 'decline', 'errors', 'methods'],
  properties: {
    $schema: { type: 'string' },
    provider: { type: 'string', pattern: '^[a-z][a-z0-9-]*$', description: 'Short name, used in summaries and `provider:`.' },
    title: { type: 'string' },
    docs: { type: 'string', description: "The provider's API reference (a URL)." },
    paymentWord: { type: 'string', description: 'What the provider calls a payment id in its docs (PaymentIntent, pspReference).' },
    auth: {
      type: 'object',
      additionalProperties: false,
      required: ['scheme'],
      properties: {
        scheme: { enum: ['oauth-client-credentials', 'bearer', 'header'], description: 'OAuth 2.0 client_credentials (clientId/clientSecret, or a token), a bearer API key, or an API key in a header.' },
        header: { type: 'string', description: 'scheme header: the header name, e.g. X-API-Key.' },
        keyPattern: { type: 'string', description: 'A regular expression a test-mode key matches (e.g. ^sk_test_).' },
        livePattern: { type: 'string', description: 'A regular expression a live key matches (e.g. ^sk_live_): money-moving scenarios refuse it unless allowLive.' },
        liveHosts: { type: 'array', items: { type: 'string' }, description: 'Host names of the live API (a base URL on one is a live target).' },
      },
    },
    encoding: { enum: ['json', 'form'], description: 'Request bodies as JSON, or form-encoded with bracket notation (metadata[order_id]=...).' },
    currencyCase: { enum: ['upper', 'lower'], default: 'upper', description: 'How currency codes are written in requests and answers.' },
    settings: { type: 'object', additionalProperties: settingDescription, description: 'Values a suite gives under the check\'s `settings:` (or the environment), e.g. merchantAccount.' },
    idempotency: {
      type: 'object',
      additionalProperties: false,
      required: ['header', 'reuse'],
      properties: {
        header: { type: 'string', description: 'The idempotency key header, e.g. Idempotency-Key.' },
        reuse: {
          type: 'object',
          additionalProperties: false,
          description: "The provider's documented answer to a reused key with a different body: refused (with `status`, and a `code`), or the first request's answer again (Adyen).",
          properties: {
            answer: { enum: ['refused', 'original'], default: 'refused' },
            status: statuses,
            code: { type: 'string' },
            codeAt: pointer,
            doc: { type: 'string' },
          },
          if: { properties: { answer: { const: 'refused' } } },
          then: { required: ['status'] },
        },
      },
    },
    statuses: {
      type: 'object',
      additionalProperties: { enum: PAYMENT_STATES },
      description: "The provider's status words (as the result's status pointer reads them) -> payready's states.",
    },
    operations: {
      type: 'object',
      additionalProperties: false,
      required: ['authorise'],
      properties: {
        authorise: { ...operation, description: 'Authorise a payment without capturing it (manual capture), confirmed in one call.' },
        capture: { ...operation, description: 'Capture an authorised payment; {amount} when partial.' },
        cancel: operation,
        refund: { ...operation, description: 'Refund a captured payment; {amount} when partial.' },
        read: { ...operation, description: 'Read a payment back (absent when the API has no such call).' },
        list: { ...operation, description: 'The payments of one order reference (absent when the API has no such call).' },
      },
    },
    decline: {
      type: 'object',
      additionalProperties: false,
      required: ['status', 'code', 'message'],
      description: 'How an issuer decline is signalled and coded.',
      properties: {
        status: statuses,
        when: { type: 'object', additionalProperties: false, required: ['at', 'equals'], properties: { at: pointer, equals: { type: 'string' } }, description: 'A decline answered with success status: the field that says it.' },
        code: pointer,
        codeOr: { ...pointer, description: "Where the code is when `code` holds none (Stripe: decline_code comes only with card_declined; an expired card's code is error.code)." },
        message: pointer,
        id: { ...pointer, description: 'The declined payment\'s id in the answer, if any.' },
        minWords: { type: 'integer', minimum: 1, default: 3, description: 'Words the decline message must have to be readable (Adyen\'s refusalReason is a short label: 1).' },
      },
    },
    errors: {
      type: 'object',
      additionalProperties: false,
      required: ['code', 'message'],
      description: 'Where an error answer holds its code and its human-readable message.',
      properties: { code: pointer, message: pointer, type: pointer },
    },
    methods: {
      type: 'object',
      additionalProperties: false,
      required: ['approved', 'declines'],
      description: "The provider's documented test payment methods.",
      properties: {
        approved: { description: 'A method the test environment approves: {method} in templates.' },
        declines: {
          type: 'array',
          minItems: 1,
          items: { type: 'object', additionalProperties: false, required: ['method', 'code'], properties: { method: {}, code: { type: 'string' }, label: { type: 'string' } } },
        },
        alternate: { description: 'Another payment method for fallbacks (absent: the scenarios that need one skip).' },
        alternateLabel: { type: 'string', description: "How summaries name the alternate method (default: its `type` field, else the method as JSON): a provider's method object need not have a `type`." },
      },
    },
    limits: {
      type: 'object',
      additionalProperties: false,
      properties: {
        perTransaction: {
          type: 'object',
          additionalProperties: false,
          properties: { max: { type: 'integer', minimum: 1 }, code: { type: 'string' }, via: via, unsupported: { type: 'string' }, doc: { type: 'string' } },
          description: 'The refusal of one payment over the cap: its documented code; or why the provider has none.',
        },
        daily: {
          type: 'object',
          additionalProperties: false,
          properties: { code: { type: 'string' }, via: via, unsupported: { type: 'string' }, doc: { type: 'string' } },
        },
        maxAmount: { type: 'integer', minimum: 1, description: 'The largest amount the API accepts, minor units.' },
      },
    },
    webhooks: {
      type: 'object',
      additionalProperties: false,
      required: ['register', 'secret', 'signature', 'event'],
      properties: {
        register: { type: 'array', minItems: 1, items: request, description: 'Requests that register {url} as a receiver; `capture` what later ones need.' },
        unregister: request,
        secret: { type: 'string', description: 'The signing secret: a template over the captured values, e.g. {secret}.' },
        signature: {
          type: 'object',
          additionalProperties: false,
          required: ['scheme'],
          properties: {
            scheme: { enum: ['hmac-sha256-timestamp', 'adyen-hmac'], description: 'A `t=<unix>,v1=<hex HMAC-SHA256 of "t.body">` header (Stripe, payready); or Adyen\'s hmacSignature in each notification item.' },
            header: { type: 'string' },
            toleranceSeconds: { type: 'integer', minimum: 1 },
            doc: { type: 'string' },
          },
        },
        event: {
          type: 'object',
          additionalProperties: false,
          required: ['type', 'typeAt', 'paymentAt'],
          description: 'The event a capture (or authorisation) produces and where it names the payment.',
          properties: { type: { type: 'string' }, typeAt: pointer, paymentAt: pointer, idAt: { ...pointer, description: 'The event id: a receiver refuses a delivery of an id it processed (default /id).' }, amountAt: pointer },
        },
        acknowledge: { type: 'string', description: 'The body a receiver must answer (Adyen: [accepted]).' },
      },
    },
    unsupported: { type: 'object', additionalProperties: { type: 'string' }, description: 'Scenario name -> why the provider has no such concept (the scenario ends skip).' },
  },
} as const;
