import { SINGLE_REFERENCE } from '../../model/patterns.js';
import { matcherSchema } from '../shared/assert.js';
import { errorBodySchema } from '../shared/error-body.js';
import { METHOD_WRITES_WHEN, methodWrites } from '../shared/writes.js';

/** The default non-ASCII text of a round trip: Latin-1, Latin Extended-A, CJK and an emoji (4 UTF-8 bytes). */
export const ROUND_TRIP_TEXT = 'Zoë Łukasz 李雷 🙂';

const stringMap = { type: 'object', additionalProperties: { type: 'string' } } as const;

/** The `schema` type's metadata: everything but its behaviour (read by the registry, the docs and `payready checks`). */
export const meta = {
  name: 'schema',
  title: 'Schema conformance',
  description: 'Response conformance to a JSON Schema or an OpenAPI 3.0/3.1 operation (and the request body we send); JSON content type, UTF-8 charset and bytes, a non-ASCII round trip; clear error bodies.',
  // JSON (1.3.a) in UTF-8 (1.3.b) and clear error bodies (6.2.a). Guidance a shopper can act on
  // (6.2.b) is the wording of a message, which an http expect or the ui check asserts.
  items: ['1.3.a', '1.3.b', '6.2.a'],
  writes: methodWrites,
  writesWhen: METHOD_WRITES_WHEN,
  schema: {
    type: 'object',
    additionalProperties: false,
    // Exactly one source of the response: the check's own request or a captured one.
    oneOf: [
      { required: ['url'], properties: { url: true } },
      { required: ['response'], properties: { response: true } },
    ],
    properties: {
      method: { enum: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], default: 'GET', description: 'HTTP method of the check’s own request.' },
      url: { type: 'string', minLength: 1, description: 'URL of the check’s own request (or give `response`).' },
      headers: { ...stringMap, description: 'Request headers; credentials must come from ${secrets.x} or ${checks.id.capture}.' },
      json: { description: 'Request body sent as JSON (validated against the operation’s requestBody first).' },
      body: { type: 'string', description: 'Raw request body.' },
      response: {
        description: 'A response captured by an earlier check instead of a request: ${checks.<id>.response} (the `response` value of an `http` or `schema` check), or { status, headers, body }.',
        anyOf: [
          {
            type: 'object',
            required: ['status'],
            properties: { status: { type: 'integer', description: 'HTTP status.' }, headers: { type: 'object', description: 'Headers (content-type is read).' }, body: { description: 'The body, parsed JSON or text.' } },
          },
          // A whole-object capture is written as one reference; it is an object once resolved.
          { type: 'string', pattern: SINGLE_REFERENCE },
        ],
      },
      openapi: { type: 'string', minLength: 1, description: 'OpenAPI 3.0/3.1 document (JSON or YAML): a file relative to the suite, or an http(s) URL.' },
      operationId: { type: 'string', minLength: 1, description: 'The operation to validate against; default: found from method + `path`, or from the request URL.' },
      path: { type: 'string', pattern: '^/', description: 'Path template of the operation, e.g. /v1/payments/{id} (with `method`).' },
      jsonSchema: { type: ['object', 'boolean', 'string'], description: 'A JSON Schema (draft 2020-12 or draft-07, by its $schema) inline, or a file/URL; instead of `openapi`.' },
      status: { ...matcherSchema, description: 'Expected status; default below 400 (or 4xx/5xx with `problem`). The status picks the OpenAPI response schema.' },
      validateRequest: { type: 'boolean', default: true, description: 'Validate the JSON request body against the operation’s requestBody schema before sending it.' },
      utf8: { type: 'boolean', default: true, description: 'Require a JSON Content-Type whose charset is UTF-8 (explicit or by default) and a body that is valid UTF-8.' },
      roundTrip: {
        type: 'object',
        additionalProperties: false,
        required: ['path'],
        description: 'Send non-ASCII text at `path` of the JSON body and require it back byte for byte at the same path of the response.',
        properties: {
          path: { type: 'string', minLength: 1, description: 'JSON path (a.b[0].c) in the request body and the response.' },
          value: { type: 'string', minLength: 1, default: ROUND_TRIP_TEXT, description: `Text to send (default "${ROUND_TRIP_TEXT}").` },
          readBack: { type: 'boolean', default: false, description: 'Also GET the Location of the response and require the text there.' },
        },
      },
      problem: errorBodySchema,
      maxViolations: { type: 'integer', minimum: 1, maximum: 1000, default: 50, description: 'Violations listed at most (the count is always exact).' },
    },
  },
  values: {
    status: 'HTTP status code',
    headers: 'response headers (lower-case names)',
    body: 'the body parsed as JSON, or its text',
    response: 'status, headers and body together (for another schema check)',
    violations: 'schema violations: pointer, rule, expected, actual, message',
  },
  example: {
    openapi: '${target.baseUrl}/openapi.json',
    method: 'GET',
    url: '${target.baseUrl}/v1/payments/${checks.payment-approve.paymentId}',
    headers: { Authorization: 'Bearer ${checks.oauth-token.token}' },
    status: 200,
  },
} as const;
