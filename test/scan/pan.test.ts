import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isTestPan, luhnValid, maskPan, panBrand } from '../../src/scan/cards.js';
import { PanScanner, maskPans, type PanHit } from '../../src/scan/pan.js';
import { ReferencePanScanner } from './pan-reference.js';

function scan(text: string, chunkSize = text.length || 1): PanHit[] {
  const hits: PanHit[] = [];
  const scanner = new PanScanner((hit) => hits.push(hit));
  const bytes = Buffer.from(text, 'latin1');
  for (let i = 0; i < bytes.length; i += chunkSize) scanner.feed(bytes.subarray(i, i + chunkSize));
  scanner.end();
  return hits;
}

describe('card facts', () => {
  it.each([
    ['4532015112830366', 'visa', false],
    ['5425233430109903', 'mastercard', false],
    ['2223168840127932', 'mastercard', false],
    ['371483105720212', 'amex', false],
    ['6011007731139423', 'discover', false],
    ['3530982211453818', 'jcb', false],
    ['4111111111111111', 'visa', true],
    ['4000000000009995', 'visa', true],
    ['6799990100000000019', 'maestro', true],
  ])('%s is a %s card (test card: %s)', (pan, brand, test) => {
    expect(luhnValid(pan)).toBe(true);
    expect(panBrand(pan)).toBe(brand);
    expect(isTestPan(pan)).toBe(test);
  });

  it('rejects numbers outside the IIN ranges or with a length the scheme does not use', () => {
    expect(panBrand('1234567812345670')).toBeUndefined(); // Luhn-valid, no scheme starts with 1
    expect(panBrand('371483105720212' + '0')).toBeUndefined(); // amex is 15 digits
    expect(luhnValid('4532015112830367')).toBe(false);
  });

  it('masks to first six and last four', () => {
    expect(maskPan('4532015112830366')).toBe('453201******0366');
    expect(maskPan('371483105720212')).toBe('371483*****0212');
    expect(maskPan('4917482630515')).toBe('491748***0515');
  });
});

describe('streaming PAN scanner', () => {
  it('finds plain, spaced and dashed numbers with line and column', () => {
    const text = 'a 4532015112830366 b\nx=4532 0151 1283 0366\n\ty:4532-0151-1283-0366;\n';
    expect(scan(text).map((h) => [h.line, h.column, h.digits])).toEqual([
      [1, 3, '4532015112830366'],
      [2, 3, '4532015112830366'],
      [3, 4, '4532015112830366'],
    ]);
  });

  it('gives the same hits whatever the chunk size (numbers and lines split across chunks)', () => {
    const line = 'ts=2026-01-15T10:00:00Z id=9f3a card=5425 2334 3010 9903 amount=1050 order=20260115100000 ref 2026 3714-831057-20212\n';
    const text = line.repeat(7) + 'end 4532015112830366';
    const whole = scan(text);
    expect(whole).toHaveLength(15);
    for (const size of [1, 2, 3, 7, 16, 64, 1000]) expect(scan(text, size)).toEqual(whole);
  });

  it('ignores what is not a card: long ids, Luhn failures, timestamps, phone numbers, double separators', () => {
    const text = [
      'id=45320151128303661234',
      'x 4532015112830367',
      '2026-01-15 10:00:00.123',
      'tel +44 20 7946 0958',
      '4532  0151  1283  0366',
      'uuid 4bf92f35-77b3-4da6-a3ce-929d0e0e4736',
      'sum 1234567812345670',
    ].join('\n');
    expect(scan(text)).toEqual([]);
  });

  it('ignores digit runs glued to letters (ids and tokens), on either side and across chunks', () => {
    // 38520000023237 is a Luhn-valid Diners number (a documented test card); inside a hex id it is not a card.
    const text = ['{"path":"/v1/payments/pay_a38520000023237f"}', 'token=ab4532015112830366', 'ref=4532015112830366x', 'card=38520000023237 ok'].join('\n');
    for (const size of [1, 5, text.length]) {
      expect(scan(text, size).map((h) => [h.digits, h.line])).toEqual([['38520000023237', 4]]);
    }
  });

  it('ignores identifiers in groups no card number is written in: a UUID whose first 16 digits pass Luhn and the IIN table', () => {
    // An idempotency key (a random UUID) in a request log: 8-4-4 digits, then a group that starts with a letter.
    const uuid = '47441912-3456-4409-a6b1-0c9e8d7f6a5b';
    expect(luhnValid('4744191234564409') && panBrand('4744191234564409')).toBe('visa');
    expect(scan(`Idempotency-Key: ${uuid}\n{"key":"${uuid}"}`)).toEqual([]);
    expect(maskPans(`Idempotency-Key: ${uuid}`)).toBe(`Idempotency-Key: ${uuid}`);
    expect(scan('45320151-12830366 x')).toEqual([]);
    // Written as cards are (4-4-4-4, Amex 4-6-5, Diners 4-6-4, 19 digits 4-4-4-4-3), still found.
    expect(scan('a 4532-0151-1283-0366 b 3714 496353 98431 c 3852 000002 3237 d 6799 9901 0000 0000 019').map((h) => h.brand)).toEqual(['visa', 'amex', 'diners', 'maestro']);
  });

  it('finds a number inside a longer run of grouped digits, on group boundaries', () => {
    expect(scan('ref 2026 3714-831057-20212 x').map((h) => [h.column, h.brand])).toEqual([[10, 'amex']]);
    expect(scan('1 2 3 4532 0151 1283 0366 9').map((h) => h.digits)).toEqual(['4532015112830366']);
  });

  it('keeps line numbers right across CRLF and very long lines, in constant state', () => {
    const long = 'x'.repeat(3 * 1024 * 1024);
    const hits = scan(`a\r\n${long}\r\nb 4532015112830366\r\n`, 65536);
    expect(hits).toEqual([{ digits: '4532015112830366', brand: 'visa', line: 3, column: 3, offset: 3 + long.length + 2 + 2 }]);
  });
});

describe('the fast loop finds exactly what the byte-by-byte state machine finds', () => {
  function reference(bytes: Buffer, chunkSize: number): PanHit[] {
    const hits: PanHit[] = [];
    const scanner = new ReferencePanScanner((hit) => hits.push(hit));
    for (let i = 0; i < bytes.length; i += chunkSize) scanner.feed(bytes.subarray(i, i + chunkSize));
    scanner.end();
    return hits;
  }

  function fast(bytes: Buffer, chunkSize: number): PanHit[] {
    const hits: PanHit[] = [];
    const scanner = new PanScanner((hit) => hits.push(hit));
    for (let i = 0; i < bytes.length; i += chunkSize) scanner.feed(bytes.subarray(i, i + chunkSize));
    scanner.end();
    return hits;
  }

  // Pieces log lines are made of, card numbers among them, glued together at random.
  const piece = fc.oneof(
    fc.constantFrom('4532015112830366', '4532 0151 1283 0366', '3714-831057-20212', '6799990100000000019', '4111111111111111', '38520000023237', '5425233430109903'),
    fc.constantFrom(' ', '  ', '-', '\n', '\r\n', '.', '=', 'x', 'pay_', 'ab', '*', '411111******1111', '2026-01-15T10:00:00.123Z', '20260115104512873'),
    fc.stringMatching(/^[0-9]{1,24}$/),
    fc.stringMatching(/^[0-9 a-f-]{1,30}$/),
  );

  it('on random log-like text cut into random chunks', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 80 }), fc.integer({ min: 1, max: 64 }), (pieces, chunkSize) => {
        const bytes = Buffer.from(pieces.join(''), 'latin1');
        const expected = reference(bytes, bytes.length || 1);
        expect(fast(bytes, bytes.length || 1)).toEqual(expected);
        expect(fast(bytes, chunkSize)).toEqual(expected);
      }),
      { numRuns: 400, seed: 17 },
    );
  });

  it('on realistic payment-service lines (dates, trace ids, references, masked and leaked cards), in 1 MB and odd chunks', () => {
    // The shape of the bench's 240 MB log: deterministic, a leaked card every 97 lines, and
    // references that are Luhn-valid in about one case in ten.
    let seed = 17;
    const rnd = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed >>> 8;
    };
    const hex = (n: number): string => Array.from({ length: n }, () => '0123456789abcdef'[rnd() % 16]).join('');
    const leaked = ['4111 1111 1111 1111', '4532015112830366', '5425-2334-3010-9903', '371449635398431', '6011007731139423', '2223003122003222'];
    const lines: string[] = [];
    for (let i = 1; i <= 20000; i++) {
      const t = new Date(Date.UTC(2026, 0, 15) + i * 37).toISOString();
      const ref = `${20260115000000000 + (rnd() % 1e9)}`;
      const card = i % 97 === 0 ? leaked[(i / 97) % leaked.length]! : ['411111******1111', '542523******9903', '371449*****8431'][rnd() % 3]!;
      const tail = [`order=ORD-2026-${String(rnd() % 1e6).padStart(6, '0')}`, `psp_ref=${ref}`, `entry=${ref} debit=${rnd() % 10000}.${rnd() % 100}`, `created=${1768435200 + i}`, `ip=198.51.100.${rnd() % 250}`][rnd() % 5];
      lines.push(`${t} INFO  payments.authorize trace_id=${hex(32)} span_id=${hex(16)} card=${card} ${tail} ${rnd() % 2 ? `${rnd() % 1e8}${rnd() % 1e8}` : hex(24)}`);
    }
    const bytes = Buffer.from(`${lines.join('\n')}\n`, 'latin1');
    const expected = reference(bytes, bytes.length);
    expect(expected.length).toBeGreaterThan(200);
    for (const size of [1024 * 1024, 4093, 97]) expect(fast(bytes, size)).toEqual(expected);
  });

  it('on long runs of digits and separators (tables of numbers, the run and group caps)', () => {
    const text = `${'4532 0151 1283 0366 '.repeat(40)}\n${'1234-'.repeat(300)}4532015112830366\n${'9'.repeat(5000)} 4532015112830366\n`;
    const bytes = Buffer.from(text, 'latin1');
    const expected = reference(bytes, bytes.length);
    expect(expected.length).toBeGreaterThan(30);
    for (const size of [1, 13, 100, 4096, bytes.length]) expect(fast(bytes, size)).toEqual(expected);
  });
});

describe('maskPans: card numbers in text, first six and last four', () => {
  it.each([
    ['a JSON body', '{"paymentMethod":{"type":"card","number":"4111111111111111","cvc":"737"}}', '{"paymentMethod":{"type":"card","number":"411111******1111","cvc":"737"}}'],
    ['a line of a transcript', '> card=5425233430109903&amount=1000', '> card=542523******9903&amount=1000'],
    ['spaces between groups (kept)', 'pan 4111 1111 1111 1111 ok', 'pan 4111 11** **** 1111 ok'],
    ['dashes between groups (kept)', 'pan 4111-1111-1111-1111.', 'pan 4111-11**-****-1111.'],
    ['an Amex number, 15 digits', 'amex 3714-831057-20212', 'amex 3714-83****-*0212'],
    ['a 19-digit Maestro number', 'x 6799990100000000019 y', 'x 679999*********0019 y'],
    ['a number inside a grouped run', 'ref 2026 3714-831057-20212 x', 'ref 2026 3714-83****-*0212 x'],
    ['two numbers on a line', '4111111111111111,4532015112830366', '411111******1111,453201******0366'],
    ['a number at the start and one at the end', '4111111111111111 and 4532015112830366', '411111******1111 and 453201******0366'],
    ['a number after non-ASCII text', 'Zoë Łukasz 李雷 🙂 4111111111111111 ü', 'Zoë Łukasz 李雷 🙂 411111******1111 ü'],
    ['a number after a lone surrogate', '\ud800 4111111111111111', '\ud800 411111******1111'],
  ])('masks %s', (_name, text, masked) => {
    expect(maskPans(text)).toBe(masked);
    expect(maskPans(text)).toHaveLength(text.length);
  });

  it.each([
    ['an order id (Luhn-valid, no card scheme starts with 1)', 'order 1234567812345670 shipped'],
    ['a millisecond timestamp', '{"time":1796602226123,"at":"2026-11-29T10:00:00.123Z"}'],
    ['a Luhn failure', 'card 4111111111111112'],
    ['the fraction of a duration', '{"durationMs":12.4111111111111111,"bytes":4111}'],
    ['the integer part of a decimal amount', 'total 4111111111111111.25'],
    ['an id glued to letters', '/v1/payments/pay_a38520000023237f, token ab4532015112830366'],
    ['a long id', 'id=45320151128303661234'],
    ['a phone number', 'tel +44 20 7946 0958'],
    ['an IBAN', 'iban DE89370400440532013000'],
    ['short numbers', 'amount 1000, port 443, 2026-11-29'],
    ['an already masked number', 'card 411111******1111'],
  ])('leaves %s alone', (_name, text) => {
    expect(maskPans(text)).toBe(text);
  });
});
