import { METHOD_WRITES_WHEN, methodWrites } from '../shared/writes.js';

/** 180 days: what the guidelines' reviewers and the HSTS preload list ask for as a minimum. */
const MIN_HSTS_DEFAULT = 15_552_000;

/** The `headers` type's metadata: everything but its behaviour (read by the registry, the docs and `payready checks`). */
export const meta = {
  name: 'headers',
  title: 'Security headers',
  description: 'Security headers of a response: HSTS with a long max-age, Cache-Control: no-store on payment responses, X-Content-Type-Options: nosniff, no software version in Server or X-Powered-By.',
  // HSTS keeps clients on HTTPS (1.1.b); no-store keeps payment responses out of caches (PCI DSS,
  // 2.2.a); no software version on show and nosniff are the hardening of 2.3.a a probe can see.
  // Rate limits and allowlists are not headers.
  items: ['1.1.b', '2.2.a', '2.3.a'],
  writes: methodWrites,
  writesWhen: METHOD_WRITES_WHEN,
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['url'],
    properties: {
      url: { type: 'string', minLength: 1, description: 'URL whose response is judged; use a payment endpoint so no-store is checked where it matters.' },
      method: { enum: ['GET', 'HEAD', 'POST'], default: 'GET', description: 'HTTP method.' },
      headers: { type: 'object', additionalProperties: { type: 'string' }, description: 'Request headers, e.g. Authorization: Bearer ${checks.oauth-token.token}.' },
      json: { description: 'Request body sent as JSON (with method POST).' },
      minHstsMaxAge: { type: 'integer', minimum: 0, default: MIN_HSTS_DEFAULT, description: 'Smallest Strict-Transport-Security max-age accepted, in seconds (default 180 days).' },
      requireNoStore: { type: 'boolean', default: true, description: 'Require Cache-Control: no-store (payment responses must not be cached).' },
    },
  },
  values: { status: 'HTTP status code', headers: 'response headers (lower-case names)' },
  example: { url: '${target.baseUrl}/v1/payments/${checks.payment-approve.paymentId}', headers: { Authorization: 'Bearer ${checks.oauth-token.token}' } },
} as const;
