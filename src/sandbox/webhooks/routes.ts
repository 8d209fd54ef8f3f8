import { readJson } from '../body.js';
import type { SandboxContext } from '../context.js';
import { access } from '../payments/access.js';
import { json, problem, validationProblem, type Reply } from '../respond.js';
import type { Router, RouteRequest } from '../router.js';
import { WEBHOOK_EVENTS, isLoopbackUrl } from './delivery.js';

/** Where webhook receivers are registered. */
export const WEBHOOK_ENDPOINTS_PATH = '/v1/webhook-endpoints';

async function register({ req }: RouteRequest, ctx: SandboxContext): Promise<Reply> {
  await access(req, ctx, 'payments:write');
  const body = await readJson(req);
  const fields = body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
  const url = fields?.['url'];
  const events = fields?.['events'] ?? ['*'];
  const errors = [];
  if (typeof url !== 'string' || !isLoopbackUrl(url)) {
    // The sandbox only calls loopback receivers: it must never be a way to reach other hosts.
    errors.push({ pointer: '/url', detail: 'must be an http(s) URL on a loopback address (127.0.0.1, ::1 or localhost)' });
  }
  const known: readonly string[] = ['*', ...WEBHOOK_EVENTS];
  if (!Array.isArray(events) || events.length === 0 || !events.every((e): e is string => typeof e === 'string' && known.includes(e))) {
    errors.push({ pointer: '/events', detail: `must be a non-empty list of: ${known.join(', ')}` });
  }
  if (errors.length > 0 || typeof url !== 'string' || !Array.isArray(events)) return validationProblem(errors);
  const endpoint = ctx.webhooks.register(url, events as string[]);
  return json(201, endpoint, { location: `${ctx.baseUrl}${WEBHOOK_ENDPOINTS_PATH}/${endpoint.id}` });
}

async function remove({ req, params }: RouteRequest, ctx: SandboxContext): Promise<Reply> {
  await access(req, ctx, 'payments:write');
  if (ctx.webhooks.remove(params['id'] ?? '')) return { status: 204 };
  return problem({ status: 404, code: 'webhook_endpoint_not_found', title: 'Webhook endpoint not found', detail: 'No webhook endpoint has this id.' });
}

/** Register a loopback receiver (the response holds its signing secret) and remove it. */
export function registerWebhookRoutes(router: Router, ctx: SandboxContext): void {
  router.post(WEBHOOK_ENDPOINTS_PATH, (request) => register(request, ctx));
  router.add('DELETE', `${WEBHOOK_ENDPOINTS_PATH}/:id`, (request) => remove(request, ctx));
}
