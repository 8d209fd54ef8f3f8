import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { REDACTED, Redactor } from '../../src/evidence/redact.js';
import { ENCODINGS, PRINTABLE, basicForms, form, html } from '../support/encodings.js';

const b64 = (s: string): string => Buffer.from(s).toString('base64');

/** A secret made of every printable ASCII character in a random order, plus random extra characters. */
const everyPrintable = fc
  .tuple(fc.shuffledSubarray([...PRINTABLE], { minLength: PRINTABLE.length, maxLength: PRINTABLE.length }), fc.string({ unit: fc.constantFrom(...PRINTABLE), maxLength: 20 }))
  .map(([all, extra]) => all.join('') + extra);
const context = fc.string({ unit: fc.constantFrom(...PRINTABLE), maxLength: 12 });

describe('Redactor', () => {
  it('[creds/encodings] removes a secret of every printable ASCII character in every encoding it travels in, whatever surrounds it', () => {
    fc.assert(
      fc.property(everyPrintable, context, context, (secret, before, after) => {
        const redactor = new Redactor();
        redactor.add(secret);
        for (const [name, encoded] of [...ENCODINGS.map(([n, encode]): [string, string] => [n, encode(secret)]), ...[1, 2, 3].flatMap((n) => basicForms('i'.repeat(n), secret))]) {
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

  it('finds secrets that start with a non-ASCII or astral character, raw and escaped (the scan skips only characters no match starts at)', () => {
    for (const secret of ['épée-secret', '😀-emoji-secret', '\u{1F600}\u{1F601}pair', 'ключ-секрет']) {
      const redactor = new Redactor();
      redactor.add(secret);
      for (const encoded of [secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1), JSON.stringify(secret).replace(/[^\x20-\x7e]/gu, (c) => c.split('').map((u) => `\\u${u.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')).slice(1, -1)]) {
        const text = `x ${encoded} y`;
        expect(redactor.redact(text), encoded).toBe(`x ${REDACTED} y`);
        expect(redactor.contains(text), encoded).toBe(true);
      }
      expect(redactor.redact('x 😀 é y')).toBe('x 😀 é y');
    }
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

describe('Redactor: secrets and card numbers', () => {
  it('masks card numbers even when no secret is registered', () => {
    const redactor = new Redactor();
    expect(redactor.size).toBe(0);
    expect(redactor.redact('> {"number":"4111111111111111"}')).toBe('> {"number":"411111******1111"}');
  });

  it('masks card numbers in every string of a value, keys included, and leaves numbers and bytes alone', () => {
    const bytes = new Uint8Array([52, 49, 49, 49]);
    const value = { summary: 'card 4111 1111 1111 1111 declined', list: ['5425233430109903'], '4532015112830366': true, durationMs: 12.5, data: bytes };
    const out = new Redactor().redactDeep(value);
    expect(out).toEqual({ summary: 'card 4111 11** **** 1111 declined', list: ['542523******9903'], '453201******0366': true, durationMs: 12.5, data: bytes });
    expect(value.summary).toBe('card 4111 1111 1111 1111 declined');
  });

  it('redacts a secret before masking, so a secret shaped like a card number leaves no digits behind', () => {
    const redactor = new Redactor();
    redactor.add('4532015112830366');
    redactor.add('s3cret-value');
    expect(redactor.redact('secret 4532015112830366, card 4111111111111111, other s3cret-value')).toBe('secret [REDACTED], card 411111******1111, other [REDACTED]');
  });

  it('leaves text without card numbers as it was', () => {
    const text = '{"time":"2026-11-29T10:00:00.123Z","durationMs":12.4111111111111111,"url":"https://127.0.0.1:8443/v1/payments/pay_6eb0a73a1784ebcbb9da932d"}';
    expect(new Redactor().redact(text)).toBe(text);
  });
});
