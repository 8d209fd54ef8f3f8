import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** This run's private temp folder; each test file gets a folder of its own under it (temp-guard.ts). */
    tempRoot: string;
  }
}

/**
 * vitest globalSetup: one private temp folder for the whole run, so the leak check in
 * temp-guard.ts never sees what other processes on the machine put in the shared temp dir.
 * At the end it must be empty (each file removes its own folder); anything still there is named,
 * fails the run, and is removed.
 */
export default function setup(project: TestProject): () => void {
  // The shorter of the temp dir and /tmp: Chromium aborts when the Unix socket it makes under
  // TMPDIR has a path over 107 bytes (103 on macOS, whose temp dir alone is about 50).
  const base = [tmpdir(), '/tmp'].filter((dir) => existsSync(dir)).sort((a, b) => a.length - b.length)[0] ?? tmpdir();
  const root = mkdtempSync(join(base, 'payready-tests-'));
  project.provide('tempRoot', root);
  return () => {
    const left = readdirSync(root);
    rmSync(root, { recursive: true, force: true });
    if (left.length > 0) throw new Error(`temp folders of test files were not removed (the file did not finish?): ${left.join(', ')}`);
  };
}
