import { beforeAll, describe, expect, it } from 'vitest';
import { adyenPayment, adyenSandbox, type AdyenClient } from '../adyen/support.js';
import { orderId, plan, recordsOf } from './support.js';

/** The control API in the Adyen dialect: `reference` names the order; modifications inherit it. */
let adyen: AdyenClient;

beforeAll(async () => {
  adyen = await adyenSandbox();
});

function pay(order: string): ReturnType<AdyenClient['post']> {
  return adyen.post('/v71/payments', adyenPayment(adyen.sandbox, { reference: order }), { headers: { 'idempotency-key': `${order}-pay` } });
}

describe('control API: adyen dialect', () => {
  it('decline, cap and error 503 per order while another order is authorised; capture inherits the order', async () => {
    const { sandbox } = adyen;
    const declined = orderId('decline');
    const capped = orderId('cap');
    const failing = orderId('error');
    const other = orderId('other');
    await plan(sandbox, declined, { kind: 'decline' });
    await plan(sandbox, capped, { kind: 'cap', max: 1000 });
    await plan(sandbox, failing, { kind: 'error', status: 503, retryAfter: 5 });
    const [d, c, f, o] = await Promise.all([pay(declined), pay(capped), pay(failing), pay(other)]);
    expect(d.json()).toMatchObject({ resultCode: 'Refused', refusalReason: 'Refused' });
    expect(c.json()).toMatchObject({ resultCode: 'Refused', refusalReason: 'Withdrawal amount exceeded' });
    expect(f.status).toBe(503);
    expect(f.headers['retry-after']).toBe('5');
    expect(f.json()).toMatchObject({ status: 503, errorType: 'internal' });
    expect(o.json()).toMatchObject({ resultCode: 'Authorised' });
    expect(await recordsOf(sandbox, declined)).toMatchObject([{ operation: 'create', outcome: 'declined', auth: 'api-key', rawCard: true, idempotencyKey: `${declined}-pay` }]);
    expect(await recordsOf(sandbox, capped)).toMatchObject([{ outcome: 'refused' }]);
    expect((await pay(failing)).status).toBe(200);
    expect((await recordsOf(sandbox, failing)).map((r) => [r.status, r.outcome, r.early])).toEqual([
      [503, 'error', undefined],
      [200, 'requires_capture', true],
    ]);

    const psp = (o.json() as { pspReference: string }).pspReference;
    const captured = await adyen.post(`/v71/payments/${psp}/captures`, { merchantAccount: sandbox.merchantAccount, amount: { value: 1050, currency: 'EUR' } });
    expect(captured.status).toBe(201);
    expect((await recordsOf(sandbox, other)).map((r) => [r.operation, r.paymentId])).toEqual([
      ['create', psp],
      ['capture', psp],
    ]);
  });
});
