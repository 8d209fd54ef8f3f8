import type { Messages } from '../../../model/messages.js';
import { NetError } from '../../../net/errors.js';
import { signatureHeader, type SignatureProblem } from '../../../net/webhook-signature.js';
import { ScenarioError, StopScenario } from '../errors.js';
import { DEFAULT_AMOUNT } from '../meta.js';
import { WebhookReceiver, type Delivery } from '../receiver.js';
import { sayer, type Scenario, type ScenarioRun } from '../scenario.js';
import { at, renderText } from '../../shared/templates.js';
import { paymentIdOf } from './approve.js';

/** What the webhook scenario can say. */
export const webhookMessages = {
  webhookVerified: {
    status: 'pass',
    text: '{scenario}: the {event} webhook for {paymentId} arrived signed with HMAC-SHA256 and a timestamp within {tolerance} s; a replayed, a tampered and a stale delivery were refused',
  },
  webhookVerifiedUntimed: {
    status: 'pass',
    text: "{scenario}: the {event} notification for {paymentId} arrived with a valid {provider} HMAC signature; a replayed and a tampered delivery were refused ({provider} signs no timestamp: duplicates are refused by event, not by age)",
  },
  receiverSilent: {
    status: 'error',
    text: '{scenario}: the loopback webhook receiver did not answer: {cause}',
    fix: 'Let payready listen on a loopback port (the receiver binds 127.0.0.1) and reach it.',
  },
  noSigningSecret: {
    status: 'error',
    text: '{scenario}: the webhook endpoint was registered without a signing secret ("secret" in the answer)',
    fix: 'Return the endpoint\'s signing secret ("secret") when a webhook endpoint is registered, so receivers can verify deliveries.',
  },
  webhookMissing: {
    status: 'fail',
    text: 'no {event} webhook for {paymentId} reached the loopback receiver within {seconds} s',
    fix: 'Deliver the event to every registered endpoint for it, promptly (or raise webhookTimeoutMs).',
  },
  signatureMissing: {
    status: 'fail',
    text: 'the {event} webhook for {paymentId} has no {header} header',
    fix: "Sign every delivery the provider's way: a `t=<unix seconds>,v1=<HMAC-SHA256 of \"<t>.<body>\">` header (payready, Stripe-Signature), or Adyen's additionalData.hmacSignature in every notification item.",
  },
  signatureMalformed: {
    status: 'fail',
    text: 'the {event} webhook for {paymentId} has a malformed {header} header',
    fix: 'Send the signature header as `t=<unix seconds>,v1=<hex HMAC-SHA256>`.',
  },
  signatureMismatch: {
    status: 'fail',
    text: 'the {event} webhook for {paymentId} has a bad signature: {detail}',
    fix: "Sign exactly what the provider's scheme covers with the endpoint's secret: \"<timestamp>.<raw body>\" (HMAC-SHA256, hex) for a signature header, or Adyen's colon-joined item fields (HMAC-SHA256 with the hex-decoded key, Base64).",
  },
  signatureStale: {
    status: 'fail',
    text: 'the {event} webhook for {paymentId} is signed with a timestamp outside the tolerance ({detail})',
    fix: 'Sign each delivery with the time it is sent (and keep the sender\'s clock in sync).',
  },
  replayAccepted: {
    status: 'fail',
    text: 'a replayed {event} delivery was accepted ({status}): the receiver must drop event ids it has processed',
    fix: 'Record the ids of processed events and refuse (409) a delivery whose id was seen.',
  },
  tamperAccepted: {
    status: 'fail',
    text: 'a tampered {event} delivery was accepted ({status}): the signature must cover the body',
    fix: 'Verify the signature over the raw body before parsing it; refuse (400) a delivery that does not verify.',
  },
  staleAccepted: {
    status: 'fail',
    text: 'a {event} delivery signed {age} s ago was accepted ({status}): the timestamp tolerance is not enforced',
    fix: 'Refuse (400) a delivery whose signed timestamp is older than the tolerance, so a captured delivery cannot be replayed later.',
  },
} as const satisfies Messages;

const say = sayer(webhookMessages);

/** The message of each way a signature fails. */
const PROBLEM_MESSAGES: Record<SignatureProblem, keyof typeof webhookMessages> = {
  missing: 'signatureMissing',
  malformed: 'signatureMalformed',
  mismatch: 'signatureMismatch',
  stale: 'signatureStale',
};

/** Sends a delivery to our own receiver (not an API call: kept out of the interaction log). */
async function redeliver(run: ScenarioRun, url: string, body: string, headers: Record<string, string>): Promise<number> {
  try {
    const response = await run.ctx.http.request({ method: 'POST', url, headers: { 'content-type': 'application/json', ...headers }, body, unlogged: true, timeoutMs: 5_000 });
    return response.status;
  } catch (err) {
    if (err instanceof NetError) throw new ScenarioError('receiverSilent', { cause: err.message });
    throw err;
  }
}

/** The delivery's body with the payment amount changed, as an attacker would. */
function tampered(delivery: Delivery, amountAt: string | undefined): string {
  const event = structuredClone(delivery.event ?? {});
  const parent = amountAt ? amountAt.slice(0, amountAt.lastIndexOf('/')) : undefined;
  const key = amountAt ? amountAt.slice(amountAt.lastIndexOf('/') + 1) : undefined;
  const holder = parent !== undefined ? at(event, parent) : undefined;
  if (holder !== null && typeof holder === 'object' && key !== undefined && typeof (holder as Record<string, unknown>)[key] === 'number') {
    (holder as Record<string, number>)[key]! += 100_000;
  } else event['tampered'] = true;
  return JSON.stringify(event);
}

export const webhook: Scenario = {
  name: 'webhook',
  reads: ['toleranceSeconds', 'webhookTimeoutMs', 'amount'],
  needs: ['authorise', 'capture', 'webhooks'],
  description: "A loopback receiver is registered the provider's way, gets the capture event (payready payment.captured, Stripe payment_intent.succeeded, Adyen CAPTURE), verifies its signature the provider's way (an HMAC-SHA256 over a signed timestamp and the body, or Adyen's item HMAC) and rejects a replayed, a tampered and (where the scheme signs a timestamp) a stale delivery.",
  async run(run) {
    const { client, params } = run;
    const hooks = client.profile.webhooks;
    if (!hooks) return run.unsupported('webhooks in its profile', 'the profile describes no way to register a receiver');
    const timestamped = hooks.signature.scheme === 'hmac-sha256-timestamp';
    const header = (hooks.signature.header ?? 'payready-signature').toLowerCase();
    const tolerance = hooks.signature.toleranceSeconds ?? params.toleranceSeconds;
    const receiver = new WebhookReceiver({ scheme: hooks.signature.scheme, header, toleranceSeconds: tolerance, ...(hooks.acknowledge ? { acknowledge: hooks.acknowledge } : {}), ...(hooks.event.idAt ? { idAt: hooks.event.idAt } : {}) });
    const url = await receiver.listen();
    const captured: Record<string, unknown> = { url };
    let registered = false;
    try {
      run.step(`register the loopback receiver ${url}`);
      for (const [index, step] of hooks.register.entries()) {
        const result = await client.send(step, run.vars(captured));
        const body = run.require(index === 0 ? 'registering a webhook receiver' : `registering a webhook receiver (step ${index + 1})`, result, [200, 201]);
        registered = true;
        for (const [name, pointer] of Object.entries(step.capture ?? {})) captured[name] = at(body, pointer);
      }
      const secret = renderTextOrEmpty(hooks.secret, captured);
      if (secret === '') throw new ScenarioError('noSigningSecret', {});
      run.secrets.push(secret);
      receiver.useSecret(secret);

      const value = params.amount ?? DEFAULT_AMOUNT;
      run.step(`authorise and capture ${run.money(value)}`);
      const created = await run.authorise(value);
      run.require('authorising a payment', created.result, client.success('authorise'));
      const id = paymentIdOf(run, 'the authorisation', created.view, created.result.status);
      if (!id) return run.stop();
      run.require(`capturing ${id}`, (await run.capture(id, value)).result, client.success('capture'));
      run.values['paymentId'] = id;

      const event = hooks.event.type;
      const delivery = await receiver.waitFor((d) => at(d.event, hooks.event.typeAt) === event && at(d.event, hooks.event.paymentAt) === id, params.webhookTimeoutMs, run.ctx.signal);
      const about = { event, paymentId: id };
      if (!run.expect(`${event} delivered`, 'exists', true, delivery ? 'delivered' : undefined, say('webhookMissing', { ...about, seconds: params.webhookTimeoutMs / 1000 }))) throw new StopScenario();
      const signature = delivery!.signature;
      const verified = run.expect('signature', 'eq', 'valid', signature.ok ? 'valid' : signature.problem, signature.ok ? undefined : say(PROBLEM_MESSAGES[signature.problem], { ...about, header: hooks.signature.header ?? 'hmacSignature', detail: signature.detail }));
      if (!verified) throw new StopScenario();

      const sent = timestamped ? { [header]: String(delivery!.headers[header]) } : {};
      run.step('replay the same delivery: the receiver must refuse it (event already processed)');
      const replayed = await redeliver(run, url, delivery!.body, sent);
      run.expect('replayed delivery', 'eq', 409, replayed, say('replayAccepted', { event, status: replayed }));
      run.step('tamper with the amount, keep the signature: the receiver must refuse it');
      const changed = await redeliver(run, url, tampered(delivery!, hooks.event.amountAt), sent);
      run.expect('tampered delivery', 'eq', 400, changed, say('tamperAccepted', { event, status: changed }));
      if (!timestamped) {
        run.step(`${client.name} signs no timestamp: a stale delivery cannot be told from a fresh one by its signature (the receiver deduplicates instead)`);
        return { id: 'webhookVerifiedUntimed', data: { ...about, provider: client.name } };
      }
      run.step(`sign the delivery ${tolerance + 60} s in the past: the receiver must refuse it`);
      const old = Math.floor(Date.now() / 1000) - tolerance - 60;
      const stale = await redeliver(run, url, delivery!.body, { [header]: signatureHeader(secret, delivery!.body, old) });
      run.expect('stale delivery', 'eq', 400, stale, say('staleAccepted', { event, age: tolerance + 60, status: stale }));
      return { id: 'webhookVerified', data: { ...about, tolerance } };
    } finally {
      if (registered && hooks.unregister) await client.send(hooks.unregister, run.vars(captured)).catch(() => undefined);
      await receiver.close();
    }
  },
};

/** The secret template filled from the registration's captured values ('' when one is missing). */
function renderTextOrEmpty(template: string, values: Record<string, unknown>): string {
  try {
    return renderText(template, values);
  } catch {
    return '';
  }
}
