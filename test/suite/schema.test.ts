import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { acceptReferences, SUITE_SCHEMA_ID } from '../../src/suite/schema-build.js';
import { buildSuiteSchema, suiteValidator, validateParams, validateParamsOf } from '../../src/suite/schema.js';
import { checkTypeNames } from '../../src/checks/index.js';
import { fakeTypes, fetchType, loginType, payType } from './helpers.js';

describe('buildSuiteSchema', () => {
  it('is a valid draft 2020-12 schema with an $id, built from the registry', async () => {
    const schema = await buildSuiteSchema();
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.$id).toBe(SUITE_SCHEMA_ID);
    const ajv = new Ajv2020.default({ strict: false });
    expect(ajv.validateSchema(schema)).toBe(true);
    const defs = schema.$defs as Record<string, Record<string, unknown>>;
    const checkType = (defs.check?.properties as Record<string, Record<string, unknown>>).type;
    expect(checkType?.enum).toEqual([...checkTypeNames]);
    for (const name of checkTypeNames) expect(defs[`check-${name}`]).toBeDefined();
  });

  it('routes each type to its own with: schema through if/then', async () => {
    const schema = await buildSuiteSchema(fakeTypes);
    const check = (schema.$defs as Record<string, Record<string, unknown>>).check;
    expect(check?.allOf).toContainEqual({
      if: { properties: { type: { const: 'pay' } }, required: ['type'] },
      then: { properties: { with: { $ref: '#/$defs/check-pay' } }, required: ['with'] },
    });
  });
});

describe('acceptReferences', () => {
  it('lets non-string scalars be one ${...} and constrained strings hold one; re-roots local $refs', () => {
    const out = acceptReferences(loginType.schema, '#/$defs/check-login') as Record<string, Record<string, unknown>>;
    const properties = out.properties as Record<string, unknown>;
    expect(properties.retries).toEqual({ anyOf: [{ type: 'integer', minimum: 0 }, { $ref: '#/$defs/interpolation' }] });
    expect(properties.user).toEqual({ type: 'string' });
    expect(properties.client).toEqual({ $ref: '#/$defs/check-login/$defs/client' });
    const method = (acceptReferences(fetchType.schema, '#') as { properties: Record<string, unknown> }).properties.method;
    expect(method).toEqual({ anyOf: [{ enum: ['GET', 'POST'], default: 'GET' }, { $ref: '#/$defs/interpolated' }] });
  });

  it('makes the compiled suite schema accept references where the values will be numbers', async () => {
    const { validate } = await suiteValidator(fakeTypes);
    const suite = (params: Record<string, unknown>): unknown => ({
      suite: 's',
      title: 'S',
      environments: { sandbox: { embedded: true } },
      checks: [{ id: 'p', type: 'pay', section: '3.1', with: params }],
    });
    expect(validate(suite({ amount: '${vars.amount}', currency: '${vars.currency}', capture: '${vars.capture}' }))).toBe(true);
    expect(validate(suite({ amount: 'ten' }))).toBe(false);
    expect(validate(suite({ amount: '${vars.a} and ${vars.b}' }))).toBe(false);
  });

  it('compiles the suite schema once per list of types', async () => {
    expect(await suiteValidator(fakeTypes)).toBe(await suiteValidator(fakeTypes));
    expect(await suiteValidator()).toBe(await suiteValidator());
  });
});

describe('validateParams', () => {
  it('applies defaults to a copy of resolved parameters', () => {
    const params = { amount: 100 };
    const result = validateParamsOf(payType, params);
    expect(result).toEqual({ ok: true, params: { amount: 100, currency: 'EUR', capture: true } });
    expect(params).toEqual({ amount: 100 });
  });

  it('explains invalid resolved parameters in sentences', () => {
    const result = validateParamsOf(payType, { amount: '100', currency: 'EURO', captur: true });
    expect(result.ok).toBe(false);
    const message = result.ok ? '' : result.message;
    expect(message).toContain('unknown parameter "captur" for check type "pay" (did you mean "capture"?');
    expect(message).toContain('wrong type for with.amount: expected an integer, got "100"');
    expect(message).toContain('invalid value "EURO" for with.currency (did you mean "EUR"?');
    expect(validateParamsOf(payType, {})).toEqual({ ok: false, message: 'missing required parameter "amount" for check type "pay"' });
  });

  it('looks registered types up by name', async () => {
    expect(await validateParams('http', { url: 'https://example.com/' })).toMatchObject({ ok: true, params: { method: 'GET', url: 'https://example.com/' } });
    expect(await validateParams('nope', {})).toEqual({ ok: false, message: 'unknown check type "nope"' });
  });
});
