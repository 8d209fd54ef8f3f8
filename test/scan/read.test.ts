import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { sniffText } from '../../src/scan/read.js';

const hex = (h: string): Buffer => Buffer.from(h.replace(/\s+/g, ''), 'hex');
const utf16 = (text: string, order: 'le' | 'be'): Buffer => (order === 'le' ? Buffer.from(text, 'utf16le') : Buffer.from(text, 'utf16le').swap16());
const LOG = '2026-01-15T10:00:00Z INFO api POST /v1/payments 201 12ms card=411111******1111\n'.repeat(20);

describe('[read/sniff] sniffText: what the start of a file says about it', () => {
  it.each<[string, Buffer, number, ReturnType<typeof sniffText>]>([
    ['plain ASCII', Buffer.from(LOG), 0, { kind: 'text', encoding: 'utf-8', bom: 0 }],
    ['UTF-8 with its BOM and accents', Buffer.from(`\ufeffcafé ${LOG}`), 0, { kind: 'text', encoding: 'utf-8', bom: 0 }],
    ['UTF-16LE with BOM', Buffer.concat([hex('fffe'), utf16(LOG, 'le')]), 0, { kind: 'text', encoding: 'utf-16le', bom: 2 }],
    ['UTF-16BE with BOM', Buffer.concat([hex('feff'), utf16(LOG, 'be')]), 0, { kind: 'text', encoding: 'utf-16be', bom: 2 }],
    ['UTF-16LE without BOM', utf16(LOG, 'le'), 0, { kind: 'text', encoding: 'utf-16le', bom: 0 }],
    ['UTF-16BE after the padding took its first zero byte (odd offset)', utf16(LOG, 'be').subarray(1), 4097, { kind: 'text', encoding: 'utf-16be', bom: 0 }],
    ['UTF-16LE, half of it Cyrillic', utf16('Платёж принят, карта 411111******1111 OK\n'.repeat(20), 'le'), 0, { kind: 'text', encoding: 'utf-16le', bom: 0 }],
    ['text with a hole of NUL bytes', Buffer.concat([Buffer.from(LOG.slice(0, 500)), Buffer.alloc(4096), Buffer.from(LOG)]), 0, { kind: 'text', encoding: 'utf-8', bom: 0 }],
    ['text with ANSI colours, tabs, CRLF and a hole', Buffer.concat([Buffer.from('\x1b[32mINFO\x1b[0m\tok\r\n'), Buffer.alloc(64), Buffer.from('next\r\n')]), 0, { kind: 'text', encoding: 'utf-8', bom: 0 }],
    ['a PNG', hex('89504e470d0a1a0a 0000000d49484452 0000010000000100 08060000005c72a8 66000000'), 0, { kind: 'binary' }],
    ['an ELF executable', Buffer.concat([hex('7f454c4602010100 0000000000000000 03003e0001000000'), Buffer.alloc(40), hex('4000380009004000')]), 0, { kind: 'binary' }],
    ['the node executable itself', readFileSync(process.execPath).subarray(0, 16_000), 0, { kind: 'binary' }],
    ['a gzip stream not named .gz', hex('1f8b0800000000000003ed5d0b7c54d5'), 0, { kind: 'binary' }],
    ['a SQLite database', Buffer.concat([Buffer.from('SQLite format 3\0'), hex('1000010100402020 0000000200000004')]), 0, { kind: 'binary' }],
    ['NUL-separated fields (short NUL runs, no control bytes)', Buffer.from('PNG\0\0\0\0AKIAIOSFODNN7EXAMPLE\0\0name\0'), 0, { kind: 'binary' }],
  ])('%s', (_name, bytes, offset, expected) => {
    expect(sniffText(bytes, offset)).toEqual(expected);
  });
});
