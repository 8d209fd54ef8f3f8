import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OpenApiDocument } from '../../src/schema/openapi.js';
import { toViolations } from '../../src/schema/violations.js';

const shop = OpenApiDocument.parse(readFileSync(new URL('../../fixtures/openapi/shop-3.0.yaml', import.meta.url), 'utf8'));

function responseValidator(operationId: string, status: number, mediaType = 'application/json') {
  const op = shop.byOperationId(operationId);
  if (!op) throw new Error(`no ${operationId}`);
  const schema = shop.responseSchema(op, status, mediaType);
  if (schema.kind !== 'schema') throw new Error(`no schema: ${schema.kind}`);
  return (value: unknown): string[] => (schema.validator(value) ? [] : toViolations(schema.validator.errors).map((v) => `${v.pointer} ${v.rule}`));
}

function requestValidator(operationId: string) {
  const op = shop.byOperationId(operationId);
  if (!op) throw new Error(`no ${operationId}`);
  const schema = shop.requestSchema(op, 'application/json');
  if (schema.kind !== 'schema') throw new Error(`no schema: ${schema.kind}`);
  return (value: unknown): string[] => (schema.validator(value) ? [] : toViolations(schema.validator.errors).map((v) => `${v.pointer} ${v.rule}`));
}

const pet = { id: 7, name: 'Mia', kind: { type: 'cat', indoor: true }, owner: { name: 'Zoë' } };

describe('OpenAPI 3.0 document (fixtures/openapi/shop-3.0.yaml)', () => {
  it('is parsed from YAML, cached by its text, and knows its version', () => {
    const again = OpenApiDocument.parse(readFileSync(new URL('../../fixtures/openapi/shop-3.0.yaml', import.meta.url), 'utf8'));
    expect(again).toBe(shop);
    expect(shop.version).toBe('3.0');
  });

  it('finds operations by id, by template (any parameter names) and by a concrete request path under the server URL', () => {
    expect(shop.byOperationId('getPet')?.path).toBe('/pets/{petId}');
    expect(shop.byTemplate('GET', '/pets/{id}')?.operationId).toBe('getPet');
    expect(shop.byRequest('GET', '/api/v2/pets/42')?.operationId).toBe('getPet');
    // A literal segment beats a template one.
    expect(shop.byRequest('GET', '/api/v2/pets/search')?.operationId).toBe('searchPets');
    expect(shop.byRequest('DELETE', '/api/v2/pets/42')).toBeUndefined();
  });

  it('picks the response by exact status, then 4XX, then default, following $ref to shared responses', () => {
    const op = shop.byOperationId('createPet')!;
    expect(shop.responseSchema(op, 201, 'application/json')).toMatchObject({ kind: 'schema', where: 'POST /pets 201' });
    expect(shop.responseSchema(op, 404, 'application/problem+json')).toMatchObject({ kind: 'schema', where: 'POST /pets 4XX' });
    expect(shop.responseSchema(op, 500, 'application/json')).toEqual({ kind: 'undocumented-status', documented: ['201', '4XX'] });
    expect(shop.responseSchema(op, 404, 'text/html')).toMatchObject({ kind: 'undocumented-media-type', documented: ['application/problem+json'] });
    expect(shop.responseSchema(shop.byOperationId('getPet')!, 503, 'application/problem+json')).toMatchObject({ kind: 'schema', where: 'GET /pets/{petId} default' });
  });

  it('accepts a conforming response', () => {
    expect(responseValidator('getPet', 200)(pet)).toEqual([]);
  });

  it('honours nullable (on a typed member and next to allOf)', () => {
    const validate = responseValidator('getPet', 200);
    expect(validate({ ...pet, nickname: null, owner: null })).toEqual([]);
    expect(validate({ ...pet, name: null })).toEqual(['/name type']);
  });

  it('turns a boolean exclusiveMinimum into the 2020-12 number form', () => {
    const validate = responseValidator('getPet', 200);
    expect(validate({ ...pet, price: 0.5 })).toEqual([]);
    expect(validate({ ...pet, price: 0 })).toEqual(['/price exclusiveMinimum']);
  });

  it('uses the discriminator to pick one schema (explicit mapping and implicit schema name)', () => {
    const validate = responseValidator('getPet', 200);
    expect(validate({ ...pet, kind: { type: 'Dog', barks: false } })).toEqual([]);
    // A cat that barks: the error points into Cat, not "matches none of oneOf".
    expect(validate({ ...pet, kind: { type: 'cat', barks: true } })).toEqual(['/kind/indoor required']);
    expect(validate({ ...pet, kind: { type: 'parrot' } })).toEqual(['/kind/type enum']);
  });

  it('readOnly members are required in responses and refused in requests; writeOnly the other way round', () => {
    expect(responseValidator('getPet', 200)({ ...pet, id: undefined })).toEqual(['/id required']);
    expect(responseValidator('getPet', 200)({ ...pet, secretTag: 'x' })).toEqual(['/secretTag writeOnly']);
    const request = { name: 'Rex', kind: { type: 'Dog', barks: true }, owner: null, secretTag: 'chip-1' };
    expect(requestValidator('createPet')(request)).toEqual([]);
    expect(requestValidator('createPet')({ ...request, id: 1 })).toEqual(['/id readOnly']);
    expect(requestValidator('createPet')({ ...request, secretTag: undefined })).toEqual(['/secretTag required']);
  });

  it('reports each violation with pointer, rule, expected and actual', () => {
    const op = shop.byOperationId('getPet')!;
    const schema = shop.responseSchema(op, 200, 'application/json');
    if (schema.kind !== 'schema') throw new Error(schema.kind);
    expect(schema.validator({ ...pet, id: '7', name: '' })).toBe(false);
    expect(toViolations(schema.validator.errors)).toEqual([
      { pointer: '/id', rule: 'type', expected: 'integer', actual: '7', message: '/id: expected integer, got "7"' },
      { pointer: '/name', rule: 'minLength', expected: '1', actual: '', message: '/name: must NOT have fewer than 1 characters, got ""' },
    ]);
  });

  it('refuses what is not an OpenAPI 3 document, saying why', () => {
    expect(() => OpenApiDocument.parse('{"swagger":"2.0","paths":{}}')).toThrow(/Swagger 2\.0; convert it to OpenAPI 3/);
    expect(() => OpenApiDocument.parse('{"openapi":"4.0.0","paths":{}}')).toThrow(/expected 3\.0\.x or 3\.1\.x/);
    expect(() => OpenApiDocument.parse('openapi: [')).toThrow(/neither JSON nor YAML/);
  });
});
