import { describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { createServer as createHttpServer } from 'node:http';
import { checkTable, runCheck, type CheckCase } from './harness.js';

const payment = {
  amount: { value: 1000, currency: 'EUR' },
  paymentMethod: { type: 'card', number: '4111111111111111', expiryMonth: 12, expiryYear: 2035, cvc: '737' },
  reference: 'http-check-test',
};

const cases: CheckCase[] = [
  { name: 'health answers 200 over HTTPS', params: { url: '${target.baseUrl}/health', requireHttps: true, expect: { status: 200, json: { status: 'ok' } } }, status: 'pass', message: 'answered', data: { label: 'GET /health', status: 200, withheld: '' } },
  { name: 'a status class matches', params: { url: '${target.baseUrl}/health', expect: { status: '2xx' } }, status: 'pass', message: 'answered', data: { status: 200 } },
  {
    name: 'payments refuse a request without a token',
    params: { method: 'POST', url: '${target.baseUrl}/v1/payments', json: payment, expect: { status: 401, headers: { 'WWW-Authenticate': { matches: '^Bearer' } } } },
    status: 'pass',
    message: 'answered',
    data: { status: 401 },
  },
  {
    name: 'fault no-auth: the same probe fails and says what was seen',
    faults: ['no-auth'],
    params: { method: 'POST', url: '${target.baseUrl}/v1/payments', json: payment, expect: { status: 401 } },
    status: 'fail',
    message: 'failed',
    data: { label: 'POST /v1/payments', assertion: 'status', first: 'expected status to equal 401, got 201', more: '' },
  },
  {
    name: 'a wrong client secret gets RFC 6749 invalid_client',
    params: { method: 'POST', url: '${target.tokenUrl}', form: { grant_type: 'client_credentials', client_id: '${secrets.clientId}', client_secret: 'wrong' }, expect: { status: 401, json: { error: 'invalid_client' } } },
    status: 'pass',
    message: 'answered',
    data: { status: 401 },
  },
  {
    name: 'a JSON path assertion that does not hold fails naming the path',
    params: { url: '${target.baseUrl}/health', expect: { json: { status: 'degraded' } } },
    status: 'fail',
    message: 'failed',
    data: { assertion: 'body.status', first: 'expected body.status to equal "degraded", got "ok"' },
  },
  {
    name: 'requireHttps on the plain-HTTP port passes when it redirects to https',
    params: { url: '${target.httpUrl}/health', requireHttps: true, expect: { status: 301 } },
    status: 'pass',
    message: 'answered',
    data: { status: 301 },
  },
  {
    name: 'following the redirect reaches the HTTPS API',
    params: { url: '${target.httpUrl}/health', followRedirects: 2, expect: { status: 200 } },
    status: 'pass',
    message: 'answered',
    data: { status: 200 },
  },
  {
    name: 'fault down: error naming the refused connection',
    faults: ['down'],
    params: { url: '${target.baseUrl}/health' },
    status: 'error',
    message: 'unreachable',
    summary: /^GET \/health: connection refused by 127\.0\.0\.1:\d+$/,
  },
  {
    name: 'a body cap turns an oversized response into an error',
    params: { url: '${target.baseUrl}/.well-known/jwks.json', maxBodyBytes: 16 },
    status: 'error',
    message: 'unreachable',
    summary: /exceeds the 16 B limit/,
  },
];

describe('http check against the real sandbox', () => {
  checkTable('http', cases, { assert: ({ interactions }) => expect(interactions.overall.requests).toBeGreaterThan(0) });

  it('marks an error status the suite asks for as expected in the interaction log (KPIs count it as intended)', async () => {
    const { InteractionLog } = await import('../../src/model/interactions.js');
    const interactions = new InteractionLog();
    const lines: { status?: number; expected?: boolean }[] = [];
    interactions.pipe((entry) => lines.push(entry));
    await runCheck('http', { method: 'POST', url: '${target.baseUrl}/v1/payments', json: payment, expect: { status: 401 } }, { interactions });
    await runCheck('http', { url: '${target.baseUrl}/v1/payments/pay_000000000000000000000000', expect: { status: '4xx' } }, { interactions });
    await runCheck('http', { url: '${target.baseUrl}/v1/payments' }, { interactions });
    expect(lines.map((l) => [l.status, l.expected ?? false])).toEqual([
      [401, true],
      [401, true],
      [401, false],
    ]);
    expect(interactions.overall).toMatchObject({ requests: 3, successes: 2, clientErrors: 1 });
  });

  it('keeps a transcript with credentials masked and exposes values for capture', async () => {
    const { outcome, sandbox } = await runCheck('http', {
      method: 'POST',
      url: '${target.tokenUrl}',
      headers: { Authorization: `Basic ${Buffer.from('payready-demo:x').toString('base64')}` },
      form: { grant_type: 'client_credentials', client_id: '${secrets.clientId}', client_secret: '${secrets.clientSecret}' },
    });
    const transcript = String(outcome.artifacts?.[0]?.data);
    expect(transcript).toMatch(/^> POST https:\/\/127\.0\.0\.1:\d+\/oauth\/token$/m);
    expect(transcript).toMatch(/^> authorization: Basic \[REDACTED\]$/im);
    expect(transcript).toMatch(/^< HTTP\/1\.1 \d{3}$/m);
    expect(outcome.values).toMatchObject({ status: expect.any(Number), headers: expect.any(Object) });
    expect(sandbox.clientSecret.length).toBeGreaterThan(4);
  });

  it('requireHttps: a plain-HTTP URL that refuses connections passes, one that answers fails', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as { port: number }).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const refused = await runCheck('http', { url: `http://127.0.0.1:${closedPort}/`, requireHttps: true });
    expect(refused.outcome.status, refused.outcome.summary).toBe('pass');
    expect(refused.outcome.message).toMatchObject({ id: 'plainRefused', data: { label: 'GET /' } });

    const server = createHttpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
    try {
      const { outcome } = await runCheck('http', { url, requireHttps: true, expect: { json: { status: 'ok' } } });
      expect(outcome.status).toBe('fail');
      expect(outcome.message).toMatchObject({ id: 'failed', data: { assertion: 'scheme', first: `${url} is served over plain HTTP: serve it over HTTPS only (refuse or redirect)`, more: ' (and 1 more)' } });
      expect(outcome.assertions?.filter((a) => !a.passed).map((a) => a.message)).toEqual([expect.stringContaining('served over plain HTTP'), expect.stringMatching(/^response body is not JSON \(.+\)$/)]);
    } finally {
      server.close();
    }
  });

  it('a server that never answers ends as error within the timeout', async () => {
    const server = createServer(() => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const started = performance.now();
      const { outcome } = await runCheck('http', { url: `http://127.0.0.1:${port}/` }, { timeoutMs: 300 });
      expect(outcome.status).toBe('error');
      expect(outcome.message?.id).toBe('unreachable');
      expect(outcome.summary).toMatch(/timed out after 300 ms talking to 127\.0\.0\.1:\d+/);
      expect(performance.now() - started).toBeLessThan(5_000);
    } finally {
      server.close();
    }
  });
});

describe('http check: error messages (expect.problem, guideline 6.2)', () => {
  const payment401 = { method: 'POST', url: '${target.baseUrl}/v1/payments', json: payment };
  const sandboxCases: CheckCase[] = [
    { name: 'a problem+json error with a detail and a code passes', params: { ...payment401, expect: { status: 401, problem: true } }, status: 'pass', message: 'answered', data: { status: 401 } },
    {
      name: 'fault opaque-errors: the stack trace is named',
      faults: ['opaque-errors'],
      params: { ...payment401, expect: { status: 401, problem: true } },
      status: 'fail',
      message: 'failed',
      data: { assertion: 'error body' },
      summary: /^POST \/v1\/payments: the 401 error body is opaque \(a stack trace\): send application\/problem\+json/,
    },
    {
      name: 'a declared shape (OAuth errors: error_description and error)',
      params: { method: 'POST', url: '${target.tokenUrl}', form: { grant_type: 'client_credentials', client_id: '${secrets.clientId}', client_secret: 'wrong' }, expect: { status: 401, problem: { message: 'error_description', code: 'error' } } },
      status: 'pass',
      message: 'answered',
      data: { status: 401 },
    },
    {
      name: 'an RFC 6749 error with a description is a clear error (problem: true accepts the known shapes)',
      params: { method: 'POST', url: '${target.tokenUrl}', form: { grant_type: 'client_credentials' }, expect: { status: 401, problem: true } },
      status: 'pass',
      message: 'answered',
      data: { status: 401 },
    },
    {
      name: 'RFC 6749 JSON is not problem+json when problem: rfc9457 asks for it',
      params: { method: 'POST', url: '${target.tokenUrl}', form: { grant_type: 'client_credentials' }, expect: { problem: 'rfc9457' } },
      status: 'fail',
      message: 'failed',
      data: { assertion: 'error shape' },
      summary: /the 401 error is not RFC 9457 problem details .* but an OAuth 2\.0 error \(RFC 6749 §5\.2\)/,
    },
    { name: 'a success is not an error to judge', params: { url: '${target.baseUrl}/health', expect: { problem: true } }, status: 'fail', message: 'failed', data: { assertion: 'error status' }, summary: /expected an error response \(4xx or 5xx\) to judge its message, got 200/ },
  ];
  checkTable('http', sandboxCases);

  // Real servers answering the way careless APIs do.
  const bodies: { name: string; type: string; body: string; problem: unknown; summary: RegExp }[] = [
    { name: 'an HTML error page', type: 'text/html', body: '<!DOCTYPE html><html><body><h1>500 Internal Server Error</h1></body></html>', problem: true, summary: /the 500 error body is opaque \(an HTML page\)/ },
    { name: 'a bare word', type: 'text/plain', body: 'error', problem: true, summary: /the 500 error body is opaque \(bare text "error"\)/ },
    { name: 'an empty body', type: 'text/plain', body: '', problem: true, summary: /the 500 error body is opaque \(an empty body\)/ },
    { name: 'a Python traceback', type: 'text/plain', body: 'Traceback (most recent call last):\n  File "app.py", line 3, in pay\nKeyError: amount', problem: true, summary: /opaque \(a stack trace\)/ },
    { name: 'JSON whose message is just "error"', type: 'application/json', body: '{"error":"error","code":"E1"}', problem: { message: 'error', code: 'code' }, summary: /the 500 error message "error" does not tell a person what went wrong/ },
    { name: 'problem+json without a code', type: 'application/problem+json', body: '{"type":"about:blank","title":"Payment failed","detail":"The card was declined by the issuer.","status":500}', problem: true, summary: /the 500 error has no machine-readable code at code or type/ },
    { name: 'problem+json whose status disagrees', type: 'application/problem+json', body: '{"title":"Payment failed","detail":"The card was declined by the issuer.","code":"declined","status":402}', problem: true, summary: /"status" 402 in the body of RFC 9457 problem details differs from the HTTP status 500/ },
  ];
  for (const b of bodies) {
    it(`fails ${b.name}, saying so`, async () => {
      const server = createHttpServer((_req, res) => {
        res.writeHead(500, { 'content-type': b.type });
        res.end(b.body);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const { outcome } = await runCheck('http', { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/pay`, expect: { problem: b.problem } });
        expect(outcome.status).toBe('fail');
        expect(outcome.message?.id).toBe('failed');
        expect(outcome.summary).toMatch(b.summary);
      } finally {
        server.close();
      }
    });
  }
});

describe('http check: a URL the API does not have is the suite\'s setup (error, cause setup)', () => {
  it('a 404 where the suite expected a success names the URL and what to check', async () => {
    const { outcome, sandbox } = await runCheck('http', { url: '${target.baseUrl}/helth', expect: { status: 200 } });
    expect(outcome.status, outcome.summary).toBe('error');
    expect(outcome.cause).toBe('setup');
    expect(outcome.message).toMatchObject({ id: 'noSuchPath', data: { label: 'GET /helth', withheld: '' } });
    expect(outcome.summary).toBe(`GET /helth: GET ${sandbox.baseUrl}/helth answered 404 ("No endpoint at /helth."): the API has no such path: check the URL (its base, e.g. the environment's baseUrl, and its path) and the method`);
  });

  it('an auth-required probe (status: 401) on a path the API does not have cannot pass or fail', async () => {
    const { outcome } = await runCheck('http', { method: 'POST', url: '${target.baseUrl}/v1/paymnts', json: payment, expect: { status: 401 } });
    expect(outcome.status, outcome.summary).toBe('error');
    expect(outcome.cause).toBe('setup');
    expect(outcome.message?.id).toBe('noSuchPath');
  });

  it('a 405 names the method and the Allow header', async () => {
    const { outcome } = await runCheck('http', { method: 'DELETE', url: '${target.baseUrl}/health', expect: { status: 200 } });
    expect(outcome.status, outcome.summary).toBe('error');
    expect(outcome.cause).toBe('setup');
    expect(outcome.message?.id).toBe('noSuchPath');
    expect(outcome.summary).toMatch(/^DELETE \/health: DELETE https:\/\/127\.0\.0\.1:\d+\/health answered 405 .*: the API has \/health but not for DELETE \(Allow: [A-Z, ]+\): check the URL/);
  });

  it('a check that asks for 404 passes on it, and one judging any error body judges the 404', async () => {
    const asked = await runCheck('http', { url: '${target.baseUrl}/helth', expect: { status: 404 } });
    expect(asked.outcome.status, asked.outcome.summary).toBe('pass');
    expect(asked.outcome.message).toMatchObject({ id: 'answered', data: { status: 404 } });
    const judged = await runCheck('http', { url: '${target.baseUrl}/helth', expect: { problem: true } });
    expect(judged.outcome.status, judged.outcome.summary).toBe('pass');
    expect(judged.outcome.cause).toBeUndefined();
  });
});
