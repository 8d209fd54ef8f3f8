import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildRouter } from '../../src/sandbox/routes.js';
import { FaultSet } from '../../src/sandbox/faults.js';
import { OpenApiDocument, bareMediaType } from '../../src/schema/openapi.js';
import { toViolations } from '../../src/schema/violations.js';
import { paymentBody, useSandbox, type TestRequest, type TestResponse } from '../support/sandbox.js';

/**
 * The sandbox's /openapi.json must describe exactly what it serves: every route has an operation
 * (and the reverse), and real responses to real requests validate against the document.
 */
const { sandbox, client } = await useSandbox();
const doc = OpenApiDocument.parse((await client.send('/openapi.json')).text);

function violationsOf(method: string, path: string, response: TestResponse): string[] {
  const op = doc.byRequest(method, new URL(path, sandbox.baseUrl).pathname);
  if (!op) return [`no operation for ${method} ${path}`];
  const schema = doc.responseSchema(op, response.status, bareMediaType(response.headers['content-type']));
  if (schema.kind === 'no-content') return response.text === '' ? [] : [`${method} ${path} ${response.status}: a body where none is documented`];
  if (schema.kind !== 'schema') return [`${method} ${path} ${response.status}: ${schema.kind} ${JSON.stringify(schema)}`];
  const body: unknown = JSON.parse(response.text);
  return schema.validator(body) ? [] : toViolations(schema.validator.errors).map((v) => `${method} ${path} ${response.status}: ${v.message}`);
}

describe('GET /openapi.json', () => {
  it('is OpenAPI 3.1 with one operation per route, and a route for every operation', () => {
    expect(doc.version).toBe('3.1');
    const ctx = { baseUrl: sandbox.baseUrl, provider: 'payready' } as Parameters<typeof buildRouter>[0];
    const routes = buildRouter({ ...ctx, clients: [], faults: new FaultSet() }).list().map((r) => `${r.method} ${r.pattern.replace(/:(\w+)/g, '{$1}')}`);
    const operations = doc.operations().map((op) => `${op.method.toUpperCase()} ${op.path}`);
    expect(operations.sort()).toEqual(routes.sort());
    expect(doc.operations().every((op) => typeof op.operationId === 'string')).toBe(true);
  });

  it('describes the real responses of every operation, success and error', async () => {
    const token = await client.token();
    const readOnly = sandbox.clients.find((c) => c.id === 'payready-readonly')!;
    const readToken = JSON.parse((await client.send('/oauth/token', { form: { grant_type: 'client_credentials' }, headers: { authorization: client.basicAuth(readOnly.id, readOnly.secret) } })).text).access_token as string;
    const created = await client.send('/v1/payments', { json: paymentBody(), token });
    const id = String(created.json()['id']);
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const redirect = 'http://127.0.0.1:9/callback';
    const authorize = `/oauth/authorize?response_type=code&client_id=${sandbox.clientId}&redirect_uri=${encodeURIComponent(redirect)}&code_challenge=${challenge}&code_challenge_method=S256&state=s1`;
    const basic = { authorization: client.basicAuth() };
    const calls: [string, string, TestRequest][] = [
      ['GET', '/health', {}],
      ['GET', '/openapi.json', {}],
      ['GET', '/.well-known/jwks.json', {}],
      ['GET', '/.well-known/oauth-authorization-server', {}],
      ['POST', '/oauth/token', { form: { grant_type: 'client_credentials' }, headers: basic }],
      ['POST', '/oauth/token', { form: { grant_type: 'client_credentials' }, headers: { authorization: client.basicAuth(sandbox.clientId, 'wrong') } }],
      ['POST', '/oauth/token', { form: { grant_type: 'password' }, headers: basic }],
      ['GET', authorize, {}],
      ['GET', '/oauth/authorize?client_id=nobody', {}],
      ['POST', '/oauth/introspect', { form: { token }, headers: basic }],
      ['POST', '/oauth/introspect', { form: { token: 'not-a-token' }, headers: basic }],
      ['POST', '/oauth/revoke', { form: { token: 'not-a-token' }, headers: basic }],
      ['POST', '/v1/payments', { json: paymentBody(), token }],
      ['POST', '/v1/payments', { json: paymentBody('4000000000000002'), token }],
      ['POST', '/v1/payments', { json: { amount: { value: -1 } }, token }],
      ['POST', '/v1/payments', { body: '{"amount":', headers: { 'content-type': 'application/json' }, token }],
      ['POST', '/v1/payments', { body: 'x', headers: { 'content-type': 'text/plain' }, token }],
      ['POST', '/v1/payments', { json: paymentBody() }],
      ['POST', '/v1/payments', { json: paymentBody(), token: readToken }],
      ['GET', `/v1/payments/${id}`, { token }],
      ['GET', '/v1/payments/pay_000000000000000000000000', { token }],
      ['GET', `/v1/payments/${id}`, { token: 'tampered' }],
    ];
    const problems: string[] = [];
    const statuses: number[] = [];
    for (const [method, path, request] of calls) {
      const response = await client.send(path, { method: method as TestRequest['method'], ...request });
      statuses.push(response.status);
      problems.push(...violationsOf(method, path, response));
    }
    expect(problems).toEqual([]);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 401, 400, 302, 400, 200, 200, 200, 201, 402, 422, 400, 415, 401, 403, 200, 404, 401]);
  });
});
