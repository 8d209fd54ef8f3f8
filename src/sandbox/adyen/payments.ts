import { randomInt } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { SandboxContext } from '../context.js';
import { json, type Reply } from '../respond.js';
import { adyenBrand } from './cards.js';
import type { AdyenContext } from './context.js';
import { OVER_DAILY_CAP, OVER_TRANSACTION_CAP, dailyCap, perTransactionCap } from './limits.js';
import { FAILING_MODIFICATIONS, HOLDER_NAME_OUTCOMES, outcomeFor, type TestOutcome } from './refusals.js';
import { newPspReference, type AdyenPayment, type AdyenPaymentState } from './store.js';
import type { AdyenPaymentRequest } from './validation.js';

/** The /payments response body (PaymentResponse in the OpenAPI document), as far as this dialect fills it. */
export type AdyenPaymentResponse = Record<string, unknown>;

const STATE_OF: Readonly<Record<TestOutcome['resultCode'], AdyenPaymentState>> = {
  Authorised: 'authorised',
  Refused: 'refused',
  Error: 'error',
  Received: 'received',
};

function expired(card: AdyenPaymentRequest['card'], now: Date): boolean {
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth() + 1;
  return card.expiryYear < year || (card.expiryYear === year && card.expiryMonth < month);
}

/** The cap refusal that applies, if any (the `no-cap` fault switches the per-transaction cap off). */
function capOutcome(request: AdyenPaymentRequest, adyen: AdyenContext, ctx: SandboxContext, orderCap: number | undefined): TestOutcome | undefined {
  const { value, currency } = request.amount;
  // The control API's `cap` behaviour: the order's own cap, refused as the real one is.
  if (orderCap !== undefined && value > orderCap) return OVER_TRANSACTION_CAP;
  if (value > perTransactionCap(currency) && !ctx.faults.on('capOff')) return OVER_TRANSACTION_CAP;
  if (adyen.payments.usedToday(currency) + value > dailyCap(currency)) return OVER_DAILY_CAP;
  return undefined;
}

/**
 * Authorises a validated /payments request: caps first (a refusal, see limits.ts), then the test
 * platform's outcome for the holder name (refusals.ts). An expired card is refused as Adyen's
 * holder-name page says: "If you specify an incorrect CVC or an invalid expiry date, the payment
 * fails and the operation returns a generic DECLINED refusal reason." Answers 200 with a
 * PaymentResponse and sends the AUTHORISATION notification (none while `Received`: pending).
 */
export function authorise(req: IncomingMessage, request: AdyenPaymentRequest, adyen: AdyenContext, ctx: SandboxContext): Reply {
  const now = new Date();
  const { amount, card } = request;
  ctx.requestLog.noteCard(req, card.number);
  ctx.orders.note(req, { rawCard: true });
  const orderRef = ctx.orders.orderOf(req);
  const cap = capOutcome(request, adyen, ctx, ctx.orders.capFor(orderRef));
  // The control API's `decline` behaviour: the order's payment is refused (Adyen's generic DECLINED).
  const planned = ctx.orders.declineFor(orderRef) === undefined ? undefined : (HOLDER_NAME_OUTCOMES['DECLINED'] ?? outcomeFor('DECLINED'));
  const outcome = cap ?? planned ?? (expired(card, now) ? (HOLDER_NAME_OUTCOMES['DECLINED'] ?? outcomeFor('DECLINED')) : outcomeFor(card.holderName));
  const captureNow = outcome.resultCode === 'Authorised' && request.captureDelayHours === 0;
  const failing = card.holderName === undefined ? undefined : FAILING_MODIFICATIONS[card.holderName];
  const payment: AdyenPayment = {
    pspReference: newPspReference(),
    merchantReference: request.reference,
    amount,
    state: captureNow ? 'captured' : STATE_OF[outcome.resultCode],
    captured: captureNow ? amount.value : 0,
    refunded: 0,
    brand: adyenBrand(card.number),
    last4: card.number.slice(-4),
    expiry: `${String(card.expiryMonth).padStart(2, '0')}/${card.expiryYear}`,
    ...(failing ? { failing } : {}),
    createdAt: now,
  };
  const authorised = outcome.resultCode === 'Authorised';
  const body: AdyenPaymentResponse = {
    pspReference: payment.pspReference,
    resultCode: outcome.resultCode,
    amount,
    merchantReference: request.reference,
    ...(outcome.refusalReason !== undefined ? { refusalReason: outcome.refusalReason, refusalReasonCode: String(outcome.code) } : {}),
    // "Details about the payment method used in the transaction. Only returned if resultCode is Authorised."
    ...(authorised ? { paymentMethod: { brand: payment.brand, type: 'scheme' } } : {}),
    additionalData: { cardSummary: payment.last4, expiryDate: `${card.expiryMonth}/${card.expiryYear}`, paymentMethod: payment.brand },
  };
  let reply = json(200, ctx.faults.apply('adyenPaymentResponse', body));
  // `cap-500`: the cap refusal crashes instead (the route wrapper answers Adyen's 500).
  if (cap === OVER_TRANSACTION_CAP) reply = ctx.faults.apply('overCapRefusal', reply);
  adyen.payments.add(payment);
  if (outcome.resultCode !== 'Received') {
    adyen.notifier.emit({
      amount,
      eventCode: 'AUTHORISATION',
      eventDate: now.toISOString(),
      merchantAccountCode: adyen.merchantAccount,
      merchantReference: request.reference,
      pspReference: payment.pspReference,
      paymentMethod: payment.brand,
      // Adyen's AUTHORISATION reason: "authCode:cardSummary:expiryDate" on success, the refusal reason otherwise.
      reason: authorised ? `${String(randomInt(1_000_000)).padStart(6, '0')}:${payment.last4}:${payment.expiry}` : (outcome.refusalReason ?? ''),
      success: authorised ? 'true' : 'false',
      ...(authorised ? { operations: ['CANCEL', 'CAPTURE', 'REFUND'] } : {}),
    });
  }
  return reply;
}
