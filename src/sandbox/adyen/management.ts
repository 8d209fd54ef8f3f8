import type { IncomingMessage } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { readJson } from '../body.js';
import type { SandboxContext } from '../context.js';
import { ProblemError, type Reply } from '../respond.js';
import type { Router, RouteRequest } from '../router.js';
import { isLoopbackUrl } from '../webhooks/delivery.js';
import type { AdyenWebhook } from './notifications.js';

/** Where the emulated Management API lives (the real base is https://management-test.adyen.com/v3). */
export const ADYEN_MANAGEMENT_BASE = '/v3';

/**
 * The Management API's error body, `RestServiceError` (`type, errorCode, title, detail, status,
 * invalidFields?`), sent as application/problem+json like Adyen's own (the Management API's
 * errors follow RFC 7807).
 */
function restError(status: number, errorCode: string, title: string, detail: string, invalidFields?: { name: string; message: string }[]): Reply {
  const body = { type: `https://docs.adyen.com/errors/${title.toLowerCase().replaceAll(' ', '-')}`, errorCode, title, detail, status, ...(invalidFields ? { invalidFields } : {}) };
  return { status, headers: { 'content-type': 'application/problem+json;charset=UTF-8' }, body: JSON.stringify(body) };
}

function keyMatches(req: IncomingMessage, ctx: SandboxContext): boolean {
  if (ctx.faults.on('bearerAuthOff')) return true;
  const raw = req.headers['x-api-key'];
  const key = Array.isArray(raw) ? raw[0] : raw;
  const given = Buffer.from(key ?? '');
  if (ctx.apiKey === undefined) return false;
  const expected = Buffer.from(ctx.apiKey);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The checks every Management request gets: the key, then the merchant id. */
function guard(req: IncomingMessage, merchantId: string, ctx: SandboxContext): Reply | undefined {
  if (!keyMatches(req, ctx)) return restError(401, '00_401', 'Unauthorized', 'The X-API-Key header is missing or not a valid API key.');
  if (merchantId !== ctx.adyen?.merchantAccount) return restError(403, '00_403', 'Forbidden', `The API credential has no access to merchant account ${merchantId}.`);
  return undefined;
}

/** The Webhook object the Management API returns. */
function view(webhook: AdyenWebhook, merchantId: string, ctx: SandboxContext): Record<string, unknown> {
  const self = `${ctx.baseUrl}${ADYEN_MANAGEMENT_BASE}/merchants/${merchantId}/webhooks/${webhook.id}`;
  return {
    id: webhook.id,
    type: 'standard',
    url: webhook.url,
    active: webhook.active,
    communicationFormat: 'json',
    acceptsExpiredCertificate: false,
    acceptsSelfSignedCertificate: webhook.acceptsSelfSigned,
    acceptsUntrustedRootCertificate: webhook.acceptsSelfSigned,
    hasError: false,
    hasPassword: webhook.password !== undefined,
    populateSoapActionHeader: false,
    ...(webhook.username !== undefined ? { username: webhook.username } : {}),
    _links: { self: { href: self }, generateHmac: { href: `${self}/generateHmac` }, merchant: { href: `${ctx.baseUrl}${ADYEN_MANAGEMENT_BASE}/merchants/${merchantId}` } },
  };
}

async function create({ req, params }: RouteRequest, ctx: SandboxContext): Promise<Reply> {
  const merchantId = params['merchantId'] ?? '';
  const refused = guard(req, merchantId, ctx);
  if (refused || !ctx.adyen) return refused ?? restError(500, '00_500', 'Internal error', 'The Adyen dialect is not set up.');
  let body: unknown;
  try {
    body = await readJson(req);
  } catch (error) {
    if (error instanceof ProblemError) return restError(error.problem.status, '00_400', 'Bad request', error.problem.detail);
    throw error;
  }
  const fields = body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const invalid: { name: string; message: string }[] = [];
  // CreateMerchantWebhookRequest requires active, communicationFormat, type and url.
  if (fields['type'] !== 'standard') invalid.push({ name: 'type', message: 'Only "standard" webhooks are emulated.' });
  if (fields['communicationFormat'] !== 'json') invalid.push({ name: 'communicationFormat', message: 'Only "json" is emulated.' });
  if (typeof fields['active'] !== 'boolean') invalid.push({ name: 'active', message: 'Required: true or false.' });
  const url = fields['url'];
  // The sandbox only calls loopback receivers: it must never be a way to reach other hosts.
  if (typeof url !== 'string' || !isLoopbackUrl(url)) invalid.push({ name: 'url', message: 'Must be an http(s) URL on a loopback address (127.0.0.1, ::1 or localhost).' });
  if (invalid.length > 0 || typeof url !== 'string') return restError(422, '00_422', 'Invalid Merchant Webhook', 'The request has invalid fields; see invalidFields.', invalid);
  const username = fields['username'];
  const password = fields['password'];
  const webhook = ctx.adyen.notifier.register(url, {
    active: fields['active'] === true,
    acceptsSelfSigned: fields['acceptsSelfSignedCertificate'] === true || fields['acceptsUntrustedRootCertificate'] === true,
    ...(typeof username === 'string' ? { username } : {}),
    ...(typeof password === 'string' ? { password } : {}),
  });
  return { status: 200, headers: { 'content-type': 'application/json;charset=UTF-8' }, body: JSON.stringify(view(webhook, merchantId, ctx)) };
}

function notFound(id: string): Reply {
  return restError(404, '00_404', 'Not found', `Webhook ${id} does not exist.`);
}

/** `POST /v3/merchants/{merchantId}/webhooks` (register), `.../{webhookId}/generateHmac`, GET and DELETE one. */
export function registerManagementRoutes(router: Router, ctx: SandboxContext): void {
  const base = `${ADYEN_MANAGEMENT_BASE}/merchants/:merchantId/webhooks`;
  router.post(base, (request) => create(request, ctx));
  router.post(`${base}/:webhookId/generateHmac`, ({ req, params }) => {
    const refused = guard(req, params['merchantId'] ?? '', ctx);
    if (refused) return refused;
    const id = params['webhookId'] ?? '';
    const hmacKey = ctx.adyen?.notifier.generateHmac(id);
    return hmacKey === undefined ? notFound(id) : { status: 200, headers: { 'content-type': 'application/json;charset=UTF-8' }, body: JSON.stringify({ hmacKey }) };
  });
  router.get(`${base}/:webhookId`, ({ req, params }) => {
    const merchantId = params['merchantId'] ?? '';
    const refused = guard(req, merchantId, ctx);
    if (refused) return refused;
    const id = params['webhookId'] ?? '';
    const webhook = ctx.adyen?.notifier.get(id);
    return webhook ? { status: 200, headers: { 'content-type': 'application/json;charset=UTF-8' }, body: JSON.stringify(view(webhook, merchantId, ctx)) } : notFound(id);
  });
  router.add('DELETE', `${base}/:webhookId`, ({ req, params }) => {
    const refused = guard(req, params['merchantId'] ?? '', ctx);
    if (refused) return refused;
    const id = params['webhookId'] ?? '';
    return ctx.adyen?.notifier.remove(id) ? { status: 204 } : notFound(id);
  });
}
