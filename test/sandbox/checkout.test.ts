import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Sandbox } from '../../src/sandbox/index.js';
import { paymentBody, useSandbox } from '../support/sandbox.js';

const future = `12/${String((new Date().getUTCFullYear() + 3) % 100).padStart(2, '0')}`;

function logLines(sandbox: Sandbox): Record<string, unknown>[] {
  return readFileSync(sandbox.requestLog, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('sandbox hosted checkout, request log and sample integration', async () => {
  const [{ sandbox, client }, { sandbox: faulty, client: faultyClient }] = await Promise.all([useSandbox(), useSandbox(['pan-in-logs', 'hardcoded-secret', 'broken-checkout'])]);

  it('serves a mobile page with labelled, autocompleting card fields under a CSP that allows only its own files', async () => {
    const page = await client.send('/checkout?amount=1000&currency=JPY');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.text).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(page.text).toContain('<label for="cc-number">Card number</label>');
    expect(page.text).toContain('autocomplete="cc-number"');
    expect(page.text).toContain('role="alert"');
    expect(page.text).toContain('Pay 1000 JPY');
    expect((await client.send('/checkout/checkout.js')).headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await client.send('/checkout?amount=-5&currency=XXX')).text).toContain('Pay 24.90 EUR');
  });

  it('pay: approves, declines with a message the shopper can act on, and explains invalid fields in shopper words', async () => {
    const ok = await client.send('/checkout/pay', { json: { number: '4111 1111 1111 1111', expiry: future, cvc: '737', amount: { value: 2490, currency: 'EUR' } } });
    expect(ok.status).toBe(201);
    expect(ok.json()).toMatchObject({ status: 'authorised', card: { last4: '1111', brand: 'visa' } });
    const declined = await client.send('/checkout/pay', { json: { number: '4000-0000-0000-0002', expiry: future, cvc: '737' } });
    expect(declined.status).toBe(402);
    expect(declined.json()).toMatchObject({ code: 'card_declined', detail: 'Your bank declined this payment. Please use a different card or contact your bank.' });
    const invalid = await client.send('/checkout/pay', { json: { number: '4111 1111 1111 1112', expiry: '13/99', cvc: '7' } });
    expect(invalid.status).toBe(422);
    expect(invalid.json().errors).toEqual([
      { field: 'number', detail: 'Check the card number: it is the 13 to 19 digits on the front of your card.' },
      { field: 'expiry', detail: 'Enter the expiry date as MM/YY, for example 08/29.' },
      { field: 'cvc', detail: 'Enter the 3 or 4 digit security code from the back of your card.' },
    ]);
    expect(invalid.text).not.toContain('4111111111111112');
  });

  it('logs every API request as a JSON line with the card masked, written before the response of a payment', async () => {
    const token = await client.token();
    const paid = await client.send('/v1/payments', { json: paymentBody('5425233430109903'), token });
    expect(paid.status).toBe(201);
    const lines = logLines(sandbox);
    const payment = lines.find((l) => l.path === '/v1/payments' && l.status === 201 && l.card === '542523******9903');
    expect(payment).toMatchObject({ method: 'POST', ms: expect.any(Number), time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    expect(readFileSync(sandbox.requestLog, 'utf8')).not.toMatch(/\d{13,19}/);
  });

  it('pan-in-logs: the same payment is logged with the full number', async () => {
    const token = await faultyClient.token();
    await faultyClient.send('/v1/payments', { json: paymentBody('5425233430109903'), token });
    expect(logLines(faulty).some((l) => l.card === '5425233430109903')).toBe(true);
  });

  it('writes a sample integration that reads its secret from the environment; hardcoded-secret writes it into the config', () => {
    const config = JSON.parse(readFileSync(join(sandbox.sourceDir, 'config', 'payments.json'), 'utf8')) as Record<string, string>;
    expect(config).toEqual({ baseUrl: sandbox.baseUrl, tokenUrl: `${sandbox.baseUrl}/oauth/token`, clientId: 'payready-demo' });
    expect(readFileSync(join(sandbox.sourceDir, 'src', 'payments.js'), 'utf8')).toContain('process.env.PAYREADY_CLIENT_SECRET');
    const leaked = JSON.parse(readFileSync(join(faulty.sourceDir, 'config', 'payments.json'), 'utf8')) as Record<string, string>;
    expect(leaked.clientSecret).toBe(faulty.clientSecret);
  });

  it('broken-checkout: a fixed-width page without viewport meta, labels or autocomplete', async () => {
    const page = await faultyClient.send('/checkout');
    expect(page.text).not.toContain('name="viewport"');
    expect(page.text).not.toContain('<label');
    expect(page.text).toContain('autocomplete="off"');
    expect((await faultyClient.send('/checkout/checkout.css')).text).toContain('width:980px');
    expect((await faultyClient.send('/checkout/checkout.js')).text).toContain('console.error');
  });

  it('exposes the new target fields of an embedded environment', () => {
    expect(sandbox.targetFields()).toMatchObject({ checkoutUrl: `${sandbox.baseUrl}/checkout`, requestLog: sandbox.requestLog, sourceDir: sandbox.sourceDir });
  });
});
