// Budget: `npm test` (build, typecheck, lint, boundaries, every vitest file) at most 150 s wall on a
// 2-core machine, from a clean clone after `npm ci` (issue 17). One run takes minutes, so it is
// measured only when asked: `PAYREADY_BENCH_TESTS=1 npm run bench test-suite` (or
// `node bench/run.js test-suite`). Otherwise the last measurement in bench/results.json is kept,
// marked as such, so a plain `npm run bench` neither spends the time nor loses the figure.
//
// It runs what package.json's test script runs, `node scripts/check.js --vitest` (the static checks,
// with vitest started beside the lint once dist/ is built), with CI=true and vitest's JSON report,
// whose summed test durations say how much test time the run held (wall time is that spread over
// the workers vitest.config.ts sets).
// CPU seconds (user + system, the process and its children) come from /usr/bin/time when the
// machine has it: unlike wall time they hardly move when other work shares the machine, whose
// load average at the start and end of each half is recorded too.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { ROOT, WORK, round } from '../lib.js';

const NAME = 'npm test (wall)';
const BUDGET_MS = 150_000;
const TIME = '/usr/bin/time';

/** Runs `command args` in the project, timed: wall ms, CPU s (if /usr/bin/time is there), load averages, output. */
function timed(command, args) {
  const cpuFile = join(WORK, 'test-suite-cpu.txt');
  const withTime = existsSync(TIME);
  const loadBefore = os.loadavg()[0];
  const started = process.hrtime.bigint();
  const result = withTime
    ? spawnSync(TIME, ['-f', '%U %S', '-o', cpuFile, command, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: 'true' }, maxBuffer: 256 * 1024 * 1024 })
    : spawnSync(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: 'true' }, maxBuffer: 256 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  let cpuSeconds;
  if (withTime) {
    const [user, system] = readFileSync(cpuFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
    cpuSeconds = round(user + system, 1);
    rmSync(cpuFile, { force: true });
  }
  return { status: result.status, ms, cpuSeconds, load: [round(loadBefore, 2), round(os.loadavg()[0], 2)], stdout: result.stdout.toString(), stderr: result.stderr.toString() };
}

export default async function testSuite() {
  if (process.env.PAYREADY_BENCH_TESTS !== '1') return lastRecorded();
  const recorded = new Date().toISOString();

  // Outside the project: test/docs.test.ts reads every .json under bench/, and the report names
  // absolute paths.
  const reportDir = mkdtempSync(join(os.tmpdir(), 'payready-bench-vitest-'));
  const report = join(reportDir, 'vitest-report.json');
  // What `npm test` runs: check.js, which starts vitest once dist/ is built, beside the lint.
  const run = timed(process.execPath, ['scripts/check.js', '--vitest', '--reporter=dot', '--reporter=json', `--outputFile.json=${report}`]);
  let json;
  try {
    json = JSON.parse(readFileSync(report, 'utf8'));
  } catch {
    throw new Error(`npm test wrote no vitest report (exit ${run.status}): ${run.stderr.slice(-2000)}`);
  } finally {
    rmSync(reportDir, { recursive: true, force: true });
  }
  // "check: typecheck of 404 files: 0 problem(s) (22.8 s)": the time each phase ended.
  const phases = Object.fromEntries([...run.stderr.matchAll(/^check: ([^:]+)[^(]*\(([\d.]+) s\)$/gm)].map((m) => [m[1], Number(m[2])]));
  const files = json.testResults.map((f) => ({ file: f.name.slice(ROOT.length), ms: f.assertionResults.reduce((sum, t) => sum + (t.duration ?? 0), 0) }));
  const summed = files.reduce((sum, f) => sum + f.ms, 0);
  const slowest = files
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 10)
    .map((f) => `${f.file} ${round(f.ms / 1000, 1)} s`);
  const failed = (json.numFailedTests ?? 0) + (json.numFailedTestSuites ?? 0);
  return [
    {
      name: NAME,
      unit: 'ms',
      median: round(run.ms, 0),
      samples: [round(run.ms, 0)],
      recorded,
      loadAverage: run.load[0],
      // The 1-minute load average at the start and end: other work on a shared machine slows the
      // tests, and this says how much of it there was.
      note: `node scripts/check.js --vitest: build done at ${phases['build'] ?? '?'} s, then vitest beside the type check and the lint; load average ${run.load.join(' -> ')} on ${os.cpus().length} cores`,
      ...(run.cpuSeconds !== undefined ? { cpuSeconds: run.cpuSeconds } : {}),
      phasesEndedAtSeconds: phases,
      summedTestSeconds: round(summed / 1000, 1),
      tests: { passed: json.numPassedTests, failed: json.numFailedTests, failedFiles: json.numFailedTestSuites },
      slowestFiles: slowest,
      budget: `<= ${BUDGET_MS} ms`,
      ok: run.ms <= BUDGET_MS && failed === 0,
    },
  ];
}

/** The entries of the last run that measured, or an error entry saying how to measure. */
function lastRecorded() {
  try {
    const previous = JSON.parse(readFileSync(new URL('../results.json', import.meta.url), 'utf8'));
    const entries = previous.results?.['test-suite']?.filter((e) => !e.error) ?? [];
    if (entries.some((e) => e.name === NAME)) return entries;
  } catch {
    /* no results yet */
  }
  return [{ name: NAME, error: 'not measured: run PAYREADY_BENCH_TESTS=1 node bench/run.js test-suite' }];
}
