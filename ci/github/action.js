// The entry script of the GitHub Action (action.yml at the repository root): turns the action's
// inputs (INPUT_* variables, as GitHub passes them) into a `payready run` (or, with `merge`, a
// `payready merge` of the shards' bundles), lets payready write the
// step summary ($GITHUB_STEP_SUMMARY) and the annotations (GITHUB_ACTIONS=true), then writes the
// outputs `verdict`, `report` and `evidence` to $GITHUB_OUTPUT and exits with payready's code:
// 0 READY, 1 NOT READY, 2 a broken suite or setup. Plain JavaScript, no dependency: it runs before
// anything is installed in the workspace.
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/payready.js', import.meta.url));

/** An input as GitHub passes it: INPUT_ plus the name upper-cased, spaces as underscores (hyphens stay). */
function input(name, fallback = '') {
  const value = process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`];
  return value === undefined || value.trim() === '' ? fallback : value.trim();
}

/** A list input: names separated by commas, spaces or new lines. */
function list(name) {
  return input(name)
    .split(/[\s,]+/)
    .filter(Boolean);
}

/** Writes one output in the multi-line-safe form GitHub documents (name<<DELIMITER). */
function setOutput(name, value) {
  const file = process.env.GITHUB_OUTPUT;
  if (!file) return;
  const delimiter = `payready_${Math.random().toString(36).slice(2)}`;
  appendFileSync(file, `${name}<<${delimiter}\n${value}\n${delimiter}\n`);
}

const out = input('out', 'payready-report');
const evidence = input('evidence');
// `merge` makes the step a merge job: the shards' bundles (or reports) joined into one report and,
// with `evidence`, one signed bundle, instead of a run of the suite.
const merge = list('merge');
const args = merge.length > 0 ? ['merge', ...merge, '--out', join(out, 'report.json')] : ['run', input('suite', 'checks/go-live.yaml'), '--out', out, '--fail-on', input('fail-on', 'major')];
const environment = input('environment');
if (environment && merge.length === 0) args.push('--env', environment);
for (const reporter of list('reporters')) args.push('--reporter', reporter);
if (evidence) args.push('--evidence', evidence);
const signKey = input('sign-key');
if (signKey) args.push('--sign-key', signKey);
if (merge.length === 0) {
  const shard = input('shard');
  if (shard) args.push('--shard', shard);
  // Extra arguments (`--only`, `--skip`, `--tag`...), split on white space.
  args.push(...list('args'));
}

const child = spawn(process.execPath, [BIN, ...args], { stdio: 'inherit', env: { ...process.env, GITHUB_ACTIONS: process.env.GITHUB_ACTIONS ?? 'true' } });
child.on('error', (err) => {
  process.stderr.write(`payready action: cannot start payready: ${err.message}\n`);
  process.exit(2);
});
child.on('exit', (code, signal) => {
  const report = join(out, 'report.json');
  let verdict = '';
  if (existsSync(report)) {
    try {
      verdict = String(JSON.parse(readFileSync(report, 'utf8')).verdict ?? '');
    } catch {
      verdict = '';
    }
  }
  setOutput('verdict', verdict);
  setOutput('report', verdict ? resolve(report) : '');
  setOutput('evidence', evidence && existsSync(evidence) ? resolve(evidence) : '');
  process.exit(code ?? (signal === 'SIGTERM' ? 143 : 130));
});
