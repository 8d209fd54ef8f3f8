import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { PREBUILT_PARAMS_VALIDATORS, PREBUILT_VALIDATOR } from '../src/suite/schema.js';

/**
 * `npm test` (scripts/check.js, scripts/transpile.js) builds dist/ by transpiling each file of src/ alone, and type-checks
 * beside the tests. That is the JavaScript `tsc` writes only while tsconfig.json keeps the two
 * options that make a file's output independent of other files' types.
 */
describe('the build npm test makes', () => {
  it('relies on isolatedModules and verbatimModuleSyntax, which tsconfig.json keeps on', () => {
    const config = ts.readConfigFile(new URL('../tsconfig.json', import.meta.url).pathname, ts.sys.readFile).config as { compilerOptions: Record<string, unknown> };
    expect(config.compilerOptions['isolatedModules']).toBe(true);
    expect(config.compilerOptions['verbatimModuleSyntax']).toBe(true);
    expect(readFileSync(new URL('../scripts/transpile.js', import.meta.url), 'utf8')).toContain('ts.transpileModule(');
    // Only what is stale: dist/ that `npm ci` (package.json's prepare, the full tsc build) or an
    // earlier run wrote is the same JavaScript.
    expect(readFileSync(new URL('../scripts/check.js', import.meta.url), 'utf8')).toContain('transpileSrc({ onlyStale: true })');
  });

  it('writes the prebuilt validators again whenever a file was transpiled, or one is missing (by the names the schema module loads)', () => {
    const transpile = readFileSync(new URL('../scripts/transpile.js', import.meta.url), 'utf8');
    for (const name of [PREBUILT_VALIDATOR, PREBUILT_PARAMS_VALIDATORS]) expect(transpile).toContain(`'${name}'`);
    for (const file of ['../scripts/check.js', 'support/build-dist.ts']) expect(readFileSync(new URL(file, import.meta.url), 'utf8')).toContain('validatorStale(built.written)');
  });
});
