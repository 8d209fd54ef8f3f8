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
  findings?: { rule: string; level: string; file: string; line?: number; column?: number; message: RegExp }[];
}

const cases: PanCase[] = [
  {
    name: 'a clean log with masked numbers, ids, timestamps and phone numbers passes',
    params: { paths: ['clean.log'] },
    status: 'pass',
    message: 'clean',
    data: { scanned: '1 file, 791 B' },
  },
  {
    name: 'test card numbers (plain, spaced, dashed amex) are warnings',
    params: { paths: ['test-cards.log'] },
    status: 'warn',
    message: 'testPans',
    data: { cards: '3 unmasked test card numbers', count: 3, where: 'test-cards.log:1', listed: '' },
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
    message: 'realPans',
    data: { count: 3, where: 'test-cards.log:1', what: 'test visa card number 411111******1111' },
  },
  {
    name: 'testCards: ignore leaves test numbers out',
    params: { paths: ['test-cards.log'], testCards: 'ignore' },
    status: 'pass',
    message: 'clean',
    data: { scanned: expect.stringMatching(/^1 file, /) },
  },
  {
    name: 'real-looking numbers fail: plain, grouped with spaces, amex inside a longer grouped run',
    params: { paths: ['real-cards.log'] },
    status: 'fail',
    message: 'realPans',
    data: { cards: '3 unmasked card numbers', where: 'real-cards.log:2', what: 'visa card number 453201******0366' },
    findings: [
      { rule: 'pan/unmasked', level: 'error', file: 'real-cards.log', line: 2, column: 45, message: /^unmasked visa card number 453201\*{6}0366$/ },
      { rule: 'pan/unmasked', level: 'error', file: 'real-cards.log', line: 4, column: 44, message: /542523\*{6}9903/ },
      { rule: 'pan/unmasked', level: 'error', file: 'real-cards.log', line: 5, column: 47, message: /^unmasked amex card number 371483\*{5}0212$/ },
      { rule: 'pan/test-card', level: 'warning', file: 'real-cards.log', line: 6, message: /424242\*{6}4242/ },
    ],
  },
  {
    name: 'a folder is walked: .gz logs are decompressed, binary files skipped and named',
    params: { paths: ['.'] },
    status: 'fail',
    message: 'realPans',
    data: { count: 4, scanned: expect.stringMatching(/^4 files, .*, 1 binary skipped \(screenshot\.bin\)$/), where: 'real-cards.log:2' },
  },
  {
    name: 'a glob picks rotated logs only',
    params: { paths: ['*.log.gz'] },
    status: 'fail',
    message: 'realPans',
    data: { cards: '1 unmasked card number', where: 'rotated-2026-01-14.log.gz:2', what: 'discover card number 601100******9423' },
  },
  {
    name: 'exclude leaves files out; a binary file left in is named and makes the result a warning',
    params: { paths: ['.'], exclude: ['real-*.log', '*.gz'], testCards: 'ignore' },
    status: 'warn',
    message: 'notAllScanned',
    summary: /^no card numbers in 2 files, [^,]+, but 1 file was skipped as binary and not scanned \(screenshot\.bin\): decompress or convert it to text, or leave it out with exclude$/,
    findings: [{ rule: 'scan/binary-skipped', level: 'note', file: 'screenshot.bin', message: /^not scanned: binary/ }],
  },
  {
    name: 'excluding the binary file too passes',
    params: { paths: ['.'], exclude: ['real-*.log', '*.gz', '*.bin'], testCards: 'ignore' },
    status: 'pass',
    message: 'clean',
    data: { scanned: expect.stringMatching(/^2 files, [^,]+$/) },
  },
  {
    name: 'a glob that matches nothing is a warning that says where to point',
    params: { paths: ['*.jsonl'] },
    status: 'warn',
    message: 'noFiles',
    data: { paths: '*.jsonl' },
  },
  {
    name: 'a named path that does not exist is an error',
    params: { paths: ['missing.log'] },
    status: 'error',
    message: 'badPath',
    data: { cause: 'missing.log: no such file or folder' },
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
          expect(got).toMatchObject({ rule: want.rule, level: want.level, file: want.file, ...(want.line ? { line: want.line } : {}), ...(want.column ? { column: want.column } : {}) });
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
    expect(outcome.message).toMatchObject({ id: 'notAllScanned', data: { gaps: 'could not read broken.log.gz (not a valid gzip file)' } });
  });
});

// The planted real-looking number: line 3, column 11 of every variant below.
const PLANTED = ['2026-01-15 INFO start', 'payment ok\tcafé € 👍', 'POST card=4532015112830366 cvc=123', 'done'].join('\r\n') + '\r\n';

function utf16(text: string, order: 'le' | 'be', bom: boolean): Buffer {
  const le = Buffer.from((bom ? '\ufeff' : '') + text, 'utf16le');
  return order === 'le' ? le : Buffer.from(le).swap16();
}

// The first bytes of a PNG: signature, then the IHDR chunk (a 256x256 RGBA image).
const PNG_HEADER = Buffer.from('89504e470d0a1a0a0000000d49484452000001000000010008060000005c72a866', 'hex');

describe('pan-scan reads the logs real systems write (issue 12)', () => {
  const variants: { name: string; bytes: () => Buffer; encoding?: string; padded?: boolean }[] = [
    { name: '[pan/utf16] UTF-16LE with a byte-order mark (Windows services, PowerShell Out-File)', bytes: () => utf16(PLANTED, 'le', true), encoding: 'utf-16' },
    { name: '[pan/utf16] UTF-16BE with a byte-order mark', bytes: () => utf16(PLANTED, 'be', true), encoding: 'utf-16' },
    { name: '[pan/utf16] UTF-16LE without a byte-order mark (detected by its zero bytes)', bytes: () => utf16(PLANTED, 'le', false), encoding: 'utf-16' },
    { name: '[pan/utf16] UTF-16BE without a byte-order mark (detected by its zero bytes)', bytes: () => utf16(PLANTED, 'be', false), encoding: 'utf-16' },
    { name: '[pan/nul-padding] NUL padding before the text (logrotate copytruncate, the writer kept its offset)', bytes: () => Buffer.concat([Buffer.alloc(70_000), Buffer.from(PLANTED)]), padded: true },
    { name: '[pan/nul-padding] NUL padding of more than one read chunk (1 MiB) before the text', bytes: () => Buffer.concat([Buffer.alloc(3 * 1024 * 1024 + 5), Buffer.from(PLANTED)]), padded: true },
    { name: '[pan/nul-padding] [pan/utf16] NUL padding before UTF-16BE text (the padding ends inside the first code unit)', bytes: () => Buffer.concat([Buffer.alloc(4096), utf16(PLANTED, 'be', false)]), encoding: 'utf-16', padded: true },
    { name: '[pan/nul-padding] [pan/utf16] NUL padding before UTF-16LE text with a byte-order mark', bytes: () => Buffer.concat([Buffer.alloc(4096), utf16(PLANTED, 'le', true)]), encoding: 'utf-16', padded: true },
  ];
  for (const v of variants) {
    it(`${v.name}: the card number is found on its line, and naming the file scans it`, async () => {
      const dir = tempDir('payready-pan-');
      writeFileSync(join(dir, 'app.log'), v.bytes());
      for (const paths of [['app.log'], ['.']]) {
        const { outcome } = await runCheck('pan-scan', { paths }, { baseDir: dir });
        expect(outcome.status, outcome.summary).toBe('fail');
        expect(outcome.message).toMatchObject({ id: 'realPans', data: { count: 1, scanned: expect.stringMatching(/^1 file, /), where: 'app.log:3', what: 'visa card number 453201******0366' } });
        expect(outcome.findings).toEqual([expect.objectContaining({ rule: 'pan/unmasked', file: 'app.log', line: 3, column: 11 })]);
        const m = Object.fromEntries(outcome.measurements!.map((x) => [x.name, x.value]));
        expect(m['binary files skipped']).toBe(0);
        expect(m['UTF-16 files decoded'] ?? 0).toBe(v.encoding ? 1 : 0);
        expect(m['files with leading NUL padding'] ?? 0).toBe(v.padded ? 1 : 0);
        expect(JSON.stringify(outcome)).not.toContain('4532015112830366');
      }
    });
  }

  it('[pan/utf16] a gzipped UTF-16 log is decompressed and decoded', async () => {
    const dir = tempDir('payready-pan-');
    writeFileSync(join(dir, 'app.log.1.gz'), gzipSync(utf16(PLANTED, 'le', true)));
    const { outcome } = await runCheck('pan-scan', { paths: ['*.gz'] }, { baseDir: dir });
    expect(outcome.status).toBe('fail');
    expect(outcome.findings![0]).toMatchObject({ file: 'app.log.1.gz', line: 3, column: 11 });
  });

  it('[pan/utf16] line numbers stay right in a UTF-16 file of several read chunks, a number on each side of the boundaries', async () => {
    const dir = tempDir('payready-pan-');
    const filler = 'GET /v1/payments/pay_x 200 12ms\n';
    const lines = 40_000; // 1.3 MB of text, 2.6 MB as UTF-16: three 1 MiB chunks
    const text = `${filler.repeat(lines)}card 4532015112830366\n${filler.repeat(lines)}card 5425233430109903\n`;
    writeFileSync(join(dir, 'big.log'), utf16(text, 'le', false));
    const { outcome } = await runCheck('pan-scan', { paths: ['big.log'] }, { baseDir: dir });
    expect(outcome.findings!.map((f) => [f.line, f.column])).toEqual([
      [lines + 1, 6],
      [2 * lines + 2, 6],
    ]);
  });

  it('[pan/nul-padding] a run of NUL bytes in the middle of a log (a hole a crash left) is passed over; numbers either side are found, none is made of the digits around it', async () => {
    const dir = tempDir('payready-pan-');
    const text = Buffer.concat([Buffer.from('a 4532015112830366\nref 4532015112'), Buffer.alloc(20_000), Buffer.from('830366 tail\nb 5425233430109903\n')]);
    writeFileSync(join(dir, 'holed.log'), text);
    const { outcome } = await runCheck('pan-scan', { paths: ['holed.log'] }, { baseDir: dir });
    expect(outcome.status).toBe('fail');
    expect(outcome.findings!.map((f) => [f.line, f.message])).toEqual([
      [1, 'unmasked visa card number 453201******0366'],
      [3, 'unmasked mastercard card number 542523******9903'],
    ]);
  });

  it('[pan/nul-padding] a file of NUL bytes only (truncated, nothing written since) is scanned, not skipped', async () => {
    const dir = tempDir('payready-pan-');
    writeFileSync(join(dir, 'app.log'), Buffer.alloc(100_000));
    const { outcome } = await runCheck('pan-scan', { paths: ['app.log'] }, { baseDir: dir });
    expect(outcome.status).toBe('pass');
    expect(outcome.message).toMatchObject({ id: 'clean', data: { scanned: '1 file, 0 B' } });
    expect(outcome.measurements!.find((m) => m.name === 'files with leading NUL padding')?.value).toBe(1);
  });

  it('[pan/binary-listed] a binary file named directly is a warning that names it, not "no files matched"', async () => {
    const dir = tempDir('payready-pan-');
    // An ELF header: NUL and control bytes.
    writeFileSync(join(dir, 'payments.log'), Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0x3e, 0]), Buffer.from(' 4532015112830366 ')]));
    const { outcome } = await runCheck('pan-scan', { paths: ['payments.log'] }, { baseDir: dir });
    expect(outcome.status).toBe('warn');
    expect(outcome.message?.id).toBe('notAllScanned');
    expect(outcome.summary).toBe('no card numbers in 0 files, 0 B, but 1 file was skipped as binary and not scanned (payments.log): decompress or convert it to text, or leave it out with exclude');
    expect(outcome.findings).toEqual([{ rule: 'scan/binary-skipped', level: 'note', file: 'payments.log', message: expect.stringMatching(/^not scanned: binary/) }]);
  });

  it('[pan/binary-listed] every binary file is listed in the findings; the summary names the first three', async () => {
    const dir = tempDir('payready-pan-');
    for (const name of ['a.bin', 'b.bin', 'c.bin', 'd.bin', 'e.bin']) writeFileSync(join(dir, name), PNG_HEADER);
    writeFileSync(join(dir, 'ok.log'), 'nothing\n');
    const { outcome } = await runCheck('pan-scan', { paths: ['.'] }, { baseDir: dir });
    expect(outcome.status).toBe('warn');
    expect(outcome.message?.id).toBe('notAllScanned');
    expect(outcome.summary).toMatch(/5 files were skipped as binary and not scanned \(a\.bin, b\.bin, c\.bin and 2 more\)/);
    expect(outcome.findings!.map((f) => f.file)).toEqual(['a.bin', 'b.bin', 'c.bin', 'd.bin', 'e.bin']);
  });
});
