import { checkoutArea } from '../checkout/openapi.js';
import { oauthArea } from '../oauth/openapi.js';
import { paymentsArea } from '../payments/openapi.js';
import { networkArea } from '../transport/openapi.js';
import { webhooksArea } from '../webhooks/openapi.js';
import { commonArea } from './common.js';
import type { ApiArea, Doc } from './types.js';

/** Every area of the API; each concern keeps its area in its own `openapi.ts`, listed here. */
const AREAS: readonly ApiArea[] = [commonArea, oauthArea, paymentsArea, webhooksArea, checkoutArea, networkArea];

/** The sandbox's OpenAPI 3.1 document for a sandbox served at `baseUrl`. */
export function openApiDocument(baseUrl: string, scopes: readonly string[]): Doc {
  const paths: Record<string, Doc> = {};
  const schemas: Record<string, Doc> = {};
  const responses: Record<string, Doc> = {};
  for (const area of AREAS) {
    Object.assign(paths, area.paths);
    Object.assign(schemas, area.schemas);
    Object.assign(responses, area.responses);
  }
  const scopeWords = Object.fromEntries(scopes.map((scope) => [scope, `${scope.split(':')[1] ?? scope} ${scope.split(':')[0] ?? ''}`.trim()]));
  return {
    openapi: '3.1.0',
    info: {
      title: 'payready sandbox payment provider',
      version: '1',
      description: 'The emulated provider payready starts for its checks. Errors are RFC 9457 problem details; text is UTF-8.',
    },
    servers: [{ url: baseUrl }],
    tags: AREAS.map((area) => area.tag),
    paths,
    components: {
      schemas,
      responses,
      securitySchemes: {
        oauth2: {
          type: 'oauth2',
          flows: {
            clientCredentials: { tokenUrl: `${baseUrl}/oauth/token`, scopes: scopeWords },
            authorizationCode: { authorizationUrl: `${baseUrl}/oauth/authorize`, tokenUrl: `${baseUrl}/oauth/token`, refreshUrl: `${baseUrl}/oauth/token`, scopes: scopeWords },
          },
        },
        clientSecretBasic: { type: 'http', scheme: 'basic', description: 'client_id:client_secret (client_secret_basic); or both in the form (client_secret_post).' },
      },
    },
  };
}
