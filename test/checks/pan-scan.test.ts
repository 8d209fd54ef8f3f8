import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { checkTable, runCheck, type CheckCase } from './harness.js';
import { ROOT } from '../e2e/helpers.js';
import { tempDir } from '../support/temp.js';

const LOGS = join(ROOT, 'fixtures/scan/logs');
// Real-looking numbers planted in fixtures/scan/logs (Luhn-valid, known IIN ranges, not test cards).
const REAL = ['4532015112830366', '5425233430109903', '371483105720212', '6011007731139423'];
const TEST = ['4111111111111111', '4000000000000002', '378282246310005', '4242424242424242'];

interface PanCase extends CheckCase {
  findings?: { rule: string; level: string; file: string; line: number; column?: number; message: RegExp }[];
}

const cases: PanCase[] = [
  {
    name: 'a clean log with masked numbers, ids, timestamps and phone numbers passes',
    params: { paths: ['clean.log'] },
    status: 'pass',
    summary: /^no card numbers in 1 file, 791 B$/,
  },
  {
    name: 'test card numbers (plain, spaced, dashed amex) are warnings',
    params: { paths: ['test-cards.log'] },
    status: 'warn',
    summary: /^3 unmasked test card numbers in 1 file, .*first test-cards\.log:1: the code path logs full card numbers/,
    findings: [
      { rule: 'pan/test-card', level: 'warning', file: 'test-cards.log', line: 1, column: 65, message: /^unmasked test visa card number 411111\*{6}1111$/ },
      { rule: 'pan/test-card', level: 'warning', file: 'test-cards.log', line: 2, column: 55, message: /400000\*{6}0002/ },
      { rule: 'pan/test-card', level: 'warning', file: 'test-cards.log', line: 3, column: 51, message: /^unmasked test amex card number 378282\*{5}0005$/ },
    ],
  },
  {
    name: 'testCards: fail turns test numbers into failures (a sandbox log should hold none at all)',
    params: { paths: ['test-cards.log'], testCards: 'fail' },
    status: 'fail',
    summary: /^3 unmasked card numbers in 1 file, .*first test-cards\.log:1 \(test visa card number 411111\*{6}1111\): mask PANs/,
  },
  {
    name: 'testCards: ignore leaves test numbers out',
    params: { paths: ['test-cards.log'], testCards: 'ignore' },
    status: 'pass',
    summary: /^no card numbers in 1 file/,
  },
  {
    name: 'real-looking numbers fail: plain, grouped with spaces, amex inside a longer grouped run',
    params: { paths: ['real-cards.log'] },
    status: 'fail',
    summary: /^3 unmasked card numbers in 1 file, .*first real-cards\.log:2 \(visa card number 453201\*{6}0366\): mask PANs to first six\/last four/,
    findings: [
      { rule: 'pan/unmasked', level: 'error', file: 'real-cards.log', line: 2, column: 45, message: /^unmasked visa card number 453201\*{6}0366$/ },
      { rule: 'pan/unmasked', level: 'error', file: 'real-cards.log', line: 4, column: 44, message: /542523\*{6}9903/ },
      { rule: 'pan/unmasked', level: 'error', file: 'real-cards.log', line: 5, column: 47, message: /^unmasked amex card number 371483\*{5}0212$/ },
      { rule: 'pan/test-card', level: 'warning', file: 'real-cards.log', line: 6, message: /424242\*{6}4242/ },
    ],
  },
  {
    name: 'a folder is walked: .gz logs are decompressed, binary files skipped',
    params: { paths: ['.'] },
    status: 'fail',
    summary: /^4 unmasked card numbers in 4 files, .*1 binary skipped.*first real-cards\.log:2/,
  },
  {
    name: 'a glob picks rotated logs only',
    params: { paths: ['*.log.gz'] },
    status: 'fail',
    summary: /^1 unmasked card number in 1 file, .*first rotated-2026-01-14\.log\.gz:2 \(discover card number 601100\*{6}9423\)/,
  },
  {
    name: 'exclude leaves files out',
    params: { paths: ['.'], exclude: ['real-*.log', '*.gz'], testCards: 'ignore' },
    status: 'pass',
    summary: /^no card numbers in 2 files, .*1 binary skipped/,
  },
  {
    name: 'a glob that matches nothing is a warning that says where to point',
    params: { paths: ['*.jsonl'] },
    status: 'warn',
    summary: /^no files matched \*\.jsonl: point paths at the integration's logs$/,
  },
  {
    name: 'a named path that does not exist is an error',
    params: { paths: ['missing.log'] },
    status: 'error',
    summary: /^missing\.log: no such file or folder: point paths at/,
  },
];

describe('pan-scan check against fixture logs', () => {
  checkTable('pan-scan', cases, {
    options: () => ({ baseDir: LOGS }),
    assert: ({ outcome }, c) => {
      if (c.findings) {
        expect(outcome.findings).toHaveLength(c.findings.length);
        c.findings.forEach((want, i) => {
          const got = outcome.findings![i]!;
          expect(got).toMatchObject({ rule: want.rule, level: want.level, file: want.file, line: want.line, ...(want.column ? { column: want.column } : {}) });
          expect(got.message).toMatch(want.message);
        });
      }
      // Never the full number, anywhere in the outcome.
      const text = JSON.stringify(outcome);
      for (const pan of [...REAL, ...TEST]) expect(text).not.toContain(pan);
    },
  });

  it('reports files, bytes and throughput as measurements', async () => {
    const { outcome } = await runCheck('pan-scan', { paths: ['.'] }, { baseDir: LOGS });
    const m = Object.fromEntries(outcome.measurements!.map((x) => [x.name, x]));
    expect(m['files scanned']).toMatchObject({ value: 4, unit: 'count' });
    expect(m['binary files skipped']).toMatchObject({ value: 1 });
    expect(m['bytes scanned']!.value).toBeGreaterThan(1500);
    expect(m['throughput']!.unit).toBe('MB/s');
    expect(m['real-looking card numbers']!.value).toBe(4);
    expect(outcome.values).toMatchObject({ realPans: 4, testPans: 4, files: 4 });
  });

  it('finds a number split across read chunks and counts lines across them', async () => {
    const dir = tempDir('payready-pan-');
    // 1 MiB chunks: put the number across the first boundary, after 40,000 lines.
    const filler = 'x'.repeat(25) + '\n';
    const lines = Math.floor((1024 * 1024 - 8) / filler.length);
    const head = filler.repeat(lines);
    const pad = 'y'.repeat(1024 * 1024 - 8 - head.length);
    writeFileSync(join(dir, 'big.log'), `${head}${pad}card=4532 0151 1283 0366 end\n`);
    const { outcome } = await runCheck('pan-scan', { paths: ['big.log'] }, { baseDir: dir });
    expect(outcome.status).toBe('fail');
    expect(outcome.findings![0]).toMatchObject({ line: lines + 1, column: pad.length + 6 });
  });

  it('a corrupt .gz is reported as unreadable, not as a crash', async () => {
    const dir = tempDir('payready-pan-');
    const good = gzipSync('line one\n');
    writeFileSync(join(dir, 'broken.log.gz'), Buffer.concat([good.subarray(0, 10), Buffer.from('not gzip at all')]));
    writeFileSync(join(dir, 'ok.log'), 'nothing here\n');
    const { outcome } = await runCheck('pan-scan', { paths: ['.'] }, { baseDir: dir });
    expect(outcome.status).toBe('warn');
    expect(outcome.summary).toMatch(/^no card numbers in .*, but could not read broken\.log\.gz \(not a valid gzip file\)$/);
  });
});
