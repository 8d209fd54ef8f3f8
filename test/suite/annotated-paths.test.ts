import { describe, expect, it } from 'vitest';
import type { JsonSchema } from '../../src/checks/types.js';
import { annotatedParamPaths, secretParamPaths } from '../../src/suite/secrets.js';

describe('annotatedParamPaths: values whose schema node carries an annotation', () => {
  // A recursive schema: `node` refers to itself, the secret sits behind a $ref, a pattern and an anyOf.
  const schema = {
    type: 'object',
    $defs: {
      node: { type: 'object', properties: { token: { type: 'string', 'x-secret': true }, child: { $ref: '#/$defs/node' } } },
    },
    properties: {
      tree: { $ref: '#/$defs/node' },
      plain: { type: 'object', properties: { token: { type: 'string' } } },
      list: { type: 'array', items: { anyOf: [{ type: 'string' }, { type: 'object', properties: { key: { 'x-secret': true } } }] } },
      peers: { type: 'array', items: { type: 'string', 'x-check-id': true } },
    },
    patternProperties: { '^x-': { 'x-secret': true } },
    additionalProperties: { type: 'object', properties: { password: { 'x-secret': true } } },
  } as unknown as JsonSchema;

  it('finds them through $ref cycles, combinators, items, patterns and additionalProperties, and nowhere else', () => {
    const data = { tree: { token: 'a', child: { token: 'b', child: {} } }, plain: { token: 'c' }, list: ['d', { key: 'e' }], 'x-api': 'f', other: { password: 'g' }, peers: ['p'] };
    expect(secretParamPaths(schema, data)).toEqual([['tree', 'token'], ['tree', 'child', 'token'], ['list', 1, 'key'], ['x-api'], ['other', 'password']]);
    expect(annotatedParamPaths(schema, data, 'x-check-id')).toEqual([['peers', 0]]);
    // Cached per schema and keyword: a second call answers the same.
    expect(secretParamPaths(schema, data)).toHaveLength(5);
  });

  it('a schema without the annotation yields nothing', () => {
    expect(annotatedParamPaths({ type: 'object', properties: { a: { type: 'string' } } } as unknown as JsonSchema, { a: 'x' }, 'x-secret')).toEqual([]);
  });
});
