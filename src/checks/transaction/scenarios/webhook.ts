import { signatureHeader, SIGNATURE_HEADER } from '../../../net/webhook-signature.js';
import { NetError } from '../../../net/errors.js';
import { WebhookReceiver, type Delivery } from '../receiver.js';
import { ScenarioError, StopScenario, type Scenario, type ScenarioRun } from '../scenario.js';

/** Event the scenario waits for. */
const EVENT = 'payment.captured';

const PROBLEM_WORDS: Record<string, string> = {
  missing: `has no ${SIGNATURE_HEADER} header`,
  malformed: `has a malformed ${SIGNATURE_HEADER} header`,
  mismatch: 'has a bad signature: the HMAC-SHA256 of "<timestamp>.<body>" with the endpoint secret does not match',
  stale: 'is signed with a timestamp outside the tolerance',
};

/** Sends a delivery to our own receiver (not an API call: kept out of the interaction log). */
async function redeliver(run: ScenarioRun, url: string, body: string, signature: string): Promise<number> {
  try {
    const response = await run.ctx.http.request({ method: 'POST', url, headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signature }, body, unlogged: true, timeoutMs: 5_000 });
    return response.status;
  } catch (err) {
    if (err instanceof NetError) throw new ScenarioError(`the loopback webhook receiver did not answer: ${err.message}`);
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
      if (typeof secret !== 'string' || secret === '') throw new ScenarioError('the webhook endpoint was registered without a signing secret ("secret" in the answer)');
      run.secrets.push(secret);
      receiver.useSecret(secret);

      const value = params.amount ?? 1000;
      run.step(`authorise and capture ${run.money(value)}`);
      const created = run.require('authorising a payment', await run.authorise(value), [200, 201]);
      const id = String(created['id']);
      run.require(`capturing ${id}`, await api.post(`/v1/payments/${id}/capture`, undefined), [200, 201]);
      run.values['paymentId'] = id;

      const delivery = await receiver.waitFor((d) => d.event?.['type'] === EVENT && (d.event['data'] as { payment?: { id?: unknown } } | undefined)?.payment?.id === id, params.webhookTimeoutMs, run.ctx.signal);
      const what = `the ${EVENT} webhook for ${id}`;
      if (!run.expect(`${EVENT} delivered`, 'exists', true, delivery ? 'delivered' : undefined, `no ${EVENT} webhook for ${id} reached the loopback receiver within ${params.webhookTimeoutMs / 1000} s`)) throw new StopScenario();
      const signature = delivery!.signature;
      const verified = run.expect('signature', 'eq', 'valid', signature.ok ? 'valid' : signature.problem, signature.ok ? '' : `${what} ${PROBLEM_WORDS[signature.problem] ?? signature.detail}${signature.problem === 'stale' ? ` (${signature.detail})` : ''}`);
      if (!verified) throw new StopScenario();

      const header = String(delivery!.headers[SIGNATURE_HEADER]);
      run.step('replay the same delivery: the receiver must refuse it (event id already processed)');
      const replayed = await redeliver(run, url, delivery!.body, header);
      run.expect('replayed delivery', 'eq', 409, replayed, `a replayed ${EVENT} delivery was accepted (${replayed}): the receiver must drop event ids it has processed`);
      run.step('tamper with the amount, keep the signature: the receiver must refuse it');
      const changed = await redeliver(run, url, tampered(delivery!), header);
      run.expect('tampered delivery', 'eq', 400, changed, `a tampered ${EVENT} delivery was accepted (${changed}): the signature must cover the body`);
      run.step(`sign the delivery ${params.toleranceSeconds + 60} s in the past: the receiver must refuse it`);
      const old = Math.floor(Date.now() / 1000) - params.toleranceSeconds - 60;
      const stale = await redeliver(run, url, delivery!.body, signatureHeader(secret, delivery!.body, old));
      run.expect('stale delivery', 'eq', 400, stale, `a ${EVENT} delivery signed ${params.toleranceSeconds + 60} s ago was accepted (${stale}): the timestamp tolerance is not enforced`);
      return `${what} arrived signed with HMAC-SHA256 and a timestamp within ${params.toleranceSeconds} s; a replayed, a tampered and a stale delivery were refused`;
    } finally {
      if (endpointId) await api.delete(`/v1/webhook-endpoints/${endpointId}`).catch(() => undefined);
      await receiver.close();
    }
  },
};
