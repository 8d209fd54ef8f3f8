import type { Messages } from '../../../model/messages.js';
import { show } from '../../../model/operators.js';
import { CLIENT_ERRORS } from '../api.js';
import { DEFAULT_AMOUNT } from '../meta.js';
import { sayer, type Scenario, type ScenarioRun } from '../scenario.js';
import { expectAmount, paymentIdOf } from './approve.js';

/** What refund-partial, refund-full and refund-over can say. */
export const refundsMessages = {
  refundedPart: {
    status: 'pass',
    text: '{scenario}: {part} of {amount} refunded on {paymentId} ({refundId}); it reads back partially_refunded',
  },
  refundedFull: {
    status: 'pass',
    text: '{scenario}: {amount} refunded in full on {paymentId}; it reads back refunded',
  },
  overRefundRefused: {
    status: 'pass',
    text: '{scenario}: a refund of {over} on a {amount} capture was refused with {refusal}; nothing was refunded',
  },
  refundedPartUnread: {
    status: 'pass',
    text: '{scenario}: {part} of {amount} refunded on {paymentId} ({refundId})',
  },
  refundedFullUnread: {
    status: 'pass',
    text: '{scenario}: {amount} refund of {paymentId} accepted',
  },
  refundStatus: {
    status: 'fail',
    text: 'after the refund {paymentId} reads back as {actual}, not "{expected}"',
    fix: 'After a refund the payment must read back as partially_refunded (part refunded) or refunded (all of it), and unchanged after a refused one.',
  },
} as const satisfies Messages;

const say = sayer(refundsMessages);

/** Authorises and captures `value`; returns the payment id. */
async function captured(run: ScenarioRun, value: number): Promise<string> {
  run.step(`authorise and capture ${run.money(value)}`);
  const created = await run.authorise(value);
  run.require('authorising a payment', created.result, run.client.success('authorise'));
  const id = paymentIdOf(run, 'the authorisation', created.view, created.result.status);
  if (!id) return run.stop();
  run.require(`capturing ${id}`, (await run.capture(id, value)).result, run.client.success('capture'));
  run.values['paymentId'] = id;
  return id;
}

/** Reads the payment back and checks its state and refunded amount (skipped, with a transcript note, when the API cannot read a payment). */
async function readBack(run: ScenarioRun, id: string, state: string, refunded: number): Promise<boolean> {
  if (!run.client.supports('read')) {
    run.step(`${run.client.name} has no call to read ${id} back: the refund's own answer is what can be judged`);
    return false;
  }
  run.step(`read ${id} back`);
  const read = await run.read(id);
  run.require(`reading ${id} back`, read.result, run.client.success('read'));
  run.expect('status after refund', 'eq', state, read.view.state ?? read.view.word, say('refundStatus', { paymentId: id, actual: show(read.view.word), expected: state }));
  // A provider may leave the refunded amount out until something is refunded (Stripe's Charge says 0).
  if (refunded > 0 || read.view.refunded !== undefined) expectAmount(run, `the refunded amount of ${id}`, read.view.refunded ?? 0, undefined, refunded);
  return true;
}

export const refundPartial: Scenario = {
  name: 'refund-partial',
  reads: ['amount', 'refundAmount'],
  needs: ['authorise', 'capture', 'refund'],
  uses: ['read'],
  description: 'Part of a captured payment is refunded: the refund echoes its amount and the payment reads back partially refunded (where the API can read it back).',
  async run(run) {
    const value = run.params.amount ?? DEFAULT_AMOUNT;
    const part = run.params.refundAmount ?? Math.floor(value * 0.4);
    const id = await captured(run, value);
    run.step(`refund ${run.money(part)} of ${run.money(value)}`);
    const refund = await run.refund(id, part);
    run.require(`refunding ${run.money(part)}`, refund.result, run.client.success('refund'));
    expectAmount(run, 'the refund', refund.view.amount, refund.view.currency, part);
    const read = await readBack(run, id, 'partially_refunded', part);
    const refundId = run.client.isAsync('refund') ? `refund ${refund.view.id ?? 'request'} acknowledged (${String(refund.view.word)})` : String(refund.view.id ?? 'refund');
    return { id: read ? 'refundedPart' : 'refundedPartUnread', data: { part: run.money(part), amount: run.money(value), paymentId: id, refundId } };
  },
};

export const refundFull: Scenario = {
  name: 'refund-full',
  reads: ['amount'],
  needs: ['authorise', 'capture', 'refund'],
  uses: ['read'],
  description: 'A captured payment is refunded in full: it reads back refunded, with the whole amount refunded (where the API can read it back).',
  async run(run) {
    const value = run.params.amount ?? DEFAULT_AMOUNT;
    const id = await captured(run, value);
    run.step(`refund all of ${run.money(value)}`);
    const refund = await run.refund(id, value);
    run.require('refunding in full', refund.result, run.client.success('refund'));
    expectAmount(run, 'the refund', refund.view.amount, refund.view.currency, value);
    const read = await readBack(run, id, 'refunded', value);
    return { id: read ? 'refundedFull' : 'refundedFullUnread', data: { amount: run.money(value), paymentId: id } };
  },
};

export const refundOver: Scenario = {
  name: 'refund-over',
  reads: ['amount'],
  needs: ['authorise', 'capture', 'refund'],
  uses: ['read'],
  description: 'A refund of more than was captured is refused with a 4xx, and nothing is refunded.',
  async run(run) {
    const value = run.params.amount ?? DEFAULT_AMOUNT;
    const id = await captured(run, value);
    const over = value + 1;
    run.step(`refund ${run.money(over)}, more than the ${run.money(value)} captured`);
    const result = (await run.refund(id, over, run.params.currency, { expectStatus: CLIENT_ERRORS })).result;
    run.expectRefusal(`a refund of ${run.money(over)} on a ${run.money(value)} capture`, result);
    await readBack(run, id, 'captured', 0);
    return { id: 'overRefundRefused', data: { over: run.money(over), amount: run.money(value), refusal: `${result.status} ${String(run.codeOf(result) ?? '')}`.trimEnd() } };
  },
};
