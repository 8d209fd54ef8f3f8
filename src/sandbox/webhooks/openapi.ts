import { jsonResponse, responseRef, type ApiArea } from '../openapi/types.js';
import { WEBHOOK_EVENTS } from './delivery.js';

/** Register and remove webhook receivers (loopback URLs only). */
export const webhooksArea: ApiArea = {
  tag: {
    name: 'webhooks',
    description: 'Events are POSTed to each receiver, signed `Payready-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" with the endpoint secret>`.',
  },
  paths: {
    '/v1/webhook-endpoints': {
      post: {
        operationId: 'createWebhookEndpoint',
        tags: ['webhooks'],
        summary: 'Register a loopback receiver; the answer holds its signing secret',
        security: [{ oauth2: ['payments:write'] }],
        requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/WebhookEndpointRequest' } } } },
        responses: {
          '201': jsonResponse('The receiver, with its signing secret (shown once).', 'WebhookEndpoint'),
          '400': responseRef('BadRequest'),
          '401': responseRef('Unauthorized'),
          '403': responseRef('Forbidden'),
          '422': responseRef('ValidationFailed'),
          default: responseRef('Problem'),
        },
      },
    },
    '/v1/webhook-endpoints/{id}': {
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^we_[0-9a-f]{24}$' } }],
      delete: {
        operationId: 'deleteWebhookEndpoint',
        tags: ['webhooks'],
        summary: 'Stop sending events to a receiver',
        security: [{ oauth2: ['payments:write'] }],
        responses: { '204': { description: 'Removed.' }, '401': responseRef('Unauthorized'), '404': responseRef('NotFound'), default: responseRef('Problem') },
      },
    },
  },
  schemas: {
    WebhookEndpointRequest: {
      type: 'object',
      required: ['url'],
      additionalProperties: false,
      properties: {
        url: { type: 'string', format: 'uri', description: 'An http(s) URL on a loopback address.' },
        events: { type: 'array', minItems: 1, items: { enum: ['*', ...WEBHOOK_EVENTS] }, default: ['*'] },
      },
    },
    WebhookEndpoint: {
      type: 'object',
      required: ['id', 'url', 'events', 'secret', 'createdAt'],
      additionalProperties: false,
      properties: {
        id: { type: 'string', pattern: '^we_[0-9a-f]{24}$' },
        url: { type: 'string', format: 'uri' },
        events: { type: 'array', items: { type: 'string' } },
        secret: { type: 'string', pattern: '^whsec_' },
        createdAt: { type: 'string', format: 'date-time' },
      },
    },
  },
};
