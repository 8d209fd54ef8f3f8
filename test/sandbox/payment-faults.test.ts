import { describe, expect, it } from 'vitest';
import { FLAKY_EVERY, SLOW_API_DELAY_MS, SLOW_API_EVERY } from '../../src/sandbox/transport/faults.js';
import { paymentBody, useSandbox, type SandboxClient } from '../support/sandbox.js';

async function sandboxWith(fault: string): Promise<{ client: SandboxClient; token: string }> {
  const { client } = await useSandbox([fault]);
  return { client, token: await client.token() };
}

const overCap = { amount: { value: 1_500_000, currency: 'EUR' } };

describe('payment faults', () => {
  it('no-cap: a card payment above the cap is authorised', async () => {
    const { client, token } = await sandboxWith('no-cap');
    const response = await client.send('/v1/payments', { json: paymentBody(undefined, overCap), token });
    expect(response.status).toBe(201);
    expect(response.json()).toMatchObject({ status: 'authorised', amount: overCap.amount });
  });

  it('cap-500: a card payment above the cap gets a 500 problem and creates nothing', async () => {
    const { client, token } = await sandboxWith('cap-500');
    const reference = 'cap-500-order';
    const response = await client.send('/v1/payments', { json: paymentBody(undefined, { ...overCap, reference }), token });
    expect(response.status).toBe(500);
    expect(response.json()).toMatchObject({ status: 500, code: 'internal_error' });
    expect((await client.send(`/v1/payments?reference=${reference}`, { token })).json()['data']).toEqual([]);
    expect((await client.send('/v1/payments', { json: paymentBody(), token })).status).toBe(201);
  });

  it('no-idempotency: the same key charges twice', async () => {
    const { client, token } = await sandboxWith('no-idempotency');
    const reference = 'no-idem-order';
    const body = paymentBody(undefined, { reference });
    const first = await client.send('/v1/payments', { json: body, token, headers: { 'idempotency-key': 'k-1' } });
    const second = await client.send('/v1/payments', { json: body, token, headers: { 'idempotency-key': 'k-1' } });
    expect(second.json()['id']).not.toBe(first.json()['id']);
    expect((await client.send(`/v1/payments?reference=${reference}`, { token })).json()['data']).toHaveLength(2);
  });

  it(`flaky: one authenticated payments request in ${FLAKY_EVERY} gets 503 with Retry-After, health and tokens do not`, async () => {
    const { client, token } = await sandboxWith('flaky');
    const statuses: number[] = [];
    for (let i = 0; i < FLAKY_EVERY * 2; i++) statuses.push((await client.send('/v1/payments/pay_000000000000000000000000', { token })).status);
    expect(statuses.filter((s) => s === 503)).toHaveLength(2);
    expect(statuses.filter((s) => s === 404)).toHaveLength(FLAKY_EVERY * 2 - 2);
    for (let i = 0; i < FLAKY_EVERY; i++) expect((await client.send('/health')).status).toBe(200);
    const unavailable = await (async () => {
      for (;;) {
        const response = await client.send('/v1/payments', { json: paymentBody(), token });
        if (response.status === 503) return response;
      }
    })();
    expect(unavailable.headers['retry-after']).toBe('1');
    expect(unavailable.json()).toMatchObject({ code: 'service_unavailable' });
  });

  it(`slow-api: one payments response in ${SLOW_API_EVERY} takes ${SLOW_API_DELAY_MS} ms`, async () => {
    const { client, token } = await sandboxWith('slow-api');
    const durations: number[] = [];
    for (let i = 0; i < SLOW_API_EVERY; i++) {
      const t0 = performance.now();
      await client.send('/v1/payments/pay_000000000000000000000000', { token });
      durations.push(performance.now() - t0);
    }
    expect(durations.filter((ms) => ms >= SLOW_API_DELAY_MS - 5)).toHaveLength(1);
  });
});
