import { describe, expect, it } from 'vitest';
import { startSandbox } from '../../src/sandbox/index.js';
import { TRANSACTION_CAPS, capInMinorUnits } from '../../src/sandbox/payments/limits.js';
import { SandboxClient, paymentBody, useSandbox } from '../support/sandbox.js';

const { client } = await useSandbox();
const token = await client.token();

const IBAN = 'DE89370400440532013000';

async function authorise(value: number, currency = 'EUR', extra: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const response = await client.send('/v1/payments', { json: paymentBody(undefined, { amount: { value, currency }, ...extra }), token });
  expect(response.status, response.text).toBe(201);
  return response.json();
}

describe('capture, refund, cancel', () => {
  it('captures an authorisation in full and reads it back', async () => {
    const payment = await authorise(2500);
    const captured = await client.send(`/v1/payments/${String(payment['id'])}/capture`, { method: 'POST', token });
    expect(captured.status).toBe(200);
    expect(captured.json()).toMatchObject({ status: 'captured', amount: { value: 2500, currency: 'EUR' }, capturedAmount: { value: 2500, currency: 'EUR' } });
    const read = await client.send(`/v1/payments/${String(payment['id'])}`, { token });
    expect(read.json()).toEqual(captured.json());
  });

  it('refunds partially, then the rest, then refuses a refund over what was captured', async () => {
    const payment = await authorise(1000);
    const id = String(payment['id']);
    await client.send(`/v1/payments/${id}/capture`, { method: 'POST', token });
    const partial = await client.send(`/v1/payments/${id}/refunds`, { json: { amount: { value: 300, currency: 'EUR' } }, token });
    expect(partial.status).toBe(201);
    expect(partial.json()).toMatchObject({ id: expect.stringMatching(/^re_/), amount: { value: 300, currency: 'EUR' }, status: 'succeeded', payment: { status: 'partially_refunded', refundedAmount: { value: 300 } } });
    const over = await client.send(`/v1/payments/${id}/refunds`, { json: { amount: { value: 800, currency: 'EUR' } }, token });
    expect(over.status).toBe(422);
    expect(over.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(over.json()).toMatchObject({ code: 'refund_exceeds_captured', refundable: { value: 700, currency: 'EUR' } });
    const rest = await client.send(`/v1/payments/${id}/refunds`, { method: 'POST', token });
    expect(rest.status).toBe(201);
    expect(rest.json()).toMatchObject({ amount: { value: 700 }, payment: { status: 'refunded', refundedAmount: { value: 1000 } } });
    const again = await client.send(`/v1/payments/${id}/refunds`, { method: 'POST', token });
    expect(again.status).toBe(409);
    expect(again.json()).toMatchObject({ code: 'payment_not_refundable', status: 409 });
  });

  it('refuses to refund an uncaptured payment and to capture twice', async () => {
    const payment = await authorise(500);
    const id = String(payment['id']);
    expect((await client.send(`/v1/payments/${id}/refunds`, { method: 'POST', token })).status).toBe(409);
    expect((await client.send(`/v1/payments/${id}/capture`, { method: 'POST', token })).status).toBe(200);
    const twice = await client.send(`/v1/payments/${id}/capture`, { method: 'POST', token });
    expect(twice.status).toBe(409);
    expect(twice.json()['detail']).toMatch(/only a payment that is authorised can be captured; this one is captured/i);
  });

  it('refuses a capture above the authorised amount or in another currency', async () => {
    const id = String((await authorise(500))['id']);
    expect((await client.send(`/v1/payments/${id}/capture`, { json: { amount: { value: 501, currency: 'EUR' } }, token })).json()).toMatchObject({ code: 'capture_exceeds_authorised' });
    expect((await client.send(`/v1/payments/${id}/capture`, { json: { amount: { value: 100, currency: 'USD' } }, token })).status).toBe(422);
  });

  it('cancels an authorisation; a cancelled payment cannot be captured', async () => {
    const id = String((await authorise(700))['id']);
    const cancelled = await client.send(`/v1/payments/${id}/cancel`, { method: 'POST', token });
    expect(cancelled.json()).toMatchObject({ status: 'cancelled' });
    expect((await client.send(`/v1/payments/${id}/capture`, { method: 'POST', token })).status).toBe(409);
  });

  it('answers actions on an unknown payment with 404', async () => {
    const response = await client.send('/v1/payments/pay_000000000000000000000000/capture', { method: 'POST', token });
    expect(response.status).toBe(404);
  });

  it('lists payments by merchant reference, newest first, and requires the reference', async () => {
    const reference = `list-${Date.now()}`;
    const first = await authorise(100, 'EUR', { reference });
    const second = await authorise(200, 'EUR', { reference });
    const listed = await client.send(`/v1/payments?reference=${reference}`, { token });
    expect(listed.status).toBe(200);
    expect((listed.json()['data'] as { id: string }[]).map((p) => p.id)).toEqual([second['id'], first['id']]);
    expect((await client.send('/v1/payments', { token })).status).toBe(400);
  });
});

describe('caps', () => {
  const cap = capInMinorUnits(TRANSACTION_CAPS.card.perTransaction, 'EUR');

  it('refuses a card payment above the per-transaction cap with a 422 naming the cap', async () => {
    const response = await client.send('/v1/payments', { json: paymentBody(undefined, { amount: { value: cap + 1, currency: 'EUR' } }), token });
    expect(response.status).toBe(422);
    expect(response.json()).toMatchObject({ code: 'transaction_cap_exceeded', cap: { value: cap, currency: 'EUR' } });
    expect(response.json()['detail']).toMatch(/10,000\.00 EUR cap/);
  });

  it('accepts exactly the cap, and a bank transfer above the card cap', async () => {
    const atCap = await client.send('/v1/payments', { json: paymentBody(undefined, { amount: { value: cap, currency: 'CHF' } }), token });
    expect(atCap.status).toBe(201);
    const bank = await client.send('/v1/payments', { json: paymentBody(undefined, { amount: { value: cap + 1, currency: 'CHF' }, paymentMethod: { type: 'bank_transfer', iban: IBAN } }), token });
    expect(bank.status).toBe(201);
    expect(bank.json()).toMatchObject({ method: 'bank_transfer', bankAccount: { last4: '3000', country: 'DE' } });
    expect(bank.text).not.toContain(IBAN);
  });

  it('refuses an invalid IBAN without quoting it', async () => {
    const response = await client.send('/v1/payments', { json: paymentBody(undefined, { paymentMethod: { type: 'bank_transfer', iban: 'DE89370400440532013001' } }), token });
    expect(response.status).toBe(422);
    expect(response.text).not.toContain('DE89370400440532013001');
  });

  it('refuses the payment that would pass the daily cap, and releases volume on cancel and refund', async () => {
    const currency = 'SEK';
    const daily = capInMinorUnits(TRANSACTION_CAPS.card.daily, currency);
    const ids: string[] = [];
    for (let used = 0; used + cap <= daily; used += cap) ids.push(String((await authorise(cap, currency))['id']));
    const refused = await client.send('/v1/payments', { json: paymentBody(undefined, { amount: { value: cap, currency } }), token });
    expect(refused.status).toBe(422);
    expect(refused.json()).toMatchObject({ code: 'daily_cap_exceeded', cap: { value: daily, currency }, remaining: { value: daily % cap, currency } });
    await client.send(`/v1/payments/${ids[0]}/cancel`, { method: 'POST', token });
    expect((await client.send('/v1/payments', { json: paymentBody(undefined, { amount: { value: cap, currency } }), token })).status).toBe(201);
  });
});

describe('Idempotency-Key', () => {
  it('returns the same payment for the same key and body, marked as replayed', async () => {
    const key = `idem-${Date.now()}`;
    const body = paymentBody(undefined, { reference: key });
    const first = await client.send('/v1/payments', { json: body, token, headers: { 'idempotency-key': key } });
    const again = await client.send('/v1/payments', { json: body, token, headers: { 'idempotency-key': key } });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.json()['id']).toBe(first.json()['id']);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const listed = await client.send(`/v1/payments?reference=${key}`, { token });
    expect(listed.json()['data']).toHaveLength(1);
  });

  it('refuses the same key with a different body with 422 idempotency_key_reused', async () => {
    const key = `idem-diff-${Date.now()}`;
    await client.send('/v1/payments', { json: paymentBody(), token, headers: { 'idempotency-key': key } });
    const changed = await client.send('/v1/payments', { json: paymentBody(undefined, { amount: { value: 9999, currency: 'EUR' } }), token, headers: { 'idempotency-key': key } });
    expect(changed.status).toBe(422);
    expect(changed.json()).toMatchObject({ code: 'idempotency_key_reused' });
  });

  it('replays a decline, and refuses a malformed key', async () => {
    const key = `idem-decline-${Date.now()}`;
    const first = await client.send('/v1/payments', { json: paymentBody('4000000000000002'), token, headers: { 'idempotency-key': key } });
    const again = await client.send('/v1/payments', { json: paymentBody('4000000000000002'), token, headers: { 'idempotency-key': key } });
    expect(again.status).toBe(402);
    expect(again.json()['paymentId']).toBe(first.json()['paymentId']);
    expect((await client.send('/v1/payments', { json: paymentBody(), token, headers: { 'idempotency-key': 'has space' } })).status).toBe(400);
  });
});

describe('latency', () => {
  it('holds a response for the Sandbox-Delay milliseconds, after processing the request', async () => {
    const reference = `delay-${Date.now()}`;
    const started = performance.now();
    const response = await client.send('/v1/payments', { json: paymentBody(undefined, { reference }), token, headers: { 'sandbox-delay': '300' } });
    expect(response.status).toBe(201);
    expect(performance.now() - started).toBeGreaterThanOrEqual(295);
  });

  it('a client that gives up early still leaves the payment processed, and the server keeps serving', async () => {
    const reference = `delay-abort-${Date.now()}`;
    await expect(
      client.send('/v1/payments', { json: paymentBody(undefined, { reference }), token, headers: { 'sandbox-delay': '5000' }, signal: AbortSignal.timeout(100) }),
    ).rejects.toThrow();
    const listed = await client.send(`/v1/payments?reference=${reference}`, { token });
    expect(listed.json()['data']).toHaveLength(1);
  });

  it('adds a fixed latency to every response when started with latencyMs', async () => {
    const slow = await startSandbox({ latencyMs: 200 });
    const slowClient = new SandboxClient(slow);
    try {
      const started = performance.now();
      expect((await slowClient.send('/health')).status).toBe(200);
      expect(performance.now() - started).toBeGreaterThanOrEqual(195);
    } finally {
      await slowClient.close();
      await slow.close();
    }
  });
});
