/**
 * The sandbox's OpenAPI 3.1 document is built in code, one area per file next to the routes it
 * describes (common, oauth, payments, webhooks, checkout, network). Adding an endpoint: its route, and its operation in the
 * area file (a test fails when a route has no operation or an operation no route).
 */

/** A JSON object of the OpenAPI document (kept loose: the document is data, validated by tests). */
export type Doc = Record<string, unknown>;

/** What one area contributes to the document. */
export interface ApiArea {
  /** Tag describing the area. */
  tag: { name: string; description: string };
  /** Path items by path template, e.g. `/v1/payments/{id}`. */
  paths: Record<string, Doc>;
  /** Schemas under `components.schemas`. */
  schemas?: Record<string, Doc>;
  /** Responses under `components.responses`. */
  responses?: Record<string, Doc>;
}

/** A JSON response whose body follows the schema named `schema`. */
export function jsonResponse(description: string, schema: string, mediaType = 'application/json', headers?: Doc): Doc {
  return {
    description,
    ...(headers ? { headers } : {}),
    content: { [mediaType]: { schema: { $ref: `#/components/schemas/${schema}` } } },
  };
}

/** A reference to a shared response. */
export function responseRef(name: string): Doc {
  return { $ref: `#/components/responses/${name}` };
}
