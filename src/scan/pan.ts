import { IIN_ROWS } from './cards.js';
import { panKernel, type KernelHit } from './pan-kernel.js';

/**
 * A streaming card-number detector: bytes in, located PANs out, in constant memory; line and
 * column are counted across chunk boundaries. The loop itself is pan-kernel.ts (shared with the
 * worker threads of pan-pool.ts); this module gives it the IIN table and masks text with it.
 */

/** The rules of `pan-scan` findings. */
export const PAN_RULES = {
  unmasked: { id: 'pan/unmasked', title: 'unmasked card number (PAN)' },
  testCard: { id: 'pan/test-card', title: 'unmasked test card number' },
} as const;

/**
 * A card number found in a file: `digits` (without separators; they never leave the scanner's
 * caller unmasked), `brand` (`visa`), 1-based `line` and `column` (bytes) of the first digit, and
 * its byte `offset` from the start of everything fed (what `maskPans` replaces at).
 */
export type PanHit = KernelHit;

const ZERO = 48;
const NINE = 57;

/** Feeds chunks of a file through `feed()`, then calls `end()`; hits arrive through `onHit`, in order. */
export class PanScanner extends panKernel(IIN_ROWS) {}

// A necessary condition for a PAN to mask: 13 digits in a row, single spaces or dashes allowed
// between them, not starting inside a number or its fraction (a duration's `12.3456789012345678`).
// Most text has no such run, and is returned without being scanned.
const CANDIDATE = /(?<!\d)(?<!\d\.)\d(?:[ -]?\d){12}/;

/**
 * `text` with every card number the scanner finds masked to first six and last four digits; the
 * separators and the text's length stay as they were (`4111 11** **** 1111`). Digits that are
 * part of a decimal number (`0.4111111111111111`, a duration's fraction) are not a card number.
 * Used by the run's redactor, so every transcript, report, log line and evidence file gets it.
 */
export function maskPans(text: string): string {
  if (!CANDIDATE.test(text)) return text;
  const hits: PanHit[] = [];
  const scanner = new PanScanner((hit) => hits.push(hit));
  const bytes = Buffer.from(text, 'utf8');
  scanner.feed(bytes);
  scanner.end();
  if (hits.length === 0) return text;
  const ascii = bytes.length === text.length;
  let out = '';
  let copied = 0; // text[0, copied) is in `out`
  let index = 0; // string index of byte `byte`, for non-ASCII text
  let byte = 0;
  for (const hit of hits) {
    if (ascii) index = hit.offset;
    else [index, byte] = advance(text, index, byte, hit.offset);
    const end = endOfDigits(text, index, hit.digits.length);
    if (partOfDecimal(text, index, end)) continue;
    out += text.slice(copied, index);
    let nth = 0;
    for (let i = index; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c < ZERO || c > NINE) out += text[i];
      else out += nth++ < 6 || nth > hit.digits.length - 4 ? text[i] : '*';
    }
    copied = end;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** The string index at byte offset `target` of the UTF-8 encoding, walking on from (index, byte). */
function advance(text: string, index: number, byte: number, target: number): [number, number] {
  while (byte < target && index < text.length) {
    const c = text.charCodeAt(index);
    if (c < 0x80) byte += 1;
    else if (c < 0x800) byte += 2;
    else if (c >= 0xd800 && c <= 0xdbff && index + 1 < text.length && (text.charCodeAt(index + 1) & 0xfc00) === 0xdc00) {
      byte += 4;
      index += 1;
    } else byte += 3; // a lone surrogate is encoded as U+FFFD, 3 bytes
    index += 1;
  }
  return [index, byte];
}

/** Index just past the `count`-th digit from `start` (separators between them included). */
function endOfDigits(text: string, start: number, count: number): number {
  let i = start;
  for (let seen = 0; seen < count && i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= ZERO && c <= NINE) seen += 1;
  }
  return i;
}

function isDigitAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return c >= ZERO && c <= NINE;
}

/** `1.4111111111111111` or `4111111111111111.25`: the digits of a decimal number. */
function partOfDecimal(text: string, start: number, end: number): boolean {
  return (text[start - 1] === '.' && isDigitAt(text, start - 2)) || (text[end] === '.' && isDigitAt(text, end + 1));
}
