import { mkdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as tar from 'tar';
import { cliEnv, filesUnder, stackTraceIn, tempDir } from './helpers.js';
import { runInProcess } from './in-process.js';

/**
 * No output of a run holds a full card number: the transcripts of `http`, `schema` and
 * `transaction` checks, the reports in every format, the interaction log, the bundled suite and
 * the terminal. The scanner here is the test's own (not the product's): every run of 13 to 19
 * digits, single spaces or dashes allowed between them, that is not part of a word, an id or a
 * decimal number, starts with a card industry digit (2-6) and passes Luhn.
 */
function pansIn(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(/(?<![A-Za-z0-9_.*])\d(?:[ -]?\d){12,18}(?![A-Za-z0-9_*]|\.\d)/g)) {
    const digits = match[0].replace(/[ -]/g, '');
    if (/^[2-6]/.test(digits) && luhn(digits)) found.push(match[0]);
  }
  return found;
}

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

/** Each file of `dir` (recursively) with the card numbers found in it. */
function leaks(dir: string): { file: string; pans: string[] }[] {
  return filesUnder(dir)
    .map(({ path, bytes }) => ({ file: relative(dir, path), pans: pansIn(bytes.toString('latin1')) }))
    .filter((f) => f.pans.length > 0);
}

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function workDir(): string {
  const dir = tempDir('payready-panmask-');
  dirs.push(dir);
  return dir;
}

describe('card numbers are masked in every output of a run', () => {
  it('the test scanner finds what it must (so an empty result means something)', () => {
    expect(pansIn('> {"number":"4111111111111111"}\n4111 1111 1111 1111\n3714-831057-20212')).toEqual(['4111111111111111', '4111 1111 1111 1111', '3714-831057-20212']);
    expect(pansIn('411111******1111 pay_4111111111111111x 12.4111111111111111 1796602226123')).toEqual([]);
  });

  it('[pan/masked-everywhere] demo --evidence: no file of the unpacked bundle, the reports, the log or the terminal holds a full card number', async () => {
    const dir = workDir();
    const run = await runInProcess(
      ['demo', '--skip', 'checkout-mobile', '--out', 'report', '--evidence', 'evidence.tar.gz', '--reporter', 'json', '--reporter', 'junit', '--reporter', 'markdown', '--reporter', 'html', '--reporter', 'sarif', '--verbose'],
      { cwd: dir },
    );
    expect(run.code, run.stdout).toBe(0);
    expect(stackTraceIn(run.stdout + run.stderr)).toBeUndefined();
    expect(pansIn(run.stdout + run.stderr)).toEqual([]);
    const unpacked = join(dir, 'unpacked');
    mkdirSync(unpacked);
    await tar.x({ file: join(dir, 'evidence.tar.gz'), cwd: unpacked });
    const files = filesUnder(unpacked).map((f) => relative(unpacked, f.path));
    // The files that held 4111111111111111 before: the schema checks' transcripts, the suite copy.
    expect(files).toEqual(expect.arrayContaining(['artifacts/payment-schema/transcript.http', 'artifacts/json-utf8/transcript.http', 'suite/go-live.yaml', 'interactions.jsonl', 'reports/report.json']));
    expect(leaks(unpacked)).toEqual([]);
    expect(leaks(join(dir, 'report'))).toEqual([]);
    // Masked, not dropped: the transcript still shows which card was sent.
    const transcript = filesUnder(join(unpacked, 'artifacts', 'payment-schema')).map((f) => f.bytes.toString()).join('\n');
    expect(transcript).toContain('"number":"411111******1111"');
  });

  it("the suite `init` writes, run with --evidence: its http transcripts show the test card masked", async () => {
    const dir = workDir();
    // Only a suite whose environments are all sandboxes gets the test payment (a write).
    const init = await runInProcess(['init', '--env', 'sandbox'], { cwd: dir });
    expect(init.code, init.stderr).toBe(0);
    const run = await runInProcess(['run', 'payready.yaml', '--skip', 'checkout-mobile', '--out', 'report', '--evidence', 'evidence.tar.gz', '--reporter', 'html', '--reporter', 'markdown'], { cwd: dir, env: cliEnv() });
    expect(run.code, run.stdout).toBe(0);
    const unpacked = join(dir, 'unpacked');
    mkdirSync(unpacked);
    await tar.x({ file: join(dir, 'evidence.tar.gz'), cwd: unpacked });
    const approve = filesUnder(join(unpacked, 'artifacts', 'payment-approve')).map((f) => f.bytes.toString()).join('\n');
    expect(approve).toContain('411111******1111');
    expect(leaks(unpacked)).toEqual([]);
    expect(leaks(join(dir, 'report'))).toEqual([]);
    expect(pansIn(run.stdout + run.stderr)).toEqual([]);
  });
});
