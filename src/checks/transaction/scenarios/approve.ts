import { show } from '../../../model/operators.js';
import { TEST_CARDS } from '../../../providers/test-cards.js';
import { detailOf, type DeclineCase, type Scenario, type ScenarioRun } from '../scenario.js';
import { plural } from '../../../text.js';

/** The provider's documented test cards for each decline (the default `declines:`). */
export const DEFAULT_DECLINES: readonly DeclineCase[] = TEST_CARDS.flatMap((card) => (card.declineCode ? [{ card: card.number, code: card.declineCode }] : []));

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
  return run.expect(`${what} amount`, 'eq', wanted, amountText(amount), `${what} echoed the amount as ${show(amountText(amount))}, not exactly ${value} minor units of ${currency} (${run.money(value, currency)})`);
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
    const value = run.params.amount ?? 1000;
    run.step(`authorise ${run.money(value)}`);
    const created = run.require('authorising a payment', await run.authorise(value), [200, 201]);
    const id = String(created['id']);
    run.values['paymentId'] = id;
    run.expect('authorisation status', 'eq', 'authorised', created['status'], `the new payment ${id} is ${show(created['status'])}, not "authorised"`);
    expectAmount(run, 'the authorisation', created['amount'], value);

    run.step(`capture ${id}`);
    const captured = run.require(`capturing ${id}`, await run.api.post(`/v1/payments/${id}/capture`, undefined), [200, 201]);
    run.expect('capture status', 'eq', 'captured', captured['status'], `after capture, ${id} is ${show(captured['status'])}, not "captured"`);
    expectAmount(run, 'the capture', captured['capturedAmount'], value);

    run.step(`read ${id} back`);
    const read = run.require(`reading ${id} back`, await run.api.get(`/v1/payments/${id}`), [200]);
    run.expect('read-back id', 'eq', id, read['id'], `reading ${id} back returned ${show(read['id'])}`);
    run.expect('read-back status', 'eq', 'captured', read['status'], `${id} reads back as ${show(read['status'])}, not "captured"`);
    expectAmount(run, 'the read-back', read['amount'], value);
    run.values['status'] = read['status'];
    return `${run.money(value)} authorised, captured and read back as ${id}, amount and currency echoed exactly (${plural(run.api.calls, 'call')})`;
  },
};

export const decline: Scenario = {
  name: 'decline',
  reads: ['declines', 'amount'],
  description: 'Each test card is declined with its documented decline code and a message a shopper can act on.',
  async run(run) {
    const value = run.params.amount ?? 1000;
    const cases = run.params.declines ?? DEFAULT_DECLINES;
    for (const { card, code } of cases) {
      run.step(`${cardLabel(card)} must be declined with ${code}`);
      const result = await run.authorise(value, { card, call: { expectStatus: [402] } });
      // No answer, or no access, decides nothing (require ends the scenario as an error).
      if (result.status === undefined || result.status === 401 || result.status === 403) run.require(`paying with ${cardLabel(card)}`, result, [402]);
      const body = result.body ?? {};
      if (result.status !== undefined && result.status < 300) {
        run.expect(`${cardLabel(card)} declined`, 'eq', 'declined', body['status'], `${cardLabel(card)} was ${show(body['status'])} (${String(body['id'])}) but must be declined with ${code}`);
        continue;
      }
      run.expect(`${cardLabel(card)} status`, 'eq', 402, result.status, `${cardLabel(card)} was refused with ${result.status}, not 402 Payment Required${detailOf(result)}`);
      run.expect(`${cardLabel(card)} decline code`, 'eq', code, body['declineCode'], `${cardLabel(card)} was declined with ${show(body['declineCode'])}, not the documented "${code}"`);
      const detail = typeof body['detail'] === 'string' ? body['detail'] : '';
      run.expect(`${cardLabel(card)} message`, 'matches', '\\w+ \\w+ \\w+', detail, `${cardLabel(card)} was declined without a message a shopper can read (detail: ${show(body['detail'])})`);
    }
    return `${plural(cases.length, 'test card')} declined with their documented codes and a readable message: ${cases.map((c) => c.code).join(', ')}`;
  },
};
