import { randomUUID } from 'node:crypto';
import type { Messages } from '../../model/messages.js';
import type { CheckContext } from '../types.js';
import { NetError } from '../../net/errors.js';
import type { HttpResponse } from '../../net/http.js';
import { transcript } from '../../net/transcript.js';
import { formatMoney } from '../../money.js';
import { errorFields } from '../shared/error-body.js';
import { NO_SUCH_PATH, noSuchPath } from '../shared/no-such-path.js';
import { sleep } from '../../sleep.js';
import { ScenarioError } from './errors.js';

/** What the API layer can end a scenario with (spread into the type's table by messages.ts). */
export const apiMessages = {
  liveWithoutMax: {
    status: 'error',
    text: '{scenario}: refused: {what} would move {amount} on live environment "{environment}" and the suite sets no liveMaxAmount',
    fix: 'Run money-moving scenarios on a sandbox environment, or set liveMaxAmount in the suite to the most a scenario may move on this one.',
  },
  liveAboveMax: {
    status: 'error',
    text: '{scenario}: refused: {what} would send {amount} to live environment "{environment}", above liveMaxAmount ({max})',
    fix: 'Give the scenario amounts (amount, cap, dailyCap) at or below liveMaxAmount, or run it on a sandbox environment.',
  },
  tokenUnreachable: {
    status: 'error',
    text: '{scenario}: could not get an access token from {tokenUrl}: {cause}',
    fix: 'Make the token endpoint reachable from where payready runs (the cause quotes the network error), or give the check a token.',
  },
  credentialsRefused: {
    status: 'error',
    text: "{scenario}: {tokenUrl} refused the suite's own client credentials with {status}{error}{description}: check the clientId and clientSecret the check is given",
    fix: "Give the check the client id and secret of a client the provider knows (the suite's secrets), or a token.",
  },
  tokenRefused: {
    status: 'error',
    text: '{scenario}: could not get an access token from {tokenUrl}: it answered {status}{error}{description}',
    fix: 'Fix the token endpoint (it must answer 200 with an access_token to client_credentials), or give the check a token.',
  },
  noSuchPath: {
    status: 'error',
    text: '{scenario}: {detail}',
    fix: "Point the check's baseUrl (or tokenUrl) at the API of the provider the check names (provider:, its profile's paths: docs/providers.md), e.g. `payready sandbox --provider stripe`; the summary quotes the URL and what it answered.",
  },
} as const satisfies Messages;

/**
 * The 4xx statuses a provoked refusal may have (what a scenario passes as `expected`); not 401 or
 * 403 (no access: nothing can be judged), not 404 or 405 (a path the API does not have: the
 * suite's setup, see `NoSuchPathError`) and not 429 (come back later: retried).
 */
export const CLIENT_ERRORS: readonly number[] = Array.from({ length: 100 }, (_, i) => 400 + i).filter((status) => ![401, 403, 404, 405, 429].includes(status));


/** How the check authenticates to the payments API (the profile's auth scheme, with the suite's credentials). */
export type ApiAuth =
  | { kind: 'token'; token: string }
  | { kind: 'client'; tokenUrl: string; clientId: string; clientSecret: string }
  | { kind: 'header'; header: string; key: string }
  | { kind: 'none' };

/** A request body as sent: its text and media type (JSON, or a form). */
export interface Encoded {
  /** The body text. */
  text: string;
  /** Its Content-Type. */
  contentType: string;
}

/** One exchange, as a scenario reads it. */
export interface ApiResult {
  /** HTTP status, undefined when no answer came (timeout, refused...). */
  status?: number;
  /** Body parsed as JSON (undefined when empty or not JSON). */
  body?: Record<string, unknown>;
  /** Response headers (lower-case names). */
  headers: Record<string, string | string[]>;
  /** Milliseconds the exchange took (the last attempt). */
  durationMs: number;
  /** The network failure when no answer came. */
  error?: NetError;
}

/** Options of one call. */
export interface CallOptions {
  /** Idempotency-Key to send (a fresh UUID by default on POST). */
  idempotencyKey?: string;
  /** Statuses provoked on purpose (recorded as expected in the interaction log, not retried). */
  expectStatus?: readonly number[];
  /** A timeout provoked on purpose. */
  expectTimeout?: boolean;
  /** Tighter timeout for this call, in milliseconds. */
  timeoutMs?: number;
  /** Extra request headers. */
  headers?: Record<string, string>;
}

/** Statuses worth a retry: the provider says it did nothing and asks to come back. */
const RETRY_STATUSES = new Set([429, 503]);
/** Longest Retry-After honoured, in seconds (a check has a timeout to keep). */
const MAX_RETRY_AFTER_S = 2;

/**
 * The payments API as a `transaction` scenario uses it: bearer authentication (a given token, or
 * client credentials exchanged once), an Idempotency-Key on every POST, retries of 503/429 with
 * the same key (what a robust integration does), the live-amount guard, and a transcript of every
 * exchange, which is the scenario's evidence.
 */
export class PaymentsApi {
  /** Every exchange, as an HTTP transcript, in order. */
  readonly transcript: string[] = [];
  /** Number of exchanges made (retries included). */
  calls = 0;
  /** Secrets obtained during the run (a token from client credentials), for redaction. */
  readonly secrets: string[] = [];
  private token: string | undefined;
  /** The key or endpoint is the provider's live mode (whatever the environment says): amounts are guarded. */
  live = false;

  constructor(
    private readonly ctx: CheckContext,
    /** Base URL of the API, without a trailing slash. */
    readonly baseUrl: string,
    private readonly auth: ApiAuth,
    private readonly retries: number,
    /** The provider's idempotency key header (lower case). */
    private readonly idempotencyHeader = 'idempotency-key',
  ) {}

  /** Refuses an amount a live target must not see (money moves on a live target only within liveMaxAmount). */
  guard(value: number, currency: string, what: string): void {
    if (this.ctx.target.sandbox && !this.live) return;
    const max = this.ctx.liveMaxAmount;
    const words = { what, amount: formatMoney(value, currency), environment: this.ctx.target.name };
    if (max === undefined) throw new ScenarioError('liveWithoutMax', words);
    if (value > max) throw new ScenarioError('liveAboveMax', { ...words, max: formatMoney(max, currency) });
  }

  /** Sends one logical call (a path under the base URL, or a whole URL), retrying 503/429 with the same idempotency key. */
  async call(method: string, path: string, body: Encoded | undefined, options: CallOptions = {}): Promise<ApiResult> {
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    const authorization = await this.authorization();
    if (authorization) headers[authorization.header] = authorization.value;
    if (method === 'POST') headers[this.idempotencyHeader] = options.idempotencyKey ?? randomUUID();
    const url = /^https?:\/\//.test(path) ? path : `${this.baseUrl}${path}`;
    for (let attempt = 0; ; attempt++) {
      const result = await this.exchange(method, url, headers, body, options);
      if (result.status !== undefined && NO_SUCH_PATH.has(result.status) && !options.expectStatus?.includes(result.status)) throw new NoSuchPathError(method, url, { ...result, status: result.status }, this.baseUrl);
      const retry = attempt < this.retries && result.status !== undefined && RETRY_STATUSES.has(result.status) && !options.expectStatus?.includes(result.status);
      if (!retry) return result;
      const after = Number(firstHeader(result.headers, 'retry-after'));
      const waitMs = Number.isFinite(after) && after >= 0 ? Math.min(after, MAX_RETRY_AFTER_S) * 1000 : 200 * 2 ** attempt;
      this.ctx.log.debug(`${method} ${path} answered ${result.status}; retrying in ${waitMs} ms with the same Idempotency-Key`);
      await sleep(waitMs, this.ctx.signal);
    }
  }

  private async exchange(method: string, url: string, headers: Record<string, string>, body: Encoded | undefined, options: CallOptions): Promise<ApiResult> {
    this.calls += 1;
    const request = { method, url, headers: body === undefined ? headers : { ...headers, 'content-type': body.contentType }, ...(body !== undefined ? { body: body.text } : {}) };
    let response: HttpResponse;
    const started = performance.now();
    try {
      response = await this.ctx.http.request({
        ...request,
        ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
        ...(options.expectStatus || options.expectTimeout ? { expected: { ...(options.expectStatus ? { status: options.expectStatus } : {}), ...(options.expectTimeout ? { error: 'timeout' as const } : {}) } } : {}),
      });
    } catch (err) {
      if (!(err instanceof NetError)) throw err;
      this.transcript.push(`${transcript(request, undefined)}! no response: ${err.message}\n`);
      return { headers: {}, durationMs: performance.now() - started, error: err };
    }
    this.transcript.push(transcript(request, response));
    return { status: response.status, body: parseObject(response.text()), headers: response.headers, durationMs: response.durationMs };
  }

  private async authorization(): Promise<{ header: string; value: string } | undefined> {
    if (this.auth.kind === 'none') return undefined;
    if (this.auth.kind === 'token') return { header: 'authorization', value: `Bearer ${this.auth.token}` };
    if (this.auth.kind === 'header') return { header: this.auth.header.toLowerCase(), value: this.auth.key };
    if (this.token === undefined) {
      const { tokenUrl, clientId, clientSecret } = this.auth;
      const encode = (value: string): string => encodeURIComponent(value).replaceAll('%20', '+');
      const basic = Buffer.from(`${encode(clientId)}:${encode(clientSecret)}`).toString('base64');
      const response = await this.ctx.http.request({ method: 'POST', url: tokenUrl, headers: { authorization: `Basic ${basic}` }, form: { grant_type: 'client_credentials' } }).catch((err: unknown) => {
        throw err instanceof NetError ? new ScenarioError('tokenUnreachable', { tokenUrl, cause: err.message }) : err;
      });
      this.calls += 1;
      const answer = parseObject(response.text());
      if (NO_SUCH_PATH.has(response.status)) {
        const result = { status: response.status, body: answer, headers: response.headers, durationMs: response.durationMs };
        throw new NoSuchPathError('POST', tokenUrl, result, undefined);
      }
      const token = answer?.['access_token'];
      if (response.status !== 200 || typeof token !== 'string') {
        const error = typeof answer?.['error'] === 'string' ? ` ${answer['error']}` : '';
        const description = typeof answer?.['error_description'] === 'string' ? ` ("${answer['error_description']}")` : '';
        // RFC 6749 §5.2: "invalid_client: Client authentication failed (e.g., unknown client, no
        // client authentication included, or unsupported authentication method)" — with 401 when
        // the client authenticated with a header. The suite's own credentials are wrong: setup.
        const said = { tokenUrl, status: response.status, error, description };
        if (response.status === 401 || answer?.['error'] === 'invalid_client') throw new ScenarioError('credentialsRefused', said, { setup: true });
        throw new ScenarioError('tokenRefused', said);
      }
      this.token = token;
      this.secrets.push(token);
    }
    return { header: 'authorization', value: `Bearer ${this.token}` };
  }
}

/**
 * A scenario's endpoint answered 404 or 405: the request reached an API that has no such path (or
 * not for this method). That is the suite's setup (its base URL, or a target that speaks another
 * API than the scenarios), not a verdict on the target: the check ends as `error`, cause `setup`.
 */
export class NoSuchPathError extends ScenarioError {
  override readonly name = 'NoSuchPathError';

  constructor(method: string, url: string, result: ApiResult & { status: number }, baseUrl: string | undefined) {
    const check = baseUrl
      ? `check the base URL (now ${baseUrl}: the check's baseUrl, else the environment's) and that the target speaks the API of the provider the check names (provider:, else the environment's provider, else payready: POST /v1/payments, as \`payready sandbox\` does)`
      : `check the token URL (the check's tokenUrl, else the environment's tokenUrl, else <baseUrl>/oauth/token)`;
    const allow = firstHeader(result.headers, 'allow');
    super('noSuchPath', { detail: noSuchPath(method, url, { status: result.status, body: result.body, ...(allow ? { allow } : {}) }, check) }, { setup: true });
  }
}

/** "answered 422 transaction_cap_exceeded", "failed: timed out after 500 ms talking to host:port". */
export function answered(result: ApiResult): string {
  if (result.error) return `failed: ${result.error.message}`;
  const code = errorFields(result.body).code ?? (typeof result.body?.['code'] === 'string' ? result.body['code'] : undefined);
  return `answered ${result.status}${code !== undefined ? ` ${code}` : ''}`;
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function firstHeader(headers: Record<string, string | string[]>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
