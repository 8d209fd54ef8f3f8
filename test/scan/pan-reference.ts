import { luhnValid, panBrand } from '../../src/scan/cards.js';
import type { PanHit } from '../../src/scan/pan.js';

/**
 * The scanner as it was before its fast loop (every byte through the state machine, Luhn and the
 * IIN table on strings): the oracle the fast kernel is compared with in pan.test.ts. Test code
 * only; kept as it was, so that what the fast loop skips is proven to hold nothing (but for the
 * rule both took on since: a card number in groups has groups of at most six digits).
 */

const MIN_DIGITS = 13;
const MAX_DIGITS = 19;
const MAX_GROUP = 6;
// A grouped run this long is a table of numbers; it is checked so far and then started afresh.
const MAX_RUN_DIGITS = 256;
const MAX_GROUPS = 128;

const ZERO = 48;
const NINE = 57;
const NEWLINE = 10;
const SPACE = 32;
const DASH = 45;

/** The old byte-by-byte scanner. */
export class ReferencePanScanner {
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
    // Groups of a card number written in groups are at most six digits long (4-4-4-4, 4-6-5); a
    // single group is the number written without separators.
    const groupLength = (k: number): number => (k + 1 < groups ? this.groupStart[k + 1]! : total) - this.groupStart[k]!;
    const cardGroups = (first: number, end: number): boolean => Array.from({ length: end - first }, (_, i) => groupLength(first + i)).every((length) => length <= MAX_GROUP);
    if (total <= MAX_DIGITS && (groups < 2 || cardGroups(0, groups)) && this.report(0, total, 0, line)) return;
    if (groups < 2) return;
    // Windows of whole groups: a PAN written in groups starts and ends on group boundaries.
    for (let first = 0; first < groups; first++) {
      const from = this.groupStart[first]!;
      for (let last = first; last < groups; last++) {
        const to = last + 1 < groups ? this.groupStart[last + 1]! : total;
        const length = to - from;
        if (length > MAX_DIGITS) break;
        if (last > first && !cardGroups(first, last + 1)) break;
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

