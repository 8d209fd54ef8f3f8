import { jsonResponse, responseRef, type ApiArea } from '../openapi/types.js';
import { MAX_DOWNLOAD_BYTES, MAX_MBPS } from './speed.js';

const mbpsParameter = {
  name: 'mbps',
  in: 'query',
  required: false,
  description: 'Simulate a link of this speed, in megabits per second (unthrottled when absent).',
  schema: { type: 'number', exclusiveMinimum: 0, maximum: MAX_MBPS },
};

/** Speed-test endpoints (`bandwidth` check) and the rate-limited endpoint (`ratelimit` check). */
export const networkArea: ApiArea = {
  tag: { name: 'network', description: 'Speed test and rate limit: what the transport checks measure.' },
  paths: {
    '/speed/down': {
      get: {
        operationId: 'speedDownload',
        tags: ['network'],
        summary: 'Streams the asked number of bytes',
        parameters: [
          { name: 'bytes', in: 'query', required: false, description: 'Bytes to send (10,000,000 when absent).', schema: { type: 'integer', minimum: 0, maximum: MAX_DOWNLOAD_BYTES } },
          mbpsParameter,
        ],
        responses: {
          '200': { description: 'The bytes.', content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } },
          '400': responseRef('BadRequest'),
        },
      },
    },
    '/speed/up': {
      post: {
        operationId: 'speedUpload',
        tags: ['network'],
        summary: 'Reads and discards the body, then says how much arrived',
        parameters: [mbpsParameter],
        requestBody: { required: false, content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } },
        responses: { '200': jsonResponse('What arrived.', 'SpeedUpload'), '400': responseRef('BadRequest') },
      },
    },
    '/v1/rate-limit': {
      get: {
        operationId: 'getRateLimit',
        tags: ['network'],
        summary: "The caller's remaining request budget; 429 with Retry-After once it is spent",
        responses: {
          '200': jsonResponse('The budget.', 'RateLimit', 'application/json', { 'RateLimit-Limit': { schema: { type: 'string' } }, 'RateLimit-Remaining': { schema: { type: 'string' } } }),
          '429': jsonResponse('Too many requests: retry after Retry-After seconds.', 'Problem', 'application/problem+json', { 'Retry-After': { schema: { type: 'string', pattern: '^[0-9]+$' } } }),
        },
      },
    },
  },
  schemas: {
    SpeedUpload: {
      type: 'object',
      required: ['bytes', 'seconds'],
      additionalProperties: false,
      properties: { bytes: { type: 'integer', minimum: 0 }, seconds: { type: 'number', minimum: 0 } },
    },
    RateLimit: {
      type: 'object',
      required: ['limit', 'remaining'],
      properties: {
        limit: { type: ['integer', 'null'], description: 'Requests allowed in a burst (null: no limit is enforced).' },
        remaining: { type: ['integer', 'null'] },
        refillPerSecond: { type: 'number' },
      },
    },
  },
};
