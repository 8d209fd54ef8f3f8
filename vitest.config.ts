import { defineConfig } from 'vitest/config';
import SlowFirstSequencer from './test/support/sequencer.js';

export default defineConfig({
  // Tests import `../src/x.js` and run the built dist/x.js, as the CLI they spawn does: one copy of
  // each module per worker, and no TypeScript transform of src/ in each (test/support/build-dist.ts
  // keeps dist/ up to date).
  resolve: {
    alias: [{ find: /^((?:\.\.\/)+)src\/(.*)\.js$/, replacement: '$1dist/$2.js' }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Tests start real servers on loopback, and many of them wait (a fault's 2.5 s delay, a
    // Retry-After, a timeout): with one worker per core the machine sat a third idle. Three on the
    // CI machines' two cores: 145 s of vitest against 162 s with two. It was not safe while the
    // browser check launched full Chromium beside the API checks (a full demo's api-kpis p95 went
    // past the go-live suite's 1.5 s on a fresh clone); with the headless shell, started only when
    // nothing measured runs, three full demos at once on 2 cores keep it at 55-313 ms.
    maxWorkers: 3,
    // One worker process runs many test files and keeps the modules they import loaded: starting a
    // process per file and importing src/ again in each cost about half a CPU-second per file.
    // Per-file resources are cleaned up by test/support/after-file.ts, not by helper modules'
    // own afterAll hooks (those would run after the first file that imports them only).
    isolate: false,
    // The slowest files start first (test/support/sequencer.ts).
    sequence: { sequencer: SlowFirstSequencer },
    // Every test file runs with a temp dir of its own and fails if it leaves anything in it.
    globalSetup: ['test/support/build-dist.ts', 'test/support/temp-root.ts'],
    setupFiles: ['test/support/temp-guard.ts'],
  },
});
