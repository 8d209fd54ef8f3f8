/**
 * Cleanups that run after every test file, for helper modules that hold per-file resources
 * (temp folders, sandboxes, servers, child processes).
 *
 * A helper module used to register its own `afterAll` when it was imported. That hooks it onto
 * the first test file that imports it only: vitest.config.ts runs test files without isolation
 * (one worker process runs many files and keeps their modules loaded), so a module is imported
 * once per worker, not once per file. Here a helper registers its cleanup once, and
 * temp-guard.ts (a setup file, which vitest evaluates again before every test file) runs every
 * registered cleanup after each file's own afterAll hooks, before it checks the file left nothing
 * in its temp dir.
 */
const cleanups: (() => unknown)[] = [];

/** Runs `cleanup` after every test file (after the file's own afterAll hooks), newest first. */
export function afterFile(cleanup: () => unknown): void {
  cleanups.push(cleanup);
}

/** Runs every registered cleanup, newest first; throws the first error after running them all. */
export async function runFileCleanups(): Promise<void> {
  const errors: unknown[] = [];
  for (const cleanup of [...cleanups].reverse()) {
    try {
      await cleanup();
    } catch (error) {
      errors.push(error);
    }
  }
  if (errors.length > 0) throw errors[0];
}
