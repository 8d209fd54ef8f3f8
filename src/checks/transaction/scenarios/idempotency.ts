import { randomUUID } from 'node:crypto';
import type { Messages } from '../../../model/messages.js';
import { formatSeconds } from '../../../net/errors.js';
import { show } from '../../../model/operators.js';
import { plural } from '../../../text.js';
import { ScenarioError } from '../errors.js';
import { at } from '../../shared/templates.js';
import { DEFAULT_AMOUNT } from '../meta.js';
import { sayer, type Scenario, type ScenarioPass, type ScenarioRun } from '../scenario.js';


/** What idempotency-replay and timeout-retry can say. */
export const idempotencyMessages = {
  replayed: {
    status: 'pass',
    text: '{scenario}: same Idempotency-Key and body returned {paymentId} again ({count}); a different body with the key was refused with {status}',
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
    text: 'the same Idempotency-Key with a different body was accepted ({paymentId}) but must be refused with {expected}',
    fix: "Refuse a reused idempotency key with a different body, as the provider documents (payready 409 or 422, Stripe 400 idempotency_error): it is a client bug, not a new payment.",
  },
  keyReuseStatus: {
    status: 'fail',
    text: 'the same Idempotency-Key with a different body got {status}, not {expected}{detail}',
    fix: "Refuse a reused idempotency key with a different body with the provider's documented answer (payready 409 or 422 as the Idempotency-Key draft says, Stripe 400 idempotency_error).",
  },
  replayedOriginal: {
    status: 'pass',
    text: "{scenario}: same Idempotency-Key and body returned {paymentId} again ({count}); a different body with the key got the first answer back ({provider}'s documented behaviour), charging nothing new",
  },
  keyReuseCharged: {
    status: 'fail',
    text: 'the same Idempotency-Key with a different body made a new payment {paymentId} instead of returning {first}',
    fix: "Answer a reused idempotency key as the provider documents: with the first request's answer (Adyen), or a refusal — never a new payment.",
  },
  keyReuseCode: {
    status: 'fail',
    text: 'the same Idempotency-Key with a different body was refused with {status} {actual}, not the documented {code}',
    fix: "Answer a reused idempotency key with the provider's documented error code (Stripe: an error of type idempotency_error).",
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

/**
 * The order must hold exactly one payment; otherwise the key charged more than once. A provider
 * whose API cannot list an order's payments (Adyen) is judged by its answers instead: `ids`, the
 * ids its answers named, must all be one.
 */
async function chargedOnce(run: ScenarioRun, what: string, answered: readonly (string | undefined)[]): Promise<string[]> {
  const listed = await run.paymentsFor();
  const ids = listed ? listed.map((p) => String(p.id)).reverse() : [...new Set(answered.filter((id): id is string => id !== undefined))];
  for (const id of ids) run.undoPayment(id);
  const message = ids.length > 1 ? say('chargedMore', { what, times: ids.length === 2 ? 'twice' : `${ids.length} times`, payments: ids.join(' and ') }) : say('chargedNone', { what });
  run.expect(`payments for ${what}`, 'eq', 1, ids.length, message);
  return ids;
}

/** "1 payment for the order" when the API lists an order's payments, else what the answers showed. */
function counted(run: ScenarioRun, ids: readonly string[]): string {
  return run.client.supports('list') ? `${plural(ids.length, 'payment')} for the order` : `one ${run.client.paymentWord} in every answer; ${run.client.name} cannot list an order's payments`;
}

export const idempotencyReplay: Scenario = {
  name: 'idempotency-replay',
  reads: ['amount'],
  needs: ['authorise'],
  uses: ['list'],
  description: "The same idempotency key and body returns the same payment and charges once; the same key with a different body gets the provider's documented refusal (payready 409/422, Stripe 400 idempotency_error).",
  async run(run): Promise<ScenarioPass> {
    const { client } = run;
    const value = run.params.amount ?? DEFAULT_AMOUNT;
    const key = randomUUID();
    run.step(`authorise ${run.money(value)} with Idempotency-Key ${key}`);
    const first = await run.authorise(value, { call: { idempotencyKey: key } });
    run.require('the first request', first.result, client.success('authorise'));
    run.step('send the same request again with the same key');
    const replay = await run.authorise(value, { call: { idempotencyKey: key } });
    run.require('the replayed request', replay.result, client.success('authorise'));
    run.expect('replayed payment id', 'eq', first.view.id, replay.view.id, say('replayNewPayment', { first: String(first.view.id), second: String(replay.view.id) }));
    const ids = await chargedOnce(run, 'the same Idempotency-Key', [first.view.id, replay.view.id]);

    run.step('send a different body with the same key');
    const reuse = client.profile.idempotency.reuse;
    const statuses = reuse.status ?? client.success('authorise');
    const changed = await run.authorise(value + 1, { call: { idempotencyKey: key, expectStatus: statuses } });
    const status = changed.result.status;
    if (status === undefined) throw new ScenarioError('keyReuseUnanswered', { cause: changed.result.error?.message ?? 'no answer' });
    if (reuse.answer === 'original') {
      // The provider answers a reused key with the first request's answer, whatever the body
      // (Adyen: "the response of the original request is returned"): the key must not charge again.
      run.expect('key reused with a different body', 'eq', first.view.id, changed.view.id, say('keyReuseCharged', { paymentId: String(changed.view.id), first: String(first.view.id) }));
      run.values['paymentId'] = first.view.id;
      return { id: 'replayedOriginal', data: { paymentId: String(first.view.id), count: counted(run, ids), provider: client.name } };
    }
    const expected = reuse.code ? `${statuses.join(' or ')} ${reuse.code}` : statuses.join(' or ');
    const refused = run.expect(
      'key reused with a different body',
      'in',
      [...statuses],
      status,
      status < 300 ? say('keyReuseAccepted', { paymentId: String(changed.view.id), expected }) : say('keyReuseStatus', { status, expected, detail: run.detail(changed.result) }),
    );
    if (refused && reuse.code) {
      const code = reuse.codeAt ? at(changed.result.body, reuse.codeAt) : run.codeOf(changed.result);
      run.expect('key reuse code', 'eq', reuse.code, code, say('keyReuseCode', { status, actual: show(code), code: reuse.code }));
    }
    run.values['paymentId'] = first.view.id;
    return { id: 'replayed', data: { paymentId: String(first.view.id), count: counted(run, ids), status: reuse.code ? `${status} ${reuse.code}` : status } };
  },
};

export const timeoutRetry: Scenario = {
  name: 'timeout-retry',
  reads: ['firstAttemptTimeoutMs', 'delayMs', 'delayHeader', 'amount'],
  needs: ['authorise'],
  uses: ['list'],
  description: 'The first attempt times out on our side (the provider is asked to hold its answer); the retry with the same idempotency key yields exactly one payment (counted by listing the order where the API can, else by a second replay naming the same payment).',
  async run(run) {
    const { params, client } = run;
    const value = params.amount ?? DEFAULT_AMOUNT;
    const key = randomUUID();
    const timeout = formatSeconds(params.firstAttemptTimeoutMs);
    run.step(`authorise ${run.money(value)}; the provider holds its answer ${formatSeconds(params.delayMs)}, we give up after ${timeout}`);
    const first = await run.authorise(value, {
      call: { idempotencyKey: key, timeoutMs: params.firstAttemptTimeoutMs, expectTimeout: true, headers: { [params.delayHeader.toLowerCase()]: String(params.delayMs) } },
    });
    if (first.result.error?.kind !== 'timeout') {
      // Nothing to retry: the target answered in time (it ignores the delay header) or failed otherwise.
      if (first.result.error) throw new ScenarioError('firstAttemptFailed', { cause: first.result.error.message });
      throw new ScenarioError('delayIgnored', { status: String(first.result.status), timeout, header: params.delayHeader });
    }
    run.step('retry with the same Idempotency-Key');
    const retry = await run.authorise(value, { call: { idempotencyKey: key } });
    run.require('the retry', retry.result, client.success('authorise'));
    const answered = [retry.view.id];
    if (!client.supports('list')) {
      // Without a list call, a second replay must name the same payment: a provider that ignored
      // the key would have charged again on the retry and again now.
      run.step('replay once more with the same key: it must name the same payment');
      const again = await run.authorise(value, { call: { idempotencyKey: key } });
      run.require('the second replay', again.result, client.success('authorise'));
      answered.push(again.view.id);
    }
    const ids = await chargedOnce(run, 'the retry after a timeout', answered);
    run.expect('retry payment id', 'in', ids, retry.view.id, say('retryStray', { paymentId: String(retry.view.id), payments: ids.join(', ') }));
    run.values['paymentId'] = ids[0];
    return { id: 'retriedOnce', data: { timeout, status: String(retry.result.status), paymentId: ids[0] ?? '' } };
  },
};
