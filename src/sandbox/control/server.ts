import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readBody } from '../body.js';
import { Router } from '../router.js';
import { json, type Reply } from '../respond.js';
import { SERVER_NAME, TrackedServer } from '../server.js';
import { BehaviourError, parseBehaviour, type OrderPlans } from './orders.js';
import { TLS_MODES, isTlsMode, type TlsModes } from './tls.js';

/**
 * The control API (docs/sandbox.md "Control API"): a plain-HTTP server on its own loopback port
 * through which a runner plans how the sandbox treats each order, reads back every request of an
 * order, and switches the HTTPS API's TLS. Every request needs `Authorization: Bearer
 * <controlToken>`; JSON in, JSON out, errors `{ "error": "<sentence>" }`.
 */

/** Largest control request body (a behaviour is a few dozen bytes). */
const MAX_BODY = 16 * 1024;

/** A refusal with a sentence for the caller. */
class ControlError extends Error {
  override readonly name = 'ControlError';

  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** A random control token: 32 bytes, base64url. */
export function newControlToken(): string {
  return randomBytes(32).toString('base64url');
}

async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  let body: Buffer;
  try {
    body = await readBody(req, MAX_BODY);
  } catch {
    throw new ControlError(413, `The body must be at most ${MAX_BODY} bytes of JSON.`);
  }
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    throw new ControlError(400, 'The body is not valid JSON.');
  }
}

function authorized(req: IncomingMessage, token: string): boolean {
  const given = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  if (given === undefined) return false;
  const expected = Buffer.from(token);
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

function send(res: ServerResponse, reply: Reply): void {
  const body = reply.body ?? '';
  res.writeHead(reply.status, { ...reply.headers, 'content-length': String(Buffer.byteLength(body)), 'cache-control': 'no-store', server: SERVER_NAME });
  res.end(body);
}

function refusal(status: number, message: string, headers: Record<string, string> = {}): Reply {
  return json(status, { error: message }, headers);
}

function routes(orders: OrderPlans, tls: TlsModes): Router {
  const router = new Router();
  const add = (method: string, pattern: string, handler: (req: IncomingMessage, params: Record<string, string>) => Promise<Reply> | Reply): void => {
    router.add(method, pattern, ({ req, params }) => handler(req, params));
  };
  add('PUT', '/orders/:orderRef', async (req, { orderRef = '' }) => {
    const body = await readJsonBody(req);
    const raw = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['behaviour'] : undefined;
    try {
      const behaviour = parseBehaviour(raw);
      orders.set(orderRef, behaviour);
      return json(200, { orderRef, behaviour });
    } catch (error) {
      if (error instanceof BehaviourError) throw new ControlError(400, error.message);
      throw error;
    }
  });
  add('DELETE', '/orders/:orderRef', (_req, { orderRef = '' }) => {
    orders.clear(orderRef);
    return json(200, { orderRef, behaviour: { kind: 'normal' } });
  });
  add('GET', '/orders/:orderRef/requests', (_req, { orderRef = '' }) => json(200, { orderRef, requests: orders.requests(orderRef) }));
  add('GET', '/requests', () => json(200, { requests: orders.requests() }));
  add('GET', '/tokens', () => json(200, { issued: orders.tokensIssued }));
  add('GET', '/tls', () => json(200, { mode: tls.mode }));
  add('PUT', '/tls', async (req) => {
    const body = await readJsonBody(req);
    const mode = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['mode'] : undefined;
    if (!isTlsMode(mode)) throw new ControlError(400, `"mode" must be one of ${TLS_MODES.join(', ')}.`);
    await tls.set(mode);
    return json(200, { mode });
  });
  return router;
}

/** The running control server. */
export interface ControlServer {
  /** `http://host:port`, no trailing slash. */
  url: string;
  /** Stops it and drops its connections. */
  close(): Promise<void>;
}

/** Starts the control API on `host` (a free port), answering only `token`'s bearer. */
export async function startControlServer(options: { host: string; bindHost: string; token: string; orders: OrderPlans; tls: TlsModes }): Promise<ControlServer> {
  const router = routes(options.orders, options.tls);
  const server = new TrackedServer(
    createServer((req, res) => {
      const answer = async (): Promise<void> => {
        if (!authorized(req, options.token)) {
          send(res, refusal(401, 'The control API needs "Authorization: Bearer <controlToken>" with the sandbox\'s control token.', { 'www-authenticate': 'Bearer realm="payready-sandbox-control"' }));
          return;
        }
        const url = new URL(req.url ?? '/', 'http://control.invalid');
        const match = router.match(req.method ?? 'GET', url.pathname);
        if (match.kind === 'not-found') return send(res, refusal(404, `No control endpoint at ${url.pathname}.`));
        if (match.kind === 'method-not-allowed') return send(res, refusal(405, `${req.method ?? ''} is not supported on ${url.pathname}; use ${match.allow.join(', ')}.`, { allow: match.allow.join(', ') }));
        const reply = await match.handler({ req, res, url, params: match.params });
        if (reply) send(res, reply);
      };
      answer().catch((error: unknown) => {
        if (res.headersSent) res.destroy();
        else if (error instanceof ControlError) send(res, refusal(error.status, error.message));
        else send(res, refusal(500, 'The control API failed to handle this request.'));
      });
    }),
  );
  const port = await server.listen(0, options.bindHost);
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return { url: `http://${host}:${port}`, close: () => server.close() };
}
