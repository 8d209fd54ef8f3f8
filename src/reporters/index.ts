import type { FileReporter } from './types.js';

/**
 * File reporters, lazily imported (like vitest's ReportersMap). The terminal reporter is not here:
 * it subscribes to run events instead of rendering a finished report.
 */
const registry = {
  codequality: () => import('./codequality.js'),
  html: () => import('./html.js'),
  json: () => import('./json.js'),
  junit: () => import('./junit.js'),
  markdown: () => import('./markdown.js'),
  sarif: () => import('./sarif.js'),
} as const satisfies Record<string, () => Promise<{ default: FileReporter }>>;

/** Every file reporter name, sorted. */
export const reporterNames: readonly string[] = Object.keys(registry).sort();

/** True when `name` is a registered file reporter. */
export function isReporter(name: string): name is keyof typeof registry {
  return Object.hasOwn(registry, name);
}

/** Loads one file reporter. */
export async function loadReporter(name: string): Promise<FileReporter> {
  if (!isReporter(name)) throw new Error(`unknown reporter "${name}"`);
  return (await registry[name]()).default;
}
