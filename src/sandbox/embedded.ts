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
