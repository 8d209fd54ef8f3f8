import type { Messages } from '../../../model/messages.js';
import { show } from '../../../model/operators.js';
import { plural } from '../../../text.js';
import { CLIENT_ERRORS, type ApiResult } from '../api.js';
import { ScenarioError, StopScenario } from '../errors.js';
import { sayer, type Scenario, type ScenarioRun } from '../scenario.js';
import { expectAmount, methodLabel as labelOf, paymentIdOf } from './approve.js';

/** What over-limit and daily-cap can say. */
export const capsMessages = {
  overLimitSplit: {
    status: 'pass',
    text: '{scenario}: {total} over the {cap} cap refused with {refusal}; split into {parts} payments ({amounts}), captured in full',
  },
  overLimitAlternate: {
    status: 'pass',
    text: '{scenario}: {total} over the {cap} cap refused with {refusal}; paid in full by the alternate route ({method}), captured in full',
  },
  overLimitRefused: {
    status: 'pass',
    text: '{scenario}: {total} over the {cap} cap refused with {refusal}; no fallback declared',
  },
  capMissing: {
    status: 'error',
    text: '{scenario}: over-limit needs the per-transaction cap: give cap (minor units), e.g. cap: ${target.transactionCap}',
    fix: 'Give the check cap (minor units), e.g. from the environment: cap: ${target.transactionCap}.',
  },
  amountNotOverCap: {
    status: 'error',
    text: '{scenario}: over-limit needs an amount above the cap: amount {amount} is not above cap {cap}',
    fix: 'Give an amount above cap, or leave amount out (the scenario then pays 1.5 x cap).',
  },
  fallbackShort: {
    status: 'fail',
    text: "the fallback captured {captured}, not the order's {total}",
    fix: 'The fallback must complete the whole order: split parts that add up to it, or the alternate route for all of it.',
  },
  fallbackNotAuthorised: {
    status: 'fail',
    text: '{what} was not authorised: {actual}',
    fix: 'The fallback payment (under the cap, or by the alternate method) must be authorised.',
  },
  halfDone: {
    status: 'fail',
    text: 'the order {reference} has authorised but uncaptured payments left: {payments}',
    fix: 'Capture or cancel every payment of an order the fallback completes; an authorisation left behind holds the shopper\'s funds.',
  },
  dailyCapHeld: {
    status: 'pass',
    text: '{scenario}: daily cap held: after {payments} ({authorised}) the next {each} was refused with {refusal}',
  },
  dailyCapAlternate: {
    status: 'pass',
    text: '{scenario}: daily cap held: after {payments} ({authorised}) the next {each} was refused with {refusal}; the alternate route ({method}) took it',
  },
  dailyCapMissing: {
    status: 'error',
    text: '{scenario}: daily-cap needs the daily cap: give dailyCap (minor units), e.g. dailyCap: ${target.dailyCap}',
    fix: 'Give the check dailyCap (minor units), e.g. from the environment: dailyCap: ${target.dailyCap}.',
  },
  dailyCapNotEnforced: {
    status: 'fail',
    text: '{authorised} authorised today in {payments} of {each}, none refused: the {dailyCap} daily cap is not enforced',
    fix: 'Enforce the daily cap on the server: refuse the payment that would take the day past it with the documented 4xx.',
  },
  dailyCapOverspent: {
    status: 'fail',
    text: '{authorised} was authorised before the refusal, above the {dailyCap} daily cap',
    fix: 'Refuse the payment that would take the day past the cap, not a later one.',
  },
  dailyCapSplit: {
    status: 'error',
    text: "{scenario}: daily-cap cannot fall back by splitting (the day's total stays the same): use fallback: alternate or none",
    fix: 'Use fallback: alternate (or none) with daily-cap.',
  },
} as const satisfies Messages;

const say = sayer(capsMessages);

/** Splits `total` into `parts` amounts that differ by at most one minor unit and add up exactly. */
export function splitAmount(total: number, parts: number): number[] {
  const base = Math.floor(total / parts);
  return Array.from({ length: parts }, (_, i) => base + (i < total - base * parts ? 1 : 0));
}

/** "422 transaction_cap_exceeded", "200 Refused 28": the status and code of a refusal. */
function refusalOf(run: ScenarioRun, result: ApiResult): string {
  const declined = run.client.decline(result);
  if (declined.declined) return `${result.status} ${run.client.view('authorise', result.body).word ?? 'declined'} ${String(declined.code ?? '')}`.trimEnd();
  return `${result.status} ${String(run.codeOf(result) ?? '')}`.trimEnd();
}

/** Authorises and captures one payment of the fallback; undefined (with assertions) when it did not complete. */
async function complete(run: ScenarioRun, what: string, value: number, method?: unknown): Promise<string | undefined> {
  run.step(what);
  const created = await run.authorise(value, method === undefined ? {} : { method });
  if (created.result.status === undefined || !run.client.success('authorise').includes(created.result.status) || created.view.state === 'declined') {
    run.require(what, created.result, run.client.success('authorise'));
    run.expect(`${what} authorised`, 'eq', 'authorised', created.view.state ?? created.view.word, say('fallbackNotAuthorised', { what, actual: show(created.view.word) }));
    return undefined;
  }
  const id = paymentIdOf(run, what, created.view, created.result.status);
  if (!id) return undefined;
  const captured = await run.capture(id, value);
  if (captured.result.status === undefined || !run.client.success('capture').includes(captured.result.status)) {
    run.require(`${what}: capturing ${id}`, captured.result, run.client.success('capture'));
    return undefined;
  }
  return id;
}

/** Every payment of the order must be finished: captured (or undone), none left merely authorised. */
async function nothingHalfDone(run: ScenarioRun): Promise<void> {
  const payments = await run.paymentsFor();
  if (!payments) return;
  const pending = payments.filter((p) => p.state === 'authorised').map((p) => String(p.id));
  run.expect('payments left half-done', 'eq', 0, pending.length, say('halfDone', { reference: run.reference, payments: pending.join(', ') }));
}

/** The cap's documented refusal code: the check's, else the profile's; a provider without such a cap skips. */
function capCode(run: ScenarioRun, kind: 'perTransaction' | 'daily', given: string | undefined, what: string): string | undefined {
  const limit = run.client.profile.limits?.[kind];
  if (given !== undefined) return given;
  if (limit?.unsupported) run.unsupported(what, limit.unsupported);
  return limit?.code;
}

export const overLimit: Scenario = {
  name: 'over-limit',
  reads: ['cap', 'amount', 'fallback', 'alternateMethod', 'capErrorCode'],
  needs: ['authorise', 'capture'],
  uses: ['read', 'list'],
  limit: 'perTransaction',
  description: 'An amount above the per-transaction cap is refused with the documented 4xx (never a 5xx, never accepted); the declared fallback then completes the order: split (payments under the cap adding up to the order) or alternate (the whole order by another payment method), with no payment left authorised but uncaptured.',
  async run(run) {
    const { params } = run;
    const code = capCode(run, 'perTransaction', params.capErrorCode, 'per-transaction cap');
    const cap = params.cap ?? run.client.profile.limits?.perTransaction?.max;
    if (cap === undefined) throw new ScenarioError('capMissing', {});
    const total = params.amount ?? Math.ceil(cap * 1.5);
    if (total <= cap) throw new ScenarioError('amountNotOverCap', { amount: run.money(total), cap: run.money(cap) });

    run.step(`authorise ${run.money(total)}, above the ${run.money(cap)} cap`);
    const over = (await run.authorise(total, { call: { expectStatus: CLIENT_ERRORS } })).result;
    const refused = run.expectCapRefusal(`a payment of ${run.money(total)} over the ${run.money(cap)} cap`, over, code, run.client.profile.limits?.perTransaction?.via);
    if (!refused) throw new StopScenario();

    // Over the cap, splitting is the fallback that needs nothing more from the provider.
    const fallback = params.fallback ?? 'split';
    const said = { total: run.money(total), cap: run.money(cap), refusal: refusalOf(run, over) };
    const ids: string[] = [];
    if (fallback === 'split') {
      const amounts = splitAmount(total, Math.ceil(total / cap));
      for (const [index, value] of amounts.entries()) {
        const id = await complete(run, `fallback split: part ${index + 1} of ${amounts.length} (${run.money(value)})`, value);
        if (!id) throw new StopScenario();
        ids.push(id);
      }
      await capturedInFull(run, ids, total);
      return { id: 'overLimitSplit', data: { ...said, parts: amounts.length, amounts: amounts.map((v) => run.money(v)).join(' + ') } };
    }
    if (fallback === 'alternate') {
      const method = alternate(run);
      const id = await complete(run, `fallback alternate: ${run.money(total)} by ${methodLabel(run, method)}`, total, method);
      if (!id) throw new StopScenario();
      ids.push(id);
      await capturedInFull(run, ids, total);
      return { id: 'overLimitAlternate', data: { ...said, method: methodLabel(run, method) } };
    }
    run.values['paymentIds'] = ids;
    return { id: 'overLimitRefused', data: said };
  },
};

/** The alternate payment method: the check's, else the profile's; a provider without one skips. */
function alternate(run: ScenarioRun): unknown {
  const method = run.params.alternateMethod ?? run.client.profile.methods.alternate;
  if (method === undefined) run.unsupported('alternate payment method in its profile', 'give the check alternateMethod, or use fallback: split');
  return method;
}

/** The profile's name for its alternate method when that is the one paid with; else "bank_transfer" for an object method with a type, the method's label otherwise. */
function methodLabel(run: ScenarioRun, method: unknown): string {
  const { alternate: profiled, alternateLabel } = run.client.profile.methods;
  if (alternateLabel !== undefined && method === profiled) return alternateLabel;
  const type = method !== null && typeof method === 'object' ? (method as Record<string, unknown>)['type'] : undefined;
  return typeof type === 'string' ? type : labelOf(method);
}

/** The fallback's payments together captured the whole order, and none is left half-done. */
async function capturedInFull(run: ScenarioRun, ids: string[], total: number): Promise<void> {
  run.values['paymentIds'] = ids;
  if (!run.client.supports('read')) return;
  let captured = 0;
  for (const id of ids) {
    const read = await run.read(id);
    run.require(`reading ${id} back`, read.result, run.client.success('read'));
    captured += typeof read.view.captured === 'number' ? read.view.captured : 0;
  }
  run.expect('fallback total', 'eq', total, captured, say('fallbackShort', { captured: run.money(captured), total: run.money(total) }));
  await nothingHalfDone(run);
}

export const dailyCap: Scenario = {
  name: 'daily-cap',
  reads: ['dailyCap', 'cap', 'amount', 'fallback', 'alternateMethod', 'dailyCapErrorCode'],
  needs: ['authorise', 'capture'],
  uses: ['read'],
  limit: 'daily',
  description: 'Payments under the per-transaction cap are accepted until the day\'s total would pass the daily cap; that payment is refused with the documented 4xx (never a 5xx) and the alternate route takes it.',
  async run(run) {
    const { params } = run;
    const code = capCode(run, 'daily', params.dailyCapErrorCode, 'daily cap');
    const daily = params.dailyCap;
    if (daily === undefined) throw new ScenarioError('dailyCapMissing', {});
    const each = params.amount ?? Math.min(params.cap ?? daily, daily);
    // The day may already hold other payments: keep paying until the cap answers, at most one past it.
    const maxPayments = Math.floor(daily / each) + 1;
    let authorised = 0;
    let count = 0;
    let refusal;
    for (let i = 0; i < maxPayments; i++) {
      run.step(`payment ${i + 1}: ${run.money(each)} (${run.money(authorised)} authorised so far)`);
      const { result } = await run.authorise(each, { call: { expectStatus: CLIENT_ERRORS } });
      if (result.status !== undefined && result.status < 300 && !run.client.decline(result).declined) {
        authorised += each;
        count += 1;
        continue;
      }
      refusal = result;
      break;
    }
    run.values['authorised'] = authorised;
    const said = { payments: plural(count, 'payment'), authorised: run.money(authorised), each: run.money(each), dailyCap: run.money(daily) };
    if (!refusal) {
      run.expect('daily cap', 'le', daily, authorised, say('dailyCapNotEnforced', said));
      throw new StopScenario();
    }
    if (!run.expectCapRefusal(`payment ${count + 1} (${run.money(authorised + each)} today)`, refusal, code, run.client.profile.limits?.daily?.via)) throw new StopScenario();
    run.expect('authorised before the refusal', 'le', daily, authorised, say('dailyCapOverspent', said));

    // Under a daily cap, another payment method is the way to complete the order today.
    const fallback = params.fallback ?? 'alternate';
    if (fallback === 'split') throw new ScenarioError('dailyCapSplit', {});
    if (fallback === 'alternate') {
      const chosen = alternate(run);
      const method = methodLabel(run, chosen);
      const id = await complete(run, `fallback alternate: ${run.money(each)} by ${method}`, each, chosen);
      if (!id) throw new StopScenario();
      if (run.client.supports('read')) {
        const read = await run.read(id);
        run.require(`reading ${id} back`, read.result, run.client.success('read'));
        expectAmount(run, 'the alternate payment', read.view.captured, undefined, each);
      }
      return { id: 'dailyCapAlternate', data: { ...said, refusal: refusalOf(run, refusal), method } };
    }
    return { id: 'dailyCapHeld', data: { ...said, refusal: refusalOf(run, refusal) } };
  },
};
