import type { Params } from '../params.js';
import { chargedPayments, writesOf, type Trial } from '../trial.js';

/** Happy path: one provider payment of the right amount and currency, keyed writes, the shopper told it worked. */
export async function happyPath(trial: Trial, params: Params): Promise<void> {
  const order = trial.shop.order('happy', params.amount);
  const record = await trial.place('', order, { kind: 'normal' });
  trial.expectNoServerError(record);
  trial.expectSucceeded(record);
  if (trial.expectCharged(record, 1)) {
    const charge = record.requests.find((r) => r.outcome === 'succeeded' || r.outcome === 'requires_capture');
    const amount = charge?.amount;
    const currency = charge?.currency?.toUpperCase();
    trial.expect(record, 'provider.amount', amount === order.amount && currency === order.currency, `${order.amount} ${order.currency}`, `${amount} ${currency}`, `the provider was asked for ${amount} ${currency} (minor units), the shopper's order is ${order.amount} ${order.currency}`);
  }
  trial.expectIdempotentWrites(record);
}

/** A hard decline: a clear message with guidance, no server error, no second attempt. */
export async function decline(trial: Trial, params: Params): Promise<void> {
  const order = trial.shop.order('decline', params.amount);
  const record = await trial.place(`decline ${params.declineCode}`, order, { kind: 'decline', code: params.declineCode }, { refusalExpected: true });
  trial.expectNoServerError(record);
  trial.expect(record, 'shopper.status', !trial.shop.succeeded(record.answer), 'not succeeded', record.answer.status, `the provider declined the card (${params.declineCode}) but the shopper was told "${record.answer.status}"`);
  trial.expectClearMessage(record);
  trial.expectCharged(record, 0);
  const declined = record.requests.filter((r) => r.outcome === 'declined');
  trial.expect(record, 'provider.attempts', declined.length <= 1, 'one attempt', declined.length, `the merchant tried the card ${declined.length} times after a hard decline (${params.declineCode}): a hard decline must not be retried (the issuer said no; retries can get the merchant flagged)`);
}

/**
 * The provider times out on the first write: the merchant retries with the same key (or reads
 * before retrying), and the order is charged exactly once.
 */
export async function timeout(trial: Trial, params: Params): Promise<void> {
  const order = trial.shop.order('timeout', params.amount);
  // The held answer finishes after delayMs; the records are read once it has.
  const record = await trial.place(`the provider holds its first answer ${params.delayMs} ms`, order, { kind: 'timeout', delayMs: params.delayMs, times: 1 }, { settleMs: params.delayMs });
  trial.expectNoServerError(record);
  const charged = chargedPayments(record.requests).length;
  trial.expectCharged(record, 1);
  if (charged > 0) trial.expectSucceeded(record);
  const creates = writesOf(record.requests).filter((r) => r.operation === 'create');
  const keys = new Set(creates.map((r) => r.idempotencyKey ?? ''));
  const readBetween = creates.length > 1 && record.requests.some((r) => r.operation === 'read' && r.time > creates[0]!.time && r.time < creates[1]!.time);
  if (creates.length > 1 && !readBetween) {
    trial.expect(record, 'provider.retryKey', keys.size === 1 && !keys.has(''), 'the same key on every attempt', [...keys].map((k) => k || '(none)').join(', '), `after the timeout the merchant sent the payment again with ${keys.has('') ? 'no idempotency key' : 'a new idempotency key'}: reuse the first attempt's key (or read the payment first) so a slow answer is not a second charge`);
  }
}

/** A 5xx or a 429 with Retry-After: bounded retries that wait as told, with the same key. */
export async function providerError(trial: Trial, params: Params): Promise<void> {
  const order = trial.shop.order(`error-${params.status}`, params.amount);
  // retryAfter 0: no Retry-After header (the merchant may retry at once).
  const retryAfter = params.retryAfter === 0 ? undefined : params.retryAfter;
  const label = `the provider answers ${params.status}${retryAfter === undefined ? '' : ` with Retry-After: ${retryAfter}`} once`;
  const record = await trial.place(label, order, { kind: 'error', status: params.status, times: 1, ...(retryAfter === undefined ? {} : { retryAfter }) });
  trial.expectNoServerError(record);
  trial.expectSucceeded(record);
  trial.expectCharged(record, 1);
  trial.expectIdempotentWrites(record);
  const early = record.requests.filter((r) => r.early);
  if (retryAfter !== undefined) {
    trial.expect(record, 'provider.retryAfter', early.length === 0, `retry after ${retryAfter} s`, early.length === 0 ? 'waited' : `${early.length} early`, `the merchant retried before the ${retryAfter} s the provider's Retry-After asked for: wait at least that long (an SDK's own retries may not: stripe-node's back off without reading Retry-After, so set maxNetworkRetries: 0 and retry yourself)`);
  }
  const writes = writesOf(record.requests).length;
  trial.expect(record, 'provider.attempts', writes <= params.maxAttempts, `<= ${params.maxAttempts} write requests`, writes, `the merchant sent ${writes} write requests for one order after a ${params.status}: retries must be bounded (at most ${params.maxAttempts})`);
}

/** Over the transaction cap: the merchant's fallback (split, another method, a clear refusal), never a 500. */
export async function overCap(trial: Trial, params: Params): Promise<void> {
  const amount = params.overCapAmount ?? Math.round(params.cap * 1.5);
  const order = trial.shop.order('over-cap', amount);
  const record = await trial.place(`the provider's cap is ${params.cap}`, order, { kind: 'cap', max: params.cap }, { refusalExpected: true });
  trial.expectNoServerError(record);
  const charges = record.requests.filter((r) => r.outcome === 'succeeded' || r.outcome === 'requires_capture');
  if (trial.shop.succeeded(record.answer)) {
    const total = charges.reduce((sum, r) => sum + (r.amount ?? 0), 0);
    const over = charges.filter((r) => (r.amount ?? 0) > params.cap);
    trial.expect(record, 'provider.split', total === amount && over.length === 0, `${amount} in parts of at most ${params.cap}`, `${total} in ${charges.length} part(s)`, `the shopper was told the payment worked, but the provider charged ${total} of ${amount} (${charges.map((r) => r.amount).join(' + ') || 'nothing'})`);
  } else {
    trial.expectClearMessage(record);
    trial.expect(record, 'provider.charged', charges.length === 0, 'nothing charged when refused', charges.length, `the shopper was told the order was refused, but the provider charged ${charges.map((r) => r.amount).join(' + ')}`);
    trial.notes.push('the merchant refused the order over the cap with a message (no split or alternate method)');
  }
}
