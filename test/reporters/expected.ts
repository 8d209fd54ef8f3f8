import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { expect } from 'vitest';

/**
 * Compares rendered output with `fixtures/reports/<name>`. PAYREADY_UPDATE_FIXTURES=1 rewrites
 * the file instead (review the diff before committing).
 */
export function expectMatchesFile(actual: string, name: string): void {
  const file = new URL(`../../fixtures/reports/${name}`, import.meta.url);
  if (process.env.PAYREADY_UPDATE_FIXTURES === '1' || !existsSync(file)) writeFileSync(file, actual);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}
