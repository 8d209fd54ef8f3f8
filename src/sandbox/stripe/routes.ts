import type { SandboxContext } from '../context.js';
import type { Router } from '../router.js';
import { isLoopbackUrl } from '../webhooks/delivery.js';
import { applyMetadata, endpoint, list, page, text, type StripeHandler, type StripeRequest } from './api.js';
import { invalidRequest, noSuch } from './errors.js';
import { STRIPE_EVENT_TYPES } from './events.js';
import { INTENT_HANDLERS } from './intents.js';
import { REFUND_HANDLERS } from './refunds.js';
import { StripeState } from './state.js';
import { registerThreeDsRoutes } from './three-ds.js';

/** Where Stripe's webhook endpoints are registered. */
export const STRIPE_WEBHOOK_ENDPOINTS_PATH = '/v1/webhook_endpoints';

/**
 * https://docs.stripe.com/api/webhook_endpoints/create: `url` and `enabled_events[]` are
 * required ("The list of events to enable for this endpoint. You may specify ['*'] to enable all
 * events"); the response holds `secret`: "The endpoint's secret, used to generate webhook
 * signatures. Only returned at creation." The sandbox only delivers to loopback receivers.
 */
function createEndpoint(request: StripeRequest, state: StripeState): unknown {
  const url = text(request.form, 'url');
  if (url === undefined || url === '') throw invalidRequest('Missing required param: url.', { code: 'parameter_missing', param: 'url' });
  if (!isLoopbackUrl(url)) throw invalidRequest(`Invalid URL: ${url}. The sandbox only delivers to http(s) URLs on a loopback address (127.0.0.1, ::1 or localhost).`, { code: 'url_invalid', param: 'url' });
  const events = list(request.form, 'enabled_events');
  if (!events || events.length === 0) throw invalidRequest('Missing required param: enabled_events.', { code: 'parameter_missing', param: 'enabled_events' });
  const known: readonly string[] = ['*', ...STRIPE_EVENT_TYPES];
  events.forEach((event, index) => {
    if (!known.includes(event)) throw invalidRequest(`Invalid enabled_events[${index}]: the sandbox sends ${known.join(', ')}`, { param: `enabled_events[${index}]` });
  });
  return state.events.register(url, events, text(request.form, 'description') ?? null, undefined, applyMetadata({}, request.form));
}

function retrieveEndpoint(request: StripeRequest, state: StripeState): unknown {
  const id = request.params['id'] ?? '';
  const found = state.events.endpoint(id);
  if (!found) throw noSuch('webhook_endpoint', id);
  return found;
}

function deleteEndpoint(request: StripeRequest, state: StripeState): unknown {
  const id = request.params['id'] ?? '';
  if (!state.events.remove(id)) throw noSuch('webhook_endpoint', id);
  return { id, object: 'webhook_endpoint', deleted: true };
}

function retrieveEvent(request: StripeRequest, state: StripeState): unknown {
  const id = request.params['id'] ?? '';
  const event = state.events.event(id);
  if (!event) throw noSuch('event', id);
  return { ...event, data: { object: state.view(event.data.object) } };
}

/**
 * The Stripe dialect's payments API: PaymentIntents, charges, refunds, webhook endpoints and
 * events, as https://docs.stripe.com/api documents them and stripe-node speaks them.
 */
export function registerStripeRoutes(router: Router, ctx: SandboxContext): void {
  const state = new StripeState(ctx);
  const route = (method: 'GET' | 'POST' | 'DELETE', path: string, handler: StripeHandler): void => {
    router.add(method, path, endpoint(ctx, state, handler));
  };
  route('POST', '/v1/payment_intents', INTENT_HANDLERS.create);
  route('GET', '/v1/payment_intents', INTENT_HANDLERS.list);
  // Before `/:id`, so "search" is not read as an id.
  route('GET', '/v1/payment_intents/search', INTENT_HANDLERS.search);
  route('GET', '/v1/payment_intents/:id', INTENT_HANDLERS.retrieve);
  route('POST', '/v1/payment_intents/:id', INTENT_HANDLERS.update);
  route('POST', '/v1/payment_intents/:id/confirm', INTENT_HANDLERS.confirm);
  route('POST', '/v1/payment_intents/:id/capture', INTENT_HANDLERS.capture);
  route('POST', '/v1/payment_intents/:id/cancel', INTENT_HANDLERS.cancel);
  route('GET', '/v1/charges', REFUND_HANDLERS.listCharges);
  route('GET', '/v1/charges/:id', REFUND_HANDLERS.retrieveCharge);
  route('POST', '/v1/refunds', REFUND_HANDLERS.create);
  route('GET', '/v1/refunds', REFUND_HANDLERS.list);
  route('GET', '/v1/refunds/:id', REFUND_HANDLERS.retrieve);
  route('POST', STRIPE_WEBHOOK_ENDPOINTS_PATH, createEndpoint);
  route('GET', STRIPE_WEBHOOK_ENDPOINTS_PATH, (request, s) => page(s.events.listEndpoints(), request.form, STRIPE_WEBHOOK_ENDPOINTS_PATH, (e) => e));
  route('GET', `${STRIPE_WEBHOOK_ENDPOINTS_PATH}/:id`, retrieveEndpoint);
  route('DELETE', `${STRIPE_WEBHOOK_ENDPOINTS_PATH}/:id`, deleteEndpoint);
  route('GET', '/v1/events/:id', retrieveEvent);
  registerThreeDsRoutes(router, state);
}
