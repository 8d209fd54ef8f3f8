import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { Redactor } from '../../src/evidence/redact.js';
import { HttpTransport } from '../../src/net/http.js';
import { isCredentialHeader, isCredentialName } from '../../src/net/credentials.js';
import { mintCertificateAuthority, mintServerCertificate } from '../../src/sandbox/transport/certs.js';
import { runCheck } from '../checks/harness.js';

/** What one loopback server received. */
interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * Two plain-HTTP servers on different ports (two origins) and one HTTPS server. Each records
 * every request; `/to-b`, `/to-a`... answer with the redirect their path names.
 */
const received: Record<'a' | 'b' | 's', Received[]> = { a: [], b: [], s: [] };
const servers: Server[] = [];
const origin: Record<'a' | 'b' | 's', string> = { a: '', b: '', s: '' };
let caPem = '';

function listener(name: 'a' | 'b' | 's') {
  return (req: IncomingMessage, res: ServerResponse): void => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      received[name].push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
      const url = new URL(req.url ?? '/', 'http://x');
      const to = url.searchParams.get('to');
      if (to) {
        const location = `${origin[to as 'a' | 'b' | 's']}${url.searchParams.get('then') ?? '/landing'}`;
        // `/created`: a 201 echoing the body, with a Location to read it back from.
        const created = url.pathname === '/created';
        res.writeHead(created ? 201 : Number(url.searchParams.get('status') ?? 302), { location, ...(created ? { 'content-type': 'application/json' } : {}) });
        res.end(created ? body : undefined);
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ server: name }));
    });
  };
}

async function listen(server: Server, scheme: string): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `${scheme}://127.0.0.1:${(server.address() as { port: number }).port}`;
}

beforeAll(async () => {
  const ca = await mintCertificateAuthority('redirect test CA');
  const cert = await mintServerCertificate(ca);
  caPem = ca.certPem;
  origin.a = await listen(createServer(listener('a')), 'http');
  origin.b = await listen(createServer(listener('b')), 'http');
  origin.s = await listen(createHttpsServer({ cert: cert.certPem, key: cert.keyPem }, listener('s')), 'https');
});

afterAll(async () => {
  await Promise.all(
    servers.map((server) => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      return closed;
    }),
  );
});

beforeEach(() => {
  for (const list of Object.values(received)) list.length = 0;
});

const SECRET = 'registered-secret-9f3a77c1';
const CREDENTIALS = {
  Authorization: 'Bearer token-that-stays-home-1',
  Cookie: 'session=cookie-that-stays-home-2',
  'Proxy-Authorization': 'Basic cHJveHk6c3RheXMtaG9tZQ==',
  'X-API-Key': 'api-key-that-stays-home-3',
  'X-Auth-Token': 'auth-token-that-stays-home-4',
  'X-Signature-Context': `ctx ${SECRET}`,
};

async function send(request: Parameters<ReturnType<HttpTransport['forCheck']>['request']>[0]) {
  const redactor = new Redactor();
  redactor.add(SECRET);
  const transport = new HttpTransport({ ca: [caPem], isSecret: (value) => redactor.contains(value) });
  try {
    return await transport.forCheck('redirect-test', AbortSignal.timeout(10_000), 10_000).request(request);
  } finally {
    await transport.close();
  }
}

const sentCredentials = (headers: IncomingHttpHeaders): string[] =>
  ['authorization', 'cookie', 'proxy-authorization', 'x-api-key', 'x-auth-token', 'x-signature-context'].filter((name) => headers[name] !== undefined);

describe('redirects keep credentials with their origin', () => {
  it('[creds/redirect-origin] a redirect to another port drops every credential header, by name or because it holds a registered secret, and says which', async () => {
    const response = await send({ url: `${origin.a}/start?to=b`, headers: { ...CREDENTIALS, 'X-Trace': 'kept' }, maxRedirects: 3 });
    expect(response.status).toBe(200);
    expect(response.url).toBe(`${origin.b}/landing`);
    expect(sentCredentials(received.a[0]!.headers)).toHaveLength(6);
    expect(received.b).toHaveLength(1);
    expect(sentCredentials(received.b[0]!.headers)).toEqual([]);
    expect(received.b[0]!.headers['x-trace']).toBe('kept');
    expect(JSON.stringify(received.b[0]!.headers)).not.toMatch(/stays-home|registered-secret/);
    expect([...response.withheld].sort()).toEqual(['authorization', 'cookie', 'proxy-authorization', 'x-api-key', 'x-auth-token', 'x-signature-context']);
  });

  it('a redirect within the origin keeps them', async () => {
    const response = await send({ url: `${origin.a}/start?to=a`, headers: CREDENTIALS, maxRedirects: 3 });
    expect(response.status).toBe(200);
    expect(received.a.map((r) => sentCredentials(r.headers).length)).toEqual([6, 6]);
    expect(response.withheld).toEqual([]);
  });

  it('once dropped they stay dropped, even back on the first origin', async () => {
    await send({ url: `${origin.a}/start?to=b&then=${encodeURIComponent('/back?to=a')}`, headers: CREDENTIALS, maxRedirects: 3 });
    expect(received.a.map((r) => r.path)).toEqual(['/start?to=b&then=%2Fback%3Fto%3Da', '/landing']);
    expect(sentCredentials(received.a[1]!.headers)).toEqual([]);
  });

  it('[creds/redirect-body] a 307 or 308 that would re-send the body to another origin is refused; within the origin the body follows', async () => {
    for (const status of [307, 308]) {
      const response = await send({ method: 'POST', url: `${origin.a}/pay?to=b&status=${status}`, json: { amount: 1000 }, maxRedirects: 3 });
      expect(response.status).toBe(status);
      expect(response.refused).toMatchObject({ status, kind: 'body', location: `${origin.b}/landing`, reason: expect.stringMatching(/re-send the POST request body to another origin/) });
    }
    expect(received.b).toEqual([]);
    const same = await send({ method: 'POST', url: `${origin.a}/pay?to=a&status=307`, json: { amount: 1000 }, maxRedirects: 3 });
    expect(same.status).toBe(200);
    expect(received.a.slice(-2).map((r) => [r.method, r.body])).toEqual([
      ['POST', '{"amount":1000}'],
      ['POST', '{"amount":1000}'],
    ]);
  });

  it('a 303 to another origin continues as a GET without the body, its content type or the credentials', async () => {
    const response = await send({ method: 'POST', url: `${origin.a}/pay?to=b&status=303`, headers: CREDENTIALS, json: { amount: 1000 }, maxRedirects: 3 });
    expect(response.status).toBe(200);
    expect(received.b[0]).toMatchObject({ method: 'GET', body: '' });
    expect(received.b[0]!.headers['content-type']).toBeUndefined();
    expect(sentCredentials(received.b[0]!.headers)).toEqual([]);
  });

  it('[creds/redirect-downgrade] a redirect from https to plain http is refused, whatever the origin, and the http server hears nothing', async () => {
    for (const to of ['a', 'b']) {
      const response = await send({ url: `${origin.s}/start?to=${to}`, headers: CREDENTIALS, maxRedirects: 3 });
      expect(response.status).toBe(302);
      expect(response.refused).toMatchObject({ kind: 'downgrade', reason: expect.stringMatching(/from https to plain HTTP/) });
    }
    expect(received.s).toHaveLength(2);
    expect(received.a).toEqual([]);
    expect(received.b).toEqual([]);
  });

  it('an upgrade from http to https is followed, without the credentials (another origin)', async () => {
    const response = await send({ url: `${origin.a}/start?to=s`, headers: CREDENTIALS, maxRedirects: 3 });
    expect(response.status).toBe(200);
    expect(sentCredentials(received.s[0]!.headers)).toEqual([]);
    expect(response.withheld).toContain('authorization');
  });
});

describe('the http check reports what the redirect policy did', () => {
  it('passes, naming the headers not sent to the other origin, in the summary and the transcript', async () => {
    const { outcome } = await runCheck('http', { url: `${origin.a}/start?to=b`, headers: { Authorization: 'Bearer token-that-stays-home-1', 'X-Api-Key': 'api-key-that-stays-home-3' }, followRedirects: 2, expect: { status: 200 } });
    expect(outcome.status).toBe('pass');
    expect(outcome.message).toMatchObject({ id: 'answered', data: { withheld: ` (redirected to another origin, so authorization, x-api-key were not sent to ${origin.b})` } });
    expect(outcome.summary).toBe(`GET /start?… -> 200 in ${/in ([\d.]+) ms/.exec(outcome.summary)?.[1]} ms (redirected to another origin, so authorization, x-api-key were not sent to ${origin.b})`);
    const transcript = String(outcome.artifacts?.[0]?.data);
    expect(transcript).toContain(`* followed a redirect to ${origin.b}/landing`);
    expect(transcript).toContain(`* redirected to another origin, so authorization, x-api-key were not sent to ${origin.b}`);
    expect(sentCredentials(received.b[0]!.headers)).toEqual([]);
  });

  it('fails on a redirect from https to http, without following it', async () => {
    const { outcome } = await runCheck('http', { url: `${origin.s}/start?to=b`, headers: { Authorization: 'Bearer token-that-stays-home-1' }, followRedirects: 2 }, { target: { ca: [caPem] } });
    expect(outcome.status).toBe('fail');
    expect(outcome.message).toMatchObject({ id: 'downgraded', data: { status: 302, location: `${origin.b}/landing` } });
    expect(outcome.summary).toMatch(new RegExp(`^GET /start\\?…: 302 redirect to ${origin.b}/landing not followed: it leads from https to plain HTTP`));
    expect(outcome.assertions).toEqual([expect.objectContaining({ name: 'redirect', expected: 'https', actual: 'http', passed: false })]);
    expect(received.b).toEqual([]);
  });

  it('is an error when a POST body would have to go to another origin', async () => {
    const { outcome } = await runCheck('http', { method: 'POST', url: `${origin.a}/pay?to=b&status=308`, json: { amount: 1000 }, followRedirects: 2 });
    expect(outcome.status).toBe('error');
    expect(outcome.message).toMatchObject({ id: 'offOrigin', data: { status: 308 } });
    expect(outcome.summary).toMatch(/: 308 redirect to .* not followed: it would re-send the POST request body to another origin/);
    expect(received.b).toEqual([]);
  });
});

describe('the schema check reads a Location back under the same rule', () => {
  const params = (url: string) => ({ method: 'POST', url, headers: { Authorization: 'Bearer token-that-stays-home-1' }, json: { reference: 'x' }, jsonSchema: true, roundTrip: { path: 'reference', readBack: true } });

  it('does not send the credentials to a Location on another origin, and says so in the read-back transcript', async () => {
    const { outcome } = await runCheck('schema', params(`${origin.a}/created?to=b`));
    expect(received.a[0]!.headers.authorization).toBeDefined();
    expect(received.b).toHaveLength(1);
    expect(sentCredentials(received.b[0]!.headers)).toEqual([]);
    const readBack = outcome.artifacts?.find((a) => a.name === 'read-back.http');
    expect(String(readBack?.data)).toContain(`* the Location is on another origin, so authorization was not sent to ${origin.b}`);
  });

  it('does not read back from a plain-HTTP Location given by an https API', async () => {
    const { outcome } = await runCheck('schema', params(`${origin.s}/created?to=b`), { target: { ca: [caPem] } });
    expect(outcome.status).toBe('fail');
    expect(outcome.assertions).toContainEqual(expect.objectContaining({ name: 'read-back', passed: false, message: expect.stringMatching(/was not read back: it leads from https to plain HTTP/) }));
    expect(received.b).toEqual([]);
  });
});

describe('credential names', () => {
  it('recognises credential headers and fields, and leaves ordinary ones alone', () => {
    for (const name of ['Authorization', 'proxy-authorization', 'Cookie', 'X-API-Key', 'Api-Key', 'X-Auth-Token', 'X-Client-Secret', 'X-Access-Token', 'X-Authorization']) expect(isCredentialHeader(name), name).toBe(true);
    for (const name of ['Accept', 'Content-Type', 'Idempotency-Key', 'X-Request-Id', 'User-Agent', 'X-Trace']) expect(isCredentialHeader(name), name).toBe(false);
    for (const name of ['client_secret', 'clientSecret', 'password', 'api_key', 'apiKey', 'access_token', 'refresh_token', 'token', 'private_key', 'webhookSecret']) expect(isCredentialName(name), name).toBe(true);
    for (const name of ['grant_type', 'token_type', 'amount', 'client_id', 'page_token', 'idempotency_key', 'scope', 'paymentId']) expect(isCredentialName(name), name).toBe(false);
  });
});
