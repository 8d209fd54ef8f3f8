import { METHOD_WRITES_WHEN, methodWrites } from '../shared/writes.js';

/** The `ip-allowlist` type's metadata: everything but its behaviour (read by the registry, the docs and `payready checks`). */
export const meta = {
  name: 'ip-allowlist',
  title: 'IP allowlist',
  description: 'A request from a source address outside the IP allowlist must be refused (403 or no connection) while one from an allowlisted address gets through.',
  // Only the allowlist: it says nothing about rate limits or patching.
  items: ['2.3.c'],
  writes: methodWrites,
  writesWhen: METHOD_WRITES_WHEN,
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['url', 'sourceAddress'],
    properties: {
      url: { type: 'string', minLength: 1, description: 'Endpoint probed from both addresses.' },
      method: { enum: ['GET', 'HEAD', 'POST'], default: 'GET', description: 'HTTP method.' },
      headers: { type: 'object', additionalProperties: { type: 'string' }, description: 'Request headers (credentials from secrets or captures).' },
      sourceAddress: { type: 'string', minLength: 1, description: 'An address of this machine that is NOT on the allowlist (e.g. 127.0.0.2 on loopback, or a second interface).' },
      allowedSourceAddress: { type: 'string', minLength: 1, description: 'An address of this machine that IS on the allowlist (default: the system picks).' },
      refusedStatus: { type: 'array', items: { type: 'integer', minimum: 400, maximum: 599 }, minItems: 1, default: [403], description: 'Statuses that count as refusing the outside address.' },
      requestTimeoutMs: { type: 'integer', minimum: 1, default: 5000, description: 'Timeout of each request; no answer from the outside address counts as refused (dropped).' },
    },
  },
  values: { outsideStatus: 'status the outside address got (absent when refused at connection level)', allowedStatus: 'status the allowlisted address got' },
  example: { url: '${target.baseUrl}/health', sourceAddress: '${target.outsideAddress}' },
} as const;
