import { buildValidator, transpileSrc, validatorStale } from '../../scripts/transpile.js';

/**
 * vitest globalSetup: brings dist/ up to date with src/ before any test runs. The tests import
 * the built code (vitest.config.ts maps `src/*.js` imports to `dist/`), as the CLI they spawn runs
 * it: one copy of each module, and no TypeScript transform of src/ in every test worker. `npm test`
 * has just built everything, so this finds nothing to do there; after an edit, `npx vitest` alone
 * transpiles the files that changed (milliseconds each) instead of testing stale code.
 */
export default async function setup(): Promise<void> {
  const built = transpileSrc({ onlyStale: true });
  if (built.problems) throw new Error(`src/ does not build:\n${built.problems}`);
  if (validatorStale(built.written) && (await buildValidator()) !== 0) throw new Error('the prebuilt suite validator could not be written (scripts/build-validator.js)');
}
