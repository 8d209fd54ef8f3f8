import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MessageData } from '../../model/messages.js';
import { messenger } from '../shared/messages.js';
import type { CheckContext } from '../types.js';
import { netMessage, type OAuthExchange } from './exchange.js';
import { messages } from './messages.js';
import type { MessageId, Said } from './types.js';

const say = messenger(messages);

/** Why no code came back: the message (an `error` summary of the check) and its words. */
type Failed = { kind: 'failed'; said: Said; message: string };

/** A failure in the words of message `id`. */
function failed(id: MessageId, data: MessageData = {}): Failed {
  return { kind: 'failed', said: { id, data }, message: say.text(id, data) };
}

/** What one authorization request (RFC 6749 §4.1) came back with. */
export type AuthorizationResult =
  | { kind: 'code'; code: string; verifier: string; redirectUri: string; stateMatches: boolean; iss: string | undefined }
  | { kind: 'error'; error: string; description: string }
  | { kind: 'needs-person'; reason: string }
  | Failed;

/** A PKCE verifier and its S256 challenge (RFC 7636 §4.1-4.2). */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier, 'ascii').digest('base64url') };
}

const MAX_HOPS = 5;

/**
 * Runs the authorization step of the authorization_code flow with PKCE S256. It first asks the
 * authorization endpoint without a browser, following its redirects: a server that approves a
 * test user at once (the sandbox) sends the code straight to the redirect URI. A real provider
 * shows a sign-in page instead; then, with a person at the terminal (`ctx.prompt`), the URL is
 * printed and a loopback listener (RFC 8252 §7.3) waits for the browser's redirect.
 */
export class Authorizer {
  private server: Server | undefined;
  private redirectUri: string | undefined;
  private readonly waiting = new Map<string, (query: URLSearchParams) => void>();

  constructor(
    private readonly ctx: CheckContext,
    private readonly exchange: OAuthExchange,
    private readonly endpoint: string,
    private readonly requestedRedirect: string,
    private readonly extra: Record<string, string>,
  ) {}

  /** Opens the loopback listener (once) and returns the redirect URI with its real port. */
  private async listen(): Promise<string> {
    if (this.redirectUri) return this.redirectUri;
    const wanted = new URL(this.requestedRedirect);
    const server = createServer((req, res) => {
      const query = new URL(req.url ?? '/', wanted.origin).searchParams;
      const resolve = this.waiting.get(query.get('state') ?? '');
      res.writeHead(resolve ? 200 : 400, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
      res.end(resolve ? 'payready received the authorization response; you can close this window.\n' : 'Unexpected request.\n');
      resolve?.(query);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(Number(wanted.port || 0), wanted.hostname.replace(/^\[|\]$/g, ''), () => resolve());
    });
    this.server = server;
    wanted.port = String((server.address() as AddressInfo).port);
    this.redirectUri = wanted.toString();
    return this.redirectUri;
  }

  /** One authorization request; `scope` overrides the check's scope (a probe). */
  async authorize(scope: string | undefined): Promise<AuthorizationResult> {
    let redirectUri: string;
    try {
      redirectUri = await this.listen();
    } catch (error) {
      return failed('listenFailed', { uri: this.requestedRedirect, cause: (error as Error).message });
    }
    const { verifier, challenge } = pkcePair();
    const state = randomBytes(16).toString('base64url');
    const url = new URL(this.endpoint);
    const params: Record<string, string> = { response_type: 'code', client_id: this.exchange.client.id, redirect_uri: redirectUri, code_challenge: challenge, code_challenge_method: 'S256', state, ...this.extra, ...(scope ? { scope } : {}) };
    for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
    this.exchange.secret(verifier);

    const headless = await this.headless(url.toString(), redirectUri);
    if (headless.kind === 'failed') return headless;
    if (headless.kind === 'page') {
      if (!this.ctx.prompt) return { kind: 'needs-person', reason: headless.reason };
      const received = new Promise<URLSearchParams | undefined>((resolve) => {
        this.waiting.set(state, resolve);
        this.ctx.signal.addEventListener('abort', () => resolve(undefined), { once: true });
      });
      this.ctx.prompt(`Sign in to authorize payready (check ${this.ctx.checkId}): open\n  ${url.toString()}\nWaiting for the redirect to ${redirectUri} ...`);
      const answer = await received;
      this.waiting.delete(state);
      if (!answer) return failed('signInTimedOut');
      return this.result(answer, state, verifier, redirectUri);
    }
    return this.result(headless.query, state, verifier, redirectUri);
  }

  private result(query: URLSearchParams, state: string, verifier: string, redirectUri: string): AuthorizationResult {
    const code = query.get('code');
    this.exchange.secret(code);
    if (!code) return { kind: 'error', error: query.get('error') ?? 'no code', description: query.get('error_description') ?? '' };
    return { kind: 'code', code, verifier, redirectUri, stateMatches: query.get('state') === state, iss: query.get('iss') ?? undefined };
  }

  /** Follows the authorization endpoint's redirects without a browser until one reaches `redirectUri`. */
  private async headless(start: string, redirectUri: string): Promise<{ kind: 'redirect'; query: URLSearchParams } | { kind: 'page'; reason: string } | Failed> {
    const target = new URL(redirectUri);
    let url = start;
    for (let hop = 0; hop < MAX_HOPS; hop++) {
      let response;
      try {
        response = await this.exchange.get(url);
      } catch (error) {
        return failed('authorizationUnreachable', { cause: netMessage(error) });
      }
      const location = response.header('location');
      if (response.status < 300 || response.status >= 400 || !location) {
        if (response.status >= 400) {
          const error = response.json?.error;
          return failed('authorizationAnswered', { status: response.status, error: typeof error === 'string' ? ` ${error}` : '' });
        }
        return { kind: 'page', reason: say.text('signInPage', { status: response.status }) };
      }
      const next = new URL(location, url);
      if (next.origin === target.origin && next.pathname === target.pathname) return { kind: 'redirect', query: next.searchParams };
      url = next.toString();
    }
    return { kind: 'page', reason: say.text('tooManyRedirects', { max: MAX_HOPS }) };
  }

  /** Closes the loopback listener. */
  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
