import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Server, Socket } from 'node:net';
import type { OrderPlans } from './control/orders.js';
import type { RequestLog } from './request-log.js';
import { ProblemError, problem, type Reply } from './respond.js';
import type { Router } from './router.js';
import { clientAddress, type Allowlist } from './transport/allowlist.js';

/** Name sent in the `Server` header: no version, so nothing tells an attacker what to exploit. */
export const SERVER_NAME = 'payready-sandbox';

/**
 * What a payments API should send on every response (OWASP REST Security Cheat Sheet); a handler
 * that serves a page (the checkout) overrides the CSP in its own reply.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  server: SERVER_NAME,
};

/** What the API listener applies to every request before routing. */
export interface ApiPolicy {
  /** Headers set on every response (a handler's own headers override them). */
  headers: Readonly<Record<string, string>>;
  /** Source addresses allowed to use the API; absent: everyone (the `open-allowlist` fault). */
  allowlist?: Allowlist;
}

function send(res: ServerResponse, reply: Reply): void {
  if (res.destroyed) return; // the client gave up (e.g. timed out) while the response was held
  if (res.headersSent) {
    // Half a response cannot be fixed; cutting the connection is the honest signal.
    res.destroy();
    return;
  }
  // An explicit length keeps responses unchunked, as most real APIs send small JSON
  // (RFC 9110 §8.6 forbids it on 204 and 304).
  const headers = { ...reply.headers };
  if (reply.status !== 204 && reply.status !== 304) {
    headers['content-length'] = String(reply.body === undefined ? 0 : Buffer.byteLength(reply.body));
  }
  res.writeHead(reply.status, headers);
  res.end(reply.body);
}

/** Parses the request target; origin-form (`/path`) is kept literal so `//x` stays a path. */
function requestUrl(req: IncomingMessage): URL | undefined {
  const target = req.url ?? '/';
  try {
    return target.startsWith('/') ? new URL(`https://sandbox.invalid${target}`) : new URL(target);
  } catch {
    return undefined;
  }
}

/** Milliseconds to hold a response after it was handled (latency emulation); 0 for none. */
export type DelayFor = (req: IncomingMessage, pathname: string) => number;

async function route(router: Router, req: IncomingMessage, res: ServerResponse): Promise<Reply | undefined> {
  const url = requestUrl(req);
  if (!url) {
    return problem({ status: 400, code: 'bad_request', title: 'Bad request', detail: 'The request target is not a valid URL path.' });
  }
  const match = router.match(req.method ?? 'GET', url.pathname);
  if (match.kind === 'not-found') {
    return problem({ status: 404, code: 'not_found', title: 'Not found', detail: `No endpoint at ${url.pathname}.` });
  }
  if (match.kind === 'method-not-allowed') {
    const allow = match.allow.join(', ');
    return problem({
      status: 405,
      code: 'method_not_allowed',
      title: 'Method not allowed',
      detail: `${req.method ?? ''} is not supported on ${url.pathname}; use ${allow}.`,
      headers: { allow },
    });
  }
  return match.handler({ req, res, url, params: match.params });
}

async function handle(router: Router, req: IncomingMessage, res: ServerResponse, hooks: ApiHooks): Promise<void> {
  for (const [name, value] of Object.entries(hooks.headers)) res.setHeader(name, value);
  const source = clientAddress(req);
  if (hooks.allowlist && !hooks.allowlist.allows(source)) {
    send(res, problem({ status: 403, code: 'source_not_allowed', title: 'Source address not allowed', detail: `Requests from ${source} are not on the API's IP allowlist.` }));
    return;
  }
  let reply: Reply | undefined;
  try {
    reply = await route(router, req, res);
  } catch (error) {
    if (error instanceof ProblemError) {
      if (error.closeConnection) res.setHeader('connection', 'close');
      reply = problem(error.problem);
    } else {
      reply = problem({ status: 500, code: 'internal_error', title: 'Internal error', detail: 'The sandbox failed to handle this request.' });
    }
  }
  if (!reply) return;
  hooks.records?.answered(req, reply.status);
  await hooks.log?.beforeReply(req, reply.status);
  const delay = hooks.delayFor?.(req, requestUrl(req)?.pathname ?? '/') ?? 0;
  if (delay > 0) await hold(res, delay);
  send(res, hooks.transform ? hooks.transform(reply) : reply);
}

/** Waits `ms`, or less if the connection goes away first (a client timeout, the sandbox closing). */
function hold(res: ServerResponse, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      res.off('close', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    res.once('close', done);
  });
}

/** What the API listener applies around routing: headers and allowlist first, the features' hooks after. */
export interface ApiHooks extends ApiPolicy {
  /** Reply-level faults (latin1, opaque-errors) change what is sent. */
  transform?: (reply: Reply) => Reply;
  /** The request log (pan-in-logs reads it). */
  log?: RequestLog;
  /** Added latency per request (latency option, slow-api, Sandbox-Delay). */
  delayFor?: DelayFor;
  /** The control API's per-request records (every API request gets one). */
  records?: OrderPlans;
}

/** The HTTPS API's request listener: security headers, IP allowlist, routing, problem+json for every error, the hooks. */
export function apiListener(router: Router, hooks: ApiHooks): RequestListener {
  const { log, records } = hooks;
  return (req, res) => {
    if (records) {
      records.begin(req);
      res.once('finish', () => records.answered(req, res.statusCode));
    }
    if (log) {
      log.begin(req);
      res.once('finish', () => log.finish(req, res));
    }
    // The sandbox runs inside the CLI's process: a failure while answering must never surface as
    // an unhandled rejection there, so the last resort is dropping this one connection.
    handle(router, req, res, hooks).catch(() => res.destroy());
  };
}

/** Plain-HTTP listener that sends every request to the same path on `baseUrl` with a 301. */
export function redirectListener(baseUrl: string): RequestListener {
  return (req, res) => {
    const url = requestUrl(req);
    const location = baseUrl + (url ? url.pathname + url.search : '/');
    const body = `This API is served over HTTPS only: ${location}\n`;
    res.writeHead(301, {
      location,
      'content-type': 'text/plain; charset=utf-8',
      'content-length': String(Buffer.byteLength(body)),
      'cache-control': 'no-store',
      server: SERVER_NAME,
    });
    res.end(body);
  };
}

/**
 * A listening server plus every socket it accepted, so `close()` can end keep-alive and
 * half-open connections at once instead of waiting for their timeouts.
 */
export class TrackedServer {
  private readonly sockets = new Set<Socket>();

  constructor(
    /** The node:http or node:https server. */
    readonly server: Server,
  ) {
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  /** Binds and resolves with the port actually bound (useful with port 0). */
  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error): void => reject(error);
      this.server.once('error', onError);
      this.server.listen({ port, host, exclusive: true }, () => {
        this.server.off('error', onError);
        const address = this.server.address();
        resolve(typeof address === 'object' && address ? address.port : port);
      });
    });
  }

  /** Destroys every open socket (the server goes on accepting new ones). */
  destroySockets(): void {
    for (const socket of this.sockets) socket.destroy();
  }

  /** Stops accepting, destroys every open socket and resolves once the server has closed. */
  close(): Promise<void> {
    if (!this.server.listening) {
      for (const socket of this.sockets) socket.destroy();
      return Promise.resolve();
    }
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    return closed;
  }
}
