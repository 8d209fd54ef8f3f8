import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { REDACTED, Redactor } from '../../src/evidence/redact.js';

/** Every printable ASCII character, space to tilde. */
const PRINTABLE = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i));

const hex = (c: string): string => c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0');
const strict = (s: string): string => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${hex(c)}`);
const form = (s: string): string => new URLSearchParams({ v: s }).toString().slice(2);
const b64 = (s: string): string => Buffer.from(s).toString('base64');
const html = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/**
 * Encodings a credential travels in, written here independently of the redactor: what a server,
 * a serialiser or a reporter can turn it into.
 */
const ENCODINGS: [string, (secret: string) => string][] = [
  ['plain', (s) => s],
  ['encodeURIComponent', encodeURIComponent],
  ['form-urlencoded (+ for spaces)', form],
  ['RFC 3986 strict', strict],
  ['percent-encoded, lower-case hex', (s) => strict(s).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())],
  ['JSON string', (s) => JSON.stringify(s).slice(1, -1)],
  ['JSON, escaped slashes (PHP)', (s) => JSON.stringify(s).slice(1, -1).replace(/\//g, '\\/')],
  ['JSON, every character \\u00xx', (s) => [...s].map((c) => `\\u00${hex(c).toLowerCase()}`).join('')],
  ['JSON inside JSON', (s) => JSON.stringify(JSON.stringify(s)).slice(1, -1)],
  ['HTML-escaped', html],
  ['HTML-escaped twice', (s) => html(html(s))],
  ['HTML decimal references', (s) => [...s].map((c) => `&#${c.charCodeAt(0)};`).join('')],
  ['HTML hex references', (s) => [...s].map((c) => `&#x${hex(c)};`).join('')],
  ['HTML-escaped JSON', (s) => html(JSON.stringify(s).slice(1, -1))],
  ['Markdown-escaped', (s) => s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&')],
  ['base64', b64],
  ['base64 unpadded', (s) => b64(s).replace(/=+$/, '')],
  ['base64url', (s) => Buffer.from(s).toString('base64url')],
  ['base64 in a query string', (s) => encodeURIComponent(b64(s))],
  ['base64 echoed with escaped slashes', (s) => JSON.stringify(b64(s)).slice(1, -1).replace(/\//g, '\\/')],
  // HTTP Basic: id:secret, with ids of three lengths so the secret sits at each byte offset.
  ...[1, 2, 3].flatMap((n): [string, (s: string) => string][] => [
    [`Basic, ${n}-byte id`, (s) => b64(`${'i'.repeat(n)}:${s}`)],
    [`Basic form-encoded (RFC 6749 2.3.1), ${n}-byte id`, (s) => b64(`${'i'.repeat(n)}:${form(s)}`)],
    [`Basic with encodeURIComponent, ${n}-byte id`, (s) => b64(`${'i'.repeat(n)}:${encodeURIComponent(s).replace(/%20/g, '+')}`)],
    [`Basic, escaped slashes, ${n}-byte id`, (s) => JSON.stringify(b64(`${'i'.repeat(n)}:${s}`)).slice(1, -1).replace(/\//g, '\\/')],
    [`base64 inside other data, ${n}-byte prefix`, (s) => b64(`${'p'.repeat(n)}${s}-and-more-after`)],
  ]),
];

/** A secret made of every printable ASCII character in a random order, plus random extra characters. */
const everyPrintable = fc
  .tuple(fc.shuffledSubarray(PRINTABLE, { minLength: PRINTABLE.length, maxLength: PRINTABLE.length }), fc.string({ unit: fc.constantFrom(...PRINTABLE), maxLength: 20 }))
  .map(([all, extra]) => all.join('') + extra);
const context = fc.string({ unit: fc.constantFrom(...PRINTABLE), maxLength: 12 });

describe('Redactor', () => {
  it('removes a secret of every printable ASCII character in every encoding it travels in, whatever surrounds it', () => {
    fc.assert(
      fc.property(everyPrintable, context, context, (secret, before, after) => {
        const redactor = new Redactor();
        redactor.add(secret);
        for (const [name, encode] of ENCODINGS) {
          const encoded = encode(secret);
          const out = redactor.redact(`${before}${encoded}${after}`);
          if (out.includes(encoded) || !out.includes(REDACTED)) throw new Error(`${name} survived: ${JSON.stringify(out)}`);
          expect(redactor.contains(`${before}${encoded}${after}`), name).toBe(true);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('redacts a value before JSON.stringify and after it, and the JSON stays valid', () => {
    fc.assert(
      fc.property(everyPrintable, (secret) => {
        const redactor = new Redactor();
        redactor.add(secret);
        const entry = { url: `https://api.example/x?key=${encodeURIComponent(secret)}`, echoed: { token: secret, [secret]: 'as a key' }, basic: b64(`app:${secret}`) };
        const line = redactor.redact(JSON.stringify(entry));
        expect(() => JSON.parse(line) as unknown).not.toThrow();
        const deep = JSON.stringify(redactor.redactDeep(entry));
        for (const text of [line, deep]) {
          for (const [name, encode] of ENCODINGS) expect(text.includes(encode(secret)), name).toBe(false);
        }
        expect(JSON.parse(deep)).toEqual({ url: `https://api.example/x?key=${REDACTED}`, echoed: { token: REDACTED, [REDACTED]: 'as a key' }, basic: expect.stringContaining(REDACTED) });
      }),
      { numRuns: 30 },
    );
  });

  it('catches the issue\'s examples: Basic echoed by a token endpoint, form-encoded ~!\'()*, JSON escapes, escaped slashes', () => {
    const redactor = new Redactor();
    const secret = "s3cr~t!'(x)*/\"\\q";
    const token = 'tok/en+with/slashes==';
    redactor.add(secret);
    redactor.add(token);
    const echoes = [
      `{"received":"Basic ${b64(`payready-demo:${form(secret)}`)}"}`,
      `client_id=payready-demo&client_secret=${form(secret)}`,
      `client_secret=${encodeURIComponent(secret)}`,
      JSON.stringify({ secret }),
      JSON.stringify({ secret }).replace(/\//g, '\\/'),
      `{"access_token":"${token.replace(/\//g, '\\/')}"}`,
      `<td>${html(secret)}</td>`,
    ];
    for (const echo of echoes) {
      const out = redactor.redact(echo);
      expect(out, echo).toContain(REDACTED);
      expect(out).not.toMatch(/s3cr|tok\\?\/en/);
    }
  });

  it('leaves ordinary text alone', () => {
    const redactor = new Redactor();
    redactor.add('hunter2-longer-secret');
    redactor.add('abc'); // too short to register
    const text = 'GET /v1/payments?currency=EUR -> 200 in 12 ms; abc; {"a":"b\\"c"} &amp; 100%25 a+b';
    expect(redactor.redact(text)).toBe(text);
    expect(redactor.contains(text)).toBe(false);
  });

  it('registers each form once, and a long token is searched without a regular expression blow-up', () => {
    const redactor = new Redactor();
    const token = `eyJ${'x'.repeat(4000)}.sig`;
    redactor.add(token);
    const size = redactor.size;
    redactor.add(token);
    expect(redactor.size).toBe(size);
    expect(redactor.redact(`Bearer ${token}\n`)).toBe(`Bearer ${REDACTED}\n`);
    // A run of backslashes can be read many ways; the match stays bounded.
    const slashes = new Redactor();
    slashes.add('\\\\\\\\\\\\\\\\\\\\');
    expect(slashes.redact(`x${'\\'.repeat(5000)}y`)).toMatch(/^x(\[REDACTED\]|\\)*y$/);
  });
});
