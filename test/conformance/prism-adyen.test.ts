import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../checks/harness.js';
import { startPrism, startTamperingProxy, type Prism } from './prism.js';

/**
 * Verified against a real third-party server: Stoplight Prism (static mode) serving Adyen's
 * published Checkout API v71 document. Prism answers with the document's own examples, validates
 * requests against it, enforces its security schemes, and returns the documented error examples
 * when asked with `Prefer: code=<status>` (and a named example with `example=<name>`).
 */
const DOCUMENT = 'fixtures/openapi/adyen-checkout-v71.openapi.json';

interface Node {
  [key: string]: unknown;
}
const doc = JSON.parse(readFileSync(new URL(`../../${DOCUMENT}`, import.meta.url), 'utf8')) as Node;

function resolve(node: unknown): Node {
  let current = node as Node;
  for (let hops = 0; hops < 10 && typeof current?.['$ref'] === 'string'; hops++) {
    current = (current['$ref'] as string)
      .slice(2)
      .split('/')
      .reduce<Node>((at, key) => at[key.replaceAll('~1', '/').replaceAll('~0', '~')] as Node, doc);
  }
  return current;
}

/** One static example of a 2xx answer: the request that asks for it and the status it comes with. */
interface StaticExample {
  method: string;
  path: string;
  status: number;
  example: string;
  json?: unknown;
}

// Every documented 2xx example of every operation, asked for with the operation's first request example.
const examples: StaticExample[] = Object.entries(doc['paths'] as Record<string, Node>).flatMap(([template, item]) =>
  Object.entries(item).flatMap(([method, raw]) => {
    if (!['get', 'post', 'patch', 'delete'].includes(method)) return [];
    const op = raw as Node;
    const requestExamples = (resolve(op['requestBody'])?.['content'] as Node | undefined)?.['application/json'] as Node | undefined;
    const first = requestExamples?.['examples'] ? Object.values(requestExamples['examples'] as Node)[0] : undefined;
    const json = first ? resolve(first)['value'] : undefined;
    // Path parameters get a PSP-reference-like value; required query parameters (none has an example) a plain one.
    const query = ((op['parameters'] as Node[] | undefined) ?? []).filter((p) => p['in'] === 'query' && p['required'] === true).map((p) => `${String(p['name'])}=payready-test`);
    const path = `${template.replace(/\{[^}]+\}/g, 'QFQTPCQ8HXSKGK82')}${query.length > 0 ? `?${query.join('&')}` : ''}`;
    return Object.entries(op['responses'] as Node).flatMap(([code, response]) => {
      if (!/^2\d\d$/.test(code)) return [];
      const media = (resolve(response)['content'] as Node | undefined)?.['application/json'] as Node | undefined;
      return Object.keys((media?.['examples'] as Node | undefined) ?? {}).map((example) => ({ method: method.toUpperCase(), path, status: Number(code), example, ...(json !== undefined ? { json } : {}) }));
    });
  }),
);

const cardPayment = resolve((doc['components'] as Node)['examples'] as Node)['post-payments-card-direct'] as Node;
const apiKey = { 'X-API-Key': 'AQE-test-key' };

let prism: Prism;

beforeAll(async () => {
  prism = await startPrism(DOCUMENT);
}, 120_000);

afterAll(async () => {
  await prism?.close();
});

describe('Stoplight Prism serving Adyen Checkout v71: static examples conform', () => {
  it('covers the document (every 2xx example of every operation)', () => {
    expect(examples.length).toBeGreaterThan(40);
  });

  it.each(examples.map((e) => [`${e.method} ${e.path} -> ${e.status} (example ${e.example})`, e] as const))('%s conforms', async (_name, e) => {
    const { outcome } = await runCheck('schema', {
      openapi: DOCUMENT,
      method: e.method,
      url: `${prism.url}${e.path}`,
      headers: { ...apiKey, Prefer: `code=${e.status}, example=${e.example}` },
      ...(e.json !== undefined ? { json: e.json } : {}),
      status: e.status,
    });
    // The label hides query values ("?…"), which may hold secrets.
    const shown = e.path.includes('?') ? `${e.path.split('?')[0]}?…` : e.path;
    expect(outcome.status, outcome.summary).toBe('pass');
    expect(outcome.message).toEqual({ id: 'conforms', data: { label: `${e.method} ${shown}`, status: e.status, proven: 'conforms, UTF-8' } });
  });
});

describe("Stoplight Prism serving Adyen Checkout v71: Adyen's real error bodies are clear errors (6.2)", () => {
  it.each([400, 401, 403, 422, 500])('POST /payments -> %i: the documented ServiceError is a clear error (http, problem: true)', async (status) => {
    const { outcome } = await runCheck('http', { method: 'POST', url: `${prism.url}/payments`, headers: { ...apiKey, Prefer: `code=${status}` }, json: cardPayment['value'], expect: { status, problem: true } });
    expect(outcome.status, outcome.summary).toBe('pass');
    expect(outcome.message?.id).toBe('answered');
    const shape = outcome.assertions?.find((a) => a.name === 'error shape');
    expect(shape?.actual).toBe('adyen');
  });

  it.each([400, 401, 403, 422, 500])('POST /payments -> %i: conforms to the document and is a clear Adyen error (schema, problem: adyen)', async (status) => {
    const { outcome } = await runCheck('schema', { openapi: DOCUMENT, method: 'POST', url: `${prism.url}/payments`, headers: { ...apiKey, Prefer: `code=${status}` }, json: cardPayment['value'], status, problem: 'adyen' });
    expect(outcome.status, outcome.summary).toBe('pass');
    expect(outcome.message).toEqual({ id: 'conforms', data: { label: 'POST /payments', status, proven: 'conforms, UTF-8, clear error body' } });
  });

  it('a request without the API key gets Adyen\'s 401 (errorCode "000"), a clear error', async () => {
    const { outcome } = await runCheck('http', { method: 'POST', url: `${prism.url}/payments`, json: cardPayment['value'], expect: { status: 401, problem: true } });
    expect(outcome.status, outcome.summary).toBe('pass');
    expect(outcome.message?.id).toBe('answered');
    expect((outcome.values?.['body'] as Node)['errorCode']).toBe('000');
  });

  it("Prism's own 404 (application/problem+json) is a clear error", async () => {
    const { outcome } = await runCheck('http', { url: `${prism.url}/v1/payments`, expect: { status: 404, problem: 'rfc9457' } });
    expect(outcome.status, outcome.summary).toBe('pass');
    expect(outcome.message?.id).toBe('answered');
  });
});

describe('Stoplight Prism serving Adyen Checkout v71, behind a proxy that tampers with its answers', () => {
  it('a payment answer with wrong types, an unknown resultCode and a missing currency fails with the pointer of each violation', async () => {
    const proxy = await startTamperingProxy(prism.url, (body) => ({ ...body, pspReference: 993617895204576, resultCode: 'Approved', amount: { value: '1000' } }));
    try {
      const { outcome } = await runCheck('schema', { openapi: DOCUMENT, method: 'POST', url: `${proxy.url}/payments`, headers: { ...apiKey, Prefer: 'code=200, example=card-direct' }, json: cardPayment['value'], status: 200 });
      expect(outcome.status, outcome.summary).toBe('fail');
      const violations = outcome.values?.['violations'] as { pointer: string; rule: string }[];
      expect(violations.map((v) => `${v.pointer} ${v.rule}`)).toEqual(['/amount/currency required', '/amount/value type', '/pspReference type', '/resultCode enum']);
      expect(outcome.message).toEqual({
        id: 'violations',
        data: { label: 'POST /payments', status: 200, count: '4 schema violations', list: '/amount/currency: required member is missing; /amount/value: expected integer, got "1000"', more: '; ...' },
      });
    } finally {
      await proxy.close();
    }
  });

  it('a capture answer without its required members fails naming them', async () => {
    const proxy = await startTamperingProxy(prism.url, ({ status: _status, paymentPspReference: _reference, ...rest }) => rest);
    try {
      const capture = examples.find((e) => e.path.endsWith('/captures'))!;
      const { outcome } = await runCheck('schema', { openapi: DOCUMENT, method: 'POST', url: `${proxy.url}${capture.path}`, headers: apiKey, json: capture.json, status: 201 });
      expect(outcome.status, outcome.summary).toBe('fail');
      expect((outcome.values?.['violations'] as { pointer: string }[]).map((v) => v.pointer)).toEqual(['/paymentPspReference', '/status']);
    } finally {
      await proxy.close();
    }
  });
});

describe("Stoplight Prism serving Adyen Checkout v71: the suite's own mistakes are setup errors", () => {
  it('a payment request the document rejects, sent anyway, is refused by Prism with 422 and is a setup error naming the violations', async () => {
    const { amount: _amount, returnUrl: _returnUrl, ...incomplete } = cardPayment['value'] as Node;
    const { outcome } = await runCheck('schema', { openapi: DOCUMENT, method: 'POST', url: `${prism.url}/payments`, headers: apiKey, json: incomplete, validateRequest: false, status: 200 });
    expect(outcome.status, outcome.summary).toBe('error');
    expect(outcome.cause).toBe('setup');
    expect(outcome.message).toEqual({
      id: 'refusedBody',
      data: { label: 'POST /payments', status: 422, said: ' ("Return URL is missing.")', where: 'POST /payments request body', violations: '/amount: required member is missing; /returnUrl: required member is missing' },
    });
  });

  it('transaction scenarios pointed at an API without their paths are a setup error naming the URL', async () => {
    const { outcome } = await runCheck('transaction', { scenario: 'approve', token: 'AQE-test-key', baseUrl: prism.url });
    expect(outcome.status, outcome.summary).toBe('error');
    expect(outcome.cause).toBe('setup');
    expect(outcome.summary).toBe(
      `approve: POST ${prism.url}/v1/payments answered 404 ("The route /v1/payments hasn't been found in the specification file"): the API has no such path: check the base URL (now ${prism.url}: the check's baseUrl, else the environment's) and that the target speaks the API of the provider the check names (provider:, else the environment's provider, else payready: POST /v1/payments, as \`payready sandbox\` does)`,
    );
  });

  it('an http check on a path the document has for another method only (405) is a setup error', async () => {
    const { outcome } = await runCheck('http', { url: `${prism.url}/payments`, headers: apiKey, expect: { status: 200 } });
    expect(outcome.status, outcome.summary).toBe('error');
    expect(outcome.message?.id).toBe('noSuchPath');
    expect(outcome.cause).toBe('setup');
    expect(outcome.summary).toMatch(/^GET \/payments: GET http:\/\/127\.0\.0\.1:\d+\/payments answered 405 \(".*"\): the API has \/payments but not for GET: check the URL/);
  });
});
