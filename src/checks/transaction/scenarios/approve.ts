import type { Messages } from '../../../model/messages.js';
import { show } from '../../../model/operators.js';
import { plural } from '../../../text.js';
import { DEFAULT_AMOUNT } from '../meta.js';
import { detailOf, sayer, type Scenario, type ScenarioRun } from '../scenario.js';

/** What approve and decline (and the amount echo every scenario checks) can say. */
export const approveMessages = {
  approved: {
    status: 'pass',
    text: '{scenario}: {amount} authorised, captured and read back as {paymentId}, amount and currency echoed exactly ({calls})',
  },
  amountEchoed: {
    status: 'fail',
    text: '{what} echoed the amount as {actual}, not exactly {value} minor units of {currency} ({money})',
    fix: 'Echo amounts exactly as sent: an integer number of minor units (not a string, not major units) and the same currency.',
  },
  notAuthorised: {
    status: 'fail',
    text: 'the new payment {paymentId} is {actual}, not "authorised"',
    fix: 'Answer an approved authorisation with the payment in status "authorised".',
  },
  notCaptured: {
    status: 'fail',
    text: 'after capture, {paymentId} is {actual}, not "captured"',
    fix: 'Answer a successful capture with the payment in status "captured".',
  },
  readBackId: {
    status: 'fail',
    text: 'reading {paymentId} back returned {actual}',
    fix: 'GET /v1/payments/<id> must return the payment asked for.',
  },
  readBackStatus: {
    status: 'fail',
    text: '{paymentId} reads back as {actual}, not "captured"',
    fix: 'A captured payment must read back as "captured".',
  },
  declined: {
    status: 'pass',
    text: '{scenario}: {cards} declined with their documented codes and a readable message: {codes}',
  },
  declineApproved: {
    status: 'fail',
    text: '{card} was {actual} ({paymentId}) but must be declined with {code}',
    fix: "Decline the provider's documented test cards with their codes (or give the check the declines your provider documents).",
  },
  declineStatus: {
    status: 'fail',
    text: '{card} was refused with {status}, not 402 Payment Required{detail}',
    fix: 'Answer an issuer decline with 402 Payment Required (the request was valid; the card was refused).',
  },
  declineCode: {
    status: 'fail',
    text: '{card} was declined with {actual}, not the documented "{code}"',
    fix: 'Return the documented decline code in declineCode, so the integration can tell the shopper what to do.',
  },
  declineUnreadable: {
    status: 'fail',
    text: '{card} was declined without a message a shopper can read (detail: {actual})',
    fix: 'Put a sentence a shopper can act on in the decline\'s detail ("Your card has insufficient funds.").',
  },
} as const satisfies Messages;

const say = sayer(approveMessages);

/** "1000 EUR" for a well-formed amount object, its JSON otherwise (so "1000" as a string shows). */
export function amountText(amount: unknown): string {
  if (amount !== null && typeof amount === 'object') {
    const { value, currency } = amount as Record<string, unknown>;
    if (typeof value === 'number' && typeof currency === 'string') return `${value} ${currency}`;
  }
  return JSON.stringify(amount) ?? 'nothing';
}

/** Records that `amount` is exactly `value` minor units of `currency` (a number, not a string). */
export function expectAmount(run: ScenarioRun, what: string, amount: unknown, value: number, currency = run.params.currency): boolean {
  const wanted = `${value} ${currency}`;
  const actual = amountText(amount);
  return run.expect(`${what} amount`, 'eq', wanted, actual, say('amountEchoed', { what, actual: show(actual), value, currency, money: run.money(value, currency) }));
}

/** "•••• 9995": enough of a card number to tell test cards apart, never the whole number. */
export function cardLabel(card: string): string {
  return `card •••• ${card.slice(-4)}`;
}

export const approve: Scenario = {
  name: 'approve',
  reads: ['amount', 'currency', 'card'],
  description: 'Authorise, capture and read back a payment; the amount and currency are echoed exactly.',
  async run(run) {
    const value = run.params.amount ?? DEFAULT_AMOUNT;
    run.step(`authorise ${run.money(value)}`);
    const created = run.require('authorising a payment', await run.authorise(value), [200, 201]);
    const id = String(created['id']);
    run.values['paymentId'] = id;
    run.expect('authorisation status', 'eq', 'authorised', created['status'], say('notAuthorised', { paymentId: id, actual: show(created['status']) }));
    expectAmount(run, 'the authorisation', created['amount'], value);

    run.step(`capture ${id}`);
    const captured = run.require(`capturing ${id}`, await run.api.post(`/v1/payments/${id}/capture`, undefined), [200, 201]);
    run.expect('capture status', 'eq', 'captured', captured['status'], say('notCaptured', { paymentId: id, actual: show(captured['status']) }));
    expectAmount(run, 'the capture', captured['capturedAmount'], value);

    run.step(`read ${id} back`);
    const read = run.require(`reading ${id} back`, await run.api.get(`/v1/payments/${id}`), [200]);
    run.expect('read-back id', 'eq', id, read['id'], say('readBackId', { paymentId: id, actual: show(read['id']) }));
    run.expect('read-back status', 'eq', 'captured', read['status'], say('readBackStatus', { paymentId: id, actual: show(read['status']) }));
    expectAmount(run, 'the read-back', read['amount'], value);
    run.values['status'] = read['status'];
    return { id: 'approved', data: { amount: run.money(value), paymentId: id, calls: plural(run.api.calls, 'call') } };
  },
};

export const decline: Scenario = {
  name: 'decline',
  reads: ['declines', 'amount'],
  description: 'Each test card is declined with its documented decline code and a message a shopper can act on.',
  async run(run) {
    const value = run.params.amount ?? DEFAULT_AMOUNT;
    const cases = run.params.declines;
    for (const { card, code } of cases) {
      const label = cardLabel(card);
      run.step(`${label} must be declined with ${code}`);
      const result = await run.authorise(value, { card, call: { expectStatus: [402] } });
      // No answer, or no access, decides nothing (require ends the scenario as an error).
      if (result.status === undefined || result.status === 401 || result.status === 403) run.require(`paying with ${label}`, result, [402]);
      const body = result.body ?? {};
      if (result.status !== undefined && result.status < 300) {
        run.expect(`${label} declined`, 'eq', 'declined', body['status'], say('declineApproved', { card: label, actual: show(body['status']), paymentId: String(body['id']), code }));
        continue;
      }
      run.expect(`${label} status`, 'eq', 402, result.status, say('declineStatus', { card: label, status: String(result.status), detail: detailOf(result) }));
      run.expect(`${label} decline code`, 'eq', code, body['declineCode'], say('declineCode', { card: label, actual: show(body['declineCode']), code }));
      const detail = typeof body['detail'] === 'string' ? body['detail'] : '';
      run.expect(`${label} message`, 'matches', '\\w+ \\w+ \\w+', detail, say('declineUnreadable', { card: label, actual: show(body['detail']) }));
    }
    return { id: 'declined', data: { cards: plural(cases.length, 'test card'), codes: cases.map((c) => c.code).join(', ') } };
  },
};
