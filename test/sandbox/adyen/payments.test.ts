import { describe, expect, it } from 'vitest';
import { HOLDER_NAME_OUTCOMES } from '../../../src/sandbox/adyen/refusals.js';
import { clientFor, freshSandbox } from '../../support/sandbox.js';
import { adyenPayment, adyenSandbox, requestViolations, responseViolations } from './support.js';

const adyen = await adyenSandbox();
const { sandbox } = adyen;

describe('Adyen dialect: authentication and merchant account', () => {
  it('refuses a request without X-API-Key: 401 ServiceError, errorCode 000, errorType security', async () => {
    const response = await adyen.post('/v71/payments', adyenPayment(sandbox), { headers: { 'x-api-key': '' } });
    expect(response.status).toBe(401);
    expect(responseViolations('/v71/payments', response)).toEqual([]);
    expect(response.json()).toMatchObject({ status: 401, errorCode: '000', errorType: 'security' });
  });

  it('refuses a wrong key the same way', async () => {
    const response = await adyen.post('/v71/payments', adyenPayment(sandbox), { headers: { 'x-api-key': `${sandbox.apiKey}x` } });
    expect(response.status).toBe(401);
  });

  it('refuses another merchant account with 403 901 "Invalid Merchant Account"', async () => {
    const { response, body } = await adyen.conforming('/v71/payments', adyenPayment(sandbox, { merchantAccount: 'SomeoneElseECOM' }));
    expect(response.status).toBe(403);
    expect(body).toEqual({ status: 403, errorCode: '901', message: 'Invalid Merchant Account', errorType: 'security' });
  });
});

describe('Adyen dialect: authorisation', () => {
  it('authorises a documented test card: 200 PaymentResponse with pspReference, resultCode and amount', async () => {
    const request = adyenPayment(sandbox);
    const { response, body } = await adyen.conforming('/v71/payments', request);
    expect(response.status).toBe(200);
    expect(body['resultCode']).toBe('Authorised');
    expect(body['pspReference']).toMatch(/^[A-Z0-9]{16}$/);
    expect(body['amount']).toEqual({ value: 1050, currency: 'EUR' });
    expect(body['merchantReference']).toBe(request['reference']);
    expect(body['paymentMethod']).toEqual({ brand: 'visa', type: 'scheme' });
    expect(body).not.toHaveProperty('refusalReason');
  });

  it('reads the documented test_ encrypted values and names the brand (Mastercard 5555 3412 4444 1115)', async () => {
    const request = adyenPayment(sandbox, {}, { number: undefined, expiryMonth: undefined, expiryYear: undefined, cvc: undefined, encryptedCardNumber: 'test_5555341244441115', encryptedExpiryMonth: 'test_03', encryptedExpiryYear: 'test_2030', encryptedSecurityCode: 'test_737' });
    const { body } = await adyen.conforming('/v71/payments', JSON.parse(JSON.stringify(request)));
    expect(body['resultCode']).toBe('Authorised');
    expect(body['paymentMethod']).toEqual({ brand: 'mc', type: 'scheme' });
  });

  it.each([
    ['NOT_ENOUGH_BALANCE', 'Not enough balance', '12'],
    ['CARD_EXPIRED', 'Expired Card', '6'],
    ['DECLINED', 'Refused', '2'],
    ['BLOCK_CARD', 'Blocked Card', '5'],
    ['FRAUD', 'FRAUD', '20'],
    ['ISSUER_UNAVAILABLE', 'Issuer Unavailable', '9'],
  ])('holder name %s: Refused, refusalReason "%s", refusalReasonCode %s', async (holderName, reason, code) => {
    const { response, body } = await adyen.conforming('/v71/payments', adyenPayment(sandbox, {}, { holderName }));
    expect(response.status).toBe(200);
    expect(body).toMatchObject({ resultCode: 'Refused', refusalReason: reason, refusalReasonCode: code });
    expect(body['pspReference']).toMatch(/^[A-Z0-9]{16}$/);
    expect(body).not.toHaveProperty('paymentMethod');
  });

  it('answers every row of the holder-name table as the table says, each response conforming', async () => {
    for (const [holderName, outcome] of Object.entries(HOLDER_NAME_OUTCOMES)) {
      const { body } = await adyen.conforming('/v71/payments', adyenPayment(sandbox, {}, { holderName }));
      expect(body['resultCode'], holderName).toBe(outcome.resultCode);
      if (outcome.refusalReason === undefined) expect(body, holderName).not.toHaveProperty('refusalReasonCode');
      else expect(body, holderName).toMatchObject({ refusalReason: outcome.refusalReason, refusalReasonCode: String(outcome.code) });
    }
  });

  it('the "[code] : [raw]" holder name form: the part before the colon decides', async () => {
    const { body } = await adyen.conforming('/v71/payments', adyenPayment(sandbox, {}, { holderName: 'DECLINED : 06 : ERROR' }));
    expect(body).toMatchObject({ resultCode: 'Refused', refusalReason: 'Refused', refusalReasonCode: '2' });
  });

  it('an expired card is refused with the generic DECLINED reason, as the holder-name page says', async () => {
    const { body } = await adyen.conforming('/v71/payments', adyenPayment(sandbox, {}, { expiryMonth: '01', expiryYear: '2020' }));
    expect(body).toMatchObject({ resultCode: 'Refused', refusalReason: 'Refused', refusalReasonCode: '2' });
  });

  it.each([
    ['JPY', 1050],
    ['KWD', 10500],
    ['EUR', 1],
  ])('takes %s amounts in minor units (%d)', async (currency, value) => {
    const { body } = await adyen.conforming('/v71/payments', adyenPayment(sandbox, { amount: { value, currency } }));
    expect(body['resultCode']).toBe('Authorised');
    expect(body['amount']).toEqual({ value, currency });
  });
});

describe('Adyen dialect: validation errors (422 ServiceError, errorType validation)', () => {
  it.each([
    ['zero', { value: 0, currency: 'EUR' }, '137'],
    ['negative', { value: -100, currency: 'EUR' }, '137'],
    ['too large', { value: 2 ** 60, currency: 'EUR' }, '137'],
    ['unknown currency', { value: 100, currency: 'XYZ' }, '138'],
  ])('%s amount -> errorCode %s', async (_label, amount, code) => {
    const { response, body } = await adyen.conforming('/v71/payments', adyenPayment(sandbox, { amount }));
    expect(response.status).toBe(422);
    expect(body).toMatchObject({ status: 422, errorCode: code, errorType: 'validation' });
  });

  it('a fractional amount -> 137 (the request is not schema-valid, so it is sent as is)', async () => {
    const response = await adyen.post('/v71/payments', adyenPayment(sandbox, { amount: { value: 10.5, currency: 'EUR' } }), { lax: true });
    expect(response.status).toBe(422);
    expect(responseViolations('/v71/payments', response)).toEqual([]);
    expect(response.json()).toMatchObject({ errorCode: '137', message: 'Invalid amount specified' });
  });

  it('a missing amount -> 100, a missing reference -> 130, a missing merchantAccount -> 901', async () => {
    const { amount: _a, ...noAmount } = adyenPayment(sandbox);
    const { reference: _r, ...noReference } = adyenPayment(sandbox);
    const { merchantAccount: _m, ...noMerchant } = adyenPayment(sandbox);
    for (const [body, status, code] of [
      [noAmount, 422, '100'],
      [noReference, 422, '130'],
      [noMerchant, 403, '901'],
    ] as const) {
      const response = await adyen.post('/v71/payments', body, { lax: true });
      expect(response.status).toBe(status);
      expect(responseViolations('/v71/payments', response)).toEqual([]);
      expect(response.json()['errorCode']).toBe(code);
    }
  });

  it('a card number failing the Luhn check -> 101 "Invalid card number"; a 5-digit CVC -> 103', async () => {
    const bad = await adyen.conforming('/v71/payments', adyenPayment(sandbox, {}, { number: '4111111145551143' }));
    expect(bad.body).toMatchObject({ status: 422, errorCode: '101', message: 'Invalid card number' });
    const cvc = await adyen.conforming('/v71/payments', adyenPayment(sandbox, {}, { cvc: '73737' }));
    expect(cvc.body).toMatchObject({ status: 422, errorCode: '103' });
  });

  it('malformed JSON -> 400 ServiceError "Unable to parse message"', async () => {
    const response = await adyen.http.send('/v71/payments', { body: '{"amount":', headers: { 'content-type': 'application/json', 'x-api-key': sandbox.apiKey ?? '' } });
    expect(response.status).toBe(400);
    expect(responseViolations('/v71/payments', response)).toEqual([]);
    expect(response.json()).toMatchObject({ errorCode: '000', message: 'Unable to parse message' });
  });
});

describe('Adyen dialect: caps (a Refused payment, see src/sandbox/adyen/limits.ts)', () => {
  it('an amount above the per-transaction cap is Refused "Withdrawal amount exceeded" (28)', async () => {
    const { response, body } = await adyen.conforming('/v71/payments', adyenPayment(sandbox, { amount: { value: 10_000_01, currency: 'EUR' } }));
    expect(response.status).toBe(200);
    expect(body).toMatchObject({ resultCode: 'Refused', refusalReason: 'Withdrawal amount exceeded', refusalReasonCode: '28' });
  });

  it('the cap is in major units of each currency (10,000 JPY is under it, 10,001 JPY over)', async () => {
    expect((await adyen.conforming('/v71/payments', adyenPayment(sandbox, { amount: { value: 10_000, currency: 'JPY' } }))).body['resultCode']).toBe('Authorised');
    expect((await adyen.conforming('/v71/payments', adyenPayment(sandbox, { amount: { value: 10_001, currency: 'JPY' } }))).body['refusalReasonCode']).toBe('28');
  });

  it('a payment that would take the day above the daily cap is Refused "Transaction Not Permitted" (23)', async () => {
    const own = await adyenSandbox();
    const payment = (): Record<string, unknown> => adyenPayment(own.sandbox, { amount: { value: 9_000_00, currency: 'GBP' } });
    for (let i = 0; i < 2; i++) expect((await own.conforming('/v71/payments', payment())).body['resultCode']).toBe('Authorised');
    const { body } = await own.conforming('/v71/payments', payment());
    expect(body).toMatchObject({ resultCode: 'Refused', refusalReason: 'Transaction Not Permitted', refusalReasonCode: '23' });
  });
});

describe('the yardstick itself', () => {
  it('the OpenAPI validation rejects what Adyen would not send or accept', () => {
    expect(requestViolations('/v71/payments', { ...adyenPayment(sandbox), amount: { value: '1050', currency: 'EUR' } })).not.toEqual([]);
    expect(requestViolations('/v71/payments', { amount: { value: 1050, currency: 'EUR' } })).not.toEqual([]);
    const fake = { status: 200, headers: { 'content-type': 'application/json' }, text: JSON.stringify({ resultCode: 'Approved', amount: { value: 1, currency: 'EUR' } }), json: () => ({}) };
    expect(responseViolations('/v71/payments', fake)).not.toEqual([]);
  });
});

describe('dialects are separate', () => {
  it('a sandbox started without provider speaks only the payready API: /v71/payments does not exist there', async () => {
    const plain = await freshSandbox();
    expect(plain.provider).toBe('payready');
    const response = await clientFor(plain).send('/v71/payments', { json: adyenPayment(plain), headers: { 'x-api-key': plain.apiKey ?? '' } });
    expect(response.status).toBe(404);
  });
});
