import { matcherSchema } from '../shared/assert.js';
import { errorBodySchema } from '../shared/error-body.js';
import { METHOD_WRITES_WHEN, methodWrites } from '../shared/writes.js';

const stringMap = { type: 'object', additionalProperties: { type: 'string' } } as const;

/** The `http` type's metadata: everything but its behaviour (read by the registry, the docs and `payready checks`). */
export const meta = {
  name: 'http',
  title: 'HTTP request',
  description: 'One HTTP request with assertions on status, headers, JSON body paths and response time; HTTPS-only and auth-required probes.',
  // One request with assertions: an endpoint answers (1.1.a), over HTTPS (1.1.b), in JSON
  // (1.3.a); a test transaction through a key flow (5.2.b); an error body that is clear and says
  // what to do (6.2.a, 6.2.b); a published data-processing document (7.2.b). Whether a policy is
  // strong (7.2.a) needs a person.
  items: ['1.1.a', '1.1.b', '1.3.a', '5.2.b', '6.2.a', '6.2.b', '7.2.b'],
  writes: methodWrites,
  writesWhen: METHOD_WRITES_WHEN,
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['url'],
    properties: {
      method: { enum: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'], default: 'GET', description: 'HTTP method.' },
      url: { type: 'string', minLength: 1, description: 'Absolute URL, e.g. ${target.baseUrl}/v1/payments.' },
      headers: { ...stringMap, description: 'Request headers; credentials must come from ${secrets.x} or ${checks.id.capture}.' },
      body: { type: 'string', description: 'Raw request body.' },
      json: { description: 'Request body sent as JSON.' },
      form: { ...stringMap, description: 'Request body sent as application/x-www-form-urlencoded.' },
      followRedirects: { type: 'integer', minimum: 0, maximum: 20, default: 0, description: 'Redirects to follow; 0 asserts on the redirect itself.' },
      maxBodyBytes: { type: 'integer', minimum: 1, description: 'Response body cap in bytes (default 10 MB).' },
      requireHttps: { type: 'boolean', default: false, description: 'Fail unless the URL and every redirect use https.' },
      expect: {
        type: 'object',
        additionalProperties: false,
        description: 'Assertions on the response; without `status`, any status below 400 passes (unless `problem` is set).',
        properties: {
          status: { ...matcherSchema, description: 'Status: 200, [200, 201], "2xx" or { ge: 200, lt: 300 }.' },
          headers: { type: 'object', additionalProperties: matcherSchema, description: 'Header name (any case) -> matcher.' },
          json: { type: 'object', additionalProperties: matcherSchema, description: 'JSON body path (a.b[0].c) -> matcher.' },
          body: { ...matcherSchema, description: 'Matcher on the body text.' },
          durationMs: { ...matcherSchema, description: 'Matcher on the response time in milliseconds, e.g. { lt: 500 }.' },
          problem: errorBodySchema,
        },
      },
    },
  },
  values: {
    status: 'HTTP status code',
    headers: 'response headers (lower-case names)',
    body: 'the body parsed as JSON, or its text',
    durationMs: 'response time in milliseconds',
    url: 'final URL after redirects',
    response: 'status, headers and body together (for a schema check: response: ${checks.<id>.response})',
  },
  example: {
    method: 'GET',
    url: '${target.baseUrl}/health',
    expect: { status: 200, headers: { 'content-type': { matches: '^application/json' } } },
  },
} as const;
