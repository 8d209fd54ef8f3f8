import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { readBody, mediaType } from '../body.js';
import type { SandboxContext } from '../context.js';
import { ProblemError, json, type Reply } from '../respond.js';
import type { Handler, RouteRequest } from '../router.js';
import { StripeApiError, errorReply, invalidRequest, requestId } from './errors.js';
import { FormError, parseForm, type FormMap, type FormValue } from './form.js';
import { noteReply, refusalError, tagOf, type StripeTag } from './orders.js';
import type { StripeState } from './state.js';

/** One API request as a Stripe handler sees it: the decoded parameters and what events record of it. */
export interface StripeRequest {
  /** The raw request (the request log notes card numbers on it). */
  req: IncomingMessage;
  /** `:id` and friends. */
  params: Record<string, string>;
  /** The form body of a POST, the query of a GET. */
  form: FormMap;
  /** This response's `Request-Id`. */
  requestId: string;
  /** The `Idempotency-Key` of a POST. */
  idempotencyKey: string | null;
  /** The `Stripe-Version` the client asked for. */
  apiVersion: string | null;
}

/** What a Stripe handler does: a JSON body (status 200) or a thrown StripeApiError. */
export type StripeHandler = (request: StripeRequest, state: StripeState) => unknown;

/** A reply already made (and passed through the faults), thrown past the handler: the `cap-500` path. */
export class ReplyThrow extends Error {
  override readonly name = 'ReplyThrow';

  constructor(readonly reply: Reply) {
    super(`reply ${reply.status}`);
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const raw = req.headers[name];
  return Array.isArray(raw) ? raw[0] : raw;
}

/** "sk_test_****************************abcd": how Stripe's 401 names the key it was given. */
function masked(key: string): string {
  const prefix = /^[a-z]{2}_(?:test|live)_/.exec(key)?.[0] ?? '';
  const body = key.slice(prefix.length);
  return body.length <= 4 ? `${prefix}${'*'.repeat(body.length)}` : `${prefix}${'*'.repeat(body.length - 4)}${body.slice(-4)}`;
}

/**
 * Authentication (https://docs.stripe.com/api/authentication): "Authentication to the API is
 * performed with HTTP Basic Auth. Provide your API key as the basic auth username value. You do
 * not need to provide a password." stripe-node and curl's `-H "Authorization: Bearer sk_test_..."`
 * send it as a bearer token; both are taken. The `no-auth` fault takes any key, or none.
 */
function authenticate(req: IncomingMessage, ctx: SandboxContext): void {
  if (ctx.faults.on('bearerAuthOff')) return;
  const authorization = header(req, 'authorization') ?? '';
  let given: string | undefined;
  const bearer = /^Bearer\s+(\S+)$/i.exec(authorization);
  const basic = /^Basic\s+(\S+)$/i.exec(authorization);
  if (bearer) given = bearer[1];
  else if (basic) given = Buffer.from(basic[1] ?? '', 'base64').toString('utf8').split(':')[0];
  const challenge = { 'www-authenticate': 'Basic realm="Stripe"' };
  if (!given) {
    throw new StripeApiError(
      401,
      {
        type: 'invalid_request_error',
        message:
          "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.",
      },
      challenge,
    );
  }
  const expected = Buffer.from(ctx.apiKey ?? '');
  const actual = Buffer.from(given);
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
    throw new StripeApiError(401, { type: 'invalid_request_error', message: `Invalid API Key provided: ${masked(given)}` }, challenge);
  }
}

/** The `flaky` fault's refusal, in Stripe's words: an api_error with the refusal's status and headers. */
function admit(ctx: SandboxContext): void {
  const refusal = ctx.faults.apply('paymentRefusal', undefined);
  if (refusal) throw new StripeApiError(refusal.status, { type: 'api_error', message: refusal.detail }, { ...refusal.headers, 'stripe-should-retry': 'true' });
}

async function readForm(req: IncomingMessage): Promise<FormMap> {
  const body = (await readBody(req)).toString('utf8');
  const type = mediaType(req);
  if (body.length > 0 && type !== 'application/x-www-form-urlencoded') {
    throw invalidRequest(`Invalid request: the body must be form-encoded (Content-Type: application/x-www-form-urlencoded), not ${type || 'untyped'}.`);
  }
  return parseForm(body);
}

/**
 * Records what the request is about (control API) and applies its order's plan: the `error`
 * behaviour refuses it unprocessed, `timeout` holds a write's answer (control/orders.ts).
 */
function track(req: IncomingMessage, tag: StripeTag, key: string | undefined, write: boolean, ctx: SandboxContext): void {
  const { orderRef, ...fields } = tag;
  ctx.orders.note(req, { ...fields, ...(key === undefined ? {} : { idempotencyKey: key }) });
  if (orderRef === undefined) return;
  const admission = ctx.orders.tag(req, orderRef, write);
  if (admission.kind === 'refuse') throw refusalError(admission);
}

/** Wraps a Stripe handler: authentication, the `flaky` fault, parameters, idempotency, Stripe's error shape. */
export function endpoint(ctx: SandboxContext, state: StripeState, handler: StripeHandler): Handler {
  return async ({ req, url, params }: RouteRequest): Promise<Reply> => {
    const id = requestId();
    const apiVersion = header(req, 'stripe-version') ?? null;
    const toReply = (error: StripeApiError): Reply => ctx.faults.apply('stripeErrorReply', errorReply(error, id));
    let reply: Reply;
    let tag: StripeTag | undefined;
    try {
      authenticate(req, ctx);
      admit(ctx);
      const post = req.method === 'POST';
      const form = post ? await readForm(req) : parseForm(url.search.slice(1));
      const key = post ? header(req, 'idempotency-key') : undefined;
      tag = tagOf(req.method ?? 'GET', url.pathname, params, form, state);
      track(req, tag, key, post, ctx);
      const run = (): Reply => json(200, handler({ req, params, form, requestId: id, idempotencyKey: key ?? null, apiVersion }, state), { 'request-id': id });
      reply = post ? await state.idempotency.run(key, url.pathname, form, run, toReply) : run();
    } catch (error) {
      if (error instanceof ReplyThrow) reply = error.reply;
      else if (error instanceof StripeApiError) reply = toReply(error);
      else if (error instanceof FormError) reply = toReply(invalidRequest(error.message, { param: error.param }));
      else if (error instanceof ProblemError) reply = toReply(new StripeApiError(error.problem.status, { type: 'invalid_request_error', message: error.problem.detail }, error.problem.headers));
      // A crash (the `cap-500` fault) is a 500 in Stripe's shape, as its API answers one: stripe-node
      // reads a 500 without an `error` member as a success.
      else reply = toReply(new StripeApiError(500, { type: 'api_error', message: 'An unknown error occurred. Please try again later.' }));
    }
    if (tag) noteReply(req, reply, tag, state);
    return { ...reply, headers: { ...reply.headers, 'stripe-version': apiVersion ?? state.apiVersion } };
  };
}

/** A text parameter; a 400 when it is a list or map. */
export function text(form: FormMap, name: string): string | undefined {
  const value = form[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalidRequest(`Invalid string: ${name} must be a string.`, { param: name });
  return value;
}

/** A list parameter (`name[]=a&name[]=b`, or `name[0]=a`). */
export function list(form: FormMap, name: string): string[] | undefined {
  const value = form[name];
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((item): item is string => typeof item === 'string')) throw invalidRequest(`Invalid array: ${name} must be a list of strings.`, { param: name });
  return value;
}

/** A map parameter (`name[key]=value`). */
export function map(form: FormMap, name: string): FormMap | undefined {
  const value: FormValue | undefined = form[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw invalidRequest(`Invalid object: ${name} must be a hash.`, { param: name });
  return value;
}

/**
 * Metadata as Stripe updates it (https://docs.stripe.com/api/metadata): "You can specify up to 50
 * keys, with key names up to 40 characters long and values up to 500 characters long." "You can
 * unset an individual key by posting an empty value to it. You can clear all keys by posting an
 * empty value to metadata."
 */
export function applyMetadata(current: Record<string, string>, form: FormMap): Record<string, string> {
  const raw = form['metadata'];
  if (raw === undefined) return current;
  if (raw === '') return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw invalidRequest('Invalid object: metadata must be a hash.', { param: 'metadata' });
  const next = { ...current };
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value !== 'string') throw invalidRequest(`Invalid value for metadata[${key}]: must be a string.`, { param: `metadata[${key}]` });
    if (key.length > 40) throw invalidRequest(`Invalid metadata: keys can be at most 40 characters (${key.slice(0, 40)}...).`, { param: 'metadata' });
    if (value.length > 500) throw invalidRequest(`Invalid metadata: values can be at most 500 characters (metadata[${key}]).`, { param: `metadata[${key}]` });
    if (value === '') delete next[key];
    else next[key] = value;
  }
  if (Object.keys(next).length > 50) throw invalidRequest('Invalid metadata: at most 50 keys.', { param: 'metadata' });
  return next;
}

/**
 * A page of a list endpoint (https://docs.stripe.com/api/pagination): newest first; `limit` 1 to
 * 100 (default 10); `starting_after` / `ending_before` are object ids.
 */
export function page<T extends { id: string }>(items: readonly T[], form: FormMap, url: string, view: (item: T) => unknown): unknown {
  const rawLimit = text(form, 'limit');
  const limit = rawLimit === undefined ? 10 : Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw invalidRequest('Invalid limit: must be an integer from 1 to 100.', { param: 'limit' });
  const after = text(form, 'starting_after');
  const before = text(form, 'ending_before');
  let start = 0;
  let end = items.length;
  if (after !== undefined) {
    const at = items.findIndex((item) => item.id === after);
    if (at === -1) throw invalidRequest(`No such object: '${after}'`, { param: 'starting_after', code: 'resource_missing' });
    start = at + 1;
  }
  if (before !== undefined) {
    const at = items.findIndex((item) => item.id === before);
    if (at === -1) throw invalidRequest(`No such object: '${before}'`, { param: 'ending_before', code: 'resource_missing' });
    end = at;
    start = Math.max(start, end - limit);
  }
  const data = items.slice(start, Math.min(end, start + limit));
  return { object: 'list', data: data.map(view), has_more: start + limit < end, url };
}
