import type { CheckType } from './types.js';

/**
 * The registry: the only place that lists check types. Sorted; each entry is imported lazily so
 * `payready --version` loads none of them. The suite schema, `payready checks` and the docs are
 * generated from here. Adding a type: its file in this folder and one line below.
 */
const registry = {
  attestation: () => import('./attestation.js'),
  bandwidth: () => import('./bandwidth.js'),
  headers: () => import('./headers.js'),
  http: () => import('./http.js'),
  'ip-allowlist': () => import('./ip-allowlist.js'),
  kpi: () => import('./kpi.js'),
  load: () => import('./load.js'),
  oauth: () => import('./oauth.js'),
  'pan-scan': () => import('./pan-scan.js'),
  port: () => import('./port.js'),
  ratelimit: () => import('./ratelimit.js'),
  schema: () => import('./schema.js'),
  secrets: () => import('./secrets.js'),
  tls: () => import('./tls.js'),
  transaction: () => import('./transaction.js'),
  ui: () => import('./ui.js'),
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

/** Loads every check type (for the suite schema, `payready checks`, docs). */
export async function loadAllCheckTypes(): Promise<CheckType[]> {
  return Promise.all(checkTypeNames.map((name) => loadCheckType(name)));
}
