import { describe, expect, it } from 'vitest';
import { checkTable, runCheck, type CheckCase } from './harness.js';
import { useSandbox } from '../support/sandbox.js';

/** A token from the sandbox with these faults (the tests pass it as a literal header). */
async function bearer(faults: string[] = []): Promise<string> {
  return `Bearer ${await (await useSandbox(faults)).client.token()}`;
}

const payment = (reference = 'schema-check') => ({
  amount: { value: 1000, currency: 'EUR' },
  paymentMethod: { type: 'card', number: '4111111111111111', expiryMonth: 12, expiryYear: 2035, cvc: '737' },
  reference,
});

const create = (faults: string[] = [], extra: Record<string, unknown> = {}) => async (): Promise<Record<string, unknown>> => ({
  openapi: '${target.openapiUrl}',
  method: 'POST',
  url: '${target.baseUrl}/v1/payments',
  headers: { Authorization: await bearer(faults) },
  json: payment(),
  status: 201,
  ...extra,
});

const rows: CheckCase[] = [
  {
    name: 'a created payment conforms to the sandbox’s own OpenAPI document (operation found from the URL)',
    params: create(),
    status: 'pass',
    message: 'conforms',
    data: { label: 'POST /v1/payments', status: 201, proven: 'conforms, UTF-8' },
  },
  {
    name: 'fault schema-drift: each violation with its pointer and rule',
    faults: ['schema-drift'],
    params: create(['schema-drift']),
    status: 'fail',
    message: 'violations',
    data: { label: 'POST /v1/payments', status: 201, count: '2 schema violations', list: '/amount/value: expected integer, got "1000"; /createdAt: required member is missing', more: '' },
  },
  {
    name: 'non-ASCII text survives the round trip, in the response and read back from the Location',
    params: create([], { roundTrip: { path: 'reference', readBack: true } }),
    status: 'pass',
    message: 'conforms',
    data: { proven: 'conforms, UTF-8, round trip of "Zoë Łukasz 李雷 🙂" intact' },
  },
  {
    name: 'fault latin1: the charset and the mangled text are both reported',
    faults: ['latin1'],
    params: create(['latin1'], { roundTrip: { path: 'reference', readBack: true } }),
    status: 'fail',
    message: 'failed',
    data: { first: expect.stringMatching(/^charset is iso-8859-1, not UTF-8: /), more: expect.stringMatching(/^ \(and \d+ more\)$/) },
  },
  {
    name: 'by operationId',
    params: { openapi: '${target.openapiUrl}', operationId: 'getHealth', url: '${target.baseUrl}/health' },
    status: 'pass',
    message: 'conforms',
    data: { label: 'GET /health', status: 200, proven: 'conforms, UTF-8' },
  },
  {
    name: 'an unknown operationId is a suite error with a suggestion',
    params: { openapi: '${target.openapiUrl}', operationId: 'getHelth', url: '${target.baseUrl}/health' },
    status: 'error',
    message: 'sourceError',
    data: { detail: 'the document has no operationId "getHelth"; did you mean "getHealth"?' },
  },
  {
    name: 'a request body that breaks the operation’s schema is the suite’s error, and nothing is sent',
    params: create([], { json: { ...payment(), amount: { value: '10.00', currency: 'EUR' } } }),
    status: 'error',
    message: 'requestBreaks',
    data: { where: 'POST /v1/payments request body', violations: '/amount/value: expected integer, got "10.00"' },
  },
  {
    name: 'a status the document does not list fails (a local file, relative to the suite)',
    params: { openapi: 'fixtures/openapi/sandbox-partial.yaml', url: '${target.baseUrl}/v1/payments/pay_000000000000000000000000', status: 401 },
    status: 'fail',
    message: 'failed',
    data: { first: 'status 401 is not documented for GET /v1/payments/{id} (documented: 200)' },
  },
  {
    name: 'an inline draft-07 JSON Schema',
    params: { url: '${target.baseUrl}/health', jsonSchema: { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', required: ['status'], properties: { status: { const: 'ok' } } } },
    status: 'pass',
    message: 'conforms',
    data: { status: 200, proven: 'conforms, UTF-8' },
  },
  {
    name: 'an inline 2020-12 JSON Schema that the body breaks',
    params: { url: '${target.baseUrl}/health', jsonSchema: { type: 'object', required: ['status', 'version'], additionalProperties: false, properties: { status: { const: 'ok' }, version: { type: 'string' } } } },
    status: 'fail',
    message: 'violations',
    data: { count: '1 schema violation', list: '/version: required member is missing', more: '' },
  },
  {
    name: 'an invalid JSON Schema is an error naming the problem',
    params: { url: '${target.baseUrl}/health', jsonSchema: { type: 'objekt' } },
    status: 'error',
    message: 'sourceError',
    summary: /the inline jsonSchema is not a valid JSON Schema/,
  },
  {
    name: 'a captured response (no request of its own)',
    params: { openapi: '${target.openapiUrl}', operationId: 'getHealth', response: { status: 200, headers: { 'content-type': 'application/json' }, body: { status: 'ok' } } },
    status: 'pass',
    message: 'conforms',
    data: { label: 'the captured 200 response', status: 200, proven: 'conforms, UTF-8' },
  },
  {
    name: 'a captured response that drifted',
    params: { openapi: '${target.openapiUrl}', operationId: 'getHealth', response: { status: 200, headers: { 'content-type': 'text/plain' }, body: { status: 'up' } } },
    status: 'fail',
    message: 'failed',
    data: { first: 'Content-Type is "text/plain", not JSON (application/json or application/*+json)' },
  },
  {
    name: 'a declined card gets a clear problem+json error (6.2)',
    params: async () => ({ ...(await create()()), status: 402, problem: true, json: { ...payment(), paymentMethod: { ...payment().paymentMethod, number: '4000000000000002' } } }),
    status: 'pass',
    message: 'conforms',
    data: { label: 'POST /v1/payments', status: 402, proven: 'conforms, UTF-8, clear error body' },
  },
  {
    name: 'fault opaque-errors: the error body is a stack trace',
    faults: ['opaque-errors'],
    params: async () => ({ ...(await create(['opaque-errors'])()), status: 402, problem: true, json: { ...payment(), paymentMethod: { ...payment().paymentMethod, number: '4000000000000002' } } }),
    status: 'fail',
    message: 'failed',
    summary: /402 error body is opaque \(a stack trace\)/,
  },
  {
    name: 'an unreachable document is an error',
    params: { openapi: 'https://127.0.0.1:1/openapi.json', url: '${target.baseUrl}/health' },
    status: 'error',
    message: 'sourceError',
    summary: /could not fetch https:\/\/127\.0\.0\.1:1\/openapi\.json: connection refused/,
  },
];

describe('schema check against the real sandbox', () => {
  checkTable('schema', rows);

  it('keeps each violation as an assertion (pointer, rule, expected, actual) and in values', async () => {
    const { outcome } = await runCheck('schema', await create(['schema-drift'])(), { faults: ['schema-drift'] });
    const failed = outcome.assertions?.filter((a) => !a.passed);
    expect(failed).toEqual([
      { name: 'body/amount/value', operator: 'type', expected: 'integer', actual: '1000', passed: false, message: '/amount/value: expected integer, got "1000" (type)' },
      { name: 'body/createdAt', operator: 'exists', expected: 'present', actual: undefined, passed: false, message: '/createdAt: required member is missing (required)' },
    ]);
    expect(outcome.values?.violations).toHaveLength(2);
    expect(outcome.findings?.map((f) => f.rule)).toEqual(['schema/type', 'schema/required']);
  });

  it('shows the bytes sent and received when the round trip mangles text', async () => {
    const { outcome } = await runCheck('schema', await create(['latin1'], { roundTrip: { path: 'reference' } })(), { faults: ['latin1'] });
    const trip = outcome.assertions?.find((a) => a.name === 'round trip reference');
    expect(trip?.passed).toBe(false);
    expect(trip?.message).toContain('(UTF-8 5a 6f c3 ab 20 c5 81');
    expect(trip?.actual).toBe('Zoë ?ukasz ?? ?');
  });
});

describe('schema check: the suite\'s own setup is an error with cause setup, not a verdict', () => {
  it('a body the document rejects, sent anyway (validateRequest: false) and refused with 422, names the violations', async () => {
    const params = await create([], { validateRequest: false, json: { ...payment(), amount: { value: '10.00', currency: 'EUR' } } })();
    const { outcome } = await runCheck('schema', params);
    expect(outcome.status, outcome.summary).toBe('error');
    expect(outcome.cause).toBe('setup');
    expect(outcome.message).toMatchObject({ id: 'refusedBody', data: { label: 'POST /v1/payments', status: 422, said: expect.stringMatching(/^ \(".+"\)$/), where: 'POST /v1/payments request body', violations: '/amount/value: expected integer, got "10.00"' } });
    expect(outcome.assertions?.some((a) => a.name.startsWith('request') && !a.passed)).toBe(true);
  });

  it('a refusal the suite asks for (status: 422) is judged as usual', async () => {
    const params = await create([], { validateRequest: false, status: 422, json: { ...payment(), amount: { value: '10.00', currency: 'EUR' } } })();
    const { outcome } = await runCheck('schema', params);
    expect(outcome.cause).toBeUndefined();
    expect(outcome.status, outcome.summary).toBe('pass');
  });

  it('a request body that breaks the document is cause setup even before it is sent', async () => {
    const params = await create([], { json: { ...payment(), amount: { value: '10.00', currency: 'EUR' } } })();
    const { outcome } = await runCheck('schema', params);
    expect(outcome.status).toBe('error');
    expect(outcome.cause).toBe('setup');
    expect(outcome.message?.id).toBe('requestBreaks');
  });

  it('a URL the server does not have, for an operation the document has, names both', async () => {
    const params = await create([], { operationId: 'createPayment', url: '${target.baseUrl}/v2/payments' })();
    const { outcome, sandbox } = await runCheck('schema', params);
    expect(outcome.status, outcome.summary).toBe('error');
    expect(outcome.cause).toBe('setup');
    expect(outcome.message?.id).toBe('noSuchPath');
    expect(outcome.summary).toBe(`POST /v2/payments: POST ${sandbox.baseUrl}/v2/payments answered 404 ("No endpoint at /v2/payments."): the API has no such path: the document has POST /v1/payments, the server does not: check the URL's base (e.g. the environment's baseUrl)`);
  });
});
