import Ajv2020 from 'ajv/dist/2020.js';
import AjvDraft07 from 'ajv';
import addFormats from 'ajv-formats';
import type { Ajv as AjvCore, ErrorObject, ValidateFunction } from 'ajv';

/** JSON Schema dialects payready validates with. */
export type Dialect = '2020-12' | 'draft-07';

/** A compiled validator and the dialect it was compiled for. */
export type Validator = ValidateFunction;

/** Annotation payready writes into converted OpenAPI schemas to name the rule a `not: {}` stands for. */
export const RULE_KEYWORD = 'x-payready-rule';

const INT32 = 2 ** 31;

/**
 * OpenAPI's own formats (3.0 §4.4 and the 3.1 format registry). Number formats check ranges;
 * `byte` is base64; `binary` and `password` only describe the value.
 */
function addOpenApiFormats(ajv: AjvCore): void {
  ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -INT32 && n < INT32 });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
  ajv.addFormat('float', { type: 'number', validate: (n: number) => Number.isFinite(n) });
  ajv.addFormat('double', { type: 'number', validate: (n: number) => Number.isFinite(n) });
  ajv.addFormat('byte', /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/);
  ajv.addFormat('binary', true);
  ajv.addFormat('password', true);
}

function configure<T extends AjvCore>(ajv: T): T {
  addFormats.default(ajv);
  addOpenApiFormats(ajv);
  ajv.addKeyword({ keyword: RULE_KEYWORD, schemaType: 'string' });
  return ajv;
}

const OPTIONS = {
  allErrors: true,
  // Errors carry the data and the failing schema, so each violation can say expected and actual.
  verbose: true,
  // Documents in the wild carry vendor keywords (x-*), OpenAPI keywords (discriminator, xml,
  // example) and formats nobody registered: annotations, not errors.
  strict: false,
  logger: false,
  // A 900 KB document is checked by compiling what is used; validating all of it first costs more than it finds.
  validateSchema: false,
  // Large documents reference the same component schemas from many operations: compile each once
  // and call it, instead of inlining its code into every operation that uses it.
  inlineRefs: false,
} as const;

let ajv2020: Ajv2020.default | undefined;
let ajv07: AjvDraft07.default | undefined;

/** The shared ajv instance of a dialect (created on first use; schemas added to it stay for the process). */
export function ajvFor(dialect: Dialect): AjvCore {
  if (dialect === 'draft-07') return (ajv07 ??= configure(new AjvDraft07.default(OPTIONS)));
  return (ajv2020 ??= configure(new Ajv2020.default(OPTIONS)));
}

/** The dialect a standalone JSON Schema declares with `$schema` (2020-12 when it says nothing). */
export function dialectOf(schema: unknown): Dialect | { unsupported: string } {
  const declared = schema !== null && typeof schema === 'object' && '$schema' in schema ? String((schema as { $schema: unknown }).$schema) : '';
  if (declared === '' || declared.includes('2020-12')) return '2020-12';
  if (declared.includes('draft-07') || declared.includes('draft-06')) return 'draft-07';
  return { unsupported: declared };
}

/** Problems ajv found in a schema itself (checked against the dialect's meta-schema), or undefined. */
export function schemaProblems(dialect: Dialect, schema: unknown): string | undefined {
  const ajv = ajvFor(dialect);
  if (ajv.validateSchema(schema as object)) return undefined;
  return (ajv.errors ?? []).map((e: ErrorObject) => `${e.instancePath || '/'} ${e.message ?? e.keyword}`).join('; ');
}
