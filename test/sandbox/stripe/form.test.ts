import { describe, expect, it } from 'vitest';
import { FormError, parseForm } from '../../../src/sandbox/stripe/form.js';

/** Stripe's bracket notation, as curl examples and stripe-node (qs, indices) write it. */
describe('stripe dialect: form bodies with bracket notation', () => {
  it('decodes nested maps, appended and indexed lists, and percent-escapes', () => {
    const form = parseForm('amount=1099&metadata[order_id]=6735&metadata[note]=caf%C3%A9+au+lait&payment_method_types[]=card&payment_method_types[]=link&expand[0]=latest_charge&payment_method_data[card][number]=4242424242424242');
    expect(JSON.parse(JSON.stringify(form))).toEqual({
      amount: '1099',
      metadata: { order_id: '6735', note: 'café au lait' },
      payment_method_types: ['card', 'link'],
      expand: ['latest_charge'],
      payment_method_data: { card: { number: '4242424242424242' } },
    });
  });

  it('accepts the brackets escaped, as some clients send them', () => {
    expect(JSON.parse(JSON.stringify(parseForm('metadata%5Border_id%5D=7&list%5B0%5D=a')))).toEqual({ metadata: { order_id: '7' }, list: ['a'] });
  });

  it('makes gapped indices dense, as qs decodes them', () => {
    expect(parseForm('a[0]=x&a[2]=y')['a']).toEqual(['x', 'y']);
  });

  it('refuses prototype keys, a value mixed with nested values, deep nesting and malformed names', () => {
    for (const body of ['__proto__[polluted]=1', 'metadata[__proto__]=1', 'a=1&a[b]=2', 'a[b]=2&a=1', 'a[b][c][d][e][f][g]=1', 'a[b=1', '[x]=1', 'a[0]=1&a[b]=2']) {
      expect(() => parseForm(body), body).toThrow(FormError);
    }
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('reads a huge index as a map key: no list of that length is allocated', () => {
    expect(JSON.parse(JSON.stringify(parseForm('a[999999999]=1')))).toEqual({ a: { '999999999': '1' } });
  });
});
