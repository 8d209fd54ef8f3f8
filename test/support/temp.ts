import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterFile } from './after-file.js';

/**
 * Temp folders removed after the test file that made them (afterFile, from after-file.ts).
 * temp-guard.ts fails a file that leaves anything behind.
 */
const made: string[] = [];

afterFile(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh folder under the temp dir, removed after the test file. */
export function tempDir(prefix = 'payready-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}
