// `npm test`'s static half: build, typecheck, lint and layer boundaries from ONE TypeScript program.
// Run one by one, `npm run build`, `npm run typecheck` and `npm run lint` (whose type-aware rules
// need type information) each build the program again: three compilations of the same code,
// about half of `npm test`'s time before a single test ran. Here the program of tsconfig.json
// (src, test, bench, scripts) is built once; its diagnostics are `npm run typecheck`'s, its
// emit of src/ is `npm run build`'s (the same JavaScript in dist/, nothing but src/ there), and
// ESLint lints with it through `parserOptions.programs` instead of building its own. Meanwhile
// dependency-cruiser (`npm run lint:deps`) runs in a child process on the other core.
//
// The separate scripts stay for everyday use; this one only saves their repeated work. Exit 0
// when all four are clean, else 1 after reporting every problem each found.
//
// `node scripts/check.js --vitest [ARGS...]` (what `npm test` runs) also starts `vitest run ARGS`
// as soon as dist/ is built, while the lint runs: the tests spend much of their time waiting on
// timers and sockets, so the lint's CPU-seconds fit beside them instead of before them. The exit
// code is 1 when either found a problem. A type error or a failed build starts no tests.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import ts from 'typescript';

const root = fileURLToPath(new URL('..', import.meta.url));
const vitestAt = process.argv.indexOf('--vitest');
const vitestArgs = vitestAt === -1 ? undefined : process.argv.slice(vitestAt + 1);
const started = Date.now();
const step = (what) => process.stderr.write(`check: ${what} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);

// `npm run lint:deps` (dependency-cruiser, as package.json says) needs nothing from here: it starts
// first and runs on the other core.
const depcruise = new Promise((resolve) => {
  const child = spawn('npm', ['run', '--silent', 'lint:deps'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  child.on('error', (err) => resolve({ code: 1, output: String(err) }));
  child.on('close', (code) => resolve({ code, output }));
});

/** tsconfig.json (or tsconfig.build.json) as TypeScript reads it; throws on a broken file. */
function readConfig(name) {
  const parsed = ts.getParsedCommandLineOfConfigFile(join(root, name), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => fail([d]) });
  if (parsed.errors.length > 0) fail(parsed.errors);
  return parsed;
}

const host = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => '\n' };
function fail(diagnostics) {
  process.stderr.write(ts.formatDiagnosticsWithColorAndContext(diagnostics, host));
  process.exit(1);
}

// The whole project's program, with tsconfig.build.json's emit options. Its rootDir (src) is left
// out: with test/ in the program it would be an error; every file is emitted relative to the
// project root instead (dist/src/...), and only src/ files, which `write` moves up to dist/.
const project = readConfig('tsconfig.json');
const build = readConfig('tsconfig.build.json');
const { rootDir: buildRoot, ...emitOptions } = build.options;
const options = { ...project.options, ...emitOptions, rootDir: root };
const program = ts.createProgram({ rootNames: project.fileNames, options, projectReferences: project.projectReferences });
const diagnostics = ts.getPreEmitDiagnostics(program);
step(`typecheck of ${project.fileNames.length} files: ${diagnostics.length} problem(s)`);

let problems = diagnostics.length > 0;
if (problems) process.stderr.write(ts.formatDiagnosticsWithColorAndContext(diagnostics, host));
else {
  const outDir = build.options.outDir;
  const nested = join(outDir, relative(root, buildRoot)) + sep;
  const write = (fileName, text) => {
    if (!fileName.startsWith(nested)) throw new Error(`unexpected output path ${fileName}`);
    const target = join(outDir, relative(nested, fileName));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text);
  };
  const srcFiles = new Set(build.fileNames.map((f) => ts.sys.resolvePath(f)));
  let emitted = 0;
  for (const file of program.getSourceFiles()) {
    if (!srcFiles.has(ts.sys.resolvePath(file.fileName))) continue;
    const result = program.emit(file, write);
    if (result.diagnostics.length > 0) {
      problems = true;
      process.stderr.write(ts.formatDiagnosticsWithColorAndContext(result.diagnostics, host));
    }
    emitted += 1;
  }
  step(`build: ${emitted} files of src/ emitted to ${relative(root, outDir)}/`);
  // The rest of `npm run build`: the prebuilt suite validator (ajv standalone code) from the built code.
  if (!problems) {
    const generated = await new Promise((resolve) => {
      const child = spawn(process.execPath, [join(root, 'scripts/build-validator.js')], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
      child.on('error', () => resolve(1));
      child.on('close', (code) => resolve(code));
    });
    if (generated !== 0) problems = true;
    step('build: prebuilt suite validator written');
  }
}

// The tests, beside the lint (see the top of this file).
const tests =
  vitestArgs && !problems
    ? new Promise((resolve) => {
        const child = spawn(process.execPath, [join(root, 'node_modules/vitest/vitest.mjs'), 'run', ...vitestArgs], { cwd: root, stdio: 'inherit' });
        child.on('error', () => resolve(1));
        child.on('close', (code) => resolve(code ?? 1));
      })
    : undefined;
if (vitestArgs && !tests) step('tests not run: fix the problems above first');

// eslint.config.js as `npm run lint` runs it, with this program for the type-aware rules.
const eslint = new ESLint({
  cwd: root,
  overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parserOptions: { projectService: false, programs: [program] } } }],
});
const results = await eslint.lintFiles(['.']);
const warnings = results.reduce((n, r) => n + r.warningCount, 0);
const errors = results.reduce((n, r) => n + r.errorCount + r.fatalErrorCount, 0);
if (errors + warnings > 0) {
  problems = true;
  process.stderr.write(await (await eslint.loadFormatter('stylish')).format(results));
}
step(`lint of ${results.length} files: ${errors} error(s), ${warnings} warning(s)`);

const deps = await depcruise;
if (deps.code !== 0) {
  problems = true;
  process.stderr.write(deps.output);
}
step(`lint:deps: ${deps.code === 0 ? 'clean' : 'violations'}`);
if (problems) process.stderr.write('check: problems found (above)\n');
const testCode = tests ? await tests : 0;
process.exit(problems || testCode !== 0 ? 1 : 0);
