import { luhnValid, panBrand } from './cards.js';

/**
 * A streaming card-number detector: bytes in, located PANs out. One pass over each byte with no
 * regular expression and no string per line, so it keeps up with a disk (hundreds of MB/s) in
 * constant memory; line and column are counted as it goes, across chunk boundaries.
 *
 * A candidate is a run of digits in which single spaces or dashes may separate groups
 * (`4111 1111 1111 1111`, `4111-1111-1111-1111`). A run of 13 to 19 digits is checked whole; a
 * longer grouped run (`ref 2024 4111 1111 1111 1111`) is checked window by window along its
 * group boundaries. A hit is Luhn-valid and in a known IIN range with a length that range uses.
 */

/** The rules of `pan-scan` findings. */
export const PAN_RULES = {
  unmasked: { id: 'pan/unmasked', title: 'unmasked card number (PAN)' },
  testCard: { id: 'pan/test-card', title: 'unmasked test card number' },
} as const;

/** A card number found in a file. */
export interface PanHit {
  /** The digits without separators (never leaves the scanner's caller unmasked). */
  digits: string;
  /** Card scheme, e.g. `visa`. */
  brand: string;
  /** 1-based line. */
  line: number;
  /** 1-based column (bytes) of the first digit. */
  column: number;
  /** Byte offset of the first digit from the start of everything fed (what `maskPans` replaces at). */
  offset: number;
}

const MIN_DIGITS = 13;
const MAX_DIGITS = 19;
// A grouped run this long is a table of numbers; it is checked so far and then started afresh.
const MAX_RUN_DIGITS = 256;
const MAX_GROUPS = 128;

const ZERO = 48;
const NINE = 57;
const NEWLINE = 10;
const SPACE = 32;
const DASH = 45;

/** Feeds chunks of a file through `feed()`, then calls `end()`; hits arrive through `onHit`. */
export class PanScanner {
  private readonly digits = new Uint8Array(MAX_RUN_DIGITS);
  private readonly groupStart = new Int32Array(MAX_GROUPS); // index into `digits`
  private readonly groupColumn = new Float64Array(MAX_GROUPS);
  private readonly groupOffset = new Float64Array(MAX_GROUPS);
  private runLength = 0;
  private groups = 0;
  private afterSeparator = false;
  /** Inside a group too long to be a card number, or one glued to a letter (an id, a token). */
  private skipping = false;
  /** The byte before the current one was an ASCII letter (kept across chunks). */
  private prevLetter = false;
  /** Digits in the current group. */
  private groupLength = 0;
  private line = 1;
  /** Absolute byte offset where the current line starts. */
  private lineStart = 0;
  /** Absolute byte offset of the chunk being fed. */
  private offset = 0;

  constructor(private readonly onHit: (hit: PanHit) => void) {}

  /** Bytes scanned so far. */
  get bytes(): number {
    return this.offset;
  }

  /** Scans the next chunk of the file. */
  feed(chunk: Uint8Array): void {
    // The state lives in locals inside the loop (V8 keeps them in registers; fields would be
    // loaded and stored on every byte) and goes back into the fields at the end of the chunk.
    const digits = this.digits;
    const groupStart = this.groupStart;
    const groupColumn = this.groupColumn;
    const groupOffset = this.groupOffset;
    let runLength = this.runLength;
    let groups = this.groups;
    let afterSeparator = this.afterSeparator;
    let skipping = this.skipping;
    let prevLetter = this.prevLetter;
    let groupLength = this.groupLength;
    let line = this.line;
    let lineStart = this.lineStart;
    const offset = this.offset;
    const n = chunk.length;
    for (let i = 0; i < n; i++) {
      const c = chunk[i]!;
      if (c <= NINE) {
        if (c >= ZERO) {
          if (skipping) continue;
          if (runLength === 0 && prevLetter) {
            // Digits glued to a letter belong to an identifier (pay_3f8a3894...), not a card number.
            skipping = true;
            continue;
          }
          if (runLength === 0 || afterSeparator) {
            if (groups === MAX_GROUPS || runLength + MAX_DIGITS > MAX_RUN_DIGITS) {
              this.endRun(runLength, groups, line);
              runLength = 0;
              groups = 0;
            }
            groupStart[groups] = runLength;
            groupColumn[groups] = offset + i - lineStart + 1;
            groupOffset[groups] = offset + i;
            groups += 1;
            groupLength = 0;
            afterSeparator = false;
          } else if (groupLength === MAX_DIGITS) {
            // A group of 20+ digits (an id, a hash) is no part of a card number: check the groups
            // before it, then skip it to its end.
            this.endRun(groupStart[groups - 1]!, groups - 1, line);
            runLength = 0;
            groups = 0;
            skipping = true;
            continue;
          }
          digits[runLength] = c;
          runLength += 1;
          groupLength += 1;
          continue;
        }
        if (c === NEWLINE) {
          if (runLength > 0) {
            if (runLength >= MIN_DIGITS) this.endRun(runLength, groups, line);
            runLength = 0;
            groups = 0;
            afterSeparator = false;
          }
          skipping = false;
          prevLetter = false;
          line += 1;
          lineStart = offset + i + 1;
          continue;
        }
        if ((c === SPACE || c === DASH) && runLength > 0 && !afterSeparator) {
          afterSeparator = true;
          prevLetter = false;
          continue;
        }
      }
      const lower = c | 32;
      const letter = lower >= 97 && lower <= 122;
      skipping = false;
      if (runLength > 0) {
        // A letter right after the last digit makes the run part of an identifier too.
        if (runLength >= MIN_DIGITS && !(letter && !afterSeparator)) this.endRun(runLength, groups, line);
        runLength = 0;
        groups = 0;
        afterSeparator = false;
      }
      prevLetter = letter;
    }
    this.runLength = runLength;
    this.groups = groups;
    this.afterSeparator = afterSeparator;
    this.skipping = skipping;
    this.prevLetter = prevLetter;
    this.groupLength = groupLength;
    this.line = line;
    this.lineStart = lineStart;
    this.offset = offset + n;
  }

  /** Ends the file (a number on the last line without a line break is still checked). */
  end(): void {
    if (this.runLength > 0) this.endRun(this.runLength, this.groups, this.line);
    this.runLength = 0;
    this.groups = 0;
    this.afterSeparator = false;
    this.prevLetter = false;
  }

  /** Checks a finished run of `total` digits in `groups` groups on `line`. */
  private endRun(total: number, groups: number, line: number): void {
    if (total < MIN_DIGITS) return;
    if (total <= MAX_DIGITS && this.report(0, total, 0, line)) return;
    if (groups < 2) return;
    // Windows of whole groups: a PAN written in groups starts and ends on group boundaries.
    for (let first = 0; first < groups; first++) {
      const from = this.groupStart[first]!;
      for (let last = first; last < groups; last++) {
        const to = last + 1 < groups ? this.groupStart[last + 1]! : total;
        const length = to - from;
        if (length > MAX_DIGITS) break;
        if (length >= MIN_DIGITS && !(first === 0 && to === total) && this.report(from, to, first, line)) {
          first = last; // continue after the number found
          break;
        }
      }
    }
  }

  private report(from: number, to: number, group: number, line: number): boolean {
    const digits = String.fromCharCode(...this.digits.subarray(from, to));
    if (!luhnValid(digits)) return false;
    const brand = panBrand(digits);
    if (!brand) return false;
    this.onHit({ digits, brand, line, column: this.groupColumn[group]!, offset: this.groupOffset[group]! });
    return true;
  }
}

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
