import { randomUUID } from 'node:crypto';
import type { Messages } from '../../../model/messages.js';
import { formatSeconds } from '../../../net/errors.js';
import { ScenarioError } from '../errors.js';
import { DEFAULT_AMOUNT } from '../meta.js';
import { detailOf, sayer, type Scenario, type ScenarioRun } from '../scenario.js';

/** Statuses a reused key with a different body may get (draft-ietf-httpapi-idempotency-key-header). */
const KEY_REUSE_STATUSES = [409, 422];

/** What idempotency-replay and timeout-retry can say. */
export const idempotencyMessages = {
  replayed: {
    status: 'pass',
    text: '{scenario}: same Idempotency-Key and body returned {paymentId} again ({count} payment for the order); a different body with the key was refused with {status}',
  },
  replayNewPayment: {
    status: 'fail',
    text: 'same Idempotency-Key charged twice: {first} and {second}',
    fix: 'Store each Idempotency-Key with its answer and return that answer to a replay, without charging again.',
  },
  chargedMore: {
    status: 'fail',
    text: '{what} charged {times}: {payments}',
    fix: 'Make POST /v1/payments idempotent on the Idempotency-Key: one payment per key, however often the request comes.',
  },
  chargedNone: {
    status: 'fail',
    text: '{what} left no payment at all',
    fix: 'A request answered with success must leave its payment, listed under the order reference.',
  },
  keyReuseUnanswered: {
    status: 'error',
    text: '{scenario}: reusing the key with a different body failed: {cause}',
    fix: 'Make the payments API reachable from where payready runs (the cause quotes the network error).',
  },
  keyReuseAccepted: {
    status: 'fail',
    text: 'the same Idempotency-Key with a different body was accepted ({paymentId}) but must be refused with 409 or 422',
    fix: 'Refuse a reused Idempotency-Key with a different body (409 or 422): it is a client bug, not a new payment.',
  },
  keyReuseStatus: {
    status: 'fail',
    text: 'the same Idempotency-Key with a different body got {status}, not 409 or 422{detail}',
    fix: 'Refuse a reused Idempotency-Key with a different body with 409 or 422, as the Idempotency-Key draft says.',
  },
  retriedOnce: {
    status: 'pass',
    text: '{scenario}: first attempt timed out after {timeout}; the retry with the same Idempotency-Key answered {status} and the order holds exactly one payment ({paymentId})',
  },
  firstAttemptFailed: {
    status: 'error',
    text: '{scenario}: the first attempt failed without a timeout: {cause}',
    fix: 'Make the payments API reachable from where payready runs (the cause quotes the network error).',
  },
  delayIgnored: {
    status: 'error',
    text: '{scenario}: the first attempt was answered ({status}) within {timeout}: the target ignores {header}, so no timeout could be provoked',
    fix: 'Give the check the header your sandbox honours to hold an answer (delayHeader), or a delayMs above firstAttemptTimeoutMs.',
  },
  retryStray: {
    status: 'fail',
    text: "the retry returned {paymentId}, which is not among the order's payments ({payments})",
    fix: 'A retry with the same Idempotency-Key must return the payment the first attempt made.',
  },
} as const satisfies Messages;

const say = sayer(idempotencyMessages);

/** The order must hold exactly one payment; otherwise the key charged more than once. */
async function chargedOnce(run: ScenarioRun, what: string): Promise<string[]> {
  const ids = (await run.paymentsFor()).map((p) => String(p['id'])).reverse();
  for (const id of ids) run.undoPayment(id);
  const message = ids.length > 1 ? say('chargedMore', { what, times: ids.length === 2 ? 'twice' : `${ids.length} times`, payments: ids.join(' and ') }) : say('chargedNone', { what });
  run.expect(`payments for ${what}`, 'eq', 1, ids.length, message);
  return ids;
}

export const idempotencyReplay: Scenario = {
  name: 'idempotency-replay',
  reads: ['amount'],
  description: 'The same Idempotency-Key and body returns the same payment and charges once; the same key with a different body is refused (409/422).',
  async run(run) {
    const value = run.params.amount ?? DEFAULT_AMOUNT;
    const key = randomUUID();
    run.step(`authorise ${run.money(value)} with Idempotency-Key ${key}`);
    const first = run.require('the first request', await run.authorise(value, { call: { idempotencyKey: key } }), [200, 201]);
    run.step('send the same request again with the same key');
    const replay = run.require('the replayed request', await run.authorise(value, { call: { idempotencyKey: key } }), [200, 201]);
    run.expect('replayed payment id', 'eq', first['id'], replay['id'], say('replayNewPayment', { first: String(first['id']), second: String(replay['id']) }));
    const ids = await chargedOnce(run, 'the same Idempotency-Key');

    run.step('send a different body with the same key');
    const changed = await run.authorise(value + 1, { call: { idempotencyKey: key, expectStatus: KEY_REUSE_STATUSES } });
    if (changed.status === undefined) throw new ScenarioError('keyReuseUnanswered', { cause: changed.error?.message ?? 'no answer' });
    run.expect(
      'key reused with a different body',
      'in',
      KEY_REUSE_STATUSES,
      changed.status,
      changed.status < 300 ? say('keyReuseAccepted', { paymentId: String(changed.body?.['id']) }) : say('keyReuseStatus', { status: changed.status, detail: detailOf(changed) }),
    );
    run.values['paymentId'] = first['id'];
    return { id: 'replayed', data: { paymentId: String(first['id']), count: ids.length, status: changed.status } };
  },
};

export const timeoutRetry: Scenario = {
  name: 'timeout-retry',
  reads: ['firstAttemptTimeoutMs', 'delayMs', 'delayHeader', 'amount'],
  description: 'The first attempt times out on our side (the provider is asked to hold its answer); the retry with the same Idempotency-Key yields exactly one payment.',
  async run(run) {
    const { params } = run;
    const value = params.amount ?? DEFAULT_AMOUNT;
    const key = randomUUID();
    const timeout = formatSeconds(params.firstAttemptTimeoutMs);
    run.step(`authorise ${run.money(value)}; the provider holds its answer ${formatSeconds(params.delayMs)}, we give up after ${timeout}`);
    const first = await run.authorise(value, {
      call: { idempotencyKey: key, timeoutMs: params.firstAttemptTimeoutMs, expectTimeout: true, headers: { [params.delayHeader.toLowerCase()]: String(params.delayMs) } },
    });
    if (first.error?.kind !== 'timeout') {
      // Nothing to retry: the target answered in time (it ignores the delay header) or failed otherwise.
      if (first.error) throw new ScenarioError('firstAttemptFailed', { cause: first.error.message });
      throw new ScenarioError('delayIgnored', { status: String(first.status), timeout, header: params.delayHeader });
    }
    run.step('retry with the same Idempotency-Key');
    const retry = await run.authorise(value, { call: { idempotencyKey: key } });
    const body = run.require('the retry', retry, [200, 201]);
    const ids = await chargedOnce(run, 'the retry after a timeout');
    run.expect('retry payment id', 'in', ids, body['id'], say('retryStray', { paymentId: String(body['id']), payments: ids.join(', ') }));
    run.values['paymentId'] = ids[0];
    return { id: 'retriedOnce', data: { timeout, status: String(retry.status), paymentId: ids[0] ?? '' } };
  },
};
