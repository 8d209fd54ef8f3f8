/**
 * A fast path for the plain YAML most suites are written in: block mappings and lists, one-line
 * scalars and one-line flow lists and mappings of scalars. `yaml`'s full parser costs more than everything else
 * `payready validate` does with a large suite (its lexer, CST and document model run cold in a
 * short-lived process); this reads the common subset in one pass over the lines.
 *
 * It answers only for text it fully understands, with the value and the node offsets `yaml` gives
 * (test/suite/yaml-fast.test.ts compares both on every fixture and on generated suites); anything
 * else (anchors, tags, block scalars, nested flow collections, multi-line scalars, numbers other than plain
 * integers, duplicate keys, odd indentation, tabs, any syntax error) returns undefined, and the
 * caller parses with `yaml`, which words every error.
 */

/** Where a node starts, and its children: what locating a path needs. */
export interface FastNode {
  /** Offset of the node in the text (`yaml`'s range[0]). */
  start: number;
  /** A mapping's entries by key. */
  entries?: Map<string, { keyStart: number; value: FastNode }>;
  /** A list's items. */
  items?: FastNode[];
}

/** What the fast path read. */
export interface FastDocument {
  /** The plain value, as `yaml`'s toJS gives it. */
  value: unknown;
  /** The root node. */
  root: FastNode;
}

interface Line {
  /** Spaces before the content. */
  indent: number;
  /** Offset of the content. */
  start: number;
  /** The content (after the indentation, without the newline). */
  text: string;
}

class Unsupported extends Error {}

// Deep enough for any suite; deeper input goes to the full parser and its depth guard.
const MAX_FAST_DEPTH = 32;
// Mirrors MAX_COLLECTION_ITEMS of yaml.ts: a bigger collection goes to the full parser, which refuses it.
const MAX_FAST_ITEMS = 10_000;
const KEY = /^[A-Za-z_$][\w$./-]*$/;
const COMPACT_KEY = /^[A-Za-z_$][\w$./-]*:(?: |$)/;
const PLAIN_INTEGER = /^(?:0|-?[1-9]\d{0,14})$/;
// The YAML 1.2 core schema's other numbers (yaml's own tests): left to the full parser.
const OTHER_NUMBERS = [
  /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
  /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/,
  /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/,
  /^0o[0-7]+$/,
  /^[-+]?[0-9]+$/,
  /^0x[0-9a-fA-F]+$/,
];
const NULLS = new Set(['~', 'null', 'Null', 'NULL']);
const BOOLEANS = new Map([
  ['true', true],
  ['True', true],
  ['TRUE', true],
  ['false', false],
  ['False', false],
  ['FALSE', false],
]);
const ESCAPES: Record<string, string> = { '\\': '\\', '"': '"', '/': '/', n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '0': '\0' };

function unsupported(): never {
  throw new Unsupported();
}

/** Reads `source` if it is in the supported subset; undefined otherwise (use the full parser). */
export function parseSimpleYaml(source: string): FastDocument | undefined {
  if (/[\t\r\uFEFF]/.test(source)) return undefined;
  const lines: Line[] = [];
  let offset = 0;
  while (offset < source.length) {
    let end = source.indexOf('\n', offset);
    if (end === -1) end = source.length;
    let indent = 0;
    while (source.charCodeAt(offset + indent) === 32) indent++;
    const text = source.slice(offset + indent, end).trimEnd();
    if (text !== '' && !text.startsWith('#')) {
      // Directives and document markers belong to the full parser.
      if (indent === 0 && (text.startsWith('%') || text.startsWith('---') || text.startsWith('...'))) return undefined;
      lines.push({ indent, start: offset + indent, text });
    }
    offset = end + 1;
  }
  if (lines.length === 0 || lines[0]?.indent !== 0) return undefined;
  const reader = new Reader(lines);
  try {
    const parsed = reader.block(0, 0);
    if (reader.at < lines.length) return undefined;
    return parsed;
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
}

class Reader {
  at = 0;
  constructor(private readonly lines: Line[]) {}

  /** The mapping or list starting at the current line, indented `indent`. */
  block(indent: number, depth: number): FastDocument {
    const line = this.lines[this.at];
    if (!line || line.indent !== indent || depth > MAX_FAST_DEPTH) unsupported();
    return isItem(line.text) ? this.list(indent, depth) : this.mapping(indent, depth);
  }

  private mapping(indent: number, depth: number): FastDocument {
    const value: Record<string, unknown> = {};
    const entries = new Map<string, { keyStart: number; value: FastNode }>();
    const root: FastNode = { start: (this.lines[this.at] as Line).start, entries };
    for (let line = this.lines[this.at]; line && line.indent === indent; line = this.lines[this.at]) {
      if (isItem(line.text)) unsupported();
      const colon = line.text.search(/:(?: |$)/);
      const key = colon === -1 ? '' : line.text.slice(0, colon);
      if (!KEY.test(key) || key === '__proto__' || entries.has(key) || typeof plain(key) !== 'string' || entries.size >= MAX_FAST_ITEMS) unsupported();
      const rest = line.text.slice(colon + 1).trimStart();
      const restStart = line.start + line.text.length - rest.length;
      let child: FastDocument;
      if (rest === '' || rest.startsWith('#')) {
        this.at++;
        const next = this.lines[this.at];
        // A nested block: indented deeper, or a list at the key's own indentation.
        if (!next || !(next.indent > indent || (next.indent === indent && isItem(next.text)))) unsupported();
        child = this.block(next.indent, depth + 1);
      } else {
        child = inline(rest, restStart);
        this.at++;
      }
      value[key] = child.value;
      entries.set(key, { keyStart: line.start, value: child.root });
    }
    const next = this.lines[this.at];
    if (next && next.indent > indent) unsupported();
    return { value, root };
  }

  private list(indent: number, depth: number): FastDocument {
    const value: unknown[] = [];
    const items: FastNode[] = [];
    const root: FastNode = { start: (this.lines[this.at] as Line).start, items };
    for (let line = this.lines[this.at]; line && line.indent === indent && isItem(line.text); line = this.lines[this.at]) {
      if (items.length >= MAX_FAST_ITEMS) unsupported();
      const rest = line.text.slice(1).trimStart();
      const column = indent + line.text.length - rest.length;
      let child: FastDocument;
      if (rest === '' || rest.startsWith('#')) {
        this.at++;
        const next = this.lines[this.at];
        if (!next || next.indent <= indent) unsupported();
        child = this.block(next.indent, depth + 1);
      } else if (COMPACT_KEY.test(rest)) {
        // `- key: value`: a mapping whose lines are indented to its first key.
        this.lines[this.at] = { indent: column, start: line.start + (column - indent), text: rest };
        child = this.block(column, depth + 1);
      } else {
        if (isItem(rest)) unsupported();
        child = inline(rest, line.start + (column - indent));
        this.at++;
      }
      value.push(child.value);
      items.push(child.root);
    }
    const next = this.lines[this.at];
    if (next && next.indent > indent) unsupported();
    return { value, root };
  }
}

function isItem(text: string): boolean {
  return text === '-' || text.startsWith('- ');
}

/** A one-line value: a quoted or plain scalar, or a flow list or mapping of them. */
function inline(text: string, start: number): FastDocument {
  if (text.startsWith('[') || text.startsWith('{')) {
    const mapping = text.startsWith('{');
    const { parts, close } = flowParts(text, mapping ? '}' : ']');
    if (!endsLine(text.slice(close + 1))) unsupported();
    const list: unknown[] = [];
    const items: FastNode[] = [];
    const object: Record<string, unknown> = {};
    const entries = new Map<string, { keyStart: number; value: FastNode }>();
    if (parts.length > 1 || (parts[0] ?? '').trim() !== '') {
      let at = 1;
      for (const part of parts) {
        let item = part.trim();
        let itemStart = start + at + (part.length - part.trimStart().length);
        let key: string | undefined;
        const keyStart = itemStart;
        if (mapping) {
          const colon = item.search(/: /);
          key = colon === -1 ? '' : item.slice(0, colon);
          if (!KEY.test(key) || key === '__proto__' || entries.has(key) || typeof plain(key) !== 'string') unsupported();
          const rest = item.slice(colon + 1).trimStart();
          itemStart += item.length - rest.length;
          item = rest;
        }
        const isQuoted = item.startsWith('"') || item.startsWith("'");
        // A lone "-" (or "- x") in a flow collection is a block sequence entry, which yaml refuses there.
        if (item === '' || (!isQuoted && (/[[\]{}:#"'`&*!|>%@?]/.test(item) || /^-(\s|$)/.test(item)))) unsupported();
        const scalar = isQuoted ? quoted(item, itemStart, true) : { value: plain(item), root: { start: itemStart } };
        if (key === undefined) {
          list.push(scalar.value);
          items.push(scalar.root);
        } else {
          object[key] = scalar.value;
          entries.set(key, { keyStart, value: scalar.root });
        }
        at += part.length + 1;
      }
    }
    return mapping ? { value: object, root: { start, entries } } : { value: list, root: { start, items } };
  }
  if (text.startsWith('"') || text.startsWith("'")) return quoted(text, start, false);
  // Indicators that start something other than a plain scalar (or a reserved character).
  if (/^[\]{},&*!|>%@`?:#-]/.test(text)) {
    if (!(text.startsWith('-') && /^-[0-9]/.test(text))) unsupported();
  }
  const comment = text.indexOf(' #');
  const scalar = (comment === -1 ? text : text.slice(0, comment)).trimEnd();
  if (scalar.includes(': ') || scalar.endsWith(':')) unsupported();
  return { value: plain(scalar), root: { start } };
}

/** The comma-separated parts of a one-line flow collection (quotes respected), and where it closes. */
function flowParts(text: string, closer: string): { parts: string[]; close: number } {
  const parts: string[] = [];
  let from = 1;
  let quote: string | undefined;
  for (let index = 1; index < text.length; index++) {
    const char = text[index] as string;
    if (quote) {
      if (char === quote) quote = undefined;
      else if (char === '\\' && quote === '"') index++;
    } else if (char === '"' || char === "'") quote = char;
    else if (char === ',' || char === closer) {
      parts.push(text.slice(from, index));
      from = index + 1;
      if (char === closer) return { parts, close: index };
    } else if (char === '[' || char === ']' || char === '{' || char === '}') unsupported();
  }
  return unsupported();
}

/** A quoted scalar that must end the line (or, in a flow list, the item). */
function quoted(text: string, start: number, item: boolean): FastDocument {
  const mark = text[0];
  let out = '';
  let index = 1;
  // Most quoted scalars hold no escape and no doubled quote: one search finds their end.
  const close = text.indexOf(mark ?? '', 1);
  if (close > 0 && text[close + 1] !== mark && (mark === "'" || !text.slice(1, close).includes('\\'))) {
    out = text.slice(1, close);
    index = close;
  }
  for (;;) {
    const char = text[index];
    if (char === undefined) unsupported();
    if (char === mark) {
      if (mark === "'" && text[index + 1] === "'") {
        out += "'";
        index += 2;
        continue;
      }
      break;
    }
    if (mark === '"' && char === '\\') {
      const escaped = ESCAPES[text[index + 1] ?? ''];
      if (escaped === undefined) unsupported();
      out += escaped;
      index += 2;
      continue;
    }
    out += char;
    index++;
  }
  const after = text.slice(index + 1);
  if (item ? after.trim() !== '' : !endsLine(after)) unsupported();
  return { value: out, root: { start } };
}

/** Nothing but spaces and a comment. */
function endsLine(text: string): boolean {
  return text.trim() === '' || /^ +#/.test(text);
}

/** A plain scalar's value under the YAML 1.2 core schema (within the subset). */
function plain(text: string): unknown {
  if (NULLS.has(text)) return null;
  const bool = BOOLEANS.get(text);
  if (bool !== undefined) return bool;
  const first = text.charCodeAt(0);
  // Every number starts with a digit, a sign or a dot: most scalars (and every key) skip the patterns.
  if (!((first >= 0x30 && first <= 0x39) || first === 0x2b || first === 0x2d || first === 0x2e)) return text;
  if (PLAIN_INTEGER.test(text)) return Number(text);
  if (OTHER_NUMBERS.some((pattern) => pattern.test(text))) unsupported();
  return text;
}
