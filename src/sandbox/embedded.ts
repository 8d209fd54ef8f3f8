/**
 * What the built-in sandbox provides to a suite environment marked `embedded: true`, declared
 * here (without importing the sandbox) so that `validate` can check references cheaply.
 */

/** Environment variables the embedded sandbox fills when they are not set (its demo credentials). */
export const EMBEDDED_ENV_NAMES: readonly string[] = ['PAYREADY_CLIENT_ID', 'PAYREADY_CLIENT_SECRET', 'PAYREADY_EXPIRED_TOKEN'];

/** `${target.x}` fields the embedded sandbox fills once started. */
export const EMBEDDED_TARGET_FIELDS: readonly string[] = [
  'baseUrl', // https://127.0.0.1:<port>
  'host', // 127.0.0.1
  'port', // HTTPS API port
  'httpUrl', // http://127.0.0.1:<httpPort> (plain-HTTP port that redirects to https)
  'httpPort',
  'caFile', // PEM file of the sandbox's certificate authority
  'issuer', // OAuth issuer (= baseUrl)
  'tokenUrl', // OAuth token endpoint
  'authorizationUrl', // OAuth authorization endpoint (approves the test user without a browser)
  'openapiUrl', // the sandbox's OpenAPI 3.1 document
  'checkoutUrl', // the hosted checkout page (what the ui check drives)
  'requestLog', // the sandbox's request log, JSON lines (what pan-scan reads)
  'sourceDir', // a sample merchant integration's files (what the secrets check scans)
  'transactionCap', // per-transaction card cap in EUR minor units (1000000 = 10,000.00 EUR)
  'dailyCap', // daily card cap in EUR minor units (2500000 = 25,000.00 EUR)
  'downloadUrl', // speed-test download (10 MB)
  'uploadUrl', // speed-test upload
  'rateLimitUrl', // endpoint with a declared rate limit
  'rateLimit', // its declared burst size (requests)
  'outsideAddress', // a local source address outside the API's IP allowlist
];

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
