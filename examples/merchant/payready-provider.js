import { readFileSync } from 'node:fs';
import { Agent, request as httpsRequest } from 'node:https';
import { rootCertificates } from 'node:tls';
import { cardNumberOf } from './cards.js';
import { isTlsError, retryAfterMs } from './provider.js';

/** @typedef {import('./provider.js').Provider} Provider */
/** @typedef {import('./provider.js').Outcome} Outcome */
/** @typedef {import('./config.js').PayreadySettings} PayreadySettings */
/** @typedef {import('./log.js').Logger} Logger */

/** A token is renewed this long before it expires, so it never expires in flight. */
const EXPIRY_MARGIN_MS = 30_000;

/**
 * @typedef {object} HttpAnswer
 * @property {number} status
 * @property {import('node:http').IncomingHttpHeaders} headers
 * @property {Record<string, unknown>} body
 */

/** Thrown when the API refuses the bearer token (`401`, `WWW-Authenticate: Bearer error="invalid_token"`). */
class InvalidToken extends Error {}

/**
 * payready's own dialect (`payready sandbox`): OAuth 2.0 client credentials, JSON payments that
 * take the card details, authorise then capture. Node's https module, no other dependency.
 * @param {PayreadySettings} settings
 * @param {ReadonlySet<string>} breaks
 * @param {Logger} log
 * @returns {Provider}
 */
export function payreadyProvider(settings, breaks, log) {
  const agent = new Agent({
    keepAlive: true,
    ...(settings.caFile ? { ca: [...rootCertificates, readFileSync(settings.caFile, 'utf8')] } : {}),
    ...(breaks.has('tls-off') ? { rejectUnauthorized: false } : {}),
  });

  /** @type {{ value: string, expiresAt: number } | undefined} */
  let token;
  /** @type {Promise<string> | undefined} */
  let fetching;

  /**
   * One HTTPS request with a JSON or form body.
   * @param {URL} url
   * @param {string} method
   * @param {Record<string, string>} headers
   * @param {string | undefined} body
   * @returns {Promise<HttpAnswer>}
   */
  function call(url, method, headers, body) {
    return new Promise((resolve, reject) => {
      const req = httpsRequest(url, { method, agent, headers: { accept: 'application/json', ...headers }, timeout: settings.timeoutMs }, (res) => {
        /** @type {Buffer[]} */
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          /** @type {Record<string, unknown>} */
          let parsed = {};
          try {
            parsed = text ? JSON.parse(text) : {};
          } catch {
            parsed = { detail: text.slice(0, 200) };
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed });
        });
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer within ${settings.timeoutMs} ms`), { code: 'ETIMEDOUT' })));
      req.on('error', reject);
      req.end(body);
    });
  }

  /**
   * An access token: the cached one until shortly before it expires (one token serves many
   * payments), else a new one from the token endpoint. BREAK=token-per-request: always new.
   * @param {boolean} renew  the API refused the cached one
   */
  async function accessToken(renew) {
    if (renew || breaks.has('token-per-request')) token = undefined;
    if (token && Date.now() < token.expiresAt - EXPIRY_MARGIN_MS) return token.value;
    // Concurrent checkouts share one token request.
    fetching ??= fetchToken().finally(() => (fetching = undefined));
    return fetching;
  }

  async function fetchToken() {
    const basic = Buffer.from(`${encodeURIComponent(settings.clientId)}:${encodeURIComponent(settings.clientSecret)}`).toString('base64');
    const answer = await call(settings.tokenUrl, 'POST', { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' }, new URLSearchParams({ grant_type: 'client_credentials' }).toString());
    const value = answer.body['access_token'];
    if (answer.status !== 200 || typeof value !== 'string') throw new Error(`the token endpoint answered ${answer.status} ${String(answer.body['error'] ?? '')}`);
    const expiresIn = typeof answer.body['expires_in'] === 'number' ? answer.body['expires_in'] : 300;
    token = { value, expiresAt: Date.now() + expiresIn * 1000 };
    log.info('access token fetched', { expiresIn });
    return value;
  }

  /**
   * An authenticated API call; a token the API calls invalid is replaced once and the call repeated.
   * @param {string} path
   * @param {unknown} body
   * @param {string | undefined} idempotencyKey
   * @returns {Promise<HttpAnswer>}
   */
  async function api(path, body, idempotencyKey) {
    for (let renew = false; ; renew = true) {
      const bearer = await accessToken(renew);
      const url = new URL(path, settings.apiBase);
      // BREAK=credential-in-url: the token also rides in the query, where proxies and logs keep it.
      if (breaks.has('credential-in-url')) url.searchParams.set('access_token', bearer);
      const headers = {
        authorization: `Bearer ${bearer}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
      };
      const answer = await call(url, body === undefined ? 'GET' : 'POST', headers, body === undefined ? undefined : JSON.stringify(body));
      const challenge = String(answer.headers['www-authenticate'] ?? '');
      if (answer.status !== 401 || !/invalid_token/.test(challenge)) return answer;
      if (renew) throw new InvalidToken('the API refused a fresh access token');
      log.warn('access token refused, fetching a new one');
    }
  }

  /**
   * Runs an API step, sorting transport errors and statuses into outcomes.
   * @param {() => Promise<HttpAnswer>} step
   * @returns {Promise<HttpAnswer | Outcome>}
   */
  async function attempt(step) {
    try {
      const answer = await step();
      if (answer.status === 429 || answer.status === 409 || answer.status >= 500) {
        return { kind: 'retryable', reason: `HTTP ${answer.status} ${String(answer.body['code'] ?? '')}`, retryAfterMs: retryAfterMs(answer.headers['retry-after']) };
      }
      return answer;
    } catch (error) {
      if (isTlsError(error)) return { kind: 'failed', reason: 'tls', detail: error instanceof Error ? error.message : String(error) };
      if (error instanceof InvalidToken) return { kind: 'failed', reason: 'rejected', detail: error.message };
      return { kind: 'retryable', reason: error instanceof Error ? error.message : String(error), retryAfterMs: undefined };
    }
  }

  /** @param {HttpAnswer} answer */
  const problem = (answer) => `HTTP ${answer.status} ${String(answer.body['code'] ?? '')}: ${String(answer.body['detail'] ?? '')}`;

  return {
    name: 'payready',
    async pay(request) {
      const number = cardNumberOf(request.paymentMethod);
      if (!number) return { kind: 'failed', reason: 'rejected', detail: `no card behind ${request.paymentMethod}` };
      const body = {
        amount: { value: request.amount, currency: request.currency.toUpperCase() },
        paymentMethod: { type: 'card', number, expiryMonth: 12, expiryYear: new Date().getUTCFullYear() + 3, cvc: '123' },
        reference: request.orderId,
      };
      const created = await attempt(() => api('/v1/payments', body, request.idempotencyKey));
      if ('kind' in created) return created;
      const paymentId = typeof created.body['id'] === 'string' ? created.body['id'] : typeof created.body['paymentId'] === 'string' ? created.body['paymentId'] : undefined;
      if (created.status === 402) {
        return { kind: 'declined', paymentId, code: 'card_declined', declineCode: typeof created.body['declineCode'] === 'string' ? created.body['declineCode'] : undefined, providerMessage: String(created.body['detail'] ?? '') };
      }
      if (created.status === 422 && created.body['code'] === 'transaction_cap_exceeded') return { kind: 'over-cap', providerMessage: String(created.body['detail'] ?? '') };
      if (created.status !== 201 || !paymentId) return { kind: 'failed', reason: 'rejected', detail: problem(created) };
      // Authorised: take the money. A capture has its own key, the same on every retry.
      const captured = await attempt(() => api(`/v1/payments/${encodeURIComponent(paymentId)}/capture`, {}, request.idempotencyKey && `${request.idempotencyKey}-capture`));
      if ('kind' in captured) return captured;
      if (captured.status !== 200) return { kind: 'failed', reason: 'rejected', detail: problem(captured) };
      return { kind: 'succeeded', paymentId };
    },
    async refund(paymentId, idempotencyKey) {
      const answer = await attempt(() => api(`/v1/payments/${encodeURIComponent(paymentId)}/refunds`, {}, idempotencyKey));
      if ('kind' in answer) return answer;
      return answer.status === 201 ? { kind: 'succeeded', paymentId } : { kind: 'failed', reason: 'rejected', detail: problem(answer) };
    },
    async retrieve(paymentId) {
      const answer = await api(`/v1/payments/${encodeURIComponent(paymentId)}`, undefined, undefined);
      if (answer.status !== 200) throw new Error(problem(answer));
      const status = String(answer.body['status'] ?? '');
      return {
        paymentId,
        orderId: typeof answer.body['reference'] === 'string' ? answer.body['reference'] : undefined,
        status: status === 'captured' || status === 'authorised' ? 'succeeded' : status === 'declined' ? 'failed' : status === 'cancelled' ? 'canceled' : 'processing',
        failureCode: typeof answer.body['declineCode'] === 'string' ? answer.body['declineCode'] : undefined,
      };
    },
  };
}
