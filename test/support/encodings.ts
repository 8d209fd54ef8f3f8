/**
 * The encodings a credential travels in, written independently of the redactor (src/evidence/redact.ts):
 * what a server, a serialiser or a reporter can turn a secret into. The redactor tests and the
 * canary search every output for each of them.
 */

/** Every printable ASCII character, space to tilde. */
export const PRINTABLE: readonly string[] = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i));

const hex = (c: string): string => c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0');
/** RFC 3986 percent-encoding (encodeURIComponent plus ! ' ( ) *). */
export const strict = (s: string): string => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${hex(c)}`);
/** application/x-www-form-urlencoded, as URLSearchParams writes it (+ for spaces, ~ encoded). */
export const form = (s: string): string => new URLSearchParams({ v: s }).toString().slice(2);
const b64 = (s: string): string => Buffer.from(s).toString('base64');
/** What an HTML reporter escapes. */
export const html = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
/** A JSON string's content. */
const json = (s: string): string => JSON.stringify(s).slice(1, -1);

/**
 * The base64 characters that any base64 of data containing `value` holds, whatever surrounds it:
 * one run per byte offset (0, 1, 2) the value can start at within a 3-byte group.
 */
export function base64Inside(value: string): string[] {
  const bytes = Buffer.from(value);
  return [0, 1, 2].map((offset) => Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64').slice(Math.ceil((8 * offset) / 6), Math.floor((8 * (offset + bytes.length)) / 6)));
}

/** Name and encoder of each form a secret is searched for. */
export const ENCODINGS: readonly [string, (secret: string) => string][] = [
  ['plain', (s) => s],
  ['encodeURIComponent', encodeURIComponent],
  ['form-urlencoded (+ for spaces)', form],
  ['RFC 3986 strict', strict],
  ['percent-encoded, lower-case hex', (s) => strict(s).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())],
  ['JSON string', json],
  ['JSON, escaped slashes (PHP)', (s) => json(s).replace(/\//g, '\\/')],
  ['JSON, every character \\u00xx', (s) => [...s].map((c) => `\\u00${hex(c).toLowerCase()}`).join('')],
  ['JSON inside JSON', (s) => json(JSON.stringify(s))],
  ['HTML-escaped', html],
  ['HTML-escaped twice', (s) => html(html(s))],
  ['HTML decimal references', (s) => [...s].map((c) => `&#${c.charCodeAt(0)};`).join('')],
  ['HTML hex references', (s) => [...s].map((c) => `&#x${hex(c)};`).join('')],
  ['HTML-escaped JSON', (s) => html(json(s))],
  ['Markdown-escaped', (s) => s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&')],
  ['base64', b64],
  ['base64 unpadded', (s) => b64(s).replace(/=+$/, '')],
  ['base64url', (s) => Buffer.from(s).toString('base64url')],
  ['base64 in a query string', (s) => encodeURIComponent(b64(s))],
  ['base64 echoed with escaped slashes', (s) => json(b64(s)).replace(/\//g, '\\/')],
  // Inside any base64 (HTTP Basic's id:secret), form-encoded first as RFC 6749 §2.3.1 asks, or not.
  ...[0, 1, 2].flatMap((offset): [string, (s: string) => string][] => [
    [`inside base64, offset ${offset}`, (s) => base64Inside(s)[offset]!],
    [`inside base64url, offset ${offset}`, (s) => base64Inside(s)[offset]!.replace(/\+/g, '-').replace(/\//g, '_')],
    [`form-encoded inside base64, offset ${offset}`, (s) => base64Inside(form(s))[offset]!],
    [`encodeURIComponent inside base64, offset ${offset}`, (s) => base64Inside(encodeURIComponent(s).replace(/%20/g, '+'))[offset]!],
    [`inside base64 with escaped slashes, offset ${offset}`, (s) => base64Inside(s)[offset]!.replace(/\//g, '\\/')],
  ]),
];

/** HTTP Basic credentials for `id` and `secret`, raw and form-encoded (RFC 6749 §2.3.1). */
export function basicForms(id: string, secret: string): [string, string][] {
  return [
    ['Basic id:secret', b64(`${id}:${secret}`)],
    ['Basic, form-encoded', b64(`${form(id)}:${form(secret)}`)],
    ['Basic, encodeURIComponent', b64(`${encodeURIComponent(id)}:${encodeURIComponent(secret).replace(/%20/g, '+')}`)],
  ];
}

/**
 * `count` secrets, each holding every printable ASCII character once in a different order (a
 * fixed seed: a failure names a reproducible secret), starting and ending with a letter so that
 * HTTP does not trim them as header values.
 */
export function printableCorpus(count: number, seed = 20_250_101): string[] {
  let state = seed;
  const next = (): number => {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    return state / 2 ** 32;
  };
  return Array.from({ length: count }, (_, n) => {
    const chars = [...PRINTABLE];
    for (let i = chars.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [chars[i], chars[j]] = [chars[j]!, chars[i]!];
    }
    return `C${n}${chars.join('')}z${n}`;
  });
}
