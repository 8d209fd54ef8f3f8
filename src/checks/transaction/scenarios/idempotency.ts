import { randomUUID } from 'node:crypto';
import { formatSeconds } from '../../../net/errors.js';
import { ScenarioError, detailOf, type Scenario, type ScenarioRun } from '../scenario.js';

/** Statuses a reused key with a different body may get (draft-ietf-httpapi-idempotency-key-header). */
const KEY_REUSE_STATUSES = [409, 422];

/** The order must hold exactly one payment; otherwise the key charged more than once. */
async function chargedOnce(run: ScenarioRun, what: string): Promise<string[]> {
  const ids = (await run.paymentsFor()).map((p) => String(p['id'])).reverse();
  for (const id of ids) run.undoPayment(id);
  run.expect(`payments for ${what}`, 'eq', 1, ids.length, ids.length > 1 ? `${what} charged ${ids.length === 2 ? 'twice' : `${ids.length} times`}: ${ids.join(' and ')}` : `${what} left no payment at all`);
  return ids;
}

export const idempotencyReplay: Scenario = {
  name: 'idempotency-replay',
  reads: ['amount'],
  description: 'The same Idempotency-Key and body returns the same payment and charges once; the same key with a different body is refused (409/422).',
  async run(run) {
    const value = run.params.amount ?? 1000;
    const key = randomUUID();
    run.step(`authorise ${run.money(value)} with Idempotency-Key ${key}`);
    const first = run.require('the first request', await run.authorise(value, { call: { idempotencyKey: key } }), [200, 201]);
    run.step('send the same request again with the same key');
    const replay = run.require('the replayed request', await run.authorise(value, { call: { idempotencyKey: key } }), [200, 201]);
    run.expect('replayed payment id', 'eq', first['id'], replay['id'], `same Idempotency-Key charged twice: ${String(first['id'])} and ${String(replay['id'])}`);
    const ids = await chargedOnce(run, 'the same Idempotency-Key');

    run.step('send a different body with the same key');
    const changed = await run.authorise(value + 1, { call: { idempotencyKey: key, expectStatus: KEY_REUSE_STATUSES } });
    if (changed.status === undefined) throw new ScenarioError(`reusing the key with a different body failed: ${changed.error?.message ?? 'no answer'}`);
    run.expect(
      'key reused with a different body',
      'in',
      KEY_REUSE_STATUSES,
      changed.status,
      changed.status < 300
        ? `the same Idempotency-Key with a different body was accepted (${String(changed.body?.['id'])}) but must be refused with 409 or 422`
        : `the same Idempotency-Key with a different body got ${changed.status}, not 409 or 422${detailOf(changed)}`,
    );
    run.values['paymentId'] = first['id'];
    return `same Idempotency-Key and body returned ${String(first['id'])} again (${ids.length} payment for the order); a different body with the key was refused with ${changed.status}`;
  },
};

export const timeoutRetry: Scenario = {
  name: 'timeout-retry',
  reads: ['firstAttemptTimeoutMs', 'delayMs', 'delayHeader', 'amount'],
  description: 'The first attempt times out on our side (the provider is asked to hold its answer); the retry with the same Idempotency-Key yields exactly one payment.',
  async run(run) {
    const { params } = run;
    const value = params.amount ?? 1000;
    const key = randomUUID();
    run.step(`authorise ${run.money(value)}; the provider holds its answer ${formatSeconds(params.delayMs)}, we give up after ${formatSeconds(params.firstAttemptTimeoutMs)}`);
    const first = await run.authorise(value, {
      call: { idempotencyKey: key, timeoutMs: params.firstAttemptTimeoutMs, expectTimeout: true, headers: { [params.delayHeader.toLowerCase()]: String(params.delayMs) } },
    });
    if (first.error?.kind !== 'timeout') {
      // Nothing to retry: the target answered in time (it ignores the delay header) or failed otherwise.
      throw new ScenarioError(
        first.error
          ? `the first attempt failed without a timeout: ${first.error.message}`
          : `the first attempt was answered (${first.status}) within ${formatSeconds(params.firstAttemptTimeoutMs)}: the target ignores ${params.delayHeader}, so no timeout could be provoked`,
      );
    }
    run.step('retry with the same Idempotency-Key');
    const retry = await run.authorise(value, { call: { idempotencyKey: key } });
    const body = run.require('the retry', retry, [200, 201]);
    const ids = await chargedOnce(run, 'the retry after a timeout');
    run.expect('retry payment id', 'in', ids, body['id'], `the retry returned ${String(body['id'])}, which is not among the order's payments (${ids.join(', ')})`);
    run.values['paymentId'] = ids[0];
    return `first attempt timed out after ${formatSeconds(params.firstAttemptTimeoutMs)}; the retry with the same Idempotency-Key answered ${retry.status} and the order holds exactly one payment (${ids[0] ?? ''})`;
  },
};
