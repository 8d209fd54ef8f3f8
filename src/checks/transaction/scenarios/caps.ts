import { CLIENT_ERRORS } from '../api.js';
import { ScenarioError, StopScenario, type Scenario, type ScenarioRun } from '../scenario.js';
import { expectAmount } from './approve.js';
import { plural } from '../../../text.js';

/** Splits `total` into `parts` amounts that differ by at most one minor unit and add up exactly. */
export function splitAmount(total: number, parts: number): number[] {
  const base = Math.floor(total / parts);
  return Array.from({ length: parts }, (_, i) => base + (i < total - base * parts ? 1 : 0));
}

/** Authorises and captures one payment of the fallback; false (with assertions) when it did not complete. */
async function complete(run: ScenarioRun, what: string, value: number, method?: Record<string, unknown>): Promise<string | undefined> {
  run.step(what);
  const created = await run.authorise(value, { ...(method ? { method } : {}) });
  if (created.status === undefined || created.status >= 300) {
    run.require(what, created, [200, 201]);
    return undefined;
  }
  const id = String(created.body?.['id']);
  const captured = await run.api.post(`/v1/payments/${id}/capture`, undefined);
  if (captured.status !== 200 && captured.status !== 201) {
    run.require(`${what}: capturing ${id}`, captured, [200, 201]);
    return undefined;
  }
  return id;
}

/** Every payment of the order must be finished: captured (or undone), none left merely authorised. */
async function nothingHalfDone(run: ScenarioRun): Promise<void> {
  const payments = await run.paymentsFor();
  const pending = payments.filter((p) => p['status'] === 'authorised').map((p) => String(p['id']));
  run.expect('payments left half-done', 'eq', 0, pending.length, `the order ${run.reference} has authorised but uncaptured payments left: ${pending.join(', ')}`);
}

export const overLimit: Scenario = {
  name: 'over-limit',
  reads: ['cap', 'amount', 'fallback', 'alternateMethod', 'capErrorCode'],
  description: 'An amount above the per-transaction cap is refused with the documented 4xx (never a 5xx, never accepted); the declared fallback then completes the order: split (payments under the cap adding up to the order) or alternate (the whole order by another payment method), with no payment left authorised but uncaptured.',
  async run(run) {
    const { params } = run;
    const cap = params.cap;
    if (cap === undefined) throw new ScenarioError('over-limit needs the per-transaction cap: give cap (minor units), e.g. cap: ${target.transactionCap}');
    const total = params.amount ?? Math.ceil(cap * 1.5);
    if (total <= cap) throw new ScenarioError(`over-limit needs an amount above the cap: amount ${run.money(total)} is not above cap ${run.money(cap)}`);

    run.step(`authorise ${run.money(total)}, above the ${run.money(cap)} cap`);
    const over = await run.authorise(total, { call: { expectStatus: CLIENT_ERRORS } });
    const refused = run.expectRefusal(`a payment of ${run.money(total)} over the ${run.money(cap)} cap`, over, params.capErrorCode ?? 'transaction_cap_exceeded');
    if (!refused) throw new StopScenario();

    const fallback = params.fallback ?? 'split';
    const ids: string[] = [];
    let how = 'no fallback declared';
    if (fallback === 'split') {
      const amounts = splitAmount(total, Math.ceil(total / cap));
      for (const [index, value] of amounts.entries()) {
        const id = await complete(run, `fallback split: part ${index + 1} of ${amounts.length} (${run.money(value)})`, value);
        if (!id) throw new StopScenario();
        ids.push(id);
      }
      how = `split into ${amounts.length} payments (${amounts.map((v) => run.money(v)).join(' + ')})`;
    } else if (fallback === 'alternate') {
      const method = params.alternateMethod;
      const id = await complete(run, `fallback alternate: ${run.money(total)} by ${String(method['type'])}`, total, method);
      if (!id) throw new StopScenario();
      ids.push(id);
      how = `paid in full by the alternate route (${String(method['type'])})`;
    }
    if (fallback !== 'none') {
      let captured = 0;
      for (const id of ids) {
        const read = run.require(`reading ${id} back`, await run.api.get(`/v1/payments/${id}`), [200]);
        const amount = read['capturedAmount'] as { value?: unknown } | undefined;
        captured += typeof amount?.value === 'number' ? amount.value : 0;
      }
      run.expect('fallback total', 'eq', total, captured, `the fallback captured ${run.money(captured)}, not the order's ${run.money(total)}`);
      await nothingHalfDone(run);
    }
    run.values['paymentIds'] = ids;
    return `${run.money(total)} over the ${run.money(cap)} cap refused with ${over.status} ${String(over.body?.['code'] ?? '')}`.trimEnd() + `; ${how}${fallback === 'none' ? '' : ', captured in full'}`;
  },
};

export const dailyCap: Scenario = {
  name: 'daily-cap',
  reads: ['dailyCap', 'cap', 'amount', 'fallback', 'alternateMethod', 'dailyCapErrorCode'],
  description: 'Payments under the per-transaction cap are accepted until the day\'s total would pass the daily cap; that payment is refused with the documented 4xx (never a 5xx) and the alternate route takes it.',
  async run(run) {
    const { params } = run;
    const daily = params.dailyCap;
    if (daily === undefined) throw new ScenarioError('daily-cap needs the daily cap: give dailyCap (minor units), e.g. dailyCap: ${target.dailyCap}');
    const each = params.amount ?? Math.min(params.cap ?? daily, daily);
    // The day may already hold other payments: keep paying until the cap answers, at most one past it.
    const maxPayments = Math.floor(daily / each) + 1;
    let authorised = 0;
    let count = 0;
    let refusal;
    for (let i = 0; i < maxPayments; i++) {
      run.step(`payment ${i + 1}: ${run.money(each)} (${run.money(authorised)} authorised so far)`);
      const result = await run.authorise(each, { call: { expectStatus: CLIENT_ERRORS } });
      if (result.status !== undefined && result.status < 300) {
        authorised += each;
        count += 1;
        continue;
      }
      refusal = result;
      break;
    }
    run.values['authorised'] = authorised;
    if (!refusal) {
      run.expect('daily cap', 'le', daily, authorised, `${run.money(authorised)} authorised today in ${plural(count, 'payment')} of ${run.money(each)}, none refused: the ${run.money(daily)} daily cap is not enforced`);
      throw new StopScenario();
    }
    if (!run.expectRefusal(`payment ${count + 1} (${run.money(authorised + each)} today)`, refusal, params.dailyCapErrorCode ?? 'daily_cap_exceeded')) throw new StopScenario();
    run.expect('authorised before the refusal', 'le', daily, authorised, `${run.money(authorised)} was authorised before the refusal, above the ${run.money(daily)} daily cap`);

    const fallback = params.fallback ?? 'alternate';
    let how = '';
    if (fallback === 'alternate') {
      const id = await complete(run, `fallback alternate: ${run.money(each)} by ${String(params.alternateMethod['type'])}`, each, params.alternateMethod);
      if (!id) throw new StopScenario();
      const read = run.require(`reading ${id} back`, await run.api.get(`/v1/payments/${id}`), [200]);
      expectAmount(run, 'the alternate payment', read['capturedAmount'], each);
      how = `; the alternate route (${String(params.alternateMethod['type'])}) took it`;
    } else if (fallback === 'split') {
      throw new ScenarioError('daily-cap cannot fall back by splitting (the day\'s total stays the same): use fallback: alternate or none');
    }
    return `daily cap held: after ${plural(count, 'payment')} (${run.money(authorised)}) the next ${run.money(each)} was refused with ${refusal.status} ${String(refusal.body?.['code'] ?? '')}`.trimEnd() + how;
  },
};
