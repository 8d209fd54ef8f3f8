// dist/ from src/ by transpiling each file alone: what `npm test` builds (scripts/check.js) and what
// the tests' global setup brings up to date before a run (test/support/build-dist.ts). About 3 s
// for every file, instead of the 15 s of a type-checked emit (emitting from a program runs most of
// the checker). tsconfig.json's isolatedModules and verbatimModuleSyntax are what make that safe:
// the compiler then rejects any file whose JavaScript would depend on other files' types, and the
// output is byte for byte what `tsc` writes (NodeNext emits ESM for this "type": "module" package,
// as ESNext does here). `npm run build` keeps the full `tsc`.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * Transpiles the files of tsconfig.build.json into its outDir; with `onlyStale`, only those whose
 * output is missing or older than the source. Resolves with the files written and the problems
 * found (TypeScript diagnostics, formatted); a file with problems is not written.
 */
export function transpileSrc({ onlyStale = false } = {}) {
  const build = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.build.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')); } });
  const { rootDir, outDir } = build.options;
  const options = { ...build.options, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler };
  const host = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => '\n' };
  let written = 0;
  let problems = '';
  for (const file of build.fileNames) {
    const target = join(outDir, relative(rootDir, file)).replace(/\.ts$/, '.js');
    if (onlyStale && isNewer(target, file)) continue;
    const output = ts.transpileModule(readFileSync(file, 'utf8'), { compilerOptions: options, fileName: file, reportDiagnostics: true });
    if (output.diagnostics && output.diagnostics.length > 0) {
      problems += ts.formatDiagnosticsWithColorAndContext(output.diagnostics, host);
      continue;
    }
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, output.outputText);
    written += 1;
  }
  return { files: build.fileNames.length, written, problems, outDir: relative(root, outDir) };
}

/** The rest of `npm run build`: the prebuilt suite validator (ajv standalone code) from the built code. Resolves with the exit code. */
export function buildValidator() {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, 'scripts/build-validator.js')], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', () => resolve(1));
    child.on('close', (code) => resolve(code ?? 1));
  });
}

/**
 * Whether the prebuilt validators must be written again: when any file of src/ was just transpiled
 * (they are generated from the built schema code), or one is missing. A fresh clone's `npm ci` has
 * written them (package.json's prepare).
 */
export function validatorStale(written) {
  if (written > 0) return true;
  // The names of PREBUILT_VALIDATOR and PREBUILT_PARAMS_VALIDATORS (src/suite/schema.ts).
  return ['suite-validator.generated.js', 'params-validators.generated.js'].some((name) => !existsSync(join(root, 'dist', 'suite', name)));
}

function isNewer(target, source) {
  try {
    return statSync(target).mtimeMs >= statSync(source).mtimeMs;
  } catch {
    return false;
  }
}
