import type { CheckMeta, CheckType } from './types.js';

/**
 * The registry: the only place that lists check types. Sorted; each entry is imported lazily so
 * `payready --version` loads none of them. The suite schema, `payready checks` and the docs are
 * generated from here. Adding a type: its folder here (see headers/ for the shape) and one line below.
 */
const registry = {
  attestation: () => import('./attestation/index.js'),
  bandwidth: () => import('./bandwidth/index.js'),
  headers: () => import('./headers/index.js'),
  http: () => import('./http/index.js'),
  integration: () => import('./integration/index.js'),
  'ip-allowlist': () => import('./ip-allowlist/index.js'),
  kpi: () => import('./kpi/index.js'),
  load: () => import('./load/index.js'),
  oauth: () => import('./oauth/index.js'),
  'pan-scan': () => import('./pan-scan/index.js'),
  port: () => import('./port/index.js'),
  ratelimit: () => import('./ratelimit/index.js'),
  schema: () => import('./schema/index.js'),
  secrets: () => import('./secrets/index.js'),
  tls: () => import('./tls/index.js'),
  transaction: () => import('./transaction/index.js'),
  ui: () => import('./ui/index.js'),
} as const satisfies Record<string, () => Promise<{ default: CheckType<never> }>>;

/** A registered check type name. */
export type CheckTypeName = keyof typeof registry;

/** Every registered type name, sorted. */
export const checkTypeNames: readonly string[] = Object.keys(registry).sort();

/** True when `name` is a registered check type. */
export function isCheckType(name: string): name is CheckTypeName {
  return Object.hasOwn(registry, name);
}

/** Loads one check type module. */
export async function loadCheckType(name: string): Promise<CheckType> {
  if (!isCheckType(name)) throw new Error(`unknown check type "${name}"`);
  const module = await registry[name]();
  return module.default as unknown as CheckType;
}

/**
 * Each type's meta.ts alone (its metadata without messages and run code): what validating a suite
 * needs. Keyed by the registry's names, so a type missing here does not compile.
 */
const metas = {
  attestation: () => import('./attestation/meta.js'),
  bandwidth: () => import('./bandwidth/meta.js'),
  headers: () => import('./headers/meta.js'),
  http: () => import('./http/meta.js'),
  integration: () => import('./integration/meta.js'),
  'ip-allowlist': () => import('./ip-allowlist/meta.js'),
  kpi: () => import('./kpi/meta.js'),
  load: () => import('./load/meta.js'),
  oauth: () => import('./oauth/meta.js'),
  'pan-scan': () => import('./pan-scan/meta.js'),
  port: () => import('./port/meta.js'),
  ratelimit: () => import('./ratelimit/meta.js'),
  schema: () => import('./schema/meta.js'),
  secrets: () => import('./secrets/meta.js'),
  tls: () => import('./tls/meta.js'),
  transaction: () => import('./transaction/meta.js'),
  ui: () => import('./ui/meta.js'),
} as const satisfies Record<CheckTypeName, () => Promise<{ meta: unknown }>>;

/** Loads one check type's metadata without its run code (`payready validate` runs nothing). */
export async function loadCheckMeta(name: string): Promise<CheckMeta> {
  if (!isCheckType(name)) throw new Error(`unknown check type "${name}"`);
  const module = await metas[name]();
  return module.meta as unknown as CheckMeta;
}

/** Loads every check type (for the suite schema, `payready checks`, docs). */
export async function loadAllCheckTypes(): Promise<CheckType[]> {
  return Promise.all(checkTypeNames.map((name) => loadCheckType(name)));
}
