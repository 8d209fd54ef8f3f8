import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { afterAll, expect, inject } from 'vitest';
import { runFileCleanups } from './after-file.js';

/**
 * vitest setupFile: each test file runs with a temp dir of its own (TMPDIR, which `os.tmpdir()`
 * and the CLI processes a test spawns both use), and fails if anything is left in it after the
 * file's own afterAll hooks and the helpers' per-file cleanups (after-file.ts) have run — so a
 * leaking test is named by its file. This hook is registered before the file's, and vitest runs
 * after-hooks in reverse order (`sequence.hooks: 'stack'`), so it runs last.
 */
const testFile = relative(process.cwd(), expect.getState().testPath ?? 'unknown-file');
// Short on purpose: Chromium puts a Unix socket under TMPDIR, and a socket path longer than 107
// bytes makes it abort ("Socket path too long").
const own = mkdtempSync(join(inject('tempRoot') ?? tmpdir(), `${basename(testFile).replace(/\.test\.[cm]?[jt]s$/, '').slice(0, 12)}-`));
const previous = process.env['TMPDIR'];
process.env['TMPDIR'] = own;

afterAll(async () => {
  // The helpers' per-file cleanups (temp folders, sandboxes, servers, child processes) first:
  // what they remove is not a leak.
  const cleanup = await runFileCleanups().then(
    () => undefined,
    (error: unknown) => ({ error }),
  );
  if (previous === undefined) delete process.env['TMPDIR'];
  else process.env['TMPDIR'] = previous;
  const left = readdirSync(own).sort();
  rmSync(own, { recursive: true, force: true });
  if (left.length > 0) {
    throw new Error(`${testFile} left ${left.length} entr${left.length === 1 ? 'y' : 'ies'} in its temp dir: ${left.join(', ')}. Make temp folders with tempDir() from test/support/temp.ts (removed after the file), or remove them in afterAll/finally.`);
  }
  if (cleanup) throw cleanup.error;
});
