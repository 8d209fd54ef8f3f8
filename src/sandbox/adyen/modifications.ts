import type { SandboxContext } from '../context.js';
import { readJson } from '../body.js';
import { json, type Reply } from '../respond.js';
import type { Router } from '../router.js';
import type { AdyenContext } from './context.js';
import { ADYEN_ERRORS, AdyenError } from './errors.js';
import type { AdyenEventCode } from './notifications.js';
import { admitOrder, noteReply } from './orders.js';
import { adyenEndpoint, authenticate } from './respond.js';
import { newPspReference, type AdyenPayment } from './store.js';
import { validateModification, type AdyenAmount } from './validation.js';

/** Where Checkout v71 lives (the real base is https://checkout-test.adyen.com/v71). */
export const ADYEN_CHECKOUT_BASE = '/v71';

/** Which modification a path asks for. */
type Kind = 'capture' | 'cancel' | 'refund' | 'reversal';

/** What processing a modification decided; reported later in its notification. */
interface Outcome {
  eventCode: AdyenEventCode;
  success: boolean;
  reason: string;
  /** A second notification that follows (the test platform's simulated CAPTURE_FAILED / REFUND_FAILED). */
  then?: AdyenEventCode;
  /** `additionalData` of the notification. */
  additionalData?: Record<string, string>;
}

// Reasons of failed modifications. Adyen documents the outcome (`success: "false"` with a `reason`)
// and the rule ("by default the total refunded value cannot exceed the captured amount"), not one
// fixed sentence per failure; these say what went wrong in Adyen's style.
const REASONS = {
  notAuthorised: (p: AdyenPayment) => `Original pspReference is ${p.state === 'refused' ? 'refused' : p.state}, not authorised`,
  overCapture: 'Insufficient balance on payment: the capture is above the amount still authorised',
  overRefund: 'Insufficient balance on payment: the refund is above the amount captured less refunds',
  notCaptured: 'Original pspReference has not been captured',
  alreadyCaptured: 'Payment has been captured; refund it instead',
  simulatedCapture: 'Capture failed (simulated by the holder name "capture failed")',
  simulatedRefund: 'Refund failed (simulated by the holder name "refund failed")',
};

function capture(payment: AdyenPayment, amount: AdyenAmount): Outcome {
  if (payment.state !== 'authorised' && payment.state !== 'captured') return { eventCode: 'CAPTURE', success: false, reason: REASONS.notAuthorised(payment) };
  // "when partial captures are allowed, it is not possible to capture a higher amount than the authorized one"
  if (amount.value > payment.amount.value - payment.captured) return { eventCode: 'CAPTURE', success: false, reason: REASONS.overCapture };
  if (payment.failing === 'capture') return { eventCode: 'CAPTURE', success: true, reason: '', then: 'CAPTURE_FAILED' };
  payment.captured += amount.value;
  payment.state = 'captured';
  return { eventCode: 'CAPTURE', success: true, reason: '' };
}

function cancel(payment: AdyenPayment, eventCode: AdyenEventCode = 'CANCELLATION'): Outcome {
  if (payment.state === 'captured') return { eventCode, success: false, reason: REASONS.alreadyCaptured };
  if (payment.state !== 'authorised') return { eventCode, success: false, reason: REASONS.notAuthorised(payment) };
  payment.state = 'cancelled';
  return { eventCode, success: true, reason: '' };
}

function refund(payment: AdyenPayment, amount: AdyenAmount): Outcome {
  if (payment.state !== 'captured') return { eventCode: 'REFUND', success: false, reason: payment.state === 'authorised' ? REASONS.notCaptured : REASONS.notAuthorised(payment) };
  // "when multiple refunds are allowed, by default the total refunded value cannot exceed the captured amount"
  if (amount.value > payment.captured - payment.refunded) return { eventCode: 'REFUND', success: false, reason: REASONS.overRefund };
  if (payment.failing === 'refund') return { eventCode: 'REFUND', success: true, reason: '', then: 'REFUND_FAILED' };
  payment.refunded += amount.value;
  return { eventCode: 'REFUND', success: true, reason: '' };
}

/** Cancels an uncaptured payment or refunds all that is left of a captured one (Adyen's reversal). */
function reversal(payment: AdyenPayment): Outcome {
  if (payment.state === 'captured') {
    const left = payment.captured - payment.refunded;
    const outcome = refund(payment, { value: left, currency: payment.amount.currency });
    return { ...outcome, eventCode: 'CANCEL_OR_REFUND', additionalData: { 'modification.action': 'refund' } };
  }
  return { ...cancel(payment, 'CANCEL_OR_REFUND'), additionalData: { 'modification.action': 'cancel' } };
}

/** Sends the modification's notification(s), after the response (modifications are asynchronous). */
function notify(adyen: AdyenContext, payment: AdyenPayment, pspReference: string, amount: AdyenAmount, outcome: Outcome, reference: string | undefined): void {
  const item = {
    amount,
    eventDate: new Date().toISOString(),
    merchantAccountCode: adyen.merchantAccount,
    merchantReference: reference ?? payment.merchantReference,
    originalReference: payment.pspReference,
    pspReference,
    paymentMethod: payment.brand,
  };
  // setImmediate: the 201 is on its way before the outcome is known to the merchant, as with Adyen.
  setImmediate(() => {
    adyen.notifier.emit({ ...item, eventCode: outcome.eventCode, reason: outcome.reason, success: outcome.success ? 'true' : 'false' }, outcome.additionalData);
    if (outcome.then) {
      const reason = outcome.then === 'CAPTURE_FAILED' ? REASONS.simulatedCapture : REASONS.simulatedRefund;
      adyen.notifier.emit({ ...item, eventCode: outcome.then, reason, success: 'true' });
    }
  });
}

/**
 * A modification request: Adyen answers `201 { ..., status: "received" }` at once and reports the
 * outcome in a notification: the OpenAPI document says of every modification response's `status`
 * "This will always have the value **received**", and Adyen's capture and refund pages describe
 * the result arriving later as a CAPTURE / REFUND webhook with `success` true or false. Failures (a
 * refund above the captured amount, a capture of a refused payment) are therefore a
 * `success: "false"` notification, not an error answer.
 */
function modificationRoute(kind: Kind, ctx: SandboxContext) {
  return adyenEndpoint(ctx, async ({ req, params }, adyen): Promise<Reply> => {
    authenticate(req, ctx);
    const body = await readJson(req);
    const paymentId = params['paymentPspReference'] ?? '';
    const operation = kind === 'reversal' ? 'other' : kind;
    admitOrder(req, ctx, operation, ctx.orders.orderOfPayment(paymentId), body, paymentId);
    const reply = await adyen.idempotency.run(req, 'company', () => {
      const { amount, reference } = validateModification(body, adyen.merchantAccount, kind === 'capture' || kind === 'refund');
      const payment = adyen.payments.get(params['paymentPspReference'] ?? '');
      if (!payment) throw new AdyenError(ADYEN_ERRORS.unknownPayment);
      if (amount && amount.currency !== payment.amount.currency) throw new AdyenError(ADYEN_ERRORS.unsupportedCurrency);
      const outcome = kind === 'capture' && amount ? capture(payment, amount) : kind === 'refund' && amount ? refund(payment, amount) : kind === 'cancel' ? cancel(payment) : reversal(payment);
      const pspReference = newPspReference();
      notify(adyen, payment, pspReference, amount ?? payment.amount, outcome, reference);
      return json(201, {
        merchantAccount: adyen.merchantAccount,
        paymentPspReference: payment.pspReference,
        pspReference,
        ...(reference !== undefined ? { reference } : {}),
        status: 'received',
        ...(amount ? { amount } : {}),
      });
    });
    noteReply(req, reply, ctx, operation);
    return reply;
  });
}

/** `POST /cancels`: cancel by the payment's merchant reference (a TECHNICAL_CANCEL notification follows). */
function standaloneCancel(ctx: SandboxContext) {
  return adyenEndpoint(ctx, async ({ req }, adyen): Promise<Reply> => {
    authenticate(req, ctx);
    const body = await readJson(req);
    return adyen.idempotency.run(req, 'company', () => {
      const { reference } = validateModification(body, adyen.merchantAccount, false);
      const paymentReference = (body as Record<string, unknown>)['paymentReference'];
      const payment = typeof paymentReference === 'string' ? adyen.payments.byReference(paymentReference) : undefined;
      if (!payment || typeof paymentReference !== 'string') throw new AdyenError(ADYEN_ERRORS.unknownReference);
      const pspReference = newPspReference();
      notify(adyen, payment, pspReference, payment.amount, cancel(payment, 'TECHNICAL_CANCEL'), reference);
      return json(201, { merchantAccount: adyen.merchantAccount, paymentReference, pspReference, ...(reference !== undefined ? { reference } : {}), status: 'received' });
    });
  });
}

/** Captures, cancels, refunds and reversals of a payment, and the cancel by reference. */
export function registerModificationRoutes(router: Router, ctx: SandboxContext): void {
  const base = `${ADYEN_CHECKOUT_BASE}/payments/:paymentPspReference`;
  router.post(`${base}/captures`, modificationRoute('capture', ctx));
  router.post(`${base}/cancels`, modificationRoute('cancel', ctx));
  router.post(`${base}/refunds`, modificationRoute('refund', ctx));
  router.post(`${base}/reversals`, modificationRoute('reversal', ctx));
  router.post(`${ADYEN_CHECKOUT_BASE}/cancels`, standaloneCancel(ctx));
}
