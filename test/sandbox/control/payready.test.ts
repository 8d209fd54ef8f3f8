import { beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { clientFor, freshSandbox, paymentBody, type SandboxClient } from '../../support/sandbox.js';
import { control, orderId, plan, recordsOf } from './support.js';

/**
 * The control API in the payready dialect (OAuth bearer tokens, `reference` names the order):
 * behaviours for one order leave another order paid at the same time untouched.
 */
let sandbox: Sandbox;
let client: SandboxClient;

beforeAll(async () => {
  sandbox = await freshSandbox();
  client = clientFor(sandbox);
});

function pay(order: string, token: string, overrides: Record<string, unknown> = {}): ReturnType<SandboxClient['send']> {
  return client.send('/v1/payments', { json: paymentBody('4111111111111111', { reference: order, ...overrides }), token, headers: { 'idempotency-key': `${order}-pay` } });
}

describe('control API: payready dialect', () => {
  it('counts client_credentials tokens (GET /tokens)', async () => {
    const before = (await control(sandbox, 'GET', '/tokens')).body['issued'] as number;
    await client.token();
    await client.token();
    expect((await control(sandbox, 'GET', '/tokens')).body).toEqual({ issued: before + 2 });
  });

  it('decline, cap and error per order; the other order is authorised; records carry tokenId and rawCard', async () => {
    const token = await client.token();
    const declined = orderId('decline');
    const capped = orderId('cap');
    const failing = orderId('error');
    const other = orderId('other');
    await plan(sandbox, declined, { kind: 'decline', code: 'stolen_card' });
    await plan(sandbox, capped, { kind: 'cap', max: 1000 });
    await plan(sandbox, failing, { kind: 'error', status: 502 });
    const [d, c, f, o] = await Promise.all([pay(declined, token), pay(capped, token), pay(failing, token), pay(other, token)]);
    expect(d.status).toBe(402);
    expect(d.json()).toMatchObject({ code: 'card_declined', declineCode: 'stolen_card' });
    expect(c.status).toBe(422);
    expect(c.json()).toMatchObject({ code: 'transaction_cap_exceeded', cap: { value: 1000, currency: 'EUR' } });
    expect(f.status).toBe(502);
    expect(o.status).toBe(201);
    expect(o.json()).toMatchObject({ status: 'authorised', reference: other });

    expect(await recordsOf(sandbox, declined)).toMatchObject([{ operation: 'create', status: 402, outcome: 'declined', declineCode: 'stolen_card', rawCard: true, auth: 'bearer', idempotencyKey: `${declined}-pay`, amount: 1050, currency: 'EUR' }]);
    expect(await recordsOf(sandbox, capped)).toMatchObject([{ status: 422, outcome: 'refused' }]);
    expect(await recordsOf(sandbox, failing)).toMatchObject([{ status: 502, outcome: 'error' }]);
    const [record] = await recordsOf(sandbox, other);
    expect(record).toMatchObject({ status: 201, outcome: 'requires_capture', paymentId: (o.json() as { id: string }).id });
    expect(record?.tokenId).toMatch(/.+/);

    // Capture and refund of the payment inherit its order.
    const id = (o.json() as { id: string }).id;
    expect((await client.send(`/v1/payments/${id}/capture`, { json: {}, token })).status).toBe(200);
    expect((await client.send(`/v1/payments/${id}/refunds`, { json: {}, token })).status).toBe(201);
    expect((await recordsOf(sandbox, other)).map((r) => [r.operation, r.outcome])).toEqual([
      ['create', 'requires_capture'],
      ['capture', 'succeeded'],
      ['refund', 'succeeded'],
    ]);
  });

  it('invalid-token: the order\'s first request gets 401 invalid_token and its token is revoked; a new token works', async () => {
    const order = orderId('token');
    const other = orderId('other');
    await plan(sandbox, order, { kind: 'invalid-token' });
    const token = await client.token();
    const [refused, paid] = await Promise.all([pay(order, token), pay(other, await client.token())]);
    expect(refused.status).toBe(401);
    expect(refused.headers['www-authenticate']).toMatch(/Bearer .*error="invalid_token"/);
    expect(paid.status).toBe(201);
    // The revoked token stays refused, for any order.
    expect((await pay(orderId('any'), token)).status).toBe(401);
    const again = await pay(order, await client.token());
    expect(again.status).toBe(201);
    const records = await recordsOf(sandbox, order);
    expect(records.map((r) => r.status)).toEqual([401, 201]);
    expect(records[0]?.tokenId).not.toBe(records[1]?.tokenId);
  });

  it('notes credentials in the URL', async () => {
    const token = await client.token();
    await client.send(`/v1/payments?reference=x&access_token=${token}`, { token });
    const all = (await control(sandbox, 'GET', '/requests')).body['requests'] as { path: string; credentialInUrl: boolean }[];
    expect(all.filter((r) => r.path === '/v1/payments' && r.credentialInUrl)).toHaveLength(1);
  });
});
