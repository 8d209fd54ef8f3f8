/**
 * Which names carry credentials: request headers, form fields, JSON keys and query parameters.
 * One answer for the suite validator (what flows there must be a secret), the redirect policy
 * (it stays with its origin) and transcripts (masked).
 */

/**
 * Headers that are credentials whatever they hold. The Fetch standard removes the first three
 * when a redirect changes origin ("If request's current URL's origin is not same origin with
 * locationURL's origin, then for each headerName of CORS non-wildcard request-header name, delete
 * headerName", with `Proxy-Authorization` and `Cookie` dropped by undici as well); the others are
 * the API-key headers payment providers document.
 */
const CREDENTIAL_HEADERS: ReadonlySet<string> = new Set(['authorization', 'proxy-authorization', 'cookie', 'x-api-key', 'api-key', 'apikey', 'x-auth-token', 'x-access-token']);

/** Words that make a name a credential wherever they appear in it. */
const CREDENTIAL_WORDS: ReadonlySet<string> = new Set(['secret', 'password', 'passwd', 'passphrase', 'credential', 'credentials', 'apikey', 'cookie']);
/** `<kind>_key` names that are credentials (api_key, x-api-key, secret_key, private_key...). */
const KEY_KINDS: ReadonlySet<string> = new Set(['api', 'secret', 'private', 'access', 'signing', 'client', 'subscription', 'auth']);
/** `<kind>_token` names that are not credentials (a page cursor). */
const NOT_CREDENTIAL_TOKENS: ReadonlySet<string> = new Set(['page', 'next', 'continuation', 'sync', 'cursor']);

/** The words of a name: `clientSecret`, `client_secret`, `X-Client-Secret` all give client, secret. */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** True for a form field, JSON key or query parameter that carries a credential (client_secret, password, api_key, access_token...). */
export function isCredentialName(name: string): boolean {
  const parts = words(name);
  if (parts.some((word) => CREDENTIAL_WORDS.has(word))) return true;
  const last = parts[parts.length - 1];
  const before = parts[parts.length - 2];
  if (last === 'token') return before === undefined || !NOT_CREDENTIAL_TOKENS.has(before);
  return last === 'key' && before !== undefined && KEY_KINDS.has(before);
}

/** True for a request header that carries a credential (Authorization, Cookie, X-API-Key, X-Auth-Token, X-Client-Secret...). */
export function isCredentialHeader(name: string): boolean {
  const lower = name.toLowerCase();
  if (CREDENTIAL_HEADERS.has(lower)) return true;
  const last = words(lower).pop();
  return last === 'authorization' || last === 'auth' || isCredentialName(lower);
}

/** Shortest value taken for a credential when found by its name alone ("password": "required" is not one). */
const MIN_FOUND_CREDENTIAL = 8;

/**
 * String values under credential names anywhere in a check's values (a token endpoint's
 * `access_token`, a PaymentIntent's `client_secret`, a `set-cookie` header): what a server handed
 * out, to be redacted although no capture names it.
 */
export function credentialsIn(value: unknown, depth = 0): string[] {
  if (depth > 32 || value === null || typeof value !== 'object') return [];
  const found: string[] = [];
  for (const [key, item] of Object.entries(value)) {
    if (isCredentialName(key)) {
      for (const text of Array.isArray(item) ? item : [item]) {
        if (typeof text !== 'string') continue;
        found.push(text);
        // A cookie's value, without its name and attributes.
        if (/cookie/i.test(key)) found.push(text.split(';', 1)[0]?.split('=').slice(1).join('=') ?? '');
      }
    }
    found.push(...credentialsIn(item, depth + 1));
  }
  return found.filter((text) => text.length >= MIN_FOUND_CREDENTIAL);
}
