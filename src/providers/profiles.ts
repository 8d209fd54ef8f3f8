import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import type { ErrorObject } from 'ajv';
import type { FromSchema } from 'json-schema-to-ts';
import { LineCounter, parseDocument, isMap, isNode, isScalar, type Document } from 'yaml';
import { displayPath, PACKAGE_ROOT } from '../paths.js';
import { closest } from '../text.js';
import { PROVIDER_NAMES } from './names.js';
import { profileSchema, type PAYMENT_STATES } from './profile-schema.js';

/** A provider profile, as validated (defaults applied). */
export type Profile = FromSchema<typeof profileSchema>;

/** One of payready's payment states. */
export type PaymentState = (typeof PAYMENT_STATES)[number];

/** An operation's name. */
export type OperationName = keyof Profile['operations'];

/** An operation of a profile. */
export type Operation = NonNullable<Profile['operations']['authorise']>;

/** One request template of a profile. */
export type RequestTemplate = Operation['request'];

/** Where the shipped profiles live (`providers/<name>.yaml` in the package). */
export const PROFILES_DIR = join(PACKAGE_ROOT, 'providers');

/** Biggest profile file read. */
const MAX_PROFILE_BYTES = 256 * 1024;

/** A profile that cannot be used: where and why, in words a profile author can act on. Always a setup error. */
export class ProfileError extends Error {
  override readonly name = 'ProfileError';
}

const validate = new Ajv2020.default({ allErrors: true, useDefaults: true, strict: false }).compile(profileSchema);
const cache = new Map<string, Profile>();

/**
 * The profile named `ref`: a shipped provider's name (`stripe`), or a path to a YAML or JSON file
 * (relative to `cwd`, the suite's folder). Throws ProfileError naming file:line:column.
 */
export function loadProfile(ref: string, cwd: string = process.cwd()): Profile {
  const shipped = (PROVIDER_NAMES as readonly string[]).includes(ref);
  const looksLikePath = /[/\\]|\.(ya?ml|json)$/i.test(ref);
  if (!shipped && !looksLikePath) {
    const near = closest(ref, PROVIDER_NAMES);
    throw new ProfileError(`unknown provider "${ref}"${near ? ` (did you mean "${near}"?)` : ''}: give one of ${PROVIDER_NAMES.join(', ')}, or the path of a profile file (providers/profile.schema.json describes one)`);
  }
  const file = shipped ? join(PROFILES_DIR, `${ref}.yaml`) : isAbsolute(ref) ? ref : resolve(cwd, ref);
  const cached = cache.get(file);
  if (cached) return cached;
  const profile = parseProfile(readProfile(file, ref), shipped ? `providers/${ref}.yaml` : displayPath(file, cwd));
  cache.set(file, profile);
  return profile;
}

function readProfile(file: string, ref: string): string {
  try {
    if (statSync(file).size > MAX_PROFILE_BYTES) throw new ProfileError(`provider profile ${ref} is larger than ${MAX_PROFILE_BYTES / 1024} KiB: is it the right file?`);
    return readFileSync(file, 'utf8');
  } catch (err) {
    if (err instanceof ProfileError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new ProfileError(`cannot read provider profile ${ref}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : String(code ?? err)}`);
  }
}

/** Parses and validates profile text; `shown` names the file in messages. */
export function parseProfile(text: string, shown: string): Profile {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const [yamlError] = doc.errors;
  if (yamlError) {
    const at = lines.linePos(yamlError.pos[0]);
    throw new ProfileError(`${shown}:${at.line}:${at.col}: ${yamlError.message.split('\n')[0]}`);
  }
  const value: unknown = doc.toJS({ maxAliasCount: 100 });
  if (!validate(value)) {
    const problems = (validate.errors ?? []).slice(0, 5).map((error) => `${shown}:${where(doc, lines, error)}: ${describe(error)}`);
    throw new ProfileError(`invalid provider profile:\n  ${problems.join('\n  ')}`);
  }
  const profile = value as Profile;
  for (const [name, op] of Object.entries(profile.operations)) {
    if (op && !/\{id\}/.test(op.request.path) && ['capture', 'cancel', 'refund', 'read'].includes(name) && !JSON.stringify(op.request.body ?? '').includes('{id}')) {
      throw new ProfileError(`${shown}:${where(doc, lines, { instancePath: `/operations/${name}/request/path` })}: the ${name} operation never names the payment: put {id} in its path or body`);
    }
  }
  return profile;
}

/** line:column of the value an ajv error is about (its parent for a missing property, the key itself for an unknown one). */
function where(doc: Document, lines: LineCounter, error: Pick<ErrorObject, 'instancePath'> & Partial<Pick<ErrorObject, 'keyword' | 'params'>>): string {
  const path = pathOf(error.instancePath);
  if (error.keyword === 'additionalProperties') {
    const parent = path.length === 0 ? doc.contents : doc.getIn(path, true);
    const name = (error.params as { additionalProperty?: string } | undefined)?.additionalProperty;
    const key = isMap(parent) ? parent.items.find((pair) => isScalar(pair.key) && pair.key.value === name)?.key : undefined;
    if (isNode(key) && key.range) {
      const at = lines.linePos(key.range[0]);
      return `${at.line}:${at.col}`;
    }
  }
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) {
      const at = lines.linePos(node.range[0]);
      return `${at.line}:${at.col}`;
    }
  }
  return '1:1';
}

/** An instance path (JSON Pointer) as the keys and indexes of a YAML path. */
function pathOf(instancePath: string): (string | number)[] {
  return instancePath
    .split('/')
    .slice(1)
    .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'))
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
}

function describe(error: ErrorObject): string {
  const at = error.instancePath || 'the profile';
  if (error.keyword === 'additionalProperties') return `${at}: unknown field "${String((error.params as { additionalProperty: string }).additionalProperty)}"`;
  if (error.keyword === 'required') return `${at}: missing "${String((error.params as { missingProperty: string }).missingProperty)}"`;
  if (error.keyword === 'enum') return `${at}: must be one of ${((error.params as { allowedValues: unknown[] }).allowedValues).map((v) => JSON.stringify(v)).join(', ')}`;
  return `${at}: ${error.message ?? error.keyword}`;
}
