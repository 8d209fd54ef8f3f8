import { createHash } from 'node:crypto';
import { isAbsolute, resolve } from 'node:path';
import type { HttpClient } from '../net/http.js';
import { NetError } from '../net/errors.js';
import { FILE_LIMITS, FileReadError, readRegularFile } from '../files.js';
import { ajvFor, dialectOf, schemaProblems, type Validator } from './ajv.js';
import { OpenApiDocument } from './openapi.js';

/** Where a document is: an http(s) URL, or a file path relative to the suite's directory. */
export interface SourceContext {
  /** Directory relative paths resolve against. */
  baseDir: string;
  /** Client for URLs (trust, redirects, body cap, interaction log). */
  http: HttpClient;
}

/** A document could not be loaded or is not usable: the message says which and why. */
export class SourceError extends Error {
  override readonly name = 'SourceError';
}

/** Reads the text of a file or URL. */
export async function readSource(source: string, ctx: SourceContext): Promise<string> {
  if (/^https?:\/\//i.test(source)) {
    let response;
    try {
      response = await ctx.http.request({ url: source, headers: { accept: 'application/json, application/yaml;q=0.9, */*;q=0.1' }, maxRedirects: 3 });
    } catch (error) {
      if (error instanceof NetError) throw new SourceError(`could not fetch ${source}: ${error.message}`);
      throw error;
    }
    if (response.refused) throw new SourceError(`could not fetch ${source}: the ${response.refused.status} redirect to ${response.refused.location} was not followed: ${response.refused.reason}`);
    if (response.status !== 200) throw new SourceError(`could not fetch ${source}: HTTP ${response.status}`);
    return response.text();
  }
  const path = isAbsolute(source) ? source : resolve(ctx.baseDir, source);
  try {
    return (await readRegularFile(path, FILE_LIMITS.document)).toString('utf8');
  } catch (error) {
    if (!(error instanceof FileReadError)) throw error;
    throw new SourceError(`could not read ${source}: ${error.reason === 'missing' ? 'no such file (paths are relative to the suite)' : error.message}`);
  }
}

/** Loads an OpenAPI 3.0/3.1 document (parsed and compiled once per text, for the whole run). */
export async function loadOpenApi(source: string, ctx: SourceContext): Promise<OpenApiDocument> {
  const text = await readSource(source, ctx);
  try {
    return OpenApiDocument.parse(text);
  } catch (error) {
    throw new SourceError(`${source} is not a usable OpenAPI document: ${(error as Error).message}`);
  }
}

const jsonSchemas = new Map<string, Validator>();

/** Compiles a JSON Schema (draft 2020-12 or draft-07, by its `$schema`), once per distinct schema. */
export function compileJsonSchema(schema: unknown, label: string): Validator {
  const key = createHash('sha256').update(JSON.stringify(schema)).digest('hex');
  const cached = jsonSchemas.get(key);
  if (cached) return cached;
  if (schema === null || (typeof schema !== 'object' && typeof schema !== 'boolean')) throw new SourceError(`${label} is not a JSON Schema (an object)`);
  const dialect = dialectOf(schema);
  if (typeof dialect !== 'string') throw new SourceError(`${label} declares $schema ${dialect.unsupported}; payready validates draft 2020-12 and draft-07`);
  const problems = schemaProblems(dialect, schema);
  if (problems) throw new SourceError(`${label} is not a valid JSON Schema: ${problems}`);
  let validator: Validator;
  try {
    const ajv = ajvFor(dialect);
    // An $id names one schema per ajv instance: a different schema under the same $id replaces it.
    const id = typeof schema === 'object' ? (schema as Record<string, unknown>).$id : undefined;
    if (typeof id === 'string' && ajv.getSchema(id)) ajv.removeSchema(id);
    validator = ajv.compile(schema as object);
  } catch (error) {
    throw new SourceError(`${label} does not compile: ${(error as Error).message}`);
  }
  jsonSchemas.set(key, validator);
  return validator;
}

/** Loads a JSON Schema given inline or as a file/URL. */
export async function loadJsonSchema(spec: unknown, ctx: SourceContext): Promise<Validator> {
  if (typeof spec !== 'string') return compileJsonSchema(spec, 'the inline jsonSchema');
  const text = await readSource(spec, ctx);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new SourceError(`${spec} is not JSON: ${(error as Error).message}`);
  }
  return compileJsonSchema(parsed, spec);
}
