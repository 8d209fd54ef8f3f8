import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Tests start real servers on loopback; two workers match the CI machines' two cores.
    maxWorkers: 2,
    // Every test file runs with a temp dir of its own and fails if it leaves anything in it.
    globalSetup: ['test/support/temp-root.ts'],
    setupFiles: ['test/support/temp-guard.ts'],
  },
});
