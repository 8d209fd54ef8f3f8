import { fileURLToPath } from 'node:url';
import { defineCheck, type CheckType } from '../../src/checks/types.js';

/** The repository root: fixtures are named relative to it, as a user would type them. */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

const notRun = async (): Promise<never> => {
  throw new Error('suite tests never run checks');
};

/** A money-moving type (no shipped type moves money yet). */
export const payType = defineCheck({
  name: 'pay',
  title: 'Test type pay',
  messages: {},
  description: 'Creates a payment.',
  items: ['3.1.a', '3.1.b'],
  movesMoney: true,
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['amount'],
    properties: {
      amount: { type: 'integer', minimum: 1 },
      currency: { type: 'string', enum: ['EUR', 'USD', 'JPY'], default: 'EUR' },
      capture: { type: 'boolean', default: true },
    },
  },
  values: { body: 'response body', status: 'HTTP status' },
  run: notRun,
});

/** A type with a parameter annotated `x-secret` (nested, and reached through `$ref`). */
export const loginType = defineCheck({
  name: 'login',
  title: 'Test type login',
  messages: {},
  description: 'Logs in.',
  items: ['1.1.a', '1.1.b', '1.1.c'],
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['user', 'password'],
    properties: {
      user: { type: 'string' },
      password: { type: 'string', 'x-secret': true },
      client: { $ref: '#/$defs/client' },
      retries: { type: 'integer', minimum: 0 },
    },
    $defs: {
      client: {
        type: 'object',
        additionalProperties: false,
        properties: { id: { type: 'string' }, secret: { type: 'string', 'x-secret': true } },
      },
    },
  },
  values: { body: 'response body', token: 'the session token' },
  run: notRun,
});

/** A minimal `http`-like type, so these tests do not depend on the shipped type's parameters. */
export const fetchType = defineCheck({
  name: 'fetch',
  title: 'Test type fetch',
  messages: {},
  description: 'One request.',
  items: ['1.1.a', '1.1.b', '1.3.a', '5.2.b'],
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['url'],
    properties: {
      url: { type: 'string', minLength: 1 },
      method: { enum: ['GET', 'POST'], default: 'GET' },
      headers: { type: 'object', additionalProperties: { type: 'string' } },
      timeoutMs: { type: 'integer', minimum: 1 },
      verbose: { type: 'boolean' },
      expect: { type: 'object', additionalProperties: false, properties: { status: { type: 'integer' }, headers: { type: 'object' } } },
    },
  },
  values: { status: 'HTTP status', headers: 'response headers', body: 'response body' },
  run: notRun,
});

/** The fake types, as one stable array (the compiled validator is cached per array). */
export const fakeTypes: readonly CheckType[] = [fetchType, loginType, payType];
