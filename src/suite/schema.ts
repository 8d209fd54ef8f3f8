import type { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type Ajv2020 from 'ajv/dist/2020.js';
import type addFormats from 'ajv-formats';
import type { CodeOptions, ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import type { CheckMeta, CheckType, JsonSchema } from '../checks/types.js';
import { describeErrors, paramsContext, renderParamsProblems } from './ajv-errors.js';
import { suiteSchemaFor } from './schema-build.js';

/** Outcome of checking a check's resolved parameters against its type's schema. */
export type ParamsResult =
  | {
      /** Valid. */
      ok: true;
      /** A copy of the parameters with the schema's defaults filled in. */
      params: Record<string, unknown>;
    }
  | {
      /** Invalid. */
      ok: false;
      /** What is wrong, in sentences (`wrong type for with.port: expected an integer, got "x"`). */
      message: string;
    };

/** A compiled suite validator and the types it was built from. */
export interface SuiteValidator {
  /** Check types by name whose parameters the schema validates (the ones a suite uses). */
  types: ReadonlyMap<string, CheckMeta>;
  /** Every check type name a suite may use (for "unknown type" and did-you-mean). */
  names: readonly string[];
  /** ajv's compiled validator of the whole suite. */
  validate: ValidateFunction;
}

/**
 * The JSON Schema (draft 2020-12) of a whole suite file, generated from the check types (default:
 * the registry, which stays the only list of them). `payready schema` prints it.
 */
export async function buildSuiteSchema(types?: readonly CheckType[]): Promise<JsonSchema> {
  return suiteSchemaFor(types ?? (await registryTypes()));
}

/** The registry's check types (imported lazily: `--version` must not load them). */
export async function registryTypes(): Promise<readonly CheckType[]> {
  const { loadAllCheckTypes } = await import('../checks/index.js');
  return loadAllCheckTypes();
}

/**
 * File name of the registry's suite validator as standalone code, which `npm run build` writes next
 * to the compiled schema module (scripts/build-validator.js): compiling the suite schema with ajv
 * costs more than the rest of `payready validate` together, so a built CLI does it once, at build time.
 */
export const PREBUILT_VALIDATOR = 'suite-validator.generated.js';

/**
 * File name of the registry's check parameter validators as standalone code (one per check type,
 * defaults applied), written next to the suite validator by `npm run build`: compiling a type's
 * parameter schema at run time loads ajv's compiler and its meta-schema, the larger part of the
 * start of a `payready run` of file checks.
 */
export const PREBUILT_PARAMS_VALIDATORS = 'params-validators.generated.js';

/** Fingerprint of a schema: the prebuilt validator carries the one it was built from (a test compares). */
export function schemaFingerprint(schema: JsonSchema): string {
  // Required here, not imported: only the build and the tests fingerprint, and validate must not load node:crypto.
  return (require('node:crypto') as { createHash: typeof createHash }).createHash('sha256').update(JSON.stringify(schema)).digest('hex');
}

const require = createRequire(import.meta.url);

function createAjv(useDefaults: boolean, code?: CodeOptions): Ajv2020.default {
  // Required on first use (both are CommonJS, so synchronously): a built CLI validates registry
  // suites with the prebuilt code and never loads ajv's compiler.
  const ajvModule = require('ajv/dist/2020.js') as typeof Ajv2020;
  const formatsModule = require('ajv-formats') as typeof addFormats;
  const ajv = new ajvModule.default({
    allErrors: true,
    // Errors carry the failing schema and data: the rewriter lists allowed keys and quotes values.
    verbose: true,
    strict: true,
    // `type: [integer, string]` (durations, ${...} in numbers) is deliberate.
    allowUnionTypes: true,
    useDefaults,
    ...(code ? { code } : {}),
  });
  formatsModule.default(ajv);
  // An annotation only: marks parameters that must come from `secrets:` or `env`, checked by the loader.
  ajv.addKeyword({ keyword: 'x-secret', schemaType: 'boolean' });
  // An annotation only: marks parameters that name other checks of the suite, checked by the loader.
  ajv.addKeyword({ keyword: 'x-check-id', schemaType: 'boolean' });
  return ajv;
}

// Compiling is the expensive part of validation: once per process for each set of check types
// (a suite's schema covers the parameters of the types it uses; every name stays known).
const registryValidators = new Map<string, Promise<SuiteValidator>>();
const validatorsByTypes = new WeakMap<readonly CheckType[], SuiteValidator>();

/**
 * The compiled suite validator, cached: for `types` when given (tests), else for the registry
 * types named in `used` (the `type:` values of a suite; unknown names are left to the schema's
 * enum of every registered name).
 */
export async function suiteValidator(types?: readonly CheckType[], used: readonly unknown[] = []): Promise<SuiteValidator> {
  if (types) {
    let cached = validatorsByTypes.get(types);
    if (!cached) {
      cached = compileSuite(types, types.map((type) => type.name));
      validatorsByTypes.set(types, cached);
    }
    return cached;
  }
  const { checkTypeNames, isCheckType, loadCheckMeta } = await import('../checks/index.js');
  const names = [...new Set(used.filter((name): name is string => typeof name === 'string' && isCheckType(name)))].sort();
  const key = names.join(',');
  let cached = registryValidators.get(key);
  if (!cached) {
    // The prebuilt validator covers every registry type; its errors for a check concern that
    // check's type only (if/then per type), so it answers as one compiled for `names` would.
    cached = Promise.all([prebuiltValidator(), Promise.all(names.map((name) => loadCheckMeta(name)))]).then(([prebuilt, loaded]) =>
      prebuilt ? { types: new Map(loaded.map((type) => [type.name, type])), names: checkTypeNames, validate: prebuilt } : compileSuite(loaded, checkTypeNames),
    );
    registryValidators.set(key, cached);
  }
  return cached;
}

/**
 * The validator `npm run build` generated for the registry's suite schema, or undefined where
 * there is none (running from src/, as the tests do).
 */
async function prebuiltValidator(): Promise<ValidateFunction | undefined> {
  const url = new URL(`./${PREBUILT_VALIDATOR}`, import.meta.url);
  try {
    const module = (await import(url.href)) as { default: ValidateFunction };
    return module.default;
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ERR_MODULE_NOT_FOUND' && String((error as Error).message).includes(PREBUILT_VALIDATOR)) return undefined;
    throw error;
  }
}

/**
 * The registry's suite validator as an ES module (ajv standalone code, options as at run time),
 * written by `npm run build`. It exports the validate function and the fingerprint of the schema
 * it was generated from.
 */
export async function prebuiltValidatorSource(): Promise<string> {
  const schema = await buildSuiteSchema();
  const { _ } = require('ajv/dist/2020.js') as typeof Ajv2020;
  const standaloneCode = (require('ajv/dist/standalone/index.js') as { default: (ajv: Ajv2020.default, validate: ValidateFunction) => string }).default;
  // ajv refers to formats and its runtime helpers with require(): the module defines it.
  const ajv = createAjv(false, { source: true, esm: true, formats: _`require("ajv-formats/dist/formats.js").fullFormats` });
  const code = standaloneCode(ajv, ajv.compile(schema));
  return [
    '// Generated by `npm run build` (scripts/build-validator.js) from the suite schema: do not edit.',
    "import { createRequire } from 'node:module';",
    'const require = createRequire(import.meta.url);',
    `export const fingerprint = ${JSON.stringify(schemaFingerprint(schema))};`,
    code,
    '',
  ].join('\n');
}

/**
 * The registry's parameter validators as an ES module (ajv standalone code, options as at run
 * time): it exports `validators`, by check type name, each with the fingerprint of the schema it
 * was generated from.
 */
export async function prebuiltParamsSource(): Promise<string> {
  const types = await registryTypes();
  const { _ } = require('ajv/dist/2020.js') as typeof Ajv2020;
  const standaloneCode = (require('ajv/dist/standalone/index.js') as { default: (ajv: Ajv2020.default, refs: Record<string, string>) => string }).default;
  const ajv = createAjv(true, { source: true, esm: true, formats: _`require("ajv-formats/dist/formats.js").fullFormats` });
  const refs: Record<string, string> = {};
  const entries: string[] = [];
  types.forEach((type, k) => {
    ajv.addSchema(type.schema, `params:${type.name}`);
    refs[`params${k}`] = `params:${type.name}`;
    entries.push(`  [${JSON.stringify(type.name)}, { validate: params${k}, fingerprint: ${JSON.stringify(schemaFingerprint(type.schema))} }],`);
  });
  return [
    '// Generated by `npm run build` (scripts/build-validator.js) from the check types\' parameter schemas: do not edit.',
    "import { createRequire } from 'node:module';",
    'const require = createRequire(import.meta.url);',
    standaloneCode(ajv, refs),
    'export const validators = new Map([',
    ...entries,
    ']);',
    '',
  ].join('\n');
}

/** The prebuilt parameter validators by type name (empty where there are none: running from src/). */
let prebuiltParams: Promise<ReadonlyMap<string, { validate: ValidateFunction; fingerprint: string }>> | undefined;

function prebuiltParamsValidators(): Promise<ReadonlyMap<string, { validate: ValidateFunction; fingerprint: string }>> {
  prebuiltParams ??= (async () => {
    const url = new URL(`./${PREBUILT_PARAMS_VALIDATORS}`, import.meta.url);
    try {
      const module = (await import(url.href)) as { validators: ReadonlyMap<string, { validate: ValidateFunction; fingerprint: string }> };
      return module.validators;
    } catch (error) {
      if ((error as { code?: unknown }).code === 'ERR_MODULE_NOT_FOUND' && String((error as Error).message).includes(PREBUILT_PARAMS_VALIDATORS)) return new Map();
      throw error;
    }
  })();
  return prebuiltParams;
}

function compileSuite(types: readonly CheckMeta[], names: readonly string[]): SuiteValidator {
  const validate = createAjv(false).compile(suiteSchemaFor(types, names));
  return { types: new Map(types.map((type) => [type.name, type])), names, validate };
}

let paramsAjv: Ajv2020.default | undefined;
const paramValidators = new WeakMap<CheckType, ValidateFunction>();

/**
 * Checks a check's RESOLVED parameters (after `${...}` interpolation) against its type's own
 * schema, at run time. Each type's schema is compiled once. Returns a copy with defaults applied.
 */
export async function validateParams(type: string | CheckType, params: unknown): Promise<ParamsResult> {
  let checkType: CheckType;
  if (typeof type === 'string') {
    const { isCheckType, loadCheckType } = await import('../checks/index.js');
    if (!isCheckType(type)) return { ok: false, message: `unknown check type "${type}"` };
    checkType = await loadCheckType(type);
  } else checkType = type;
  if (!paramValidators.has(checkType)) {
    // The validator `npm run build` generated, when it was generated from this very schema.
    const prebuilt = (await prebuiltParamsValidators()).get(checkType.name);
    if (prebuilt && prebuilt.fingerprint === schemaFingerprint(checkType.schema)) paramValidators.set(checkType, prebuilt.validate);
  }
  return validateParamsOf(checkType, params);
}

/** Synchronous form of `validateParams` for a loaded check type. */
export function validateParamsOf(type: CheckType, params: unknown): ParamsResult {
  let validate = paramValidators.get(type);
  if (!validate) {
    paramsAjv ??= createAjv(true);
    validate = paramsAjv.compile(type.schema);
    paramValidators.set(type, validate);
  }
  // useDefaults writes into the data: work on a copy so the caller's value is untouched.
  const copy: unknown = params === undefined ? {} : structuredClone(params);
  if (validate(copy)) return { ok: true, params: copy as Record<string, unknown> };
  const errors: ErrorObject[] = validate.errors ?? [];
  return { ok: false, message: renderParamsProblems(describeErrors(errors, paramsContext(type.name))) };
}
