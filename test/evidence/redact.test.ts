import { describe, expect, it } from 'vitest';
import { Redactor } from '../../src/evidence/redact.js';

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
