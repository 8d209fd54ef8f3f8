import type { Messages } from '../../../model/messages.js';
import { NetError } from '../../../net/errors.js';
import { signatureHeader, SIGNATURE_HEADER, type SignatureProblem } from '../../../net/webhook-signature.js';
import { ScenarioError, StopScenario } from '../errors.js';
import { DEFAULT_AMOUNT } from '../meta.js';
import { WebhookReceiver, type Delivery } from '../receiver.js';
import { sayer, type Scenario, type ScenarioRun } from '../scenario.js';

/** Event the scenario waits for. */
const EVENT = 'payment.captured';

/** What the webhook scenario can say. */
export const webhookMessages = {
  webhookVerified: {
    status: 'pass',
    text: '{scenario}: the {event} webhook for {paymentId} arrived signed with HMAC-SHA256 and a timestamp within {tolerance} s; a replayed, a tampered and a stale delivery were refused',
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
    fix: 'Sign every delivery: `Payready-Signature: t=<unix seconds>,v1=<HMAC-SHA256 of "<t>.<body>" with the endpoint secret>`.',
  },
  signatureMalformed: {
    status: 'fail',
    text: 'the {event} webhook for {paymentId} has a malformed {header} header',
    fix: 'Send the signature header as `t=<unix seconds>,v1=<hex HMAC-SHA256>`.',
  },
  signatureMismatch: {
    status: 'fail',
    text: 'the {event} webhook for {paymentId} has a bad signature: the HMAC-SHA256 of "<timestamp>.<body>" with the endpoint secret does not match',
    fix: 'Sign "<timestamp>.<raw body>" with the endpoint\'s secret (HMAC-SHA256, hex), over the exact bytes sent.',
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
async function redeliver(run: ScenarioRun, url: string, body: string, signature: string): Promise<number> {
  try {
    const response = await run.ctx.http.request({ method: 'POST', url, headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signature }, body, unlogged: true, timeoutMs: 5_000 });
    return response.status;
  } catch (err) {
    if (err instanceof NetError) throw new ScenarioError('receiverSilent', { cause: err.message });
    throw err;
  }
}

/** The delivery's body with the payment amount changed, as an attacker would. */
function tampered(delivery: Delivery): string {
  const event = structuredClone(delivery.event ?? {});
  const payment = (event['data'] as { payment?: { amount?: { value?: number } } } | undefined)?.payment;
  if (payment?.amount && typeof payment.amount.value === 'number') payment.amount.value += 100_000;
  else event['tampered'] = true;
  return JSON.stringify(event);
}

export const webhook: Scenario = {
  name: 'webhook',
  reads: ['toleranceSeconds', 'webhookTimeoutMs', 'amount'],
  description: 'A loopback receiver gets the payment.captured event, verifies its HMAC-SHA256 signature and timestamp tolerance, and rejects a replayed, a tampered and a stale delivery.',
  async run(run) {
    const { api, params } = run;
    const receiver = new WebhookReceiver(params.toleranceSeconds);
    const url = await receiver.listen();
    let endpointId: string | undefined;
    try {
      run.step(`register the loopback receiver ${url}`);
      const endpoint = run.require('registering a webhook receiver', await api.post('/v1/webhook-endpoints', { url, events: [EVENT] }), [200, 201]);
      const secret = endpoint['secret'];
      endpointId = typeof endpoint['id'] === 'string' ? endpoint['id'] : undefined;
      if (typeof secret !== 'string' || secret === '') throw new ScenarioError('noSigningSecret', {});
      run.secrets.push(secret);
      receiver.useSecret(secret);

      const value = params.amount ?? DEFAULT_AMOUNT;
      run.step(`authorise and capture ${run.money(value)}`);
      const created = run.require('authorising a payment', await run.authorise(value), [200, 201]);
      const id = String(created['id']);
      run.require(`capturing ${id}`, await api.post(`/v1/payments/${id}/capture`, undefined), [200, 201]);
      run.values['paymentId'] = id;

      const delivery = await receiver.waitFor((d) => d.event?.['type'] === EVENT && (d.event['data'] as { payment?: { id?: unknown } } | undefined)?.payment?.id === id, params.webhookTimeoutMs, run.ctx.signal);
      const about = { event: EVENT, paymentId: id };
      if (!run.expect(`${EVENT} delivered`, 'exists', true, delivery ? 'delivered' : undefined, say('webhookMissing', { ...about, seconds: params.webhookTimeoutMs / 1000 }))) throw new StopScenario();
      const signature = delivery!.signature;
      const verified = run.expect('signature', 'eq', 'valid', signature.ok ? 'valid' : signature.problem, signature.ok ? undefined : say(PROBLEM_MESSAGES[signature.problem], { ...about, header: SIGNATURE_HEADER, detail: signature.detail }));
      if (!verified) throw new StopScenario();

      const header = String(delivery!.headers[SIGNATURE_HEADER]);
      run.step('replay the same delivery: the receiver must refuse it (event id already processed)');
      const replayed = await redeliver(run, url, delivery!.body, header);
      run.expect('replayed delivery', 'eq', 409, replayed, say('replayAccepted', { event: EVENT, status: replayed }));
      run.step('tamper with the amount, keep the signature: the receiver must refuse it');
      const changed = await redeliver(run, url, tampered(delivery!), header);
      run.expect('tampered delivery', 'eq', 400, changed, say('tamperAccepted', { event: EVENT, status: changed }));
      run.step(`sign the delivery ${params.toleranceSeconds + 60} s in the past: the receiver must refuse it`);
      const old = Math.floor(Date.now() / 1000) - params.toleranceSeconds - 60;
      const stale = await redeliver(run, url, delivery!.body, signatureHeader(secret, delivery!.body, old));
      run.expect('stale delivery', 'eq', 400, stale, say('staleAccepted', { event: EVENT, age: params.toleranceSeconds + 60, status: stale }));
      return { id: 'webhookVerified', data: { ...about, tolerance: params.toleranceSeconds } };
    } finally {
      if (endpointId) await api.delete(`/v1/webhook-endpoints/${endpointId}`).catch(() => undefined);
      await receiver.close();
    }
  },
};
