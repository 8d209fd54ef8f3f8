import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/**
 * Temp folders removed after the test file that made them (this module's afterAll is registered
 * on the file that imports it). temp-guard.ts fails a file that leaves anything behind.
 */
const made: string[] = [];

afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh folder under the temp dir, removed after the test file. */
export function tempDir(prefix = 'payready-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}
