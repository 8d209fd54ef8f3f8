// `npm test`'s static half: build, typecheck, lint and layer boundaries, with one TypeScript program.
// Run one by one, `npm run build`, `npm run typecheck` and `npm run lint` (whose type-aware rules
// need type information) each build the program again: three compilations of the same code,
// about half of `npm test`'s time before a single test ran. Here dist/ is built by transpiling
// each file of src/ alone (seconds; see below), and the program of tsconfig.json (src, test, bench,
// scripts) is built once: its diagnostics are `npm run typecheck`'s, and ESLint lints with it
// through `parserOptions.programs` instead of building its own. Meanwhile dependency-cruiser
// (`npm run lint:deps`) runs in a child process on the other core.
//
// The separate scripts stay for everyday use; this one only saves their repeated work. Exit 0
// when all four are clean, else 1 after reporting every problem each found.
//
// `node scripts/check.js --vitest [ARGS...]` (what `npm test` runs) also starts `vitest run ARGS`
// as soon as dist/ is built, while the type check and the lint run: the tests spend much of their
// time waiting on timers and sockets, so those CPU-seconds fit beside them instead of before them.
// The exit code is 1 when either found a problem. A failed build starts no tests; a type error
// stops them.
import { spawn } from 'node:child_process';
import { setPriority } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import ts from 'typescript';
import { buildValidator, transpileSrc, validatorStale } from './transpile.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const vitestAt = process.argv.indexOf('--vitest');
const vitestArgs = vitestAt === -1 ? undefined : process.argv.slice(vitestAt + 1);
const started = Date.now();
const step = (what) => process.stderr.write(`check: ${what} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);

// `npm run lint:deps` (dependency-cruiser, as package.json says) needs nothing from here: it starts
// first and runs on the other core (beside the tests, at the lowest priority: see below).
let depcruiseChild;
const depcruise = new Promise((resolve) => {
  const child = spawn('npm', ['run', '--silent', 'lint:deps'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  depcruiseChild = child;
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

const project = readConfig('tsconfig.json');

// The build: each file of src/ transpiled on its own (scripts/transpile.js says why that is tsc's
// output), those whose dist/ file is missing or older than the source: on a fresh clone `npm ci`
// has just built dist/ (package.json's `prepare`), and transpiling all of src/ again took 4-5 s
// before the first test could start. A file with a syntax error is the type check's to report.
let problems = false;
const built = transpileSrc({ onlyStale: true });
if (built.problems) {
  problems = true;
  process.stderr.write(built.problems);
}
step(`build: ${built.written} of ${built.files} files of src/ transpiled to ${built.outDir}/ (the rest were up to date)`);
if (!problems && validatorStale(built.written)) {
  if ((await buildValidator()) !== 0) problems = true;
  step('build: prebuilt suite validator written');
} else if (!problems) step('build: prebuilt suite validator up to date');

// The tests, beside the type check and the lint (see the top of this file).
let vitest;
const tests =
  vitestArgs && !problems
    ? new Promise((resolve) => {
        vitest = spawn(process.execPath, [join(root, 'node_modules/vitest/vitest.mjs'), 'run', ...vitestArgs], { cwd: root, stdio: 'inherit' });
        vitest.on('error', () => resolve(1));
        vitest.on('close', (code) => resolve(code ?? 1));
      })
    : undefined;
if (vitestArgs && !tests) step('tests not run: fix the problems above first');
// Beside the tests, the type check, the lint and the boundary check take only the CPU the tests
// leave idle (they wait on their servers much of the time): at the lowest priority. At the same
// priority they slowed the tests' latency checks past their thresholds on two cores. Set after
// vitest started, which keeps the normal priority; the main thread is the one type-checking.
if (tests) {
  for (const pid of [0, depcruiseChild?.pid]) {
    try {
      if (pid !== undefined) setPriority(pid, 19);
    } catch {
      // gone already, or not allowed: the checks then run at the tests' priority
    }
  }
}

// The whole project's program (src, test, bench, scripts): its diagnostics are `npm run typecheck`'s.
const program = ts.createProgram({ rootNames: project.fileNames, options: project.options, projectReferences: project.projectReferences });
const diagnostics = ts.getPreEmitDiagnostics(program);
step(`typecheck of ${project.fileNames.length} files: ${diagnostics.length} problem(s)`);
if (diagnostics.length > 0) {
  problems = true;
  process.stderr.write(ts.formatDiagnosticsWithColorAndContext(diagnostics, host));
  // Code that does not type-check is not worth testing further: the run fails either way.
  if (vitest && vitest.exitCode === null) {
    step('tests stopped: fix the type errors above first');
    vitest.kill('SIGTERM');
  }
}

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
