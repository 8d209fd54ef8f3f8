import type { Messages } from '../../../model/messages.js';
import { show } from '../../../model/operators.js';
import { plural } from '../../../text.js';
import { DEFAULT_AMOUNT } from '../meta.js';
import type { PaymentView } from '../provider.js';
import { sayer, type Scenario, type ScenarioPass, type ScenarioRun } from '../scenario.js';

/** What approve and decline (and the amount echo every scenario checks) can say. */
export const approveMessages = {
  approved: {
    status: 'pass',
    text: '{scenario}: {amount} authorised, captured and read back as {paymentId}, amount and currency echoed exactly ({calls})',
  },
  approvedAcknowledged: {
    status: 'pass',
    text: '{scenario}: {amount} authorised as {paymentWord} {paymentId}, amount and currency echoed exactly; the capture was acknowledged ({word}): {provider} reports its outcome in a notification and has no call to read a payment back ({calls})',
  },
  amountEchoed: {
    status: 'fail',
    text: '{what} echoed the amount as {actual}, not exactly {value} minor units of {currency} ({money})',
    fix: 'Echo amounts exactly as sent: an integer number of minor units (not a string, not major units) and the same currency.',
  },
  noPaymentId: {
    status: 'fail',
    text: '{what} answered {status} without a payment id where the {provider} profile reads it ({pointer})',
    fix: "Answer a created payment with its id, as the provider documents it (Stripe's id, Adyen's pspReference).",
  },
  notAuthorised: {
    status: 'fail',
    text: 'the new payment {paymentId} is {actual}, not {expected}',
    fix: 'Answer an approved authorisation (manual capture) with the payment in its authorised state (payready "authorised", Stripe "requires_capture", Adyen resultCode "Authorised").',
  },
  notCaptured: {
    status: 'fail',
    text: 'after capture, {paymentId} is {actual}, not {expected}',
    fix: 'Answer a successful capture with the payment in its captured state (payready "captured", Stripe "succeeded"; Adyen acknowledges with "received").',
  },
  readBackId: {
    status: 'fail',
    text: 'reading {paymentId} back returned {actual}',
    fix: 'Reading a payment by its id must return that payment.',
  },
  readBackStatus: {
    status: 'fail',
    text: '{paymentId} reads back as {actual}, not {expected}',
    fix: 'A captured payment must read back as captured.',
  },
  declined: {
    status: 'pass',
    text: '{scenario}: {cards} declined with their documented codes and a readable message: {codes}',
  },
  declineApproved: {
    status: 'fail',
    text: '{card} was {actual} ({paymentId}) but must be declined with {code}',
    fix: "Decline the provider's documented test payment methods with their codes (or give the check the declines your provider documents).",
  },
  declineStatus: {
    status: 'fail',
    text: '{card} was refused with {status}, not {expected}{detail}',
    fix: "Signal an issuer decline the way the provider documents it (payready and Stripe: 402 Payment Required; Adyen: 200 with resultCode Refused): the request was valid, the card was refused.",
  },
  declineCode: {
    status: 'fail',
    text: '{card} was declined with {actual}, not the documented "{code}"',
    fix: 'Return the documented decline code (payready declineCode, Stripe decline_code, Adyen refusalReasonCode), so the integration can tell the shopper what to do.',
  },
  declineUnreadable: {
    status: 'fail',
    text: '{card} was declined without a message a shopper can read (detail: {actual})',
    fix: 'Put a sentence a shopper can act on in the decline\'s message ("Your card has insufficient funds.").',
  },
} as const satisfies Messages;

const say = sayer(approveMessages);

/** "1000 EUR" for a well-formed amount and currency, their JSON otherwise (so "1000" as a string shows). */
export function amountText(amount: unknown, currency?: unknown): string {
  const value = typeof amount === 'number' ? String(amount) : (JSON.stringify(amount) ?? 'nothing');
  return currency === undefined ? value : `${value} ${typeof currency === 'string' ? currency : JSON.stringify(currency)}`;
}

/**
 * Records that `amount` is exactly `value` minor units (a number, not a string) of `currency`
 * (compared when the answer has a currency where the profile reads one).
 */
export function expectAmount(run: ScenarioRun, what: string, amount: unknown, answered: unknown, value: number, currency = run.params.currency): boolean {
  const withCurrency = answered !== undefined;
  const wanted = withCurrency ? `${value} ${currency}` : String(value);
  const actual = amountText(amount, withCurrency ? answered : undefined);
  return run.expect(`${what} amount`, 'eq', wanted, actual, say('amountEchoed', { what, actual: show(actual), value, currency, money: run.money(value, currency) }));
}

/** The provider's words for a state ("requires_capture"), for messages. */
export function wordsFor(run: ScenarioRun, state: string): string {
  const words = Object.entries(run.client.profile.statuses).filter(([, s]) => s === state).map(([word]) => `"${word}"`);
  return words.length > 0 ? words.join(' or ') : `"${state}"`;
}

/** The payment id an answer must carry; records a failed assertion and returns undefined without one. */
export function paymentIdOf(run: ScenarioRun, what: string, view: PaymentView, status: number | undefined): string | undefined {
  const pointer = run.client.profile.operations.authorise.result?.id ?? '(none)';
  run.expect(`${what} id`, 'exists', true, view.id, say('noPaymentId', { what, status: String(status), provider: run.client.name, pointer }));
  return view.id;
}

/** "card •••• 9995", "pm_card_chargeDeclined": enough of a method to tell test methods apart, never a whole card number. */
export function methodLabel(method: unknown, label?: string): string {
  if (label) return label;
  if (typeof method === 'string') return /^\d{12,19}$/.test(method) ? `card •••• ${method.slice(-4)}` : method;
  const number = method !== null && typeof method === 'object' ? (method as Record<string, unknown>)['number'] : undefined;
  return typeof number === 'string' ? `card •••• ${number.slice(-4)}` : JSON.stringify(method);
}

export const approve: Scenario = {
  name: 'approve',
  reads: ['amount', 'currency', 'method'],
  needs: ['authorise', 'capture'],
  uses: ['read'],
  description: 'A test payment is authorised (manual capture), captured and read back; amount and currency are echoed exactly at every step. A provider that only acknowledges captures and cannot read a payment back (Adyen) is judged on what its API answers.',
  async run(run): Promise<ScenarioPass> {
    const { client } = run;
    const value = run.params.amount ?? DEFAULT_AMOUNT;
    run.step(`authorise ${run.money(value)}`);
    const created = await run.authorise(value);
    run.require('authorising a payment', created.result, client.success('authorise'));
    const id = paymentIdOf(run, 'the authorisation', created.view, created.result.status);
    if (!id) return run.stop();
    run.values['paymentId'] = id;
    run.expect('authorisation status', 'eq', 'authorised', created.view.state ?? created.view.word, say('notAuthorised', { paymentId: id, actual: show(created.view.word), expected: wordsFor(run, 'authorised') }));
    expectAmount(run, 'the authorisation', created.view.amount, created.view.currency, value);

    run.step(`capture ${id}`);
    const captured = await run.capture(id, value);
    run.require(`capturing ${id}`, captured.result, client.success('capture'));
    const acknowledged = client.isAsync('capture');
    const expected = acknowledged ? 'pending' : 'captured';
    run.expect('capture status', 'eq', expected, captured.view.state ?? captured.view.word, say('notCaptured', { paymentId: id, actual: show(captured.view.word), expected: wordsFor(run, expected) }));
    expectAmount(run, 'the capture', captured.view.captured, captured.view.currency, value);

    if (!client.supports('read')) {
      run.values['status'] = captured.view.word;
      return { id: 'approvedAcknowledged', data: { amount: run.money(value), paymentWord: client.paymentWord, paymentId: id, word: show(captured.view.word), provider: client.name, calls: plural(run.api.calls, 'call') } };
    }
    run.step(`read ${id} back`);
    const read = await run.read(id);
    run.require(`reading ${id} back`, read.result, client.success('read'));
    run.expect('read-back id', 'eq', id, read.view.id, say('readBackId', { paymentId: id, actual: show(read.view.id) }));
    run.expect('read-back status', 'eq', 'captured', read.view.state ?? read.view.word, say('readBackStatus', { paymentId: id, actual: show(read.view.word), expected: wordsFor(run, 'captured') }));
    expectAmount(run, 'the read-back', read.view.amount, read.view.currency, value);
    run.values['status'] = read.view.word;
    return { id: 'approved', data: { amount: run.money(value), paymentId: id, calls: plural(run.api.calls, 'call') } };
  },
};

export const decline: Scenario = {
  name: 'decline',
  reads: ['declines', 'amount'],
  needs: ['authorise'],
  description: "Each of the provider's decline test methods is declined the way the provider documents (payready and Stripe: 402 with a decline code; Adyen: resultCode Refused with a refusalReasonCode), with its documented code and a message a shopper can act on.",
  async run(run) {
    const { client } = run;
    const value = run.params.amount ?? DEFAULT_AMOUNT;
    const cases = run.params.declines ?? client.profile.methods.declines;
    const signal = client.profile.decline;
    const minWords = signal.minWords ?? 3;
    for (const { method, code, label: given } of cases) {
      const label = methodLabel(method, given);
      run.step(`${label} must be declined with ${code}`);
      const { result, view } = await run.authorise(value, { method, call: { expectStatus: signal.status } });
      // No answer, or no access, decides nothing (require ends the scenario as an error).
      if (result.status === undefined || result.status === 401 || result.status === 403) run.require(`paying with ${label}`, result, signal.status);
      const declined = client.decline(result);
      if (!declined.declined) {
        if (result.status !== undefined && client.success('authorise').includes(result.status) && view.state !== 'declined') {
          run.expect(`${label} declined`, 'eq', 'declined', view.state ?? view.word, say('declineApproved', { card: label, actual: show(view.word), paymentId: String(view.id), code }));
        } else {
          run.expect(`${label} status`, 'in', [...signal.status], result.status, say('declineStatus', { card: label, status: String(result.status), expected: signal.status.join(' or '), detail: run.detail(result) }));
        }
        continue;
      }
      run.expect(`${label} decline code`, 'eq', code, declined.code === undefined ? undefined : String(declined.code), say('declineCode', { card: label, actual: show(declined.code), code }));
      const message = typeof declined.message === 'string' ? declined.message : '';
      run.expect(`${label} message`, 'matches', Array.from({ length: minWords }, () => '\\w+').join(' '), message, say('declineUnreadable', { card: label, actual: show(declined.message) }));
    }
    return { id: 'declined', data: { cards: plural(cases.length, 'test method'), codes: cases.map((c) => c.code).join(', ') } };
  },
};
