import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { deref } from '../../src/schema/convert.js';
import { OpenApiDocument, type BodySchema } from '../../src/schema/openapi.js';
import { toViolations } from '../../src/schema/violations.js';

/**
 * A real, large OpenAPI 3.1 document: Adyen's Checkout API v71 (889 KB, MIT). Every example it
 * ships is validated against the schema of its own response (or request body). An example that
 * does not conform is listed by operation, status, name and violation: a finding about the
 * document, never skipped.
 */
const text = readFileSync(new URL('../../fixtures/openapi/adyen-checkout-v71.openapi.json', import.meta.url), 'utf8');
const doc = OpenApiDocument.parse(text);

type Node = Record<string, unknown>;

interface Example {
  where: string;
  name: string;
  value: unknown;
  schema: BodySchema;
}

function examplesOf(content: unknown, where: string, schemaFor: (mediaType: string) => BodySchema): Example[] {
  const out: Example[] = [];
  for (const [mediaType, media] of Object.entries((content ?? {}) as Record<string, Node>)) {
    for (const [name, example] of Object.entries((media.examples ?? {}) as Record<string, unknown>)) {
      out.push({ where: `${where} ${mediaType}`, name, value: (deref(doc.doc, example) as Node).value, schema: schemaFor(mediaType) });
    }
  }
  return out;
}

const responseExamples: Example[] = [];
const requestExamples: Example[] = [];
for (const op of doc.operations()) {
  for (const [status, response] of Object.entries(op.node.responses as Node)) {
    const where = `${op.method.toUpperCase()} ${op.path} ${status}`;
    responseExamples.push(...examplesOf((deref(doc.doc, response) as Node).content, where, (mediaType) => doc.responseSchema(op, Number(status), mediaType)));
  }
  const body = deref(doc.doc, op.node.requestBody) as Node | undefined;
  requestExamples.push(...examplesOf(body?.content, `${op.method.toUpperCase()} ${op.path} request`, (mediaType) => doc.requestSchema(op, mediaType)));
}

function nonConforming(examples: Example[]): string[] {
  return examples.flatMap((example) => {
    if (example.schema.kind !== 'schema') return [`${example.where} "${example.name}": no schema (${example.schema.kind})`];
    if (example.schema.validator(example.value)) return [];
    return toViolations(example.schema.validator.errors).map((v) => `${example.where} "${example.name}": ${v.message} (${v.rule})`);
  });
}

describe('Adyen Checkout API v71 (fixtures/openapi/adyen-checkout-v71.openapi.json)', () => {
  it('loads as OpenAPI 3.1 with its operations', () => {
    expect(doc.version).toBe('3.1');
    expect(doc.operations().length).toBeGreaterThan(25);
    expect(doc.byOperationId('post-payments')?.path).toBe('/payments');
  });

  it('has 146 response examples, and every one conforms to the schema of its response', () => {
    expect(responseExamples).toHaveLength(146);
    expect(nonConforming(responseExamples)).toEqual([]);
  });

  it('has 54 request examples, and every one conforms to its requestBody schema', () => {
    expect(requestExamples).toHaveLength(54);
    expect(nonConforming(requestExamples)).toEqual([]);
  });

  it('the same validators catch broken copies of the examples (the comparison has teeth)', () => {
    // Every object example replaced by a number must fail its (object) schema.
    const broken = responseExamples.filter((e) => e.value !== null && typeof e.value === 'object' && !Array.isArray(e.value)).map((e) => ({ ...e, value: 42 }));
    expect(nonConforming(broken)).toHaveLength(broken.length);
    const payments = responseExamples.find((e) => e.where === 'POST /payments 200 application/json')!;
    const tampered = { ...(payments.value as Node), resultCode: 'Maybe', pspReference: 12 };
    expect(nonConforming([{ ...payments, value: tampered }])).toEqual([
      `POST /payments 200 application/json "${payments.name}": /pspReference: expected string, got 12 (type)`,
      expect.stringMatching(/: \/resultCode: expected one of \[.*, got "Maybe" \(enum\)$/),
    ]);
  });
});
