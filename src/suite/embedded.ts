/**
 * What the built-in sandbox provides to a suite environment marked `embedded: true`, declared
 * with the suite (which never imports the sandbox) so that `validate` can check references
 * cheaply; test/sandbox/server.test.ts holds the sandbox to this list.
 */

import type { ProviderName } from '../providers/names.js';

/**
 * Environment variables the embedded sandbox fills when they are not set (its demo credentials;
 * `PAYREADY_API_KEY` only when it speaks a provider that takes an API key).
 */
export const EMBEDDED_ENV_NAMES: readonly string[] = ['PAYREADY_CLIENT_ID', 'PAYREADY_CLIENT_SECRET', 'PAYREADY_EXPIRED_TOKEN'];

/** Providers whose embedded dialect takes an API key (`${target.apiKey}`, `PAYREADY_API_KEY`): a secret, redacted like the client secret. */
export const API_KEY_PROVIDERS: readonly ProviderName[] = ['stripe', 'adyen'];

/** The environment variable the embedded sandbox's API key is in. */
export const API_KEY_ENV = 'PAYREADY_API_KEY';

/** The `${target.x}` field holding the embedded sandbox's API key (never declared by hand: it is a secret). */
export const API_KEY_FIELD = 'apiKey';

/**
 * `${target.x}` fields every embedded sandbox fills that an environment never declares: the
 * signing secret of the webhook receivers it was started with, and its control API's URL and
 * token (the secrets are redacted like the client secret).
 */
export const EMBEDDED_UNDECLARED_FIELDS: readonly string[] = ['webhookSecret', 'controlUrl', 'controlToken'];

/** The embedded sandbox's dialect an environment asks for: `embedded: true` is payready's own API. */
export function embeddedProvider(embedded: unknown): ProviderName | undefined {
  if (embedded === true) return 'payready';
  if (embedded !== null && typeof embedded === 'object' && !Array.isArray(embedded)) {
    const provider = (embedded as { provider?: ProviderName }).provider;
    return provider ?? 'payready';
  }
  return undefined;
}

/**
 * `${target.x}` fields the embedded sandbox fills once started, with what each holds. A suite's
 * other environments declare the same names for a real provider (`src/suite/environment-keys.ts`),
 * so a check reads `${target.tokenUrl}` whichever environment runs.
 */
export const EMBEDDED_TARGET_FIELD_DOCS: Readonly<Record<string, string>> = {
  baseUrl: 'Base URL of the API, e.g. `https://api.example.com` (the sandbox: https://127.0.0.1:<port>).',
  host: 'Host name of the API, e.g. `api.example.com`.',
  port: 'HTTPS port of the API, e.g. 443.',
  httpUrl: 'Plain-HTTP URL of the API host (the sandbox redirects it to HTTPS).',
  httpPort: 'Plain-HTTP port, e.g. 80 (what a `tls` check with httpsOnly probes).',
  caFile: "PEM file of the embedded sandbox's certificate authority (another environment names its CA with `ca:`).",
  issuer: 'OAuth 2.0 issuer (RFC 8414 discovery starts here).',
  tokenUrl: 'OAuth 2.0 token endpoint.',
  authorizationUrl: 'OAuth 2.0 authorization endpoint.',
  openapiUrl: "The provider's OpenAPI document (URL or file).",
  checkoutUrl: 'The checkout page the `ui` check drives.',
  requestLog: 'Request or application logs the `pan-scan` check reads (file, folder or glob; .gz too).',
  sourceDir: 'Source of the integration the `secrets` check scans.',
  transactionCap: "The provider's per-transaction cap, in minor units.",
  dailyCap: "The provider's daily cap, in minor units.",
  downloadUrl: 'A large file on the provider\'s network (bandwidth download).',
  uploadUrl: 'An endpoint that accepts a POSTed body (bandwidth upload).',
  rateLimitUrl: 'An endpoint whose rate limit the provider documents.',
  rateLimit: 'Its documented burst size (requests).',
  outsideAddress: "A local source address NOT on the provider's IP allowlist.",
  merchantAccount: 'Adyen: the merchant account requests name (the embedded Adyen dialect fills its own).',
  provider: 'Whose payments API the target speaks: payready, stripe or adyen (the embedded sandbox: the one `embedded: { provider }` names).',
};

/** `${target.x}` fields the embedded sandbox fills once started. */
export const EMBEDDED_TARGET_FIELDS: readonly string[] = Object.keys(EMBEDDED_TARGET_FIELD_DOCS);

/**
 * The target fields that are numbers (ports, caps, a burst size). An environment may feed them from
 * a variable (`port: ${env.PAYREADY_SANDBOX_PORT}`); a variable is text, so a whole number given
 * as text becomes a number here, and anything else is a suite error naming the field.
 */
export const NUMERIC_TARGET_FIELDS: readonly string[] = ['port', 'httpPort', 'transactionCap', 'dailyCap', 'rateLimit'];

/** `value` as a whole number, when it is one written as text (`"443"`); undefined otherwise. */
export function wholeNumber(value: string): number | undefined {
  return /^\d{1,15}$/.test(value) ? Number(value) : undefined;
}

/** What to write instead of a value of `field` that is not a whole number. */
export function numberHint(field: string): string {
  return /port$/i.test(field) ? 'a port number, e.g. 443' : 'digits only, e.g. 1000000';
}

/** A value that is not a whole number, for a message: quoted when short; a long one may be a credential read by mistake. */
export function shownValue(value: string): string {
  return value.length <= 16 ? `"${value}"` : `a ${value.length}-character value`;
}
