import { jsonResponse, type ApiArea } from './types.js';

/** Problem details (RFC 9457), health, and the responses every area shares. */
export const commonArea: ApiArea = {
  tag: { name: 'service', description: 'Health and this document.' },
  paths: {
    '/health': {
      get: {
        operationId: 'getHealth',
        tags: ['service'],
        summary: 'Liveness of the API',
        responses: { '200': jsonResponse('The API is up.', 'Health'), default: { $ref: '#/components/responses/Problem' } },
      },
    },
    '/openapi.json': {
      get: {
        operationId: 'getOpenApi',
        tags: ['service'],
        summary: 'This OpenAPI 3.1 document',
        responses: { '200': { description: 'The document.', content: { 'application/json': { schema: { type: 'object', required: ['openapi', 'paths'] } } } } },
      },
    },
  },
  schemas: {
    Health: {
      type: 'object',
      required: ['status'],
      additionalProperties: false,
      properties: { status: { const: 'ok' } },
    },
    Problem: {
      type: 'object',
      description: 'RFC 9457 problem details: a human-readable title and detail, and a machine-readable code.',
      required: ['type', 'title', 'status', 'detail', 'code'],
      properties: {
        type: { type: 'string', format: 'uri', description: 'Identifies the problem type.' },
        title: { type: 'string', minLength: 1, description: 'Short summary, the same for every occurrence of the type.' },
        status: { type: 'integer', minimum: 400, maximum: 599 },
        detail: { type: 'string', minLength: 1, description: 'What went wrong this time and what to do about it.' },
        code: { type: 'string', pattern: '^[a-z][a-z0-9_]*$', description: 'Machine-readable code, snake_case.' },
      },
    },
    FieldError: {
      type: 'object',
      required: ['pointer', 'detail'],
      additionalProperties: false,
      properties: {
        pointer: { type: 'string', description: 'JSON Pointer (RFC 6901) to the invalid member of the request body.' },
        detail: { type: 'string', minLength: 1 },
      },
    },
    ValidationProblem: {
      allOf: [
        { $ref: '#/components/schemas/Problem' },
        {
          type: 'object',
          required: ['errors'],
          properties: { code: { const: 'validation_failed' }, errors: { type: 'array', minItems: 1, items: { $ref: '#/components/schemas/FieldError' } } },
        },
      ],
    },
  },
  responses: {
    Problem: jsonResponse('An error, as problem details.', 'Problem', 'application/problem+json'),
    BadRequest: jsonResponse('The request is malformed (e.g. the body is not valid JSON).', 'Problem', 'application/problem+json'),
    Unauthorized: jsonResponse('No valid access token (RFC 6750).', 'Problem', 'application/problem+json', {
      'WWW-Authenticate': { description: 'Bearer challenge, with error="invalid_token" when a token was sent.', schema: { type: 'string', pattern: '^Bearer ' } },
    }),
    Forbidden: jsonResponse('The access token lacks the scope this operation needs.', 'Problem', 'application/problem+json', {
      'WWW-Authenticate': { schema: { type: 'string', pattern: '^Bearer .*error="insufficient_scope"' } },
    }),
    NotFound: jsonResponse('No such resource.', 'Problem', 'application/problem+json'),
    PayloadTooLarge: jsonResponse('The request body exceeds 1 MiB.', 'Problem', 'application/problem+json'),
    UnsupportedMediaType: jsonResponse('The body is not sent as JSON.', 'Problem', 'application/problem+json'),
    ValidationFailed: jsonResponse('One or more fields are invalid; each is listed in "errors".', 'ValidationProblem', 'application/problem+json'),
  },
};
