import type { CheckMeta, JsonSchema } from '../checks/types.js';
import { INTEGRATION_SCHEMA } from '../checks/integration/config.js';
import { SEVERITIES } from '../model/outcome.js';
import { DURATION, ENVIRONMENT_NAME, HOLDS_REFERENCE, IDENTIFIER, KEBAB_CASE, SINGLE_REFERENCE } from '../model/patterns.js';
import { GUIDELINE_SECTIONS, GUIDELINE_ITEMS } from '../guidelines.js';
import { PROVIDER_NAMES } from '../providers/names.js';
import { CUSTOM_FIELDS_KEY, TARGET_FIELD_DOCS, TARGET_FIELDS } from './environment-keys.js';

/** `$id` of the suite schema (what `payready schema` prints and editors cache). */
export const SUITE_SCHEMA_ID = 'https://payready.dev/schema/suite.json';

/** Longest timeout accepted: Node timers overflow past ~24.8 days, and no check needs a day. */
export const MAX_TIMEOUT_MS = 24 * 60 * 60 * 1000;
/** Most extra attempts a check may ask for. */
export const MAX_RETRIES = 10;

/** Name of the `$defs` entry that holds a check type's `with:` schema. */
export function checkDefName(typeName: string): string {
  return `check-${typeName}`;
}

/**
 * The JSON Schema (draft 2020-12) of a whole suite file for these check types. Each type's
 * `with:` schema lives under `$defs/check-<name>` and applies through `if type == name then
 * with: $ref`, which editors follow for completion and which keeps ajv's errors for one check
 * about that check's type only.
 */
export function suiteSchemaFor(types: readonly CheckMeta[], names: readonly string[] = types.map((type) => type.name)): JsonSchema {
  const sorted = [...types].sort((a, b) => a.name.localeCompare(b.name));
  const typeDefs: Record<string, unknown> = {};
  for (const type of sorted) typeDefs[checkDefName(type.name)] = acceptReferences(type.schema, `#/$defs/${checkDefName(type.name)}`);
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: SUITE_SCHEMA_ID,
    title: 'payready suite',
    description: 'Checks that prove a payment integration is ready to go live. Run with `payready run <file>`.',
    type: 'object',
    required: ['suite', 'title', 'environments', 'checks'],
    additionalProperties: false,
    properties: {
      $schema: { type: 'string', description: 'URL or path of this schema, for editors.' },
      suite: { type: 'string', pattern: KEBAB_CASE, description: 'Suite name (kebab-case), e.g. `go-live`.' },
      title: { type: 'string', minLength: 1, description: 'Human title shown in reports.' },
      environments: {
        type: 'object',
        minProperties: 1,
        description: 'Named targets such as `sandbox` and `production`; `--env` picks one.',
        propertyNames: { type: 'string', pattern: ENVIRONMENT_NAME },
        additionalProperties: { $ref: '#/$defs/environment' },
      },
      variables: {
        type: 'object',
        description: 'Values for `${vars.name}` (any YAML value; dotted paths reach inside).',
        propertyNames: { type: 'string', pattern: IDENTIFIER },
      },
      secrets: {
        type: 'object',
        description: 'Credentials for `${secrets.name}`: only `{ env: NAME }` or `{ file: PATH }`, never a literal value.',
        propertyNames: { type: 'string', pattern: IDENTIFIER },
        additionalProperties: { $ref: '#/$defs/secret' },
      },
      defaults: { $ref: '#/$defs/defaults' },
      allowLive: {
        type: 'boolean',
        default: false,
        description: 'Let checks that move money run against environments not marked `sandbox: true`.',
      },
      liveMaxAmount: { type: 'integer', minimum: 0, description: 'Cap (minor units) on amounts money-moving checks use against a live target.' },
      integration: INTEGRATION_SCHEMA,
      checks: { type: 'array', minItems: 1, description: 'The checks, run in dependency order.', items: { $ref: '#/$defs/check' } },
    },
    $defs: {
      interpolation: {
        type: 'string',
        pattern: SINGLE_REFERENCE,
        description: 'A single `${...}` reference; its value keeps its type (a number stays a number).',
      },
      interpolated: { type: 'string', pattern: HOLDS_REFERENCE, description: 'Text holding `${...}` references, checked once resolved.' },
      duration: {
        type: ['integer', 'string'],
        minimum: 1,
        maximum: MAX_TIMEOUT_MS,
        pattern: DURATION,
        description: 'A duration: `500ms`, `10s`, `2m`, or a number of milliseconds.',
      },
      severity: { type: 'string', enum: [...SEVERITIES], description: 'How much a failure matters for the verdict.' },
      environment: environmentSchema(),
      secret: {
        type: 'object',
        title: 'Secret source',
        description: 'Where the secret comes from: `{ env: NAME }` or `{ file: /run/secrets/name }` (relative to the suite).',
        minProperties: 1,
        maxProperties: 1,
        additionalProperties: false,
        properties: {
          env: { type: 'string', pattern: IDENTIFIER, description: 'Environment variable holding the secret.' },
          file: { type: 'string', minLength: 1, description: 'File holding the secret (a trailing newline is dropped).' },
        },
      },
      defaults: {
        type: 'object',
        additionalProperties: false,
        description: 'Defaults for every check.',
        properties: {
          environment: { type: 'string', description: 'Environment used when `--env` is not given (default: the first one).' },
          timeout: { $ref: '#/$defs/duration' },
          retries: { type: 'integer', minimum: 0, maximum: MAX_RETRIES },
          severity: { $ref: '#/$defs/severity' },
        },
      },
      check: checkSchema(sorted, names),
      capture: {
        type: ['string', 'object'],
        minLength: 1,
        description: 'A path into the outcome (`body.access_token`), or `{ from, secret }`.',
        required: ['from'],
        additionalProperties: false,
        properties: {
          from: { type: 'string', minLength: 1, description: 'Path into the outcome values, e.g. `body.id` or `headers.location`.' },
          secret: { type: 'boolean', default: false, description: 'Redact the captured value everywhere (tokens).' },
        },
      },
      ...typeDefs,
    },
  };
}

function environmentSchema(): JsonSchema {
  const field = { type: ['string', 'number', 'boolean'] };
  return {
    type: 'object',
    title: 'Environment',
    description: `A target: the flags, the target fields payready knows, and \`${CUSTOM_FIELDS_KEY}:\` for your own values; every field is available as \`\${target.<field>}\`.`,
    propertyNames: { type: 'string', pattern: IDENTIFIER },
    properties: {
      embedded: {
        type: ['boolean', 'object'],
        default: false,
        description: "Start the built-in sandbox and fill baseUrl, host, port, tokenUrl, ...; `{ provider: stripe }` makes it speak that provider's API (and fills apiKey).",
        additionalProperties: false,
        properties: { provider: { enum: [...PROVIDER_NAMES], default: 'payready', description: `Whose payments API the sandbox speaks: ${PROVIDER_NAMES.join(', ')}.` } },
      },
      sandbox: { type: 'boolean', description: 'Money-moving checks may run here (default: the value of `embedded`).' },
      insecure: { type: 'boolean', default: false, description: 'Turn TLS certificate verification off (reported as a warning).' },
      ca: {
        type: ['string', 'array'],
        minLength: 1,
        items: { type: 'string', minLength: 1 },
        description: 'Extra trusted CA file(s) (PEM), relative to the suite file.',
      },
      ...Object.fromEntries(TARGET_FIELDS.map((name) => [name, { ...(name === 'baseUrl' || name === 'host' ? { type: 'string' } : field), description: TARGET_FIELD_DOCS[name] }])),
      [CUSTOM_FIELDS_KEY]: {
        type: 'object',
        description: 'Your own values, read as `${target.<name>}` like the known fields, e.g. `fields: { merchantId: M-123 }`.',
        propertyNames: { type: 'string', pattern: IDENTIFIER },
        additionalProperties: field,
      },
    },
    additionalProperties: false,
  };
}

function checkSchema(types: readonly CheckMeta[], names: readonly string[]): JsonSchema {
  const sections = Object.keys(GUIDELINE_SECTIONS);
  return {
    type: 'object',
    title: 'Check',
    required: ['id', 'type', 'section'],
    additionalProperties: false,
    properties: {
      id: { type: 'string', pattern: KEBAB_CASE, description: 'Unique id (kebab-case); `${checks.<id>.<capture>}` refers to it.' },
      type: {
        type: 'string',
        ...(names.length > 0 ? { enum: [...names] } : {}),
        description: `Check type: ${types.length === names.length ? types.map((type) => `\`${type.name}\` (${type.description})`).join('; ') : names.join(', ')}.`,
      },
      title: { type: 'string', minLength: 1, description: 'Human title (default: the id).' },
      section: {
        type: 'string',
        enum: sections,
        description: `Guideline section it proves: ${sections.map((id) => `${id} ${GUIDELINE_SECTIONS[id]}`).join('; ')}.`,
      },
      proves: {
        type: 'array',
        minItems: 1,
        uniqueItems: true,
        items: { type: 'string', enum: GUIDELINE_ITEMS.map((item) => item.id) },
        description: `Guideline items it proves, each one its type can evidence (\`payready checks <type>\` lists them; default: those of its section), e.g. ["1.1.b"]; \`payready coverage\` shows what a suite proves. Items: ${GUIDELINE_ITEMS.map((item) => item.id).join(', ')}.`,
      },
      severity: { $ref: '#/$defs/severity' },
      tags: { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true, description: 'Tags for `--tag`.' },
      needs: { type: 'array', items: { type: 'string', pattern: KEBAB_CASE }, uniqueItems: true, description: 'Ids of checks this one runs after.' },
      timeout: { $ref: '#/$defs/duration' },
      retries: { type: 'integer', minimum: 0, maximum: MAX_RETRIES, description: 'Extra attempts after a fail or error.' },
      with: { type: 'object', description: "The check type's parameters." },
      capture: {
        type: 'object',
        description: 'Values later checks use as `${checks.<id>.<name>}`.',
        propertyNames: { type: 'string', pattern: IDENTIFIER },
        additionalProperties: { $ref: '#/$defs/capture' },
      },
      waiver: {
        type: 'object',
        title: 'Waiver',
        description: 'An accepted exception: it counts until `expires`.',
        required: ['reason', 'approvedBy', 'expires'],
        additionalProperties: false,
        properties: {
          reason: { type: 'string', minLength: 1 },
          approvedBy: { type: 'string', minLength: 1 },
          expires: { type: 'string', format: 'date', description: 'YYYY-MM-DD' },
        },
      },
    },
    ...(types.length > 0
      ? {
          allOf: types.map((type) => ({
            if: { properties: { type: { const: type.name } }, required: ['type'] },
            then: {
              properties: { with: { $ref: `#/$defs/${checkDefName(type.name)}` } },
              // A type with required parameters needs a `with:` block at all.
              ...(hasRequired(type.schema) ? { required: ['with'] } : {}),
            },
          })),
        }
      : {}),
  };
}

function hasRequired(schema: JsonSchema): boolean {
  return Array.isArray(schema.required) && schema.required.length > 0;
}

// Keywords whose value is one subschema, a map of them, or a list of them.
const ONE_SCHEMA = ['items', 'additionalProperties', 'contains', 'not', 'if', 'then', 'else', 'unevaluatedProperties', 'unevaluatedItems'];
const SCHEMA_MAP = ['properties', 'patternProperties', '$defs', 'dependentSchemas'];
const SCHEMA_LIST = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
// Constraints a `${...}` string would fail statically although its resolved value may pass.
const STRING_CONSTRAINTS = ['enum', 'const', 'pattern', 'format', 'minLength', 'maxLength'];
const NON_STRING_SCALARS = new Set(['number', 'integer', 'boolean', 'null']);

/**
 * Copies a check type's schema into the suite schema so that `with:` values may be references:
 * a node that only accepts non-string scalars also accepts a string that is exactly one `${...}`,
 * and a constrained string also accepts text holding a `${...}`. The resolved values are checked
 * against the type's own schema at run time (`validateParams`). Local `$ref`s are re-rooted at
 * the type's `$defs` entry, and `$schema`/`$id` dropped (they only belong at a resource root).
 */
export function acceptReferences(schema: unknown, root: string): unknown {
  if (Array.isArray(schema)) return schema.map((item) => acceptReferences(item, root));
  if (schema === null || typeof schema !== 'object') return schema;
  const source = schema as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(source)) {
    if (key === '$schema' || key === '$id') continue;
    if (key === '$ref' && typeof value === 'string' && value.startsWith('#')) out[key] = `${root}${value.slice(1)}`;
    else if (ONE_SCHEMA.includes(key)) out[key] = acceptReferences(value, root);
    else if (SCHEMA_LIST.includes(key) && Array.isArray(value)) out[key] = value.map((item) => acceptReferences(item, root));
    else if (SCHEMA_MAP.includes(key) && value !== null && typeof value === 'object') {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, item]) => [name, acceptReferences(item, root)]));
    } else out[key] = value;
  }
  const branch = referenceBranch(source);
  if (!branch) return out;
  const annotations = Object.fromEntries(['title', 'description'].filter((key) => key in source).map((key) => [key, source[key]]));
  return { ...annotations, anyOf: [out, { $ref: branch }] };
}

function referenceBranch(node: Record<string, unknown>): string | undefined {
  const types = node.type === undefined ? [] : Array.isArray(node.type) ? node.type : [node.type];
  if (types.includes('object') || types.includes('array')) return undefined;
  const values = [...(Array.isArray(node.enum) ? node.enum : []), ...('const' in node ? [node.const] : [])];
  const onlyNonString =
    (types.length > 0 && types.every((type) => NON_STRING_SCALARS.has(String(type)))) ||
    (types.length === 0 && values.length > 0 && values.every((value) => typeof value !== 'string'));
  if (onlyNonString) return '#/$defs/interpolation';
  if (STRING_CONSTRAINTS.some((key) => key in node)) return '#/$defs/interpolated';
  return undefined;
}
