import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
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
  const root = mkdtempSync(join(tmpdir(), 'payready-tests-'));
  project.provide('tempRoot', root);
  return () => {
    const left = readdirSync(root);
    rmSync(root, { recursive: true, force: true });
    if (left.length > 0) throw new Error(`temp folders of test files were not removed (the file did not finish?): ${left.join(', ')}`);
  };
}
