import { SignJWT, generateKeyPair } from 'jose';
import { describe, expect, it, vi } from 'vitest';
import { paymentBody, useSandbox } from '../support/sandbox.js';

const { sandbox, client } = await useSandbox();

/** Every leaf of a JSON value with its path (`card.last4`). */
function leaves(value: unknown, path = ''): [string, unknown][] {
  if (value === null || typeof value !== 'object') return [[path, value]];
  return Object.entries(value).flatMap(([key, child]) => leaves(child, path ? `${path}.${key}` : key));
}
const token = await client.token();

describe('payments authentication', () => {
  it('refuses a payment without a token: 401 problem with a Bearer challenge', async () => {
    const response = await client.send('/v1/payments', { json: paymentBody() });
    expect(response.status).toBe(401);
    expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(response.headers['www-authenticate']).toMatch(/^Bearer realm="payready-sandbox"/);
    expect(response.json()).toMatchObject({ status: 401, code: 'unauthorized' });
  });

  it('refuses a garbage token with error="invalid_token"', async () => {
    const response = await client.send('/v1/payments', { json: paymentBody(), token: 'not-a-jwt' });
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(/^Bearer .*error="invalid_token"/);
    expect(response.json()).toMatchObject({ status: 401, code: 'invalid_token' });
  });

  it('refuses a token signed by someone else', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const forged = await new SignJWT({ scope: 'payments:read payments:write' })
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt' })
      .setIssuer(sandbox.baseUrl)
      .setAudience(`${sandbox.baseUrl}/v1`)
      .setSubject(sandbox.clientId)
      .setIssuedAt()
      .setJti('forged')
      .setExpirationTime('1h')
      .sign(privateKey);
    const response = await client.send('/v1/payments', { json: paymentBody(), token: forged });
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toContain('error="invalid_token"');
  });

  it('refuses an expired token', async () => {
    const fresh = await client.token();
    // Only Date is faked: the sandbox runs in this process, so its clock jumps past `exp`.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 2 * 60 * 60 * 1000);
      const response = await client.send('/v1/payments', { json: paymentBody(), token: fresh });
      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toContain('error="invalid_token"');
      expect(response.json()['detail']).toContain('expired');
    } finally {
      vi.useRealTimers();
    }
  });

  it('refuses a token without the needed scope with 403 insufficient_scope', async () => {
    const readOnly = await client.token('payments:read');
    const response = await client.send('/v1/payments', { json: paymentBody(), token: readOnly });
    expect(response.status).toBe(403);
    expect(response.headers['www-authenticate']).toContain('error="insufficient_scope"');
    expect(response.json()).toMatchObject({ status: 403, code: 'insufficient_scope' });
  });
});

describe('POST /v1/payments', () => {
  it('authorises a payment with the approved test card and never echoes the card number', async () => {
    const response = await client.send('/v1/payments', { json: paymentBody('4111111111111111'), token });
    expect(response.status).toBe(201);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-store');
    const payment = response.json();
    expect(payment).toMatchObject({
      status: 'authorised',
      amount: { value: 1050, currency: 'EUR' },
      reference: 'order-1001',
      card: { last4: '1111', brand: 'visa' },
    });
    expect(payment['id']).toMatch(/^pay_[0-9a-f]{24}$/);
    expect(new Date(String(payment['createdAt'])).toISOString()).toBe(payment['createdAt']);
    expect(response.headers['location']).toBe(`${sandbox.baseUrl}/v1/payments/${String(payment['id'])}`);
    expect(response.text).not.toContain('4111111111111111');
    // The security code (737) is in no field: not as a value, not under a key of its own. (Not a
    // substring test: the random payment id holds "737" about once in 150 runs.)
    expect(leaves(payment).filter(([, value]) => String(value) === '737')).toEqual([]);
    expect(leaves(payment).map(([path]) => path).filter((path) => /cvc|cvv|security/i.test(path))).toEqual([]);

    const fetched = await client.send(`/v1/payments/${String(payment['id'])}`, { token });
    expect(fetched.status).toBe(200);
    expect(fetched.json()).toEqual(payment);
  });

  it('round-trips a non-ASCII reference in UTF-8', async () => {
    const reference = 'Bestellung Größe 42 – 注文 ✓';
    const response = await client.send('/v1/payments', { json: paymentBody(undefined, { reference }), token });
    expect(response.status).toBe(201);
    expect(response.json()['reference']).toBe(reference);
  });

  const declines = [
    { number: '4000000000000002', declineCode: 'do_not_honor', advice: /different card or contact your bank/ },
    { number: '4000000000009995', declineCode: 'insufficient_funds', advice: /enough funds/ },
    { number: '4000000000000069', declineCode: 'expired_card', advice: /expired/ },
    // Generic wording on purpose: the shopper is not told the card is reported stolen.
    { number: '4000000000009979', declineCode: 'stolen_card', advice: /^Your bank declined this payment\./ },
  ];
  for (const { number, declineCode, advice } of declines) {
    it(`declines test card ${number} with 402 ${declineCode}`, async () => {
      const response = await client.send('/v1/payments', { json: paymentBody(number), token });
      expect(response.status).toBe(402);
      expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      const body = response.json();
      expect(body).toMatchObject({ title: 'Payment declined', status: 402, code: 'card_declined', declineCode });
      expect(body['type']).toEqual(expect.any(String));
      expect(body['detail']).toMatch(advice);
      expect(body['detail']).not.toMatch(/stolen/i);
      expect(response.text).not.toContain(number);

      const stored = await client.send(`/v1/payments/${String(body['paymentId'])}`, { token });
      expect(stored.status).toBe(200);
      expect(stored.json()).toMatchObject({ status: 'declined', declineCode, card: { last4: number.slice(-4) } });
    });
  }

  const thisYear = new Date().getUTCFullYear();
  const invalid: { name: string; body: Record<string, unknown>; pointers: string[] }[] = [
    { name: 'a zero amount', body: paymentBody(undefined, { amount: { value: 0, currency: 'EUR' } }), pointers: ['/amount/value'] },
    { name: 'a fractional amount', body: paymentBody(undefined, { amount: { value: 10.5, currency: 'EUR' } }), pointers: ['/amount/value'] },
    { name: 'an amount given as a string', body: paymentBody(undefined, { amount: { value: '1050', currency: 'EUR' } }), pointers: ['/amount/value'] },
    { name: 'an unknown currency', body: paymentBody(undefined, { amount: { value: 100, currency: 'XYZ' } }), pointers: ['/amount/currency'] },
    { name: 'a lower-case currency', body: paymentBody(undefined, { amount: { value: 100, currency: 'eur' } }), pointers: ['/amount/currency'] },
    { name: 'a card number failing Luhn', body: paymentBody('4111111111111112'), pointers: ['/paymentMethod/number'] },
    { name: 'a card number with spaces', body: paymentBody('4111 1111 1111 1111'), pointers: ['/paymentMethod/number'] },
    {
      name: 'an expiry in the past',
      body: paymentBody(undefined, { paymentMethod: { type: 'card', number: '4111111111111111', expiryMonth: 1, expiryYear: thisYear - 1, cvc: '123' } }),
      pointers: ['/paymentMethod/expiryYear'],
    },
    {
      name: 'a month 13 and a short cvc',
      body: paymentBody(undefined, { paymentMethod: { type: 'card', number: '4111111111111111', expiryMonth: 13, expiryYear: thisYear + 1, cvc: '12' } }),
      pointers: ['/paymentMethod/expiryMonth', '/paymentMethod/cvc'],
    },
    {
      name: 'an unsupported payment method type',
      body: paymentBody(undefined, { paymentMethod: { type: 'paypal' } }),
      pointers: ['/paymentMethod/type', '/paymentMethod/number', '/paymentMethod/expiryMonth', '/paymentMethod/expiryYear', '/paymentMethod/cvc'],
    },
    { name: 'a missing reference', body: paymentBody(undefined, { reference: undefined }), pointers: ['/reference'] },
    { name: 'an empty body object', body: {}, pointers: ['/amount', '/paymentMethod', '/reference'] },
  ];
  for (const { name, body, pointers } of invalid) {
    it(`answers ${name} with a 422 problem pointing at ${pointers.join(', ')}`, async () => {
      const response = await client.send('/v1/payments', { json: body, token });
      expect(response.status).toBe(422);
      expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      const problem = response.json();
      expect(problem).toMatchObject({ status: 422, code: 'validation_failed' });
      const errors = problem['errors'] as { pointer: string; detail: string }[];
      expect(errors.map((error) => error.pointer)).toEqual(pointers);
      for (const error of errors) expect(error.detail).toEqual(expect.any(String));
      expect(response.text).not.toMatch(/4111 ?1111 ?1111 ?111[12]/);
    });
  }

  it('answers a JSON array body with a 422 problem', async () => {
    const response = await client.send('/v1/payments', { json: [paymentBody()], token });
    expect(response.status).toBe(422);
    expect(response.json()['errors']).toEqual([{ pointer: '', detail: expect.any(String) }]);
  });

  it('accepts currencies with 0 and 3 decimals', async () => {
    for (const currency of ['JPY', 'KWD', 'BHD']) {
      const response = await client.send('/v1/payments', { json: paymentBody(undefined, { amount: { value: 1234, currency } }), token });
      expect(response.status).toBe(201);
      expect(response.json()['amount']).toEqual({ value: 1234, currency });
    }
  });
});

describe('GET /v1/payments/:id', () => {
  it('answers an unknown id with a 404 problem', async () => {
    const response = await client.send('/v1/payments/pay_doesnotexist', { token });
    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(response.json()).toMatchObject({ status: 404, code: 'payment_not_found', title: 'Payment not found' });
  });

  it('requires a token', async () => {
    const response = await client.send('/v1/payments/pay_doesnotexist');
    expect(response.status).toBe(401);
  });
});
