import type { Artifact, Outcome } from '../../model/outcome.js';
import type { CheckContext } from '../types.js';
import { messenger } from '../shared/messages.js';
import { clip } from '../shared/shopper-message.js';
import { ControlError, SandboxControl } from './control.js';
import { messages } from './messages.js';
import type { Params } from './params.js';
import { cardData } from './scenarios/card-data.js';
import { decline, happyPath, overCap, providerError, timeout } from './scenarios/payments.js';
import { threeDSecure } from './scenarios/three-d-secure.js';
import { credentials, tls } from './scenarios/transport.js';
import { webhooks } from './scenarios/webhooks.js';
import { Shop } from './shop.js';
import { Trial, told, summarizeRequests, chargedPayments, type OrderRecord } from './trial.js';

const say = messenger(messages);

/** Runs one integration scenario: places its order(s) through the merchant and judges both sides. */
export async function run(params: Params, ctx: CheckContext): Promise<Outcome> {
  const scenario = params.scenario;
  const integration = ctx.integration;
  if (!integration) return say.outcome('error', 'noIntegration', { scenario }, { cause: 'setup' });
  const { controlUrl, controlToken } = integration.config.sandbox;
  if (!controlUrl || !controlToken) return say.outcome('error', 'noControl', { scenario }, { cause: 'setup' });
  if (scenario === 'webhooks') {
    if (!integration.config.webhooks) return say.outcome('error', 'needsSetting', { scenario, what: 'the suite\'s integration: section has no webhooks: { url } (where the merchant receives the provider\'s events)' }, { cause: 'setup' });
    const secret = params.webhookSecret ?? stringField(ctx, 'webhookSecret');
    if (!secret) return say.outcome('error', 'needsSetting', { scenario, what: "no webhook signing secret: give webhookSecret, or run against an embedded environment (${target.webhookSecret})" }, { cause: 'setup' });
    params = { ...params, webhookSecret: secret };
  }
  try {
    await integration.ready();
  } catch (error) {
    return say.outcome('error', 'startFailed', { scenario, cause: error instanceof Error ? error.message : String(error) }, { cause: 'setup' });
  }

  const mark = integration.outputMark();
  const shop = new Shop(integration.config, ctx.http, ctx.signal, params.payTimeoutMs);
  const trial = new Trial(ctx, shop, new SandboxControl(controlUrl, controlToken, ctx.signal));
  const retryAfter = params.retryAfter ?? (params.status === 429 || params.status === 503 ? 1 : undefined);
  let unsupported: string | undefined;
  try {
    // Whatever an earlier check left (one that timed out mid-order), this one starts from a sandbox that behaves.
    await trial.control.tls('normal');
    switch (scenario) {
      case 'happy-path':
        await happyPath(trial, params);
        break;
      case 'decline':
        await decline(trial, params);
        break;
      case 'timeout':
        await timeout(trial, params);
        break;
      case 'provider-error':
        await providerError(trial, { ...params, ...(retryAfter === undefined ? {} : { retryAfter }) });
        break;
      case 'over-cap':
        await overCap(trial, params);
        break;
      case 'webhooks':
        if ((await webhooks(trial, params)) === 'unsupported') unsupported = 'payready signs webhook deliveries in the stripe and payready dialects only';
        break;
      case 'tls':
        await tls(trial, params);
        break;
      case 'credentials':
        await credentials(trial, params);
        break;
      case 'card-data':
        await cardData(trial, params, () => integration.outputSince(0));
        break;
      case 'three-d-secure': {
        const stop = await threeDSecure(trial, params);
        if (stop && 'skip' in stop) unsupported = stop.skip;
        else if (stop) return say.outcome('error', stop.error, stop.data, { cause: 'setup' });
        break;
      }
    }
  } catch (error) {
    if (error instanceof ControlError) return say.outcome('error', 'controlFailed', { scenario, cause: error.message }, { cause: 'setup', artifacts: evidence(trial, integration.outputSince(mark)) });
    throw error;
  }
  if (unsupported) return say.outcome('skip', 'unsupported', { scenario, provider: String(params.provider ?? ctx.target.fields.provider ?? 'payready'), reason: unsupported });

  const rest = { assertions: trial.assertions, artifacts: evidence(trial, integration.outputSince(mark)), values: { orders: trial.orders.map(orderValues) } };
  const misconfigured = setupProblem(trial, scenario);
  if (misconfigured) return say.outcome('error', misconfigured.id, { scenario, ...misconfigured.data }, { cause: 'setup', ...rest });
  const failed = trial.assertions.filter((a) => !a.passed);
  if (failed.length > 0) {
    const more = failed.length > 1 ? ` (and ${failed.length - 1} more)` : '';
    return say.outcome('fail', 'failed', { scenario, first: failed[0]!.message ?? failed[0]!.name, more }, rest);
  }
  return say.outcome('pass', 'passed', { scenario, story: story(trial) }, rest);
}

/** What happened, for a passing summary: each order, what the shopper was told, what the provider saw. */
function story(trial: Trial): string {
  const orders = trial.orders.map((record) => {
    const charged = chargedPayments(record.requests);
    const provider = record.requests.length === 0 ? 'nothing reached the provider' : `${record.requests.length} provider request(s), ${charged.length === 0 ? 'no charge' : `charged ${charged.join(', ')}`}`;
    return `order ${record.order.id}${record.label ? ` (${record.label})` : ''}: shopper told ${told(record.answer)}; ${provider}`;
  });
  return [...orders, ...trial.notes].join('; ');
}

function orderValues(record: OrderRecord): Record<string, unknown> {
  return { id: record.order.id, label: record.label, amount: record.order.amount, currency: record.order.currency, behaviour: record.behaviour, shopper: record.answer, provider: record.requests, ...(record.state ? { state: record.state } : {}) };
}

function evidence(trial: Trial, output: string): Artifact[] {
  const orders = trial.orders.map((record) => ({ ...orderValues(record), providerSummary: summarizeRequests(record.requests).replace(/^; /, '') }));
  const artifacts: Artifact[] = [{ name: 'orders.json', mediaType: 'application/json', data: `${JSON.stringify(orders, null, 2)}\n`, description: 'Each order: the provider behaviour planned, what the shopper was told, what reached the provider' }];
  artifacts.push(...trial.artifacts);
  if (output !== '') artifacts.push({ name: 'merchant-output.txt', mediaType: 'text/plain', data: output, description: "What the merchant's process printed during this check" });
  return artifacts;
}

/**
 * A mistake in the suite's `integration:` section that the shop's answers show: the pay request
 * going nowhere (404/405), or a JSON answer without the status at `pay.status`. Reported as the
 * suite's problem (exit 2), not as the shop's.
 */
function setupProblem(trial: Trial, scenario: string): { id: 'payPathWrong' | 'statusPointerWrong' | 'checkoutPathWrong'; data: Record<string, string> } | undefined {
  const pay = trial.shop.config.pay;
  for (const { order, answer } of trial.orders) {
    // The shopper starts on the checkout page in the browser scenario, not at the pay API.
    if (scenario === 'three-d-secure') {
      if (answer.httpStatus === 404) return { id: 'checkoutPathWrong', data: { url: trial.shop.checkoutUrl(order), order: order.id } };
      continue;
    }
    if (answer.httpStatus === 404 || answer.httpStatus === 405) {
      return { id: 'payPathWrong', data: { method: pay.method, url: trial.shop.resolve(pay.path), status: String(answer.httpStatus), order: order.id } };
    }
    if (answer.json && answer.httpStatus !== undefined && answer.httpStatus < 300 && answer.status === undefined) {
      return { id: 'statusPointerWrong', data: { pointer: pay.status, order: order.id, body: clip(answer.body.replace(/\s+/g, ' '), 120) } };
    }
  }
  return undefined;
}

function stringField(ctx: CheckContext, name: string): string | undefined {
  const value = ctx.target.fields[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
