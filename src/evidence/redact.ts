import { maskPans } from '../scan/pan.js';

/** Shortest value worth redacting; shorter strings would blank out ordinary words. */
const MIN_SECRET_LENGTH = 4;
/** Shortest piece of a base64 encoding matched on its own (a secret inside `id:secret`, base64-encoded). */
const MIN_BASE64_PIECE = 6;
/** Code points of a form indexed in the trie; the rest of a form is compared one by one. */
const TRIE_DEPTH = 8;
/** Steps one match attempt may take (ambiguous escapes such as runs of backslashes branch). */
const MATCH_BUDGET = 10_000;

export const REDACTED = '[REDACTED]';

/**
 * The one redactor of a run. Every secret value and captured token is registered here; every
 * reporter, log line, transcript and evidence file passes through `redact()`.
 *
 * Card numbers (PANs, as `pan-scan` finds them) are masked to first six and last four digits here
 * too (PCI DSS), whether or not any secret is registered: a test card sent in a request body is
 * as much a card number in a transcript as a real one.
 *
 * A credential travels encoded, so each secret is registered with its base64 and base64url
 * encodings at every byte alignment (the secret alone, or inside `id:secret` for HTTP Basic,
 * form-encoded first as RFC 6749 §2.3.1 asks), and text is matched through the escapes a value
 * picks up on the way: percent-encoding (either case, `+` for a space), JSON string escapes
 * (`\"`, `\\`, `\/`, `\u00xx`, escaped twice too), backslash escapes (Markdown) and HTML
 * character references (`&amp;`, `&#39;`, `&#x2F;`, escaped twice too), mixed in any way.
 */
export class Redactor {
  private readonly forms = new Set<string>();
  private readonly root: TrieNode = { next: new Map(), end: false };
  /**
   * 1 for each UTF-16 code unit a match can start at: an escape's first character, a form's first
   * character, and every high surrogate (matchAt looks at the whole code point). Every string that
   * leaves a run is scanned (a load phase's log lines by the thousand a second), and one array read
   * per character is what keeps that cheap; matchAt decides the rest.
   */
  private readonly starts = initialStarts();

  /** Registers a secret (and its encoded forms). */
  add(secret: string | undefined | null): void {
    if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) return;
    for (const form of encodedForms(secret)) {
      if (this.forms.has(form)) continue;
      this.forms.add(form);
      insert(this.root, form);
      const first = form.charCodeAt(0);
      if (first < 0xd800 || first > 0xdbff) this.starts[first] = 1;
    }
  }

  /** Number of distinct forms being redacted. */
  get size(): number {
    return this.forms.size;
  }

  /** True when `text` holds a registered secret, in any of the forms `redact()` replaces. */
  contains(text: string): boolean {
    if (this.forms.size === 0) return false;
    const starts = this.starts;
    for (let i = 0; i < text.length; i++) if (starts[text.charCodeAt(i)] === 1 && this.matchAt(text, i) > i) return true;
    return false;
  }

  /** Replaces every registered secret form in `text`, then masks the card numbers left in it. */
  redact(text: string): string {
    if (text.length === 0) return text;
    // Secrets first: a secret that happens to look like a card number must go whole, not keep ten digits.
    return maskPans(this.redactSecrets(text));
  }

  private redactSecrets(text: string): string {
    if (this.forms.size === 0) return text;
    const starts = this.starts;
    let out = '';
    let last = 0;
    let i = 0;
    while (i < text.length) {
      if (starts[text.charCodeAt(i)] !== 1) {
        i += 1;
        continue;
      }
      const end = this.matchAt(text, i);
      if (end > i) {
        out += `${text.slice(last, i)}${REDACTED}`;
        last = i = end;
      } else i += 1;
    }
    return last === 0 ? text : out + text.slice(last);
  }

  /** Redacts every string inside a JSON-like value (objects, arrays), returning a copy. */
  redactDeep<T>(value: T): T {
    return this.walk(value, 0) as T;
  }

  private walk(value: unknown, depth: number): unknown {
    if (typeof value === 'string') return this.redact(value);
    if (depth > 64 || value === null || typeof value !== 'object') return value;
    if (value instanceof Uint8Array) return value;
    if (Array.isArray(value)) return value.map((item) => this.walk(item, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[this.redact(key)] = this.walk(item, depth + 1);
    return out;
  }

  /** End of the longest registered form that starts at `start` (after decoding escapes), or -1. */
  private matchAt(text: string, start: number): number {
    const c = text.charCodeAt(start);
    // Fast path: most positions are an ordinary character no form starts with.
    if (!ESCAPE_STARTS.has(c) && !this.root.next.has(c >= 0xd800 && c <= 0xdbff ? (text.codePointAt(start) ?? c) : c)) return -1;
    const budget = { left: MATCH_BUDGET };
    let best = -1;
    const visit = (node: TrieNode, p: number, depth: number): void => {
      if (node.end && p > best) best = p;
      for (const tail of node.tails ?? []) {
        const end = matchTail(text, tail, 0, p, budget);
        if (end > best) best = end;
      }
      if (node.next.size === 0 || depth >= TRIE_DEPTH) return;
      const found = decodeAt(text, p);
      for (let j = 0; j < found.length; j += 2) {
        const child = node.next.get(found[j]!);
        if (child && budget.left-- > 0) visit(child, p + found[j + 1]!, depth + 1);
      }
    };
    visit(this.root, start, 0);
    return best;
  }
}

/** The code units a match can start at before any secret is known: the escapes and the high surrogates (see Redactor.starts). */
function initialStarts(): Uint8Array {
  const starts = new Uint8Array(0x10000);
  for (const c of ESCAPE_STARTS) starts[c] = 1;
  starts.fill(1, 0xd800, 0xdc00);
  return starts;
}

/** The first code points of every form; a form longer than the trie keeps its rest in `tails`. */
interface TrieNode {
  next: Map<number, TrieNode>;
  /** A form ends here. */
  end: boolean;
  /** Code points of forms that continue past the trie's depth. */
  tails?: number[][];
}

function insert(root: TrieNode, form: string): void {
  const points = [...form].map((ch) => ch.codePointAt(0) ?? 0);
  let node = root;
  for (let depth = 0; depth < points.length; depth++) {
    if (depth === TRIE_DEPTH) {
      (node.tails ??= []).push(points.slice(depth));
      return;
    }
    const point = points[depth]!;
    let child = node.next.get(point);
    if (!child) {
      child = { next: new Map(), end: false };
      node.next.set(point, child);
    }
    node = child;
  }
  node.end = true;
}

/** End of `tail` matched from `p` (escapes decoded), or -1; branches only where escapes are ambiguous. */
function matchTail(text: string, tail: readonly number[], from: number, p: number, budget: { left: number }): number {
  let k = from;
  let at = p;
  while (k < tail.length) {
    const found = decodeAt(text, at);
    const next: number[] = [];
    for (let j = 0; j < found.length; j += 2) if (found[j] === tail[k]) next.push(at + found[j + 1]!);
    if (next.length === 0 || budget.left-- <= 0) return -1;
    if (next.length > 1) {
      let best = -1;
      for (const q of next) best = Math.max(best, matchTail(text, tail, k + 1, q, budget));
      return best;
    }
    k += 1;
    at = next[0]!;
  }
  return at;
}

/** First characters of the escapes `decodeAt` understands: % + \ &. */
const ESCAPE_STARTS = new Set([0x25, 0x2b, 0x5c, 0x26]);

/**
 * Every way the text at `p` decodes to one code point, as flat pairs [codePoint, length, ...]:
 * the character itself, and the escape starting there if any.
 */
function decodeAt(text: string, p: number): number[] {
  if (p >= text.length) return [];
  const point = text.codePointAt(p)!;
  const out = [point, point > 0xffff ? 2 : 1];
  switch (point) {
    case 0x2b: // '+': a space in application/x-www-form-urlencoded
      out.push(0x20, 1);
      break;
    case 0x25: {
      const decoded = percentAt(text, p);
      if (decoded) out.push(decoded[0], decoded[1]);
      break;
    }
    case 0x26: {
      const entity = entityAt(text, p + 1);
      if (entity) out.push(entity[0], entity[1] + 1);
      // Escaped twice: `&amp;quot;`.
      if (text.startsWith('amp;', p + 1)) {
        const twice = entityAt(text, p + 5);
        if (twice) out.push(twice[0], twice[1] + 5);
      }
      break;
    }
    case 0x5c:
      backslashAt(text, p, out);
      break;
  }
  return out;
}

/** A UTF-8 sequence written as `%HH` triplets (any case), as [codePoint, length]. */
function percentAt(text: string, p: number): [number, number] | undefined {
  const byte = (at: number): number => (text.charCodeAt(at) === 0x25 && isHex(text, at + 1, 2) ? parseInt(text.slice(at + 1, at + 3), 16) : -1);
  const lead = byte(p);
  if (lead < 0) return undefined;
  if (lead < 0x80) return [lead, 3];
  const count = lead >= 0xf0 ? 3 : lead >= 0xe0 ? 2 : lead >= 0xc0 ? 1 : -1;
  if (count < 0) return undefined;
  const bytes = [lead];
  for (let i = 1; i <= count; i++) {
    const next = byte(p + 3 * i);
    if (next < 0x80 || next > 0xbf) return undefined;
    bytes.push(next);
  }
  const decoded = Buffer.from(bytes).toString('utf8');
  const point = decoded.codePointAt(0);
  return point === undefined || point === 0xfffd ? undefined : [point, 3 * (count + 1)];
}

const JSON_CONTROL: Record<string, number> = { b: 0x08, f: 0x0c, n: 0x0a, r: 0x0d, t: 0x09 };

/** Backslash escapes at `p` (a backslash): JSON's, Markdown's, JSON's escaped twice, `\&quot;`. */
function backslashAt(text: string, p: number, out: number[]): void {
  const next = text[p + 1];
  if (next === undefined) return;
  if (/[!-/:-@[-`{-~]/.test(next)) out.push(next.charCodeAt(0), 2);
  else if (Object.hasOwn(JSON_CONTROL, next)) out.push(JSON_CONTROL[next]!, 2);
  else if (next === 'u') {
    const unit = unicodeEscapeAt(text, p);
    if (unit) out.push(unit[0], unit[1]);
  }
  if (next === '\\') {
    // JSON escaped twice: \\\" \\\\ \\\/ \\/ \\u0041.
    const third = text[p + 2];
    if (third === '\\' && /["\\/]/.test(text[p + 3] ?? '')) out.push(text.charCodeAt(p + 3), 4);
    else if (third === '/') out.push(0x2f, 3);
    else if (third === 'u') {
      const unit = unicodeEscapeAt(text, p + 1);
      if (unit) out.push(unit[0], unit[1] + 1);
    }
  } else if (next === '&') {
    // An HTML page quoting a JSON escape: \&quot;
    const entity = entityAt(text, p + 2);
    if (entity && entity[0] < 0x80 && /[!-/:-@[-`{-~]/.test(String.fromCharCode(entity[0]))) out.push(entity[0], entity[1] + 2);
  }
}

/** `\uXXXX` (a surrogate pair as two escapes) at `p`, as [codePoint, length]. */
function unicodeEscapeAt(text: string, p: number): [number, number] | undefined {
  if (text[p + 1] !== 'u' || !isHex(text, p + 2, 4)) return undefined;
  const unit = parseInt(text.slice(p + 2, p + 6), 16);
  if (unit >= 0xd800 && unit <= 0xdbff && text[p + 6] === '\\' && text[p + 7] === 'u' && isHex(text, p + 8, 4)) {
    const low = parseInt(text.slice(p + 8, p + 12), 16);
    if (low >= 0xdc00 && low <= 0xdfff) return [0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00), 12];
  }
  return [unit, 6];
}

/** HTML named references for ASCII (HTML5 names every punctuation character). */
const ENTITIES: Record<string, number> = {
  amp: 38, AMP: 38, lt: 60, LT: 60, gt: 62, GT: 62, quot: 34, QUOT: 34, apos: 39, excl: 33, num: 35,
  dollar: 36, percnt: 37, lpar: 40, rpar: 41, ast: 42, midast: 42, plus: 43, comma: 44, period: 46,
  sol: 47, colon: 58, semi: 59, equals: 61, quest: 63, commat: 64, lsqb: 91, lbrack: 91, bsol: 92,
  rsqb: 93, rbrack: 93, Hat: 94, lowbar: 95, UnderBar: 95, grave: 96, DiacriticalGrave: 96,
  lcub: 123, lbrace: 123, verbar: 124, vert: 124, VerticalLine: 124, rcub: 125, rbrace: 125,
  Tab: 9, NewLine: 10, nbsp: 160,
};
const NUMERIC_ENTITY = /#(?:([0-9]{1,7})|[xX]([0-9a-fA-F]{1,6}));/y;
const NAMED_ENTITY = /([A-Za-z][A-Za-z0-9]{1,31});/y;

/** The character reference whose name starts at `q` (just after `&`), as [codePoint, length from q]. */
function entityAt(text: string, q: number): [number, number] | undefined {
  NUMERIC_ENTITY.lastIndex = q;
  const numeric = NUMERIC_ENTITY.exec(text);
  if (numeric) {
    const point = numeric[1] !== undefined ? parseInt(numeric[1], 10) : parseInt(numeric[2] ?? '', 16);
    return point <= 0x10ffff ? [point, numeric[0].length] : undefined;
  }
  NAMED_ENTITY.lastIndex = q;
  const named = NAMED_ENTITY.exec(text);
  const point = named ? ENTITIES[named[1] ?? ''] : undefined;
  return named && point !== undefined ? [point, named[0].length] : undefined;
}

function isHex(text: string, at: number, count: number): boolean {
  for (let i = at; i < at + count; i++) {
    const c = text.charCodeAt(i);
    if (!((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66))) return false;
  }
  return true;
}

/**
 * The strings a secret is searched as (escapes are decoded while matching, so percent, JSON and
 * HTML forms need no entry): the secret, and the base64 and base64url of it and of its
 * form-encoded forms, at each of the three byte offsets it can have inside a longer value.
 */
function encodedForms(secret: string): string[] {
  const forms = new Set([secret]);
  // RFC 6749 §2.3.1: HTTP Basic client credentials are form-encoded, then base64-encoded; some
  // clients use encodeURIComponent instead (which keeps ~ ! ' ( ) *).
  const component = encodeURIComponent(secret);
  const values = new Set([secret, new URLSearchParams({ v: secret }).toString().slice(2), component, component.replace(/%20/g, '+'), component.replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)]);
  for (const value of values) for (const piece of base64Pieces(Buffer.from(value, 'utf8'))) forms.add(piece);
  return [...forms];
}

/**
 * The base64 characters that depend on `bytes` alone, for each offset (0, 1, 2 bytes into a
 * 3-byte group) the bytes can sit at inside longer data: the run inside the data, and the run up
 * to the end of the data (padded and not) for a value that ends it (`id:secret`); base64url too.
 */
function base64Pieces(bytes: Buffer): string[] {
  const pieces: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    const first = Math.ceil((8 * offset) / 6);
    const inside = encoded.slice(first, Math.floor((8 * (offset + bytes.length)) / 6));
    const toEnd = encoded.slice(first);
    for (const piece of [inside, toEnd, toEnd.replace(/=+$/, '')]) {
      if (piece.length < MIN_BASE64_PIECE) continue;
      pieces.push(piece, piece.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''));
    }
  }
  return pieces.filter((piece) => piece.length >= MIN_BASE64_PIECE);
}
