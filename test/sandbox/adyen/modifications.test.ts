import { hmacValidator as HmacValidator } from '@adyen/api-library';
import { describe, expect, it } from 'vitest';
import { type AdyenClient, NotificationReceiver, adyenPayment, adyenSandbox, registerWebhook } from './support.js';

/**
 * Modifications are asynchronous in Adyen: the request is answered 201 `status: received` and the
 * outcome arrives as a notification. Every notification here is checked with the official
 * `@adyen/api-library` HmacValidator, with the key the sandbox publishes (`Sandbox.hmacKey`).
 */
const adyen = await adyenSandbox();
const { sandbox } = adyen;
const receiver = new NotificationReceiver();
await registerWebhook(adyen, await receiver.listen());
const validator = new HmacValidator();

async function pay(client: AdyenClient, overrides: Record<string, unknown> = {}, method: Record<string, unknown> = {}): Promise<string> {
  const { body } = await client.conforming('/v71/payments', adyenPayment(client.sandbox, overrides, method));
  expect(body['resultCode']).toBe('Authorised');
  return String(body['pspReference']);
}

function event(code: string, original: string) {
  return (item: Record<string, unknown>): boolean => item['eventCode'] === code && item['originalReference'] === original;
}

describe('Adyen dialect: notifications', () => {
  it('sends AUTHORISATION, signed so the official HmacValidator accepts it', async () => {
    const reference = 'order-auth-1';
    const psp = await pay(adyen, { reference });
    const item = await receiver.waitFor((i) => i['eventCode'] === 'AUTHORISATION' && i['pspReference'] === psp);
    expect(item).toMatchObject({ success: 'true', merchantAccountCode: sandbox.merchantAccount, merchantReference: reference, amount: { value: 1050, currency: 'EUR' }, paymentMethod: 'visa' });
    expect(item['reason']).toMatch(/^\d{6}:1142:03\/2030$/);
    expect(validator.validateHMAC(item as never, sandbox.hmacKey)).toBe(true);
    expect(receiver.received.every((n) => n.live === 'false')).toBe(true);
  });

  it('a refusal sends AUTHORISATION with success "false" and the refusal reason', async () => {
    const { body } = await adyen.conforming('/v71/payments', adyenPayment(sandbox, {}, { holderName: 'NOT_ENOUGH_BALANCE' }));
    const item = await receiver.waitFor((i) => i['pspReference'] === body['pspReference']);
    expect(item).toMatchObject({ eventCode: 'AUTHORISATION', success: 'false', reason: 'Not enough balance' });
    expect(validator.validateHMAC(item as never, sandbox.hmacKey)).toBe(true);
  });

  it('a key from the Management API generateHmac signs later notifications; the old key no longer verifies them', async () => {
    const own = await adyenSandbox();
    const ownReceiver = new NotificationReceiver();
    const id = await registerWebhook(own, await ownReceiver.listen());
    const generated = await own.post(`/v3/merchants/${own.sandbox.merchantAccount}/webhooks/${id}/generateHmac`, {});
    expect(generated.status).toBe(200);
    const hmacKey = String(generated.json()['hmacKey']);
    expect(hmacKey).toMatch(/^[0-9A-F]{64}$/);
    const psp = await pay(own);
    const item = await ownReceiver.waitFor((i) => i['pspReference'] === psp);
    expect(validator.validateHMAC(item as never, hmacKey)).toBe(true);
    expect(validator.validateHMAC(item as never, own.sandbox.hmacKey)).toBe(false);
  });

  it('retries a receiver that does not answer [accepted], then stops (bounded)', async () => {
    const own = await adyenSandbox();
    const stubborn = new NotificationReceiver();
    stubborn.answer = { status: 200, body: 'ok' };
    await registerWebhook(own, await stubborn.listen());
    const psp = await pay(own);
    await stubborn.waitFor((i) => i['pspReference'] === psp);
    await new Promise((resolve) => setTimeout(resolve, 4_500));
    const attempts = stubborn.items().filter((i) => i['pspReference'] === psp).length;
    expect(attempts).toBe(3);
  });

  it('a receiver that answers [accepted] gets each notification once', async () => {
    const psp = await pay(adyen);
    await receiver.waitFor((i) => i['pspReference'] === psp);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(receiver.items().filter((i) => i['pspReference'] === psp)).toHaveLength(1);
  });

  it('the Management API refuses a wrong key (401), another merchant (403) and a non-loopback URL (422)', async () => {
    const path = `/v3/merchants/${sandbox.merchantAccount}/webhooks`;
    const body = { type: 'standard', url: 'http://127.0.0.1:9/x', active: true, communicationFormat: 'json' };
    expect((await adyen.post(path, body, { headers: { 'x-api-key': 'nope' } })).status).toBe(401);
    expect((await adyen.post('/v3/merchants/OtherECOM/webhooks', body)).status).toBe(403);
    const remote = await adyen.post(path, { ...body, url: 'https://example.com/hook' });
    expect(remote.status).toBe(422);
    expect(remote.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(remote.json()).toMatchObject({ status: 422, invalidFields: [{ name: 'url' }] });
  });
});

describe('Adyen dialect: modifications', () => {
  it('captures the full amount: 201 received, then CAPTURE success "true"', async () => {
    const psp = await pay(adyen);
    const { response, body } = await adyen.conforming(`/v71/payments/${psp}/captures`, { merchantAccount: sandbox.merchantAccount, amount: { value: 1050, currency: 'EUR' }, reference: 'cap-1' });
    expect(response.status).toBe(201);
    expect(body).toMatchObject({ merchantAccount: sandbox.merchantAccount, paymentPspReference: psp, status: 'received', reference: 'cap-1', amount: { value: 1050, currency: 'EUR' } });
    const item = await receiver.waitFor(event('CAPTURE', psp));
    expect(item).toMatchObject({ success: 'true', pspReference: body['pspReference'], amount: { value: 1050, currency: 'EUR' } });
    expect(validator.validateHMAC(item as never, sandbox.hmacKey)).toBe(true);
  });

  it('captures part, refunds part, and a refund above what is left fails in a REFUND notification', async () => {
    const psp = await pay(adyen, { amount: { value: 5000, currency: 'EUR' } });
    await adyen.conforming(`/v71/payments/${psp}/captures`, { merchantAccount: sandbox.merchantAccount, amount: { value: 3000, currency: 'EUR' } });
    expect(await receiver.waitFor(event('CAPTURE', psp))).toMatchObject({ success: 'true', amount: { value: 3000 } });
    const refund = await adyen.conforming(`/v71/payments/${psp}/refunds`, { merchantAccount: sandbox.merchantAccount, amount: { value: 1000, currency: 'EUR' } });
    expect(refund.response.status).toBe(201);
    expect(await receiver.waitFor((i) => event('REFUND', psp)(i) && i['pspReference'] === refund.body['pspReference'])).toMatchObject({ success: 'true' });
    // 3000 captured, 1000 refunded: 2500 is more than the 2000 left. Adyen accepts the request and reports the failure.
    const over = await adyen.conforming(`/v71/payments/${psp}/refunds`, { merchantAccount: sandbox.merchantAccount, amount: { value: 2500, currency: 'EUR' } });
    expect(over.response.status).toBe(201);
    expect(over.body['status']).toBe('received');
    const failed = await receiver.waitFor((i) => i['pspReference'] === over.body['pspReference']);
    expect(failed).toMatchObject({ eventCode: 'REFUND', success: 'false' });
    expect(String(failed['reason'])).toMatch(/Insufficient balance/);
    expect(validator.validateHMAC(failed as never, sandbox.hmacKey)).toBe(true);
  });

  it('a capture above the authorised amount fails in its CAPTURE notification', async () => {
    const psp = await pay(adyen);
    const { body } = await adyen.conforming(`/v71/payments/${psp}/captures`, { merchantAccount: sandbox.merchantAccount, amount: { value: 1051, currency: 'EUR' } });
    expect(await receiver.waitFor((i) => i['pspReference'] === body['pspReference'])).toMatchObject({ eventCode: 'CAPTURE', success: 'false' });
  });

  it('cancels an authorisation (CANCELLATION), and a capture after it fails', async () => {
    const psp = await pay(adyen);
    const { response, body } = await adyen.conforming(`/v71/payments/${psp}/cancels`, { merchantAccount: sandbox.merchantAccount, reference: 'cancel-1' });
    expect(response.status).toBe(201);
    expect(body).toMatchObject({ paymentPspReference: psp, status: 'received' });
    expect(await receiver.waitFor(event('CANCELLATION', psp))).toMatchObject({ success: 'true', merchantReference: 'cancel-1' });
    const capture = await adyen.conforming(`/v71/payments/${psp}/captures`, { merchantAccount: sandbox.merchantAccount, amount: { value: 1050, currency: 'EUR' } });
    expect(await receiver.waitFor((i) => i['pspReference'] === capture.body['pspReference'])).toMatchObject({ eventCode: 'CAPTURE', success: 'false' });
  });

  it('reverses a captured payment: CANCEL_OR_REFUND with modification.action refund', async () => {
    const psp = await pay(adyen, { captureDelayHours: 0 });
    const { response } = await adyen.conforming(`/v71/payments/${psp}/reversals`, { merchantAccount: sandbox.merchantAccount });
    expect(response.status).toBe(201);
    const item = await receiver.waitFor(event('CANCEL_OR_REFUND', psp));
    expect(item).toMatchObject({ success: 'true', additionalData: { 'modification.action': 'refund' } });
    expect(validator.validateHMAC(item as never, sandbox.hmacKey)).toBe(true);
  });

  it('cancels by merchant reference (POST /cancels): TECHNICAL_CANCEL', async () => {
    const reference = 'order-by-ref-1';
    const psp = await pay(adyen, { reference });
    const { response, body } = await adyen.conforming('/v71/cancels', { merchantAccount: sandbox.merchantAccount, paymentReference: reference });
    expect(response.status).toBe(201);
    expect(body).toMatchObject({ paymentReference: reference, status: 'received' });
    expect(await receiver.waitFor(event('TECHNICAL_CANCEL', psp))).toMatchObject({ success: 'true' });
  });

  it('holder name "refund failed": the refund is received, then REFUND_FAILED follows', async () => {
    const psp = await pay(adyen, { captureDelayHours: 0 }, { holderName: 'refund failed' });
    await adyen.conforming(`/v71/payments/${psp}/refunds`, { merchantAccount: sandbox.merchantAccount, amount: { value: 1050, currency: 'EUR' } });
    expect(await receiver.waitFor(event('REFUND', psp))).toMatchObject({ success: 'true' });
    expect(await receiver.waitFor(event('REFUND_FAILED', psp))).toMatchObject({ success: 'true' });
  });

  it('an unknown pspReference is 422 (167), a currency other than the payment\'s 138, another merchant 901', async () => {
    const unknown = await adyen.conforming('/v71/payments/ABCDEFGHIJKLMNOP/captures', { merchantAccount: sandbox.merchantAccount, amount: { value: 100, currency: 'EUR' } });
    expect(unknown.response.status).toBe(422);
    expect(unknown.body['errorCode']).toBe('167');
    const psp = await pay(adyen);
    const currency = await adyen.conforming(`/v71/payments/${psp}/captures`, { merchantAccount: sandbox.merchantAccount, amount: { value: 100, currency: 'USD' } });
    expect(currency.body).toMatchObject({ status: 422, errorCode: '138' });
    const other = await adyen.conforming(`/v71/payments/${psp}/refunds`, { merchantAccount: 'OtherECOM', amount: { value: 100, currency: 'EUR' } });
    expect(other.body).toMatchObject({ status: 403, errorCode: '901' });
  });
});
