import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROVIDER_NAMES, type ProviderName } from '../providers/names.js';
import { AdyenContext, DEFAULT_MERCHANT_ACCOUNT } from './adyen/context.js';
import { CHECKOUT_PATH } from './checkout/routes.js';
import type { SandboxContext } from './context.js';
import { OrderPlans } from './control/orders.js';
import { newControlToken, startControlServer } from './control/server.js';
import { TlsModes } from './control/tls.js';
import { FaultSet } from './faults.js';
import { GrantStore } from './oauth/grants.js';
import { writeSampleIntegration } from './oauth/integration.js';
import { AUTHORIZE_PATH, PAYMENT_SCOPES, TOKEN_PATH } from './oauth/routes.js';
import { TokenIssuer, generateSigningKey } from './oauth/tokens.js';
import { IdempotencyStore } from './payments/idempotency.js';
import { TRANSACTION_CAPS, capInMinorUnits } from './payments/limits.js';
import { PaymentStore } from './payments/store.js';
import { RequestLog } from './request-log.js';
import { STRIPE_MAX_AMOUNT } from './stripe/amounts.js';
import { buildRouter } from './routes.js';
import { SECURITY_HEADERS, TrackedServer, apiListener, redirectListener } from './server.js';
import { Allowlist, DEFAULT_ALLOWLIST } from './transport/allowlist.js';
import { LOOPBACK_HOSTNAMES, mintCertificateAuthority, mintServerCertificate } from './transport/certs.js';
import { Pacing } from './transport/pacing.js';
import { RATE_LIMIT_BURST, RATE_LIMIT_PATH } from './transport/rate-limit.js';
import { DEFAULT_DOWNLOAD_BYTES, SPEED_DOWN_PATH, SPEED_UP_PATH } from './transport/speed.js';
import { certificateOptions, tlsOptions } from './transport/tls-config.js';
import { Webhooks } from './webhooks/delivery.js';

export { FAULTS, UnknownFaultError, validateFaults, type FaultInfo } from './faults.js';

/** How to start a sandbox; every field is optional. */
export interface SandboxOptions {
  /** Address to bind, default '127.0.0.1'; a wildcard ('0.0.0.0', '::') is advertised as loopback. */
  host?: string;
  /** HTTPS API port, default 0 (a free port). */
  port?: number;
  /** Plain-HTTP port that 301-redirects to the HTTPS base URL, default 0 (a free port). */
  httpPort?: number;
  /** Fault names (`FAULTS` in faults.ts); an unknown name throws `UnknownFaultError` before anything starts. */
  faults?: string[];
  /** Demo OAuth client id, default 'payready-demo'. */
  clientId?: string;
  /** Demo client secret, default random. */
  clientSecret?: string;
  /** Directory for the CA PEM file, the request log and the sample integration (created if missing, kept by close()); default a temp dir close() removes. */
  stateDir?: string;
  /** Milliseconds added to every API response (a distant provider); default 0. */
  latencyMs?: number;
  /** Source addresses or CIDR ranges allowed to use the API, default 127.0.0.1 and ::1. */
  allowlist?: string[];
  /** Whose payments API to speak (`PROVIDER_NAMES`), default 'payready' (the tool's own API). */
  provider?: ProviderName;
  /** The API key the stripe and adyen dialects accept; default random (`sk_test_...` for stripe). */
  apiKey?: string;
  /** Adyen's notification HMAC key (hex), default random (32 bytes). */
  hmacKey?: string;
  /** Webhook receivers (loopback URLs) registered at start, signed with `webhookSecret` (stripe dialect). */
  webhookUrls?: string[];
}

/** A running sandbox. */
export interface Sandbox {
  /** HTTPS base URL, e.g. 'https://127.0.0.1:43211' (no trailing slash). */
  baseUrl: string;
  /** Plain-HTTP URL whose every path redirects to `baseUrl`. */
  httpUrl: string;
  /** Address clients connect to (loopback when bound to a wildcard). */
  host: string;
  /** HTTPS API port (reserved but refusing connections under the `down` fault). */
  port: number;
  /** Plain-HTTP redirect port. */
  httpPort: number;
  /** PEM of the CA minted at start; callers trust it explicitly and keep TLS verification on. */
  caPem: string;
  /** Path of a file holding `caPem`. */
  caFile: string;
  /** URL of the hosted checkout page. */
  checkoutUrl: string;
  /** The request log (JSON lines, in the state folder). */
  requestLog: string;
  /** A sample merchant integration's folder (in the state folder). */
  sourceDir: string;
  /** Demo OAuth client id. */
  clientId: string;
  /** Demo OAuth client secret. */
  clientSecret: string;
  /** The provider whose payments API this sandbox speaks. */
  provider: ProviderName;
  /** The API key the provider's dialect accepts (stripe, adyen); undefined for payready (OAuth bearer tokens). */
  apiKey: string | undefined;
  /** Signing secret (`whsec_...`) of the receivers given at start (`webhookUrls`); the stripe dialect signs with it. */
  webhookSecret: string;
  /** Adyen: the HMAC key (hex) notifications are signed with, until a webhook generates its own (also set, unused, for other dialects). */
  hmacKey: string;
  /** Adyen: the merchant account requests must name (`merchantAccount`); unused by other dialects. */
  merchantAccount: string;
  /** How a client registers a webhook receiver with this dialect, and how deliveries are signed. */
  webhooks: WebhookInfo;
  /** Every OAuth client, the demo client first; each has its own scopes (e.g. a read-only client). */
  clients: readonly SandboxClientInfo[];
  /** An access token of the demo client that expired an hour ago (for "expired token is refused" probes). */
  expiredToken: string;
  /** Active faults, in `FAULTS` order. */
  faults: readonly string[];
  /** The control API (plain HTTP, loopback, own port), e.g. 'http://127.0.0.1:41234' (no trailing slash). */
  controlUrl: string;
  /** Bearer token the control API requires (random per sandbox; a secret). */
  controlToken: string;
  /** Source addresses and ranges the API serves (ignored under `open-allowlist`). */
  allowlist: readonly string[];
  /** The `${target.x}` fields of an embedded environment (EMBEDDED_TARGET_FIELDS, `apiKey` too when the dialect has one, and the control API's `controlUrl` and `controlToken`). */
  targetFields(): Record<string, string | number>;
  /** Closes both servers, destroys open sockets, removes the temp state dir; idempotent. */
  close(): Promise<void>;
  /** Removes the temp state dir at once, synchronously (the process is exiting hard, with no time to close); nothing when the caller gave `stateDir`. */
  removeStateSync(): void;
}

/** How webhooks work in a dialect, for `payready sandbox --json` and its human output. */
export interface WebhookInfo {
  /** The API call that registers a receiver, e.g. `POST https://127.0.0.1:4321/v1/webhook_endpoints`. */
  register: string;
  /** What the registration takes. */
  fields: string;
  /** The header a delivery's signature is in. */
  signatureHeader: string;
  /** What the signature is, and which secret verifies it. */
  signature: string;
}

/** The webhook facts of each dialect (the adyen dialect's are filled in by it). */
function webhookInfo(provider: ProviderName, baseUrl: string): WebhookInfo {
  if (provider === 'adyen') {
    // Adyen's Management API v3: create the webhook, then generate its HMAC key (both X-API-Key).
    return {
      register: `POST ${baseUrl}/v3/merchants/${DEFAULT_MERCHANT_ACCOUNT}/webhooks, then POST ${baseUrl}/v3/merchants/${DEFAULT_MERCHANT_ACCOUNT}/webhooks/<id>/generateHmac`,
      fields: 'JSON { type: "standard", url (a loopback URL), active: true, communicationFormat: "json" } with X-API-Key; generateHmac answers { hmacKey } (until then: the sandbox\'s hmacKey); the receiver answers [accepted]',
      signatureHeader: 'none: additionalData.hmacSignature in each notification item',
      signature: 'Base64 HMAC-SHA256, with the hex-decoded key, of pspReference:originalReference:merchantAccountCode:merchantReference:value:currency:eventCode:success (@adyen/api-library HmacValidator)',
    };
  }
  if (provider === 'stripe') {
    return {
      register: `POST ${baseUrl}/v1/webhook_endpoints`,
      fields: 'url (a loopback URL), enabled_events[] (e.g. * or payment_intent.succeeded); the response holds the endpoint secret (whsec_...), once',
      signatureHeader: 'Stripe-Signature',
      signature: 't=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the endpoint secret> (stripe.webhooks.constructEvent); receivers given with --webhook-url: webhookSecret',
    };
  }
  return {
    register: `POST ${baseUrl}/v1/webhook-endpoints`,
    fields: 'JSON { url (a loopback URL), events (default ["*"]) } with a bearer token; the response holds the endpoint secret, once',
    signatureHeader: 'Payready-Signature',
    signature: 't=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the endpoint secret>',
  };
}

/** An OAuth client registered with the sandbox. */
export interface SandboxClientInfo {
  /** `client_id`. */
  id: string;
  /** `client_secret`. */
  secret: string;
  /** Scopes it may request. */
  scopes: readonly string[];
}

const DEFAULT_CLIENT_ID = 'payready-demo';
/** A second client that may only read payments, so scope enforcement per client can be shown. */
const READONLY_CLIENT_ID = 'payready-readonly';
// A loopback address outside the default allowlist: Linux routes all of 127.0.0.0/8 to lo, so a
// client can bind it as its source (the `ip-allowlist` check's `sourceAddress`).
const OUTSIDE_ADDRESS = '127.0.0.2';
const WILDCARD_HOSTS = new Set(['', '0.0.0.0', '::']);
const TOKEN_TTL_SECONDS = 3600;

/** A random API key in the shape the provider issues: Stripe's secret test keys start `sk_test_`. */
function defaultApiKey(provider: ProviderName): string | undefined {
  if (provider === 'stripe') return `sk_test_${randomBytes(24).toString('base64url').replace(/[-_]/g, '0')}`;
  if (provider === 'adyen') return randomBytes(36).toString('base64url');
  return undefined;
}

/** An unknown provider name. */
export class UnknownProviderError extends Error {
  override readonly name = 'UnknownProviderError';

  constructor(provider: string) {
    super(`unknown provider "${provider}"; valid providers: ${PROVIDER_NAMES.join(', ')}`);
  }
}
/** Currency the `transactionCap` and `dailyCap` target fields are expressed in (minor units). */
export const CAP_FIELDS_CURRENCY = 'EUR';

/**
 * The `transactionCap` and `dailyCap` target fields of a dialect. Stripe's cap is the documented
 * largest amount (99999999 minor units of any currency); it has no daily cap (that is account
 * configuration, not an API answer), so the field is absent.
 */
function caps(provider: ProviderName): { transactionCap: number; dailyCap?: number } {
  if (provider === 'stripe') return { transactionCap: STRIPE_MAX_AMOUNT };
  return { transactionCap: capInMinorUnits(TRANSACTION_CAPS.card.perTransaction, CAP_FIELDS_CURRENCY), dailyCap: capInMinorUnits(TRANSACTION_CAPS.card.daily, CAP_FIELDS_CURRENCY) };
}

/** Address a client should use to reach a server bound to `host`. */
function advertisedHost(host: string): string {
  if (!WILDCARD_HOSTS.has(host)) return host;
  return host === '::' ? '::1' : '127.0.0.1';
}

function urlFor(scheme: 'http' | 'https', host: string, port: number): string {
  return `${scheme}://${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
}

/** Starts the emulated provider: mints a CA and server certificate, binds both ports. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const faults = new FaultSet(options.faults ?? []);
  const allowlist = new Allowlist(options.allowlist ?? DEFAULT_ALLOWLIST);
  const bindHost = options.host ?? '127.0.0.1';
  const host = advertisedHost(bindHost);
  const clientId = options.clientId ?? DEFAULT_CLIENT_ID;
  const clientSecret = options.clientSecret ?? randomBytes(24).toString('base64url');
  const provider = options.provider ?? 'payready';
  if (!(PROVIDER_NAMES as readonly string[]).includes(provider)) throw new UnknownProviderError(provider);
  const apiKey = options.apiKey ?? defaultApiKey(provider);
  const hmacKey = options.hmacKey ?? randomBytes(32).toString('hex').toUpperCase();
  const webhookSecret = `whsec_${randomBytes(24).toString('base64url')}`;

  const [ca, signingKey, decoyKey] = await Promise.all([
    mintCertificateAuthority(),
    generateSigningKey(),
    faults.on('jwksDecoyKey') ? generateSigningKey() : Promise.resolve(undefined),
  ]);
  const hostnames = LOOPBACK_HOSTNAMES.includes(host) ? LOOPBACK_HOSTNAMES : [...LOOPBACK_HOSTNAMES, host];
  const certificate = certificateOptions(faults, hostnames);
  const serverCert = await mintServerCertificate(ca, certificate);

  // Undo whatever was set up if a later step fails (e.g. the port is taken).
  const cleanups: (() => Promise<void>)[] = [];
  const cleanup = async (): Promise<void> => {
    for (const step of cleanups.reverse()) await step().catch(() => undefined);
    cleanups.length = 0;
  };

  try {
    const ownsStateDir = options.stateDir === undefined;
    const stateDir = options.stateDir ?? (await mkdtemp(join(tmpdir(), 'payready-sandbox-')));
    if (ownsStateDir) cleanups.push(() => rm(stateDir, { recursive: true, force: true }));
    else await mkdir(stateDir, { recursive: true });
    const caFile = join(stateDir, 'ca.pem');
    await writeFile(caFile, ca.certPem, { mode: 0o644 });

    const tls = tlsOptions(faults);
    const api = new TrackedServer(
      createHttpsServer({
        key: serverCert.keyPem,
        cert: serverCert.certPem,
        ...tls,
        ALPNProtocols: ['http/1.1'],
      }),
    );
    cleanups.push(() => api.close());
    const port = await api.listen(options.port ?? 0, bindHost);
    const baseUrl = urlFor('https', host, port);

    const client = { id: clientId, secret: clientSecret, scopes: PAYMENT_SCOPES };
    const clients = [client, { id: READONLY_CLIENT_ID, secret: randomBytes(24).toString('base64url'), scopes: ['payments:read'] }];
    const tokens = new TokenIssuer(signingKey, {
      issuer: baseUrl,
      audience: `${baseUrl}/v1`,
      ttlSeconds: TOKEN_TTL_SECONDS,
      neverExpires: faults.on('tokensNeverExpire'),
      ...(decoyKey ? { decoyKey } : {}),
    });
    const orders = new OrderPlans();
    const requestLog = new RequestLog(join(stateDir, 'requests.jsonl'), faults, orders);
    cleanups.push(() => requestLog.close());
    const sourceDir = await writeSampleIntegration(join(stateDir, 'integration'), { baseUrl, clientId, clientSecret }, faults);
    const webhooks = new Webhooks(faults);
    cleanups.push(async () => webhooks.close());
    const adyen = provider === 'adyen' ? new AdyenContext(faults, { merchantAccount: DEFAULT_MERCHANT_ACCOUNT, hmacKey }) : undefined;
    if (adyen) cleanups.push(async () => adyen.close());
    const ctx: SandboxContext = {
      baseUrl,
      provider,
      apiKey,
      webhookSecret,
      webhookUrls: options.webhookUrls ?? [],
      faults,
      tokens,
      payments: new PaymentStore(),
      client,
      clients,
      grants: new GrantStore(),
      user: { id: 'user_test', name: 'Zoë Łukasz' },
      requestLog,
      idempotency: new IdempotencyStore(faults),
      webhooks,
      pacing: new Pacing(faults, options.latencyMs ?? 0),
      orders,
      ...(adyen ? { adyen } : {}),
    };
    // Sign and verify one token now: the first use of the signing key is slow, and it belongs to
    // start-up, not to the latency of the first client's request.
    await ctx.tokens.verify((await ctx.tokens.issue(clientId, PAYMENT_SCOPES)).accessToken);
    const expired = await tokens.issue(client.id, client.scopes, { issuedAt: Math.floor(Date.now() / 1000) - 2 * TOKEN_TTL_SECONDS, ttlSeconds: TOKEN_TTL_SECONDS });
    const listener = apiListener(buildRouter(ctx), {
      ...faults.apply('apiPolicy', { headers: SECURITY_HEADERS, allowlist }),
      transform: (reply) => faults.apply('reply', reply),
      log: requestLog,
      records: orders,
      delayFor: (req, pathname) => ctx.pacing.delayFor(req, pathname) + orders.delayFor(req),
    });
    api.server.on('request', listener);
    if (faults.on('apiPortClosed')) await api.close();
    const redirect = new TrackedServer(createHttpServer(faults.on('plainHttpServesApi') ? listener : redirectListener(baseUrl)));
    cleanups.push(() => redirect.close());
    const httpPort = await redirect.listen(options.httpPort ?? 0, bindHost);
    const httpUrl = urlFor('http', host, httpPort);
    const controlToken = newControlToken();
    const tlsModes = new TlsModes({ api, ca, certificate, keyPem: serverCert.keyPem, certPem: serverCert.certPem, tls });
    const control = await startControlServer({ host, bindHost, token: controlToken, orders, tls: tlsModes });
    cleanups.push(() => control.close());
    const controlUrl = control.url;

    let closing: Promise<void> | undefined;
    return {
      baseUrl,
      httpUrl,
      host,
      port,
      httpPort,
      caPem: ca.certPem,
      caFile,
      checkoutUrl: baseUrl + CHECKOUT_PATH,
      requestLog: requestLog.path,
      sourceDir,
      clientId,
      clientSecret,
      provider,
      apiKey,
      webhookSecret,
      webhooks: webhookInfo(provider, baseUrl),
      clients: clients.map((c) => ({ ...c, scopes: [...c.scopes] })),
      expiredToken: expired.accessToken,
      faults: faults.list(),
      controlUrl,
      controlToken,
      allowlist: allowlist.entries,
      merchantAccount: DEFAULT_MERCHANT_ACCOUNT,
      hmacKey,
      targetFields: () => ({
        baseUrl,
        host,
        port,
        httpUrl,
        httpPort,
        caFile,
        issuer: baseUrl,
        tokenUrl: baseUrl + TOKEN_PATH,
        authorizationUrl: baseUrl + AUTHORIZE_PATH,
        openapiUrl: `${baseUrl}/openapi.json`,
        checkoutUrl: baseUrl + CHECKOUT_PATH,
        requestLog: requestLog.path,
        sourceDir,
        ...caps(provider),
        downloadUrl: `${baseUrl}${SPEED_DOWN_PATH}?bytes=${DEFAULT_DOWNLOAD_BYTES}`,
        uploadUrl: baseUrl + SPEED_UP_PATH,
        rateLimitUrl: baseUrl + RATE_LIMIT_PATH,
        rateLimit: RATE_LIMIT_BURST,
        outsideAddress: OUTSIDE_ADDRESS,
        provider,
        ...(provider === 'adyen' ? { merchantAccount: DEFAULT_MERCHANT_ACCOUNT } : {}),
        controlUrl,
        // Credentials: the runner redacts them like the client secret (src/cli/session.ts).
        controlToken,
        ...(apiKey === undefined ? {} : { apiKey }),
        webhookSecret,
      }),
      close: () => (closing ??= cleanup()),
      removeStateSync: () => {
        if (ownsStateDir) rmSync(stateDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
