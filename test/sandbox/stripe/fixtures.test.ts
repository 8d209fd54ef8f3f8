import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Receiver, freshStripe, rejection, stripeFor } from './support.js';

/**
 * Every object the Stripe dialect returns has exactly the keys of Stripe's own published example
 * object (fixtures/reference/stripe/objects.json, from stripe/openapi's fixtures3.json, MIT), with
 * the same JSON types. Two kinds of difference are allowed, each checked, not assumed:
 *
 * - null where the example has a value: only for a member stripe-node's type declaration (the
 *   `interface` of the object in node_modules/stripe/esm/resources/*.d.ts) declares nullable
 *   (`| null`): the example shows one filled-in case, the API sends null when the member does not
 *   apply (`canceled_at` before a cancel, `last_payment_error` before a failure, `shipping`...).
 * - where the example has null, any type: null says nothing about the type the member has when set
 *   (`payment_intent` on a charge is a `pi_` id, null only for a charge made without one).
 *
 * And one extra key: `secret` on the webhook endpoint the create call returns, which the API
 * reference documents as "Only returned at creation" (so no example object has it).
 */
const FIXTURES = JSON.parse(readFileSync(new URL('../../../fixtures/reference/stripe/objects.json', import.meta.url), 'utf8')) as Record<string, Record<string, unknown>>;

const SDK_RESOURCES = join(dirname(createRequire(import.meta.url).resolve('stripe')), '..', 'esm', 'resources');
const DECLARATIONS: Record<string, [file: string, name: string]> = {
  payment_intent: ['PaymentIntents.d.ts', 'PaymentIntent'],
  charge: ['Charges.d.ts', 'Charge'],
  refund: ['Refunds.d.ts', 'Refund'],
  event: ['Events.d.ts', 'EventBase'],
  webhook_endpoint: ['WebhookEndpoints.d.ts', 'WebhookEndpoint'],
};

/** Members stripe-node declares nullable on the object's interface. */
function nullableMembers(kind: string): Set<string> {
  const [file, name] = DECLARATIONS[kind] ?? ['', ''];
  const source = readFileSync(join(SDK_RESOURCES, file), 'utf8');
  const start = source.indexOf(`export interface ${name} {`);
  const body = source.slice(start, source.indexOf('\n}', start));
  return new Set([...body.matchAll(/^ {4}(\w+)\??: [^\n]*\| null;$/gm)].map((m) => m[1] ?? ''));
}

function jsonType(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

/** Differences between `object` and the example of its kind (empty when it conforms). */
function differences(kind: string, object: Record<string, unknown>, extraKeys: readonly string[] = []): string[] {
  const example = FIXTURES[kind];
  if (!example) return [`no example object for ${kind}`];
  const nullable = nullableMembers(kind);
  const problems: string[] = [];
  for (const key of Object.keys(example)) if (!(key in object)) problems.push(`${kind}.${key} is missing`);
  for (const key of Object.keys(object)) if (!(key in example) && !extraKeys.includes(key)) problems.push(`${kind}.${key} is not in Stripe's example`);
  for (const [key, expected] of Object.entries(example)) {
    if (!(key in object) || expected === null) continue;
    const actual = object[key];
    if (actual === null && nullable.has(key)) continue;
    if (jsonType(actual) !== jsonType(expected)) problems.push(`${kind}.${key} is ${jsonType(actual)}, Stripe's example has ${jsonType(expected)}${actual === null ? ' (and stripe-node does not declare it nullable)' : ''}`);
  }
  return problems;
}

/** The JSON body as it arrived (not the SDK's object, which adds `lastResponse`). */
function body(object: object): Record<string, unknown> {
  const { lastResponse: _dropped, ...rest } = object as Record<string, unknown>;
  return JSON.parse(JSON.stringify(rest)) as Record<string, unknown>;
}

describe("stripe dialect: objects carry the keys and types of Stripe's example objects", () => {
  it('the nullable lists come from stripe-node (a sanity check of the parser)', () => {
    expect([...nullableMembers('payment_intent')]).toEqual(expect.arrayContaining(['canceled_at', 'last_payment_error', 'next_action', 'shipping', 'latest_charge']));
    expect(nullableMembers('payment_intent').has('amount')).toBe(false);
    expect([...nullableMembers('charge')]).toEqual(expect.arrayContaining(['balance_transaction', 'shipping', 'source']));
  });

  it('payment intents in every state, charges, refunds, events and webhook endpoints', async () => {
    const sandbox = await freshStripe();
    const stripe = stripeFor(sandbox);
    const receiver = new Receiver();
    const endpoint = await stripe.webhookEndpoints.create({ url: await receiver.listen(), enabled_events: ['*'], description: 'fixtures' });
    const seen: [kind: string, object: Record<string, unknown>, extra?: string[]][] = [['webhook_endpoint', body(endpoint), ['secret']], ['webhook_endpoint', body(await stripe.webhookEndpoints.retrieve(endpoint.id))]];

    const fresh = await stripe.paymentIntents.create({ amount: 1000, currency: 'usd' });
    const succeeded = await stripe.paymentIntents.create({ amount: 1000, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, metadata: { k: 'v' }, description: 'd' });
    const held = await stripe.paymentIntents.create({ amount: 1000, currency: 'eur', payment_method: 'pm_card_visa', confirm: true, capture_method: 'manual' });
    const canceled = await stripe.paymentIntents.cancel((await stripe.paymentIntents.create({ amount: 1000, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, capture_method: 'manual' })).id);
    const declined = await rejection(stripe.paymentIntents.create({ amount: 1000, currency: 'usd', payment_method: 'pm_card_chargeDeclinedInsufficientFunds', confirm: true }));
    const refund = await stripe.refunds.create({ payment_intent: succeeded.id, amount: 300 });
    for (const intent of [fresh, succeeded, held, canceled, await stripe.paymentIntents.capture(held.id)]) seen.push(['payment_intent', body(intent)]);
    seen.push(['payment_intent', body(declined.payment_intent ?? {})]);
    for (const intent of (await stripe.paymentIntents.list({ limit: 100 })).data) seen.push(['payment_intent', body(intent)]);
    for (const intent of (await stripe.paymentIntents.search({ query: "status:'succeeded'" })).data) seen.push(['payment_intent', body(intent)]);
    seen.push(['charge', body(await stripe.charges.retrieve(succeeded.latest_charge as string))]);
    seen.push(['charge', body(await stripe.charges.retrieve(declined.charge ?? ''))]);
    for (const charge of (await stripe.charges.list({ limit: 100 })).data) seen.push(['charge', body(charge)]);
    seen.push(['refund', body(refund)], ['refund', body(await stripe.refunds.retrieve(refund.id))]);

    await receiver.waitFor((d) => d.body.includes('"refund.created"'));
    await receiver.waitFor((d) => d.body.includes('"charge.refunded"'));
    for (const delivery of receiver.deliveries) {
      const event = JSON.parse(delivery.body) as { id: string; data: { object: Record<string, unknown> } };
      seen.push(['event', event], ['event', body(await stripe.events.retrieve(event.id))]);
      const inner = event.data.object;
      seen.push([String(inner['object']), inner]);
    }
    expect(seen.filter(([kind]) => kind === 'event').length).toBeGreaterThan(10);
    expect(seen.flatMap(([kind, object, extra]) => differences(kind, object, extra))).toEqual([]);
  });

  it('the check itself catches a missing key, an extra key and a type change', () => {
    const example = { ...FIXTURES['refund'] };
    expect(differences('refund', example)).toEqual([]);
    const { reason: _dropped, ...missing } = example;
    expect(differences('refund', missing)).toEqual(['refund.reason is missing']);
    expect(differences('refund', { ...example, extra: 1 })).toEqual(["refund.extra is not in Stripe's example"]);
    expect(differences('refund', { ...example, amount: '100' })).toEqual(["refund.amount is string, Stripe's example has number"]);
    expect(differences('refund', { ...example, created: null })).toEqual(["refund.created is null, Stripe's example has number (and stripe-node does not declare it nullable)"]);
  });
});
