import { readFile } from 'node:fs/promises';
import { hmacValidator as HmacValidator } from '@adyen/api-library';
import { describe, expect, it } from 'vitest';
import type { IncomingMessage } from 'node:http';
import { AdyenIdempotency } from '../../../src/sandbox/adyen/idempotency.js';
import { AdyenError } from '../../../src/sandbox/adyen/errors.js';
import { FaultSet } from '../../../src/sandbox/faults.js';
import { NotificationReceiver, adyenPayment, adyenSandbox, registerWebhook, responseViolations, serviceErrorViolations } from './support.js';

const OVER_CAP = { value: 10_000_01, currency: 'EUR' };

describe('Adyen dialect: idempotency', () => {
  it('replays the first response to the same Idempotency-Key, echoing the key; nothing is charged twice', async () => {
    const adyen = await adyenSandbox();
    const request = adyenPayment(adyen.sandbox);
    const headers = { 'idempotency-key': 'a2c1e7d0-3f4b-4d8e-9a61-5b7c0e2f9d13' };
    const first = await adyen.conforming('/v71/payments', request, { headers });
    const second = await adyen.conforming('/v71/payments', request, { headers });
    expect(second.body['pspReference']).toBe(first.body['pspReference']);
    expect(second.response.text).toBe(first.response.text);
    expect(first.response.headers['idempotency-key']).toBe(headers['idempotency-key']);
    expect(second.response.headers['idempotency-key']).toBe(headers['idempotency-key']);
  });

  it('the same key with another body also gets the first response (Adyen documents no body comparison)', async () => {
    const adyen = await adyenSandbox();
    const headers = { 'idempotency-key': 'key-reused-with-another-body' };
    const first = await adyen.conforming('/v71/payments', adyenPayment(adyen.sandbox), { headers });
    const other = await adyen.conforming('/v71/payments', adyenPayment(adyen.sandbox, { amount: { value: 999, currency: 'EUR' } }), { headers });
    expect(other.body).toEqual(first.body);
  });

  it('a key longer than 64 characters is refused with a ServiceError', async () => {
    const adyen = await adyenSandbox();
    const { response } = await adyen.conforming('/v71/payments', adyenPayment(adyen.sandbox), { headers: { 'idempotency-key': 'k'.repeat(65) } });
    expect(response.status).toBe(422);
  });

  it('a request whose key is still being processed gets 409 errorCode 704 with Transient-Error: true', async () => {
    const store = new AdyenIdempotency(new FaultSet());
    const req = { headers: { 'idempotency-key': 'slow-key' } } as unknown as IncomingMessage;
    let release: () => void = () => undefined;
    const first = store.run(req, 'company', () => new Promise((resolve) => (release = () => resolve({ status: 200, body: '{}' }))));
    const second = await store.run(req, 'company', () => ({ status: 200 })).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(second).toBeInstanceOf(AdyenError);
    const { body, headers } = second as AdyenError;
    expect(body).toEqual({ status: 409, errorCode: '704', message: 'request already processed or in progress', errorType: 'validation' });
    expect(serviceErrorViolations(body)).toEqual([]);
    expect(headers['transient-error']).toBe('true');
    release();
    expect((await first).status).toBe(200);
  });

  it('a response lost to a client timeout (Sandbox-Delay) is replayed to the retry with the same key', async () => {
    const adyen = await adyenSandbox();
    const request = adyenPayment(adyen.sandbox);
    const key = 'timeout-retry-key';
    const controller = new AbortController();
    const lost = adyen.http.send('/v71/payments', { json: request, headers: { 'x-api-key': adyen.sandbox.apiKey ?? '', 'idempotency-key': key, 'sandbox-delay': '3000' }, signal: controller.signal });
    setTimeout(() => controller.abort(), 300);
    await expect(lost).rejects.toThrow();
    const retry = await adyen.conforming('/v71/payments', request, { headers: { 'idempotency-key': key } });
    const again = await adyen.conforming('/v71/payments', request, { headers: { 'idempotency-key': key } });
    expect(retry.body['resultCode']).toBe('Authorised');
    expect(again.body['pspReference']).toBe(retry.body['pspReference']);
  });

  it('no-idempotency: the key is ignored and the card is charged again', async () => {
    const adyen = await adyenSandbox(['no-idempotency']);
    const request = adyenPayment(adyen.sandbox);
    const headers = { 'idempotency-key': 'ignored-key' };
    const first = await adyen.conforming('/v71/payments', request, { headers });
    const second = await adyen.conforming('/v71/payments', request, { headers });
    expect(second.body['pspReference']).not.toBe(first.body['pspReference']);
  });
});

describe('Adyen dialect: faults', () => {
  it('cap-500: a payment above the per-transaction cap crashes: 500 ServiceError', async () => {
    const adyen = await adyenSandbox(['cap-500']);
    const { response, body } = await adyen.conforming('/v71/payments', adyenPayment(adyen.sandbox, { amount: OVER_CAP }));
    expect(response.status).toBe(500);
    expect(body).toMatchObject({ status: 500, errorType: 'internal' });
    expect((await adyen.conforming('/v71/payments', adyenPayment(adyen.sandbox))).body['resultCode']).toBe('Authorised');
  });

  it('no-cap: a payment above the per-transaction cap is authorised', async () => {
    const adyen = await adyenSandbox(['no-cap']);
    const { body } = await adyen.conforming('/v71/payments', adyenPayment(adyen.sandbox, { amount: OVER_CAP }));
    expect(body['resultCode']).toBe('Authorised');
  });

  it('schema-drift: the PaymentResponse no longer conforms (amount.value a string, pspReference gone)', async () => {
    const adyen = await adyenSandbox(['schema-drift']);
    const response = await adyen.post('/v71/payments', adyenPayment(adyen.sandbox));
    expect(response.status).toBe(200);
    expect(responseViolations('/v71/payments', response).join('\n')).toMatch(/amount\/value/);
    const body = response.json();
    expect(body).not.toHaveProperty('pspReference');
    expect(body['amount']).toEqual({ value: '1050', currency: 'EUR' });
  });

  it('opaque-errors: ServiceErrors become a plain-text stack trace (status kept)', async () => {
    const adyen = await adyenSandbox(['opaque-errors']);
    const unauthorised = await adyen.post('/v71/payments', adyenPayment(adyen.sandbox), { headers: { 'x-api-key': 'wrong' } });
    expect(unauthorised.status).toBe(401);
    expect(unauthorised.headers['content-type']).toMatch(/^text\/plain/);
    expect(unauthorised.text).toMatch(/^Error: request failed\n\s+at /);
    const invalid = await adyen.post('/v71/payments', adyenPayment(adyen.sandbox, { amount: { value: 0, currency: 'EUR' } }));
    expect(invalid.status).toBe(422);
    expect(invalid.text).not.toContain('errorCode');
    // Successes stay JSON.
    expect((await adyen.conforming('/v71/payments', adyenPayment(adyen.sandbox))).body['resultCode']).toBe('Authorised');
  });

  it('latin1: JSON responses are labelled and encoded ISO-8859-1', async () => {
    const adyen = await adyenSandbox(['latin1']);
    const response = await adyen.post('/v71/payments', adyenPayment(adyen.sandbox, { reference: 'Zoë-Łukasz' }));
    expect(response.headers['content-type']).toMatch(/charset=iso-8859-1/);
    expect(response.text).not.toContain('Zoë-Łukasz');
  });

  it('webhook-bad-signature: the official HmacValidator rejects the notifications', async () => {
    const adyen = await adyenSandbox(['webhook-bad-signature']);
    const receiver = new NotificationReceiver();
    await registerWebhook(adyen, await receiver.listen());
    const { body } = await adyen.conforming('/v71/payments', adyenPayment(adyen.sandbox));
    const item = await receiver.waitFor((i) => i['pspReference'] === body['pspReference']);
    expect(item.additionalData['hmacSignature']).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(new HmacValidator().validateHMAC(item as never, adyen.sandbox.hmacKey)).toBe(false);
  });

  it('pan-in-logs: the request log keeps the whole card number; without it, first six/last four', async () => {
    const faulty = await adyenSandbox(['pan-in-logs']);
    await faulty.conforming('/v71/payments', adyenPayment(faulty.sandbox));
    expect(await readFile(faulty.sandbox.requestLog, 'utf8')).toContain('"card":"4111111145551142"');
    const clean = await adyenSandbox();
    await clean.conforming('/v71/payments', adyenPayment(clean.sandbox, {}, { number: undefined, encryptedCardNumber: 'test_5555341244441115' }));
    const log = await readFile(clean.sandbox.requestLog, 'utf8');
    expect(log).toContain('"card":"555534******1115"');
    expect(log).not.toContain('5555341244441115');
  });

  it('transport faults apply to the Adyen routes too: weak-headers, and flaky answers 503 ServiceError (Retry-After)', async () => {
    const adyen = await adyenSandbox(['flaky', 'weak-headers']);
    const statuses: number[] = [];
    let unavailable: Record<string, unknown> | undefined;
    for (let i = 0; i < 10; i++) {
      const response = await adyen.post('/v71/payments', adyenPayment(adyen.sandbox));
      statuses.push(response.status);
      expect(response.headers['x-powered-by']).toBe('Express/4.17.1');
      expect(response.headers['strict-transport-security']).toBeUndefined();
      if (response.status === 503) {
        unavailable = response.json();
        expect(response.headers['retry-after']).toBe('1');
      }
    }
    expect(statuses.filter((s) => s === 503)).toHaveLength(1);
    expect(unavailable).toMatchObject({ status: 503, errorType: 'internal' });
    expect(serviceErrorViolations(unavailable)).toEqual([]);
  });
});

describe('Adyen dialect: no-auth', () => {
  it('lets a request without X-API-Key through', async () => {
    const adyen = await adyenSandbox(['no-auth']);
    const { body } = await adyen.conforming('/v71/payments', adyenPayment(adyen.sandbox), { headers: { 'x-api-key': '' } });
    expect(body['resultCode']).toBe('Authorised');
  });
});

describe('Adyen dialect: slow-api', () => {
  it('holds one /v71/ response in four back 2.5 s', async () => {
    const adyen = await adyenSandbox(['slow-api']);
    const times: number[] = [];
    for (let i = 0; i < 4; i++) {
      const started = performance.now();
      await adyen.post('/v71/payments', adyenPayment(adyen.sandbox));
      times.push(performance.now() - started);
    }
    expect(times.filter((ms) => ms >= 2_400)).toHaveLength(1);
  });
});
