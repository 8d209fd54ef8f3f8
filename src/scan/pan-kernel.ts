/**
 * The card-number detector's inner loop, bytes in and located PANs out. `panKernel` is
 * self-contained on purpose: it imports nothing and refers to nothing outside its own body, because
 * the scan pool (pan-pool.ts) runs its source text (`Function.prototype.toString`) in each worker
 * thread. The main thread and the workers thus run the same code, so their findings cannot drift.
 *
 * A candidate is a run of digits in which single spaces or dashes may separate groups
 * (`4111 1111 1111 1111`, `4111-1111-1111-1111`). A run of 13 to 19 digits is checked whole; a
 * longer grouped run (`ref 2024 4111 1111 1111 1111`) is checked window by window along its
 * group boundaries. A hit is Luhn-valid and in a known IIN range with a length that range uses.
 *
 * Speed comes from not looking at most bytes: a card number is at least 13 digits, so it fills at
 * least 13 consecutive bytes that are digits, spaces or dashes. The fast loop samples every 13th
 * byte; only where a sample is such a byte is the stretch around it measured, and only a stretch
 * holding 13 digits or more goes through the exact state machine (which the old scanner ran on
 * every byte). Luhn and the IIN table run on the digit bytes of those runs, before any string is
 * made. Line numbers come from counting line breaks (memchr, through `Buffer#indexOf`) in the
 * stretch before a hit, and in the rest of each chunk at its end.
 */

/** One IIN range in numbers: the first `prefixLength` digits lie in [low, high]; `lengths` has bit n set for each valid PAN length n. */
export interface IinRow {
  /** Card scheme, e.g. `visa`. */
  brand: string;
  /** How many leading digits the range is about (1 to 6). */
  prefixLength: number;
  /** Lowest prefix of the range, as a number. */
  low: number;
  /** Highest prefix of the range, as a number. */
  high: number;
  /** Bit n set when n digits is a valid length in the range. */
  lengths: number;
}

/** A card number found by the kernel. */
export interface KernelHit {
  /** The digits without separators. */
  digits: string;
  /** Card scheme, e.g. `visa`. */
  brand: string;
  /** 1-based line. */
  line: number;
  /** 1-based column (bytes) of the first digit. */
  column: number;
  /** Byte offset of the first digit from the start of everything fed. */
  offset: number;
}

/** What `panKernel` returns: a streaming scanner class. */
export interface KernelScannerClass {
  new (onHit: (hit: KernelHit) => void): KernelScanner;
}

/** A streaming scanner: `feed()` chunks in order, then `end()`. */
export interface KernelScanner {
  /** Bytes fed so far. */
  readonly bytes: number;
  /** Line breaks seen so far (the line being read is `lines + 1`). */
  readonly lines: number;
  /** Scans the next chunk. */
  feed(chunk: Uint8Array): void;
  /** Ends the input (a number on the last line without a line break is still checked). */
  end(): void;
}

/** Builds the scanner class for an IIN table (first matching row wins). Self-contained: see the file comment. */
export function panKernel(rows: readonly IinRow[]): KernelScannerClass {
  const MIN_DIGITS = 13;
  const MAX_DIGITS = 19;
  /** The longest group of digits in a card number written in groups (Amex's 4-6-5). */
  const MAX_GROUP = 6;
  // A grouped run this long is a table of numbers; it is checked so far and then started afresh.
  const MAX_RUN_DIGITS = 256;
  const MAX_GROUPS = 128;
  const NEWLINE = 10;
  // RUN: 1 for a digit, 2 for a space or dash (what a candidate is made of), 0 for any other byte.
  const RUN = new Uint8Array(256);
  for (let c = 48; c <= 57; c++) RUN[c] = 1;
  RUN[32] = 2;
  RUN[45] = 2;
  const LETTER = new Uint8Array(256);
  for (let c = 65; c <= 90; c++) {
    LETTER[c] = 1;
    LETTER[c + 32] = 1;
  }
  const DOUBLED = [0, 2, 4, 6, 8, 1, 3, 5, 7, 9];
  const table = rows.map((r) => ({ ...r }));
  // OPENS[d1 * 10 + d2] is 1 when some row's range holds numbers starting with the digits d1 d2:
  // most long digit runs in logs (dates, order and PSP references, epoch times) start in none,
  // and are then no card number whatever their Luhn sum.
  const OPENS = new Uint8Array(100);
  for (const row of table) {
    for (let two = 10; two < 100; two++) {
      const scale = 10 ** (row.prefixLength - 2);
      const inRange = row.prefixLength === 1 ? Math.floor(two / 10) === row.low : two >= Math.floor(row.low / scale) && two <= Math.floor(row.high / scale);
      if (inRange) OPENS[two] = 1;
    }
  }

  /** Luhn (mod 10) over the digit bytes bytes[from, to). */
  function luhn(bytes: Uint8Array, from: number, to: number): boolean {
    let sum = 0;
    for (let k = to - 1, odd = false; k >= from; k--, odd = !odd) {
      const d = bytes[k]! - 48;
      sum += odd ? DOUBLED[d]! : d;
    }
    return sum % 10 === 0;
  }

  /**
   * The first sample at p, p + 13, ... before n that can be part of a card number (a digit, or a
   * space or dash between two digits), or n or more. Most bytes are only ever looked at here: it is
   * kept small and free of rare paths so that V8 optimizes it within the first chunk and never
   * has to throw the optimized code away.
   */
  function sample(chunk: Uint8Array, from: number, n: number): number {
    let p = from;
    for (; p < n; p += MIN_DIGITS) {
      const v = RUN[chunk[p]!]!;
      if (v === 1 || (v === 2 && RUN[chunk[p - 1]!] === 1 && p + 1 < n && RUN[chunk[p + 1]!] === 1)) return p;
    }
    return p;
  }

  class Scanner implements KernelScanner {
    private readonly digits = new Uint8Array(MAX_RUN_DIGITS);
    private readonly groupStart = new Int32Array(MAX_GROUPS); // index into `digits`
    // Absolute offsets, in a plain array of small integers rather than a Float64Array: a double
    // read from it would turn the fields and hit objects it reaches into doubles, and the code
    // optimized for integers would be thrown away at the first card number (see `train`).
    private readonly groupOffset: number[] = new Array<number>(MAX_GROUPS).fill(0);
    private runLength = 0;
    private groups = 0;
    private afterSeparator = false;
    /** Inside a group too long to be a card number, or one glued to a letter (an id, a token). */
    private skipping = false;
    /** The byte before the current one was an ASCII letter (kept across chunks). */
    private prevLetter = false;
    /** Digits in the current group. */
    private groupLength = 0;
    /** Line breaks counted so far. */
    private newlines = 0;
    /** Absolute byte offset where the line being counted starts. */
    private lineStart = 0;
    /** Absolute byte offset of the chunk being fed (the bytes before it once it is done). */
    private base = 0;
    private chunk: Buffer | undefined;
    /** Line breaks in `chunk` before this index are counted. */
    private counted = 0;

    constructor(private readonly onHit: (hit: KernelHit) => void) {
      trainOnce(this);
    }

    get bytes(): number {
      return this.base;
    }

    get lines(): number {
      return this.newlines;
    }

    feed(input: Uint8Array): void {
      const chunk = Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
      const n = chunk.length;
      this.chunk = chunk;
      this.counted = 0;
      let i = 0;
      // A run that started in the previous chunk is finished byte by byte.
      if (this.runLength > 0 || this.skipping) i = this.exact(chunk, 0);
      while (i < n) {
        // Here no run is open, and `prevLetter` describes byte i - 1 when i is 0 (a byte of the
        // chunk before); further on, that byte is read where it is needed rather than kept up to
        // date at every stretch. Sample every 13th byte. A sample can be part of a card number
        // when it is a digit, or a space or dash between two digits (a separator always is).
        const p = sample(chunk, i + MIN_DIGITS - 1, n);
        if (p >= n) {
          // No card number ends in this chunk any more; one may start in the stretch of digits,
          // spaces and dashes the chunk ends with, and go on in the next chunk.
          let q = n;
          while (q > i && RUN[chunk[q - 1]!] !== 0) q -= 1;
          if (q < n) {
            if (q > 0) this.prevLetter = LETTER[chunk[q - 1]!] === 1;
            this.exact(chunk, q);
          }
          break;
        }
        // The stretch of digits, spaces and dashes around the sample: [q, r).
        // Each byte is read once: back from the sample, then on from it.
        let digits = RUN[chunk[p]!]! & 1;
        let q = p;
        while (q > i) {
          const v = RUN[chunk[q - 1]!]!;
          if (v === 0) break;
          digits += v & 1;
          q -= 1;
        }
        let r = p + 1;
        while (r < n) {
          const v = RUN[chunk[r]!]!;
          if (v === 0) break;
          digits += v & 1;
          r += 1;
        }
        if (digits < MIN_DIGITS && r < n) {
          // Too few digits for a card number, and byte r ends the stretch.
          i = r + 1;
          continue;
        }
        const letterBefore = q > 0 ? LETTER[chunk[q - 1]!] === 1 : this.prevLetter;
        if (r < n) {
          // One block of digits with at most spaces or dashes around it, the common candidate (an
          // order or PSP reference followed by a space): checked here as the state machine would
          // check it. Glued to a letter, or over 19 digits long, it is an identifier.
          // [a, e): the stretch without the spaces and dashes at its ends; one block when it is all digits.
          let a = q;
          while (RUN[chunk[a]!] === 2) a += 1;
          let e = r;
          while (RUN[chunk[e - 1]!] === 2) e -= 1;
          if (e - a === digits) {
            const glued = (a === q && letterBefore) || (e === r && LETTER[chunk[r]!] === 1);
            if (!glued && digits <= MAX_DIGITS && OPENS[chunk[a]! * 10 + chunk[a + 1]! - 528] === 1 && luhn(chunk, a, e)) {
              this.digits.set(chunk.subarray(a, e));
              this.groupOffset[0] = this.base + a;
              this.report(0, digits, 0);
            }
            i = r + 1;
            continue;
          }
        }
        this.prevLetter = letterBefore;
        i = this.exact(chunk, q);
      }
      // With no run open, the next chunk starts after this one's last byte (a run open at the end
      // carries its own state).
      if (n > 0 && this.runLength === 0 && !this.skipping) this.prevLetter = LETTER[chunk[n - 1]!] === 1;
      this.countLines(n);
      this.base += n;
      this.chunk = undefined;
    }

    end(): void {
      if (this.runLength > 0) this.endRun(this.runLength, this.groups);
      this.runLength = 0;
      this.groups = 0;
      this.afterSeparator = false;
      this.skipping = false;
      this.prevLetter = false;
    }

    /**
     * The state machine, byte by byte from `from`, until it has passed a byte that is not a digit,
     * space or dash (after which no run is open); returns the index after that byte, or the
     * chunk's length. The state lives in locals inside the loop (V8 keeps them in registers).
     */
    private exact(chunk: Buffer, from: number): number {
      const digits = this.digits;
      const groupStart = this.groupStart;
      const groupOffset = this.groupOffset;
      let runLength = this.runLength;
      let groups = this.groups;
      let afterSeparator = this.afterSeparator;
      let skipping = this.skipping;
      let prevLetter = this.prevLetter;
      let groupLength = this.groupLength;
      const base = this.base;
      const n = chunk.length;
      let i = from;
      for (; i < n; i++) {
        const c = chunk[i]!;
        const kind = RUN[c]!;
        if (kind === 1) {
          if (skipping) continue;
          if (runLength === 0 && prevLetter) {
            // Digits glued to a letter belong to an identifier (pay_3f8a3894...), not a card number.
            skipping = true;
            continue;
          }
          if (runLength === 0 || afterSeparator) {
            if (groups === MAX_GROUPS || runLength + MAX_DIGITS > MAX_RUN_DIGITS) {
              this.endRun(runLength, groups);
              runLength = 0;
              groups = 0;
            }
            groupStart[groups] = runLength;
            groupOffset[groups] = base + i;
            groups += 1;
            groupLength = 0;
            afterSeparator = false;
          } else if (groupLength === MAX_DIGITS) {
            // A group of 20+ digits (an id, a hash) is no part of a card number: check the groups
            // before it, then skip it to its end.
            this.endRun(groupStart[groups - 1]!, groups - 1);
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
        if (kind === 2 && runLength > 0 && !afterSeparator) {
          afterSeparator = true;
          prevLetter = false;
          continue;
        }
        const letter = LETTER[c] === 1;
        skipping = false;
        if (runLength > 0) {
          // A letter right after the last digit makes the run part of an identifier too.
          if (runLength >= MIN_DIGITS && !(letter && !afterSeparator)) this.endRun(runLength, groups);
          runLength = 0;
          groups = 0;
          afterSeparator = false;
        }
        prevLetter = letter;
        if (kind === 0) {
          i += 1;
          break;
        }
      }
      this.runLength = runLength;
      this.groups = groups;
      this.afterSeparator = afterSeparator;
      this.skipping = skipping;
      this.prevLetter = prevLetter;
      this.groupLength = groupLength;
      return i;
    }

    /** Checks a finished run of `total` digits in `groups` groups. */
    private endRun(total: number, groups: number): void {
      if (total < MIN_DIGITS) return;
      if (total <= MAX_DIGITS && (groups < 2 || this.cardGroups(0, groups, groups, total)) && this.report(0, total, 0)) return;
      if (groups < 2) return;
      // Windows of whole groups: a PAN written in groups starts and ends on group boundaries.
      for (let first = 0; first < groups; first++) {
        const from = this.groupStart[first]!;
        for (let last = first; last < groups; last++) {
          const to = last + 1 < groups ? this.groupStart[last + 1]! : total;
          const length = to - from;
          if (length > MAX_DIGITS) break;
          // A longer window holds the same long group: none of them is a card number in groups.
          if (last > first && !this.cardGroups(first, last + 1, groups, total)) break;
          if (length >= MIN_DIGITS && !(first === 0 && to === total) && this.report(from, to, first)) {
            first = last; // continue after the number found
            break;
          }
        }
      }
    }

    /**
     * True when groups [first, end) of a run of `total` digits are each at most MAX_GROUP digits
     * long: how card numbers are written in groups (4-4-4-4, Amex's 4-6-5, Diners' 4-6-4,
     * 4-4-4-4-3). A UUID's `47441912-3456-4474-a...` (8-4-4) is an identifier whose digits passed
     * Luhn and the IIN table; idempotency keys put one in every request log.
     */
    private cardGroups(first: number, end: number, groups: number, total: number): boolean {
      for (let k = first; k < end; k++) {
        if ((k + 1 < groups ? this.groupStart[k + 1]! : total) - this.groupStart[k]! > MAX_GROUP) return false;
      }
      return true;
    }

    /** Luhn, then the IIN table, on digit bytes; a string is made only for a hit. */
    private report(from: number, to: number, group: number): boolean {
      const digits = this.digits;
      if (OPENS[digits[from]! * 10 + digits[from + 1]! - 528] !== 1 || !luhn(digits, from, to)) return false;
      const length = to - from;
      let brand: string | undefined;
      for (const row of table) {
        let prefix = 0;
        for (let k = 0; k < row.prefixLength; k++) prefix = prefix * 10 + digits[from + k]! - 48;
        if (prefix >= row.low && prefix <= row.high && (row.lengths >>> length) & 1) {
          brand = row.brand;
          break;
        }
      }
      if (brand === undefined) return false;
      this.emit(from, to, group, brand);
      return true;
    }

    /** Hands a hit over: the one place a string is made. Kept apart, so that the rare work is not compiled into the loops. */
    private emit(from: number, to: number, group: number, brand: string): void {
      const offset = this.groupOffset[group]!;
      this.countLines(offset - this.base);
      let digits = '';
      for (let k = from; k < to; k++) digits += String.fromCharCode(this.digits[k]!);
      this.onHit({ digits, brand, line: this.newlines + 1, column: offset - this.lineStart + 1, offset });
    }

    /** Counts the line breaks of the current chunk before index `to` (a negative `to`: a run carried over, on the current line). */
    private countLines(to: number): void {
      const chunk = this.chunk;
      if (!chunk || to <= this.counted) return;
      let p = chunk.indexOf(NEWLINE, this.counted);
      while (p !== -1 && p < to) {
        this.newlines += 1;
        this.lineStart = this.base + p + 1;
        p = chunk.indexOf(NEWLINE, p + 1);
      }
      this.counted = to;
    }
  }
  /**
   * Runs the scanner over a few kilobytes of made-up log lines that take every path of the code,
   * once per class (each worker thread builds its own). V8 optimizes a function for the paths it
   * has seen run; a path first taken after that (a chunk's end, a grouped run, a hit) throws the
   * optimized code away and the scan crawls in the interpreter until it is optimized again, which
   * cost each worker its first several megabytes at a tenth of its speed. Taken here first, the
   * paths are known before the real input makes the code hot.
   */
  function train(Trained: new (onHit: (hit: KernelHit) => void) => KernelScanner): void {
    const lines = [
      '2026-01-15T10:00:00.123Z INFO api POST /v1/payments 201 12.5ms rq_3f8a3894 card=411111******1111 amount=4200 EUR',
      'trace_id=4bf92f3577b34da6a3ce929d0e0e4736 span_id=00f067aa0ba902b7 order=ORD-2026-004217 psp_ref=20260115104512873',
      'DEBUG body={"number":"4532 0151 1283 0366","cvc":"737"} retry card=4532015112830366 dashed 5425-2334-3010-9903',
      'ref 2024 4111 1111 1111 1111 tail 12 4532 0151 1283 0366 99 amex 371449635398431 diners 38520000023237 v13 4222222222222',
      'id=pay_4532015112830366 token=ab4532015112830366 ref=4532015112830366x 45320151128303661234 x 4532015112830367',
      'decimal 1.4532015112830366 and 4532015112830366.25 tel +44 20 7946 0958 spaced 4532  0151  1283  0366 - 4111-',
      `${'4532 0151 1283 0366 '.repeat(12)}${'1234-'.repeat(60)}4532015112830366 ${'9'.repeat(300)} 6799990100000000019`,
    ];
    // Between them, ordinary lines, so that what V8 sees as hot is what is hot in a log.
    const ordinary = '2026-01-15T10:00:00.123Z INFO payments.capture trace_id=4bf92f3577b34da6a3ce929d0e0e4736 order=ORD-2026-004217 psp_ref=20260115104512873 card=542523******9903 amount=42.00 GBP status=captured';
    const bytes = Buffer.from(`${lines.map((line) => `${line}\n${ordinary}\n${ordinary}\n${ordinary}`).join('\n')}\r\n`, 'latin1');
    const ignore = (): void => undefined;
    // Chunks of many sizes, so that chunk ends fall inside numbers, separators and stretches
    // (the paths of a run carried into the next chunk).
    for (const size of [bytes.length, 13, 61, 509, bytes.length, 1999]) {
      const scanner = new Trained(ignore);
      for (let at = 0; at < bytes.length; at += size) scanner.feed(bytes.subarray(at, at + size));
      scanner.end();
    }
  }
  let trained = false;
  // The class V8 sees the real scan run on (a subclass has a map of its own): trained on the first
  // instance of whichever it is.
  const trainOnce = (instance: Scanner): void => {
    if (trained) return;
    trained = true;
    train(instance.constructor as new (onHit: (hit: KernelHit) => void) => KernelScanner);
  };
  return Scanner;
}
