import type { Messages } from '../../../model/messages.js';
import { show } from '../../../model/operators.js';
import { CLIENT_ERRORS } from '../api.js';
import { DEFAULT_AMOUNT } from '../meta.js';
import { sayer, type Scenario, type ScenarioRun } from '../scenario.js';
import { expectAmount } from './approve.js';

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
  const created = run.require('authorising a payment', await run.authorise(value), [200, 201]);
  const id = String(created['id']);
  run.require(`capturing ${id}`, await run.api.post(`/v1/payments/${id}/capture`, undefined), [200, 201]);
  run.values['paymentId'] = id;
  return id;
}

/** Reads the payment back and checks its status and refunded amount. */
async function readBack(run: ScenarioRun, id: string, status: string, refunded: number): Promise<void> {
  run.step(`read ${id} back`);
  const read = run.require(`reading ${id} back`, await run.api.get(`/v1/payments/${id}`), [200]);
  run.expect('status after refund', 'eq', status, read['status'], say('refundStatus', { paymentId: id, actual: show(read['status']), expected: status }));
  expectAmount(run, `the refunded amount of ${id}`, read['refundedAmount'], refunded);
}

export const refundPartial: Scenario = {
  name: 'refund-partial',
  reads: ['amount', 'refundAmount'],
  description: 'Part of a captured payment is refunded: the refund echoes its amount and the payment reads back partially refunded.',
  async run(run) {
    const value = run.params.amount ?? DEFAULT_AMOUNT;
    const part = run.params.refundAmount ?? Math.floor(value * 0.4);
    const id = await captured(run, value);
    run.step(`refund ${run.money(part)} of ${run.money(value)}`);
    const refund = run.require(`refunding ${run.money(part)}`, await run.api.post(`/v1/payments/${id}/refunds`, { amount: { value: part, currency: run.params.currency } }), [200, 201]);
    expectAmount(run, 'the refund', refund['amount'], part);
    await readBack(run, id, 'partially_refunded', part);
    return { id: 'refundedPart', data: { part: run.money(part), amount: run.money(value), paymentId: id, refundId: String(refund['id'] ?? 'refund') } };
  },
};

export const refundFull: Scenario = {
  name: 'refund-full',
  reads: ['amount'],
  description: 'A captured payment is refunded in full: it reads back refunded, with the whole amount refunded.',
  async run(run) {
    const value = run.params.amount ?? DEFAULT_AMOUNT;
    const id = await captured(run, value);
    run.step(`refund all of ${run.money(value)}`);
    const refund = run.require('refunding in full', await run.api.post(`/v1/payments/${id}/refunds`, { amount: { value, currency: run.params.currency } }), [200, 201]);
    expectAmount(run, 'the refund', refund['amount'], value);
    await readBack(run, id, 'refunded', value);
    return { id: 'refundedFull', data: { amount: run.money(value), paymentId: id } };
  },
};

export const refundOver: Scenario = {
  name: 'refund-over',
  reads: ['amount'],
  description: 'A refund of more than was captured is refused with a 4xx, and nothing is refunded.',
  async run(run) {
    const value = run.params.amount ?? DEFAULT_AMOUNT;
    const id = await captured(run, value);
    const over = value + 1;
    run.step(`refund ${run.money(over)}, more than the ${run.money(value)} captured`);
    const result = await run.api.post(`/v1/payments/${id}/refunds`, { amount: { value: over, currency: run.params.currency } }, { expectStatus: CLIENT_ERRORS });
    run.expectRefusal(`a refund of ${run.money(over)} on a ${run.money(value)} capture`, result);
    await readBack(run, id, 'captured', 0);
    return { id: 'overRefundRefused', data: { over: run.money(over), amount: run.money(value), refusal: `${result.status} ${String(result.body?.['code'] ?? '')}`.trimEnd() } };
  },
};
