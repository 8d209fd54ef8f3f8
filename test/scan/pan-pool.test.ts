import { describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { scanFiles, type ScanStats } from '../../src/scan/files.js';
import { PanScanner } from '../../src/scan/pan.js';
import { cut, scanPanFiles, type PanScanOptions } from '../../src/scan/pan-pool.js';
import { tempDir } from '../support/temp.js';

/** A hit as a test compares it: where, what. */
type Found = [file: string, line: number, column: number, offset: number, digits: string];

async function viaPool(dir: string, paths: string[], options: Partial<PanScanOptions>): Promise<{ found: Found[]; stats: ScanStats }> {
  const found: Found[] = [];
  const stats = await scanPanFiles(paths, { baseDir: dir, gitignore: false, gunzip: true, now: () => 0, ...options }, (file, hit) => found.push([file.name, hit.line, hit.column, hit.offset, hit.digits]));
  return { found, stats };
}

/** The pre-pool way the check scans: one file after the other, a PanScanner fed every chunk. */
async function viaScanFiles(dir: string, paths: string[]): Promise<{ found: Found[]; stats: ScanStats }> {
  const found: Found[] = [];
  const stats = await scanFiles(paths, { baseDir: dir, gitignore: false, gunzip: true, now: () => 0 }, async (file, chunks) => {
    const scanner = new PanScanner((hit) => found.push([file.name, hit.line, hit.column, hit.offset, hit.digits]));
    for await (const chunk of chunks) scanner.feed(chunk);
    scanner.end();
  });
  return { found, stats };
}

// Tiny pieces and no size threshold, so that small test files go through the worker threads in many pieces.
const POOLED: Partial<PanScanOptions> = { workers: 2, poolMinBytes: 0, pieceBytes: 97 };

describe('pan-scan pool: files cut into pieces scanned by worker threads', () => {
  it('finds a card number across a piece boundary once, with its line and column', async () => {
    const dir = tempDir('payready-panpool-');
    const filler = '2026-01-15T10:00:00.123Z INFO api POST /v1/payments 201 card=411111******1111\n';
    const head = filler.repeat(20);
    const line = 'DEBUG body={"number":"4532 0151 1283 0366"}\n';
    const digitsAt = head.length + line.indexOf('4532');
    // The rest is sized so that the middle of the file (the nominal boundary of two pieces) falls inside the number.
    const rest = 2 * (digitsAt + 8) - head.length - line.length;
    const padded = head + line + filler.repeat(Math.floor(rest / filler.length)) + 'y'.repeat(rest % filler.length);
    writeFileSync(join(dir, 'app.log'), padded);
    expect(Math.round(padded.length / 2)).toBe(digitsAt + 8);

    const expected: Found = ['app.log', padded.slice(0, digitsAt).split('\n').length, digitsAt - padded.lastIndexOf('\n', digitsAt), digitsAt, '4532015112830366'];
    for (const options of [{ workers: 2, poolMinBytes: 0, pieceBytes: padded.length / 2 + 1 }, POOLED]) {
      const { found, stats } = await viaPool(dir, ['app.log'], options);
      expect(found).toEqual([expected]);
      expect(stats.bytes).toBe(padded.length);
    }
    expect((await viaScanFiles(dir, ['app.log'])).found).toEqual([expected]);
  });

  it('cuts a file into pieces that cover it, at least one per worker when it is large', () => {
    const pieces = cut({ path: '/x', name: 'x', size: 100 }, 2, 30);
    expect(pieces.map((p) => [p.from, p.to, p.last])).toEqual([
      [0, 25, false],
      [25, 50, false],
      [50, 75, false],
      [75, 100, true],
    ]);
    expect(cut({ path: '/x', name: 'x', size: 64 * 1024 * 1024 }, 4, 1024 * 1024 * 1024)).toHaveLength(4);
  });

  it('gives the same findings, in the same order, as scanning in this thread, on a tree of every kind of file', async () => {
    const dir = tempDir('payready-panpool-');
    mkdirSync(join(dir, 'logs/old'), { recursive: true });
    const line = (i: number): string =>
      i % 37 === 0
        ? `2026-01-15T10:00:${String(i % 60).padStart(2, '0')}Z DEBUG card=${i % 2 ? '4532015112830366' : '5425 2334 3010 9903'} ref 2026 3714-831057-20212 order=${20260115000000 + i}\n`
        : `2026-01-15T10:00:${String(i % 60).padStart(2, '0')}Z INFO api GET /v1/payments/pay_a38520000023237f 200 card=411111******1111 trace=${(i * 2654435761).toString(16)}\n`;
    const log = Array.from({ length: 400 }, (_, i) => line(i)).join('');
    writeFileSync(join(dir, 'logs/app.log'), log);
    writeFileSync(join(dir, 'logs/no-newline-at-end.log'), `${log}tail 4111111111111111`);
    writeFileSync(join(dir, 'logs/one-long-line.log'), `${'word '.repeat(500)}4532015112830366 ${'9'.repeat(300)} 6011007731139423`);
    writeFileSync(join(dir, 'logs/crlf.log'), log.replaceAll('\n', '\r\n'));
    writeFileSync(join(dir, 'logs/empty.log'), '');
    writeFileSync(join(dir, 'logs/old/rotated.log.gz'), gzipSync(log));
    writeFileSync(join(dir, 'logs/utf16.log'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(log.slice(0, 3000), 'utf16le')]));
    writeFileSync(join(dir, 'logs/nul-padded.log'), Buffer.concat([Buffer.alloc(9000), Buffer.from(log.slice(0, 3000))]));
    writeFileSync(join(dir, 'logs/screenshot.bin'), Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]), Buffer.from('4532015112830366')]));

    const reference = await viaScanFiles(dir, ['logs']);
    expect(reference.found.length).toBeGreaterThan(50);
    const inThread = await viaPool(dir, ['logs'], { workers: 0 });
    const pooled = await viaPool(dir, ['logs'], POOLED);
    expect(inThread).toEqual(reference);
    expect(pooled.found).toEqual(reference.found);
    expect(pooled.stats).toEqual(reference.stats);
    expect(reference.stats).toMatchObject({ files: 8, binary: ['logs/screenshot.bin'], utf16: 1, nulPadded: 1 });
  });

  it('reads small inputs in this thread (no pool below poolMinBytes) with the same findings', async () => {
    const dir = tempDir('payready-panpool-');
    writeFileSync(join(dir, 'a.log'), 'x 4532015112830366\n');
    writeFileSync(join(dir, 'b.log'), 'y\nz 5425233430109903\n');
    const { found } = await viaPool(dir, ['.'], { workers: 2 });
    expect(found).toEqual([
      ['a.log', 1, 3, 2, '4532015112830366'],
      ['b.log', 2, 3, 4, '5425233430109903'],
    ]);
  });
});
