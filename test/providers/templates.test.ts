import { describe, expect, it } from 'vitest';
import { at, formEncode, render, renderText, TemplateError } from '../../src/checks/shared/templates.js';

describe('render: a profile\'s request templates', () => {
  it('a string that is exactly {name} becomes the value with its type', () => {
    const method = { type: 'card', number: '4111111111111111', expiryMonth: 12 };
    expect(render({ amount: '{amount}', confirm: '{confirm}', paymentMethod: '{method}', note: null }, { amount: 1000, confirm: true, method })).toEqual({ amount: 1000, confirm: true, paymentMethod: method, note: null });
    expect(render('{amount}', { amount: 0 })).toBe(0);
  });

  it('{name} inside longer text becomes its text', () => {
    expect(render({ description: 'order {reference} of {amount}' }, { reference: 'o-1', amount: 1000 })).toEqual({ description: 'order o-1 of 1000' });
  });

  it('a key whose whole-string template names a missing value is left out', () => {
    expect(render({ amount_to_capture: '{amount}', merchantAccount: '{merchantAccount}' }, { merchantAccount: 'M' })).toEqual({ merchantAccount: 'M' });
  });

  it('an object all of whose members are missing is left out too (no `amount: {}` on a full capture)', () => {
    expect(render({ amount: { value: '{amount}', currency: '{currency}' }, reference: '{reference}' }, { reference: 'r' })).toEqual({ reference: 'r' });
    expect(render({ amount: { value: '{amount}' } }, {})).toBeUndefined();
    // An empty object in the template is meant as one.
    expect(render({ metadata: {} }, {})).toEqual({ metadata: {} });
  });

  it('an array with a missing item stands for nothing', () => {
    expect(render({ expand: ['{what}'], keep: 'k' }, {})).toEqual({ keep: 'k' });
    expect(render({ events: ['payment.captured', '{more}'] }, { more: 'payment.refunded' })).toEqual({ events: ['payment.captured', 'payment.refunded'] });
  });

  it('an inner placeholder without a value throws TemplateError naming it (a path with a hole addresses another resource)', () => {
    expect(() => render({ url: 'https://x.test/{id}/capture' }, {})).toThrow(TemplateError);
    let error: unknown;
    try {
      renderText('/v1/payments/{id}/capture', { amount: 1 });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(TemplateError);
    expect(error).toMatchObject({ missing: 'id', template: '/v1/payments/{id}/capture', message: 'the template "/v1/payments/{id}/capture" needs {id}, which this step does not have' });
  });

  it('renderText writes non-string values as JSON', () => {
    expect(renderText('/v3/merchants/{merchant}/n/{n}', { merchant: 'M', n: 3 })).toBe('/v3/merchants/M/n/3');
  });
});

describe('formEncode: Stripe-style form bodies', () => {
  it('nests objects in bracket notation', () => {
    expect(formEncode({ amount: 1000, currency: 'eur', metadata: { order_id: 'o 1' } })).toBe('amount=1000&currency=eur&metadata%5Border_id%5D=o%201');
  });

  it('writes arrays by index, objects inside arrays too', () => {
    expect(formEncode({ payment_method_types: ['card'], expand: ['latest_charge', 'customer'] })).toBe('payment_method_types%5B0%5D=card&expand%5B0%5D=latest_charge&expand%5B1%5D=customer');
    expect(decodeURIComponent(formEncode({ items: [{ price: 'p', quantity: 2 }] }))).toBe('items[0][price]=p&items[0][quantity]=2');
  });

  it('writes booleans as true/false, null as empty, and leaves undefined out', () => {
    expect(formEncode({ confirm: true, capture: false, description: null, gone: undefined })).toBe('confirm=true&capture=false&description=');
  });

  it('decodes back with URLSearchParams to the bracketed keys a provider reads', () => {
    const form = new URLSearchParams(formEncode({ created: { gte: 1_700_000_000 }, limit: 100 }));
    expect(form.get('created[gte]')).toBe('1700000000');
    expect(form.get('limit')).toBe('100');
  });
});

describe('at: RFC 6901 JSON Pointers into answers', () => {
  const doc = { error: { code: 'card_declined' }, data: [{ id: 'pi_1' }, { id: 'pi_2' }], 'a/b': 1, 'm~n': 2, '': 3 };

  it('reads members and array items', () => {
    expect(at(doc, '/error/code')).toBe('card_declined');
    expect(at(doc, '/data/1/id')).toBe('pi_2');
  });

  it('unescapes ~1 as / and ~0 as ~ (in that order: ~01 is ~1, not /)', () => {
    expect(at(doc, '/a~1b')).toBe(1);
    expect(at(doc, '/m~0n')).toBe(2);
    expect(at({ '~1': 'tilde-one' }, '/~01')).toBe('tilde-one');
  });

  it('"" is the whole document, "/" the empty key', () => {
    expect(at(doc, '')).toBe(doc);
    expect(at(doc, '/')).toBe(3);
  });

  it('is undefined where there is nothing, and for no pointer', () => {
    expect(at(doc, '/error/missing/deeper')).toBeUndefined();
    expect(at(doc, '/data/9/id')).toBeUndefined();
    expect(at('text', '/x')).toBeUndefined();
    expect(at(doc, undefined)).toBeUndefined();
  });
});
