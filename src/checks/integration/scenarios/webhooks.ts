import { randomBytes } from 'node:crypto';
import { signatureHeader } from '../../../net/webhook-signature.js';
import type { Params } from '../params.js';
import { describeError } from '../shop.js';
import type { OrderRecord, Trial } from '../trial.js';

/** How a provider's webhook deliveries look: the header, and an event about an order's payment. */
interface Dialect {
  header: string;
  event(id: string, type: 'succeeded' | 'failed', record: OrderRecord): unknown;
}

// Stripe: an Event object (https://docs.stripe.com/api/events/object) whose data.object is the
// PaymentIntent, carrying the order in metadata as the merchant set it.
const STRIPE: Dialect = {
  header: 'stripe-signature',
  event: (id, type, { order, answer }) => ({
    id,
    object: 'event',
    api_version: '2025-03-31.basil',
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type: type === 'succeeded' ? 'payment_intent.succeeded' : 'payment_intent.payment_failed',
    data: {
      object: {
        id: answer.paymentId ?? `pi_${randomBytes(12).toString('hex')}`,
        object: 'payment_intent',
        amount: order.amount,
        amount_received: type === 'succeeded' ? order.amount : 0,
        currency: order.currency.toLowerCase(),
        status: type === 'succeeded' ? 'succeeded' : 'requires_payment_method',
        livemode: false,
        metadata: { order_id: order.id },
        ...(type === 'failed' ? { last_payment_error: { type: 'card_error', code: 'card_declined', decline_code: 'do_not_honor', message: 'Your card was declined.' } } : {}),
      },
    },
  }),
};

// payready's own API (src/sandbox/webhooks/delivery.ts).
const PAYREADY: Dialect = {
  header: 'payready-signature',
  event: (id, type, { order, answer }) => ({
    id,
    type: type === 'succeeded' ? 'payment.captured' : 'payment.failed',
    createdAt: new Date().toISOString(),
    data: { payment: { id: answer.paymentId ?? `pay_${randomBytes(12).toString('hex')}`, reference: order.id, status: type === 'succeeded' ? 'captured' : 'failed', amount: { value: order.amount, currency: order.currency } } },
  }),
};

const DIALECTS: Readonly<Record<string, Dialect>> = { stripe: STRIPE, payready: PAYREADY };

/** One delivery sent to the merchant, and what it answered. */
interface Sent {
  label: string;
  status?: number;
  error?: string;
}

/**
 * Webhooks: the provider's own signed delivery is acknowledged and applied; then payready delivers
 * itself, signed with the endpoint secret: a new valid event (acknowledged), the same event again
 * and byte for byte again (never applied twice), and forged ones — tampered, unsigned, stale,
 * signed with another secret — that claim a declined order was paid: rejected or ignored, never applied.
 */
export async function webhooks(trial: Trial, params: Params): Promise<'unsupported' | undefined> {
  const provider = String(params.provider ?? trial.ctx.target.fields.provider ?? 'payready');
  const dialect = DIALECTS[provider];
  if (!dialect) return 'unsupported';
  const url = trial.shop.config.webhooks?.url;
  const secret = params.webhookSecret;
  if (!url || !secret) throw new Error('webhooks: the check validated url and secret before running');

  const order = trial.shop.order('webhooks', params.amount);
  const record = await trial.place('', order, { kind: 'normal' });
  if (!trial.expectSucceeded(record)) return undefined;

  // The provider's own delivery: applied (the order reads paid, events counted) within the timeout.
  const applied = await waitFor(trial, params.webhookTimeoutMs, async () => {
    const state = await trial.shop.state(order);
    return state && (state.appliedEvents ?? 0) >= 1 ? state : undefined;
  });
  const counted = trial.shop.config.order?.appliedEvents !== undefined;
  if (counted) {
    trial.expect(record, 'webhook.provider', applied !== undefined, 'the signed event applied', applied?.appliedEvents ?? 0, `the provider's signed payment event was not applied within ${params.webhookTimeoutMs} ms (the order's ${trial.shop.config.order?.appliedEvents} stayed 0): acknowledge and apply it`);
  }

  const deliver = async (label: string, body: string, header: string | undefined, refusalExpected = false): Promise<Sent> => {
    try {
      const res = await trial.ctx.http.request({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/json', ...(header === undefined ? {} : { [dialect.header]: header }) },
        body,
        ...(refusalExpected ? { expected: { status: [400, 401, 403, 422] } } : {}),
      });
      return { label, status: res.status };
    } catch (error) {
      if (trial.ctx.signal.aborted) throw error;
      return { label, error: describeError(error) };
    }
  };
  const now = Math.floor(Date.now() / 1000);
  const valid = JSON.stringify(dialect.event(`evt_${randomBytes(12).toString('hex')}`, 'succeeded', record));
  const validHeader = signatureHeader(secret, valid, now);
  const first = await deliver('a new signed event', valid, validHeader);
  trial.expect(record, 'webhook.valid', first.status !== undefined && first.status < 300, '2xx', first.status ?? first.error, `a correctly signed event was answered ${first.status ?? first.error}: acknowledge it with a 2xx, or the provider retries it for days`);
  const afterValid = await trial.shop.state(order);

  const duplicate = await deliver('the same event again (a redelivery)', valid, signatureHeader(secret, valid, now + 1));
  const replayed = await deliver('the same delivery byte for byte (a replay)', valid, validHeader);
  const afterDuplicates = await trial.shop.state(order);
  for (const sent of [duplicate, replayed]) {
    trial.expect(record, `webhook.${sent.label}`, sent.status !== undefined && sent.status < 500, 'acknowledged or refused, not a 5xx', sent.status ?? sent.error, `${sent.label} was answered ${sent.status ?? sent.error}: a repeated event id is acknowledged (2xx) and ignored`);
  }
  if (counted && afterValid?.appliedEvents !== undefined && afterDuplicates?.appliedEvents !== undefined) {
    trial.expect(record, 'webhook.appliedOnce', afterDuplicates.appliedEvents === afterValid.appliedEvents, afterValid.appliedEvents, afterDuplicates.appliedEvents, `the same event delivered twice more was applied again (${trial.shop.config.order?.appliedEvents} went from ${afterValid.appliedEvents} to ${afterDuplicates.appliedEvents}): keep the ids of processed events and skip a repeat`);
  }

  // Forged deliveries claim that a declined order was paid: applying one shows in its status (or
  // its count of applied events), so "ignored" can be told from "accepted".
  const declined = await trial.place('declined, then forged events claim it was paid', trial.shop.order('webhooks-forged', params.amount), { kind: 'decline' }, { refusalExpected: true });
  const target = (await trial.shop.state(declined.order)) ?? undefined;
  const forged = JSON.stringify(dialect.event(`evt_${randomBytes(12).toString('hex')}`, 'succeeded', declined));
  const signed = signatureHeader(secret, forged, now);
  const tampered = forged.replace(/"amount":(\d+)/, (_all, digits: string) => `"amount":${Number(digits) + 1}`);
  const attempts: [string, string, string | undefined][] = [
    ['a tampered event (body changed after signing)', tampered, signed],
    ['an unsigned event', forged, undefined],
    [`a stale event (signed ${params.toleranceSeconds * 2} s ago)`, forged, signatureHeader(secret, forged, now - params.toleranceSeconds * 2)],
    ['an event signed with another secret', forged, signatureHeader(`whsec_${randomBytes(24).toString('base64url')}`, forged, now)],
  ];
  for (const [label, body, header] of attempts) {
    const sent = await deliver(label, body, header, true);
    const state = await trial.shop.state(declined.order);
    const statusChanged = state?.status !== undefined && target?.status !== undefined && state.status !== target.status;
    const counted = state?.appliedEvents !== undefined && target?.appliedEvents !== undefined && state.appliedEvents > target.appliedEvents;
    const refused = sent.status !== undefined && sent.status >= 400 && sent.status < 500;
    if (state?.status !== undefined) {
      const applied = statusChanged || counted;
      const how = statusChanged ? `the declined order became "${state.status}"` : `the order's applied events went from ${target?.appliedEvents} to ${state.appliedEvents}`;
      trial.expect(declined, `webhook.${label}`, !applied && (sent.status ?? 500) < 500, 'ignored or refused', `${sent.status ?? sent.error}, order ${state.status}`, applied ? `${label} was applied: ${how} (answered ${sent.status}): verify the signature and its timestamp before reading the event` : `${label} was answered ${sent.status ?? sent.error}: refuse it with a 4xx`);
    } else {
      trial.expect(declined, `webhook.${label}`, refused, '4xx', sent.status ?? sent.error, `${label} was answered ${sent.status ?? sent.error}: refuse it with a 400 (without an order state to read, acceptance cannot be told from ignoring)`);
    }
  }
  return undefined;
}

async function waitFor<T>(trial: Trial, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T | undefined> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined || performance.now() >= deadline || trial.ctx.signal.aborted) return value;
    await trial.sleep(100);
  }
}
