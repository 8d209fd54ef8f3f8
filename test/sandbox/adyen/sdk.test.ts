import { CheckoutAPI, Client, EnvironmentEnum, HttpClientException, HttpURLConnectionClient, Types, hmacValidator as HmacValidator } from '@adyen/api-library';
import { describe, expect, it } from 'vitest';
import { ADYEN_CHECKOUT_BASE } from '../../../src/sandbox/adyen/routes.js';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { NotificationReceiver, adyenSandbox, registerWebhook } from './support.js';

/**
 * The official Node SDK (`@adyen/api-library` 32.1.0) as a client of the emulator: its request
 * serialisation, its headers (`X-API-Key`, `Idempotency-Key`), its HTTP layer and its error
 * parsing (HttpClientException with `errorCode` and `apiError`) all run unchanged. Two things
 * cannot be set through its public options, so the test's `httpClient` adapts them:
 * - the host: the SDK builds URLs from the constant "https://checkout-test.adyen.com/v72" (a
 *   private `baseUrl`; `Config` has no endpoint option for Checkout), so the adapter rewrites that
 *   prefix to the emulator's `/v71` (the v72 and v71 payment and modification bodies used here are
 *   the same shape);
 * - trust: `Config.certificatePath` pins Adyen terminal certificates (its checkServerIdentity only
 *   accepts `*.terminal.adyen.com` names), so the sandbox's CA is handed to the SDK's own
 *   HttpURLConnectionClient through its agent options, with verification on.
 */
function sdkClient(sandbox: Sandbox): Client {
  const http = new HttpURLConnectionClient();
  // `agentOptions` is private in the SDK's typings; it is what installCertificateVerifier sets.
  Object.assign(http, { agentOptions: { ca: sandbox.caPem } });
  const emulator: Client['httpClient'] = {
    request: (endpoint, json, config, isApiKeyRequired, requestOptions) =>
      http.request(endpoint.replace(/^https:\/\/checkout-test\.adyen\.com\/v\d+/, sandbox.baseUrl + ADYEN_CHECKOUT_BASE), json, config, isApiKeyRequired, requestOptions),
  };
  return new Client({ apiKey: sandbox.apiKey, environment: EnvironmentEnum.TEST }, emulator);
}

const adyen = await adyenSandbox();
const { sandbox } = adyen;
const checkout = new CheckoutAPI(sdkClient(sandbox));
const receiver = new NotificationReceiver();
await registerWebhook(adyen, await receiver.listen());

function card(holderName = 'Jane Doe'): Types.checkout.CardDetails {
  return { type: Types.checkout.CardDetails.TypeEnum.Scheme, encryptedCardNumber: 'test_4111111145551142', encryptedExpiryMonth: 'test_03', encryptedExpiryYear: 'test_2030', encryptedSecurityCode: 'test_737', holderName };
}

describe('the official Adyen Node SDK against the emulator', () => {
  it('makes a payment, captures part of it and refunds part, with idempotency keys', async () => {
    const request = { amount: { value: 2500, currency: 'EUR' }, merchantAccount: sandbox.merchantAccount, reference: 'sdk-order-1', returnUrl: 'https://shop.example/return', paymentMethod: card() };
    const payment = await checkout.PaymentsApi.payments(request, { idempotencyKey: 'sdk-key-1' });
    expect(payment.resultCode).toBe('Authorised');
    expect(payment.amount).toEqual({ value: 2500, currency: 'EUR' });
    const again = await checkout.PaymentsApi.payments(request, { idempotencyKey: 'sdk-key-1' });
    expect(again.pspReference).toBe(payment.pspReference);
    const psp = String(payment.pspReference);
    const capture = await checkout.ModificationsApi.captureAuthorisedPayment(psp, { merchantAccount: sandbox.merchantAccount, amount: { value: 2000, currency: 'EUR' } });
    expect(capture.status).toBe('received');
    expect(capture.paymentPspReference).toBe(psp);
    const refund = await checkout.ModificationsApi.refundCapturedPayment(psp, { merchantAccount: sandbox.merchantAccount, amount: { value: 500, currency: 'EUR' } });
    expect(refund.status).toBe('received');
    const item = await receiver.waitFor((i) => i['eventCode'] === 'REFUND' && i['originalReference'] === psp);
    expect(item['success']).toBe('true');
    expect(new HmacValidator().validateHMAC(item as never, sandbox.hmacKey)).toBe(true);
  });

  it('reads a refusal from the holder name', async () => {
    const payment = await checkout.PaymentsApi.payments({ amount: { value: 100, currency: 'EUR' }, merchantAccount: sandbox.merchantAccount, reference: 'sdk-order-2', returnUrl: 'https://shop.example/return', paymentMethod: card('CARD_EXPIRED') });
    expect(payment).toMatchObject({ resultCode: 'Refused', refusalReason: 'Expired Card', refusalReasonCode: '6' });
  });

  it('gets a validation error as HttpClientException with Adyen errorCode 137', async () => {
    const error: unknown = await checkout.PaymentsApi.payments({ amount: { value: 0, currency: 'EUR' }, merchantAccount: sandbox.merchantAccount, reference: 'sdk-order-3', returnUrl: 'https://shop.example/return', paymentMethod: card() }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(HttpClientException);
    expect(error).toMatchObject({ statusCode: 422, errorCode: '137', apiError: { errorType: 'validation', message: 'Invalid amount specified' } });
  });

  it('a wrong API key is refused (401)', async () => {
    const wrong = new CheckoutAPI(new Client({ apiKey: 'not-the-key', environment: EnvironmentEnum.TEST }, sdkClient(sandbox).httpClient));
    const error: unknown = await wrong.PaymentsApi.payments({ amount: { value: 100, currency: 'EUR' }, merchantAccount: sandbox.merchantAccount, reference: 'sdk-order-4', returnUrl: 'https://shop.example/return', paymentMethod: card() }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ statusCode: 401, errorCode: '000' });
  });
});
