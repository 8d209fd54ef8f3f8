import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { describeFailure } from '../../src/model/operators.js';
import { errorBodyAssertions, errorFields, type ErrorBodySpec } from '../../src/checks/shared/error-body.js';

/**
 * Guideline 6.2 on real error bodies: each provider's published examples must be judged clear,
 * and every failure message must be true of the body it quotes.
 */
interface Row {
  /** Where the body comes from and what it shows. */
  name: string;
  status: number;
  contentType: string;
  body: unknown;
  spec: ErrorBodySpec;
  /** The first failure's message, or undefined when the body must be judged clear. */
  fails?: RegExp;
}

function judge(row: Pick<Row, 'status' | 'contentType' | 'body' | 'spec'>): string | undefined {
  const text = typeof row.body === 'string' ? row.body : JSON.stringify(row.body);
  const failed = errorBodyAssertions({ status: row.status, contentType: row.contentType, text }, row.spec).filter((a) => !a.passed);
  return failed[0] ? describeFailure(failed[0]) : undefined;
}

// Adyen Checkout v71's own error examples (components.examples holding a ServiceError).
const adyen = JSON.parse(readFileSync(new URL('../../fixtures/openapi/adyen-checkout-v71.openapi.json', import.meta.url), 'utf8')) as { components: { examples: Record<string, { value?: unknown }> } };
const adyenErrors = Object.entries(adyen.components.examples).flatMap(([name, example]) => {
  const value = example.value as Record<string, unknown> | undefined;
  return value && typeof value === 'object' && 'errorCode' in value ? [{ name, value, status: Number(value['status']) }] : [];
});

// Stripe's error object as its API reference ("Errors") and error-code pages publish it: a
// card decline with code and decline_code, a missing parameter, an error with no code (type only),
// an idempotency conflict.
const stripe: { name: string; status: number; body: unknown }[] = [
  {
    name: 'a card decline (test card 4000 0000 0000 9995)',
    status: 402,
    body: {
      error: {
        charge: 'ch_3MmlLrLkdIwHu7ix0snN0B15',
        code: 'card_declined',
        decline_code: 'insufficient_funds',
        doc_url: 'https://stripe.com/docs/error-codes/card-declined',
        message: 'Your card has insufficient funds.',
        type: 'card_error',
      },
    },
  },
  {
    name: 'a missing parameter',
    status: 400,
    body: { error: { code: 'parameter_missing', doc_url: 'https://stripe.com/docs/error-codes/parameter-missing', message: 'Missing required param: currency.', param: 'currency', type: 'invalid_request_error' } },
  },
  { name: 'an invalid API key (no code: the type is the machine-readable part)', status: 401, body: { error: { message: 'Invalid API Key provided: sk_test_********************1234', type: 'invalid_request_error' } } },
  {
    name: 'an idempotency conflict',
    status: 400,
    body: { error: { message: "Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than 'k1' if you meant to execute a different request.", type: 'idempotency_error' } },
  },
];

const rows: Row[] = [
  ...adyenErrors.map((e): Row => ({ name: `Adyen example ${e.name} (errorCode ${JSON.stringify(e.value['errorCode'])})`, status: e.status, contentType: 'application/json', body: e.value, spec: true })),
  ...adyenErrors.map((e): Row => ({ name: `Adyen example ${e.name}, declared as problem: adyen`, status: e.status, contentType: 'application/json', body: e.value, spec: 'adyen' })),
  ...stripe.map((s): Row => ({ name: `Stripe: ${s.name}`, status: s.status, contentType: 'application/json', body: s.body, spec: true })),
  ...stripe.map((s): Row => ({ name: `Stripe: ${s.name}, declared as problem: stripe`, status: s.status, contentType: 'application/json', body: s.body, spec: 'stripe' })),
  {
    name: 'RFC 9457 §3 example (out of credit, a type URI)',
    status: 403,
    contentType: 'application/problem+json',
    body: { type: 'https://example.com/probs/out-of-credit', title: 'You do not have enough credit.', detail: 'Your current balance is 30, but that costs 50.', instance: '/account/12345/msgs/abc', balance: 30, accounts: ['/account/12345', '/account/67890'] },
    spec: 'rfc9457',
  },
  {
    name: 'RFC 9457 §3 validation example (a relative type, no detail)',
    status: 422,
    contentType: 'application/problem+json',
    body: { type: '/validation-error', title: 'Your request is not valid.', errors: [{ detail: 'must be a positive integer', pointer: '#/age' }] },
    spec: true,
  },
  {
    name: "Stoplight Prism's own 404 (problem+json)",
    status: 404,
    contentType: 'application/problem+json',
    body: { type: 'https://stoplight.io/prism/errors#NO_PATH_MATCHED_ERROR', title: 'Route not resolved, no path matched', status: 404, detail: "The route /v1/payments hasn't been found in the specification file" },
    spec: true,
  },
  { name: 'OAuth 2.0 error with a description (RFC 6749 §5.2)', status: 401, contentType: 'application/json', body: { error: 'invalid_client', error_description: 'client authentication failed' }, spec: true },
  { name: 'OAuth 2.0 error, declared by paths', status: 401, contentType: 'application/json', body: { error: 'invalid_client', error_description: 'client authentication failed' }, spec: { message: 'error_description', code: 'error' } },
  {
    name: 'RFC 6749 §5.2 example without error_description',
    status: 400,
    contentType: 'application/json;charset=UTF-8',
    body: { error: 'invalid_request' },
    spec: true,
    fails: /^the 400 OAuth error "invalid_request" has no error_description: RFC 6749 makes it optional/,
  },
  { name: 'a numeric code is a code', status: 402, contentType: 'application/json', body: { message: 'The card was declined by the issuer.', code: 5120 }, spec: { message: 'message', code: 'code' } },
  { name: 'a code with digits and underscores is a code', status: 422, contentType: 'application/json', body: { message: 'Return URL is missing.', code: '14_030' }, spec: { message: 'message', code: 'code' } },
  {
    name: 'a code with spaces is not one token, and the message says so',
    status: 402,
    contentType: 'application/json',
    body: { message: 'The card was declined by the issuer.', code: 'card declined' },
    spec: { message: 'message', code: 'code' },
    fails: /^the 402 error code "card declined" contains spaces: a machine-readable code is one token, e\.g\. "card_declined"$/,
  },
  {
    name: 'an object where the code should be',
    status: 402,
    contentType: 'application/json',
    body: { message: 'The card was declined by the issuer.', code: { reason: 'declined' } },
    spec: { message: 'message', code: 'code' },
    fails: /^the 402 error code at code is an object \(\{"reason":"declined"\}\), not a code \(a string or number\)$/,
  },
  {
    name: 'problem: rfc9457 refuses an OAuth error',
    status: 401,
    contentType: 'application/json',
    body: { error: 'invalid_client', error_description: 'client authentication failed' },
    spec: 'rfc9457',
    fails: /^the 401 error is not RFC 9457 problem details .* but an OAuth 2\.0 error/,
  },
  {
    name: 'problem: rfc9457 requires the media type',
    status: 402,
    contentType: 'application/json',
    body: { type: 'https://example.com/probs/declined', title: 'Card declined', detail: 'The card was declined: use a different card.' },
    spec: 'rfc9457',
    fails: /the 402 error is application\/json, not application\/problem\+json/,
  },
  {
    name: 'Adyen status member disagreeing with the HTTP status',
    status: 500,
    contentType: 'application/json',
    body: { status: 422, errorCode: '14_030', message: 'Return URL is missing.', errorType: 'validation' },
    spec: true,
    fails: /^"status" 422 in the body of an Adyen error \(ServiceError\) differs from the HTTP status 500$/,
  },
  {
    name: 'JSON of no known shape',
    status: 500,
    contentType: 'application/json',
    body: { ok: false, reason: 'something broke' },
    spec: true,
    fails: /^the 500 error body is JSON of no known error shape \(members ok, reason\): .*declare its shape/,
  },
  {
    name: 'a Stripe error whose message is a bare reason phrase',
    status: 400,
    contentType: 'application/json',
    body: { error: { type: 'invalid_request_error', message: 'Bad Request' } },
    spec: true,
    fails: /^the 400 error message "Bad Request" does not tell a person what went wrong/,
  },
];

describe('error bodies (guideline 6.2): providers\' real shapes', () => {
  it('reads every Adyen ServiceError example of the document (there are some)', () => {
    expect(adyenErrors.length).toBeGreaterThanOrEqual(5);
    expect(adyenErrors.map((e) => e.value['errorCode'])).toContain('14_030');
  });

  for (const row of rows) {
    it(`${row.fails ? 'fails' : 'accepts'} ${row.name}`, () => {
      const failure = judge(row);
      if (row.fails) expect(failure).toMatch(row.fails);
      else expect(failure).toBeUndefined();
    });
  }

  it('never calls a one-token code "not one token" (the message that contradicted itself)', () => {
    for (const code of ['14_030', '010', '000', 'card_declined', 'https://example.com/probs/x', 42]) {
      expect(judge({ status: 422, contentType: 'application/json', body: { message: 'Return URL is missing.', code }, spec: { message: 'message', code: 'code' } })).toBeUndefined();
    }
  });

  it('reads the message and code of each shape, for summaries that quote the server', () => {
    expect(errorFields(stripe[0]!.body)).toEqual({ shape: 'stripe', message: 'Your card has insufficient funds.', code: 'card_declined' });
    expect(errorFields(adyenErrors.find((e) => e.name === 'generic-422')!.value)).toEqual({ shape: 'adyen', message: 'Return URL is missing.', code: '14_030' });
    expect(errorFields({ error: 'invalid_client', error_description: 'client authentication failed' })).toEqual({ shape: 'oauth', message: 'client authentication failed', code: 'invalid_client' });
    expect(errorFields({ type: 'about:blank', title: 'Not Found', detail: 'No endpoint at /v1/x.', code: 'not_found' }, 'application/problem+json')).toEqual({ shape: 'rfc9457', message: 'No endpoint at /v1/x.', code: 'not_found' });
    expect(errorFields({ id: 'pay_1' })).toEqual({});
  });
});
