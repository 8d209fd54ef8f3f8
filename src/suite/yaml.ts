import { createRequire } from 'node:module';
import type * as YamlLib from 'yaml';
import type { Document, Node as YamlNode, Pair, YAMLMap } from 'yaml';
import { SuiteError, type SuiteProblem } from './errors.js';
import type { SourceLocation } from './types.js';
import { parseSimpleYaml, type FastDocument, type FastNode } from './yaml-fast.js';

const require = createRequire(import.meta.url);
let yamlLib: typeof YamlLib | undefined;
/** `yaml`, required on first use (it is CommonJS): a suite the fast path reads never loads it. */
function yaml(): typeof YamlLib {
  return (yamlLib ??= require('yaml') as typeof YamlLib);
}

/** Largest suite file accepted, checked before parsing: a suite is hand-written, never this big. */
export const MAX_SUITE_BYTES = 5 * 1024 * 1024;
/** Most aliases (`*name`) a suite may use; also passed to `yaml` as its own guard. */
export const MAX_ALIASES = 100;
/** Most nodes all aliases together may expand to: stops "billion laughs" before it is expanded. */
export const MAX_ALIAS_EXPANSION = 100_000;
/** Deepest nesting accepted; deeper input is an attack on recursive code (ajv, toJS), not a suite. */
export const MAX_DEPTH = 64;
/**
 * Most entries in one mapping or list. A suite never comes close, and the cap bounds the work of
 * code that is not linear in collection size (ajv's allErrors error merging).
 */
export const MAX_COLLECTION_ITEMS = 10_000;

// Explicit tags that only restate what YAML infers; anything else (!!binary, !!set, custom tags)
// would hand the loader values that are not JSON.
const ALLOWED_TAGS = new Set(['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((name) => `tag:yaml.org,2002:${name}`));

/** A path into the parsed value: mapping keys and list indices. */
export type ValuePath = readonly (string | number)[];

/** A parsed suite file: the plain value plus what is needed to point back into the text. */
export interface SuiteDocument {
  /** The file as the user named it. */
  file: string;
  /** The text. */
  source: string;
  /** The plain JSON-like value (no aliases, no cycles, no tags). */
  value: unknown;
  /** Location of the value (or, with `key`, of the mapping key) at `path`; the closest existing ancestor otherwise. */
  locate(path: ValuePath, options?: { key?: boolean }): SourceLocation;
  /** Location of `text` inside the string scalar at `path`, found at or after its `nth` occurrence. */
  locateText(path: ValuePath, text: string, nth?: number): SourceLocation;
  /** 1-based [start, end) columns of the scalar at `path` on its first line, to mask a credential. */
  valueColumns(path: ValuePath): { start: number; end: number } | undefined;
}

/** Parses suite text into a SuiteDocument, or throws a SuiteError with every located YAML problem. */
export function parseYaml(source: string, file: string): SuiteDocument {
  if (Buffer.byteLength(source, 'utf8') > MAX_SUITE_BYTES) throw tooLarge(file);
  const fast = parseSimpleYaml(source);
  return fast ? fastDocument(source, file, fast) : parseFull(source, file);
}

/**
 * A document the fast path read: the same value and `locate` answers as `yaml`'s; the rarer
 * questions (a text inside a scalar, a credential's columns, asked only to report a problem) are
 * answered from `yaml`'s own parse, made on first use.
 */
function fastDocument(source: string, file: string, fast: FastDocument): SuiteDocument {
  let full: SuiteDocument | undefined;
  const exact = (): SuiteDocument => (full ??= parseFull(source, file));
  let lineStarts: number[] | undefined;
  const at = (offset: number): SourceLocation => {
    if (!lineStarts) {
      lineStarts = [0];
      for (let index = source.indexOf('\n'); index !== -1; index = source.indexOf('\n', index + 1)) lineStarts.push(index + 1);
    }
    const { line, col } = linePos(lineStarts, Math.max(0, Math.min(offset, source.length)));
    return { file, line: Math.max(1, line), column: Math.max(1, col) };
  };
  return {
    file,
    source,
    value: fast.value,
    locate(path, options) {
      let node: FastNode = fast.root;
      let keyStart: number | undefined;
      let depth = 0;
      for (const segment of path) {
        const entry = node.entries?.get(String(segment));
        const item = typeof segment === 'number' ? node.items?.[segment] : undefined;
        if (entry) {
          node = entry.value;
          keyStart = entry.keyStart;
        } else if (item) {
          node = item;
          keyStart = undefined;
        } else break;
        depth++;
      }
      return at(options?.key && depth === path.length && keyStart !== undefined ? keyStart : node.start);
    },
    locateText: (path, text, nth) => exact().locateText(path, text, nth),
    valueColumns: (path) => exact().valueColumns(path),
  };
}

/** Line and column of an offset, as yaml's LineCounter.linePos computes them. */
function linePos(lineStarts: readonly number[], offset: number): { line: number; col: number } {
  let low = 0;
  let high = lineStarts.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((lineStarts[mid] as number) < offset) low = mid + 1;
    else high = mid;
  }
  if (lineStarts[low] === offset) return { line: low + 1, col: 1 };
  if (low === 0) return { line: 0, col: offset };
  return { line: low, col: offset - (lineStarts[low - 1] as number) + 1 };
}

/** `yaml`'s full parse, with the structural guards: what parseYaml falls back to, and the fast path's reference in tests. */
export function parseFull(source: string, file: string): SuiteDocument {
  const { LineCounter, parseDocument, isAlias, isMap, isScalar, isSeq } = yaml();
  const lineCounter = new LineCounter();
  const at = (offset: number): SourceLocation => {
    const { line, col } = lineCounter.linePos(Math.max(0, Math.min(offset, source.length)));
    return { file, line: Math.max(1, line), column: Math.max(1, col) };
  };
  let doc: Document.Parsed;
  try {
    // prettyErrors off: positions come from the same LineCounter, the code frame from formatSuiteError.
    doc = parseDocument(source, {
      lineCounter,
      prettyErrors: false,
      // Duplicate keys are found in checkStructure: yaml's own check is quadratic in mapping size.
      uniqueKeys: false,
      resolveKnownTags: false,
      // 'error', not 'silent': yaml only reports a second document when not silent; warnings stay off stderr.
      logLevel: 'error',
      version: '1.2',
    });
  } catch (error) {
    throw new SuiteError([{ message: describeCrash(error, 'parse'), location: { file, line: 1, column: 1 } }], source);
  }
  const problems: SuiteProblem[] = [];
  for (const error of [...doc.errors, ...doc.warnings]) {
    const opener = unclosedFlow(source, error.message, error.pos[0]);
    if (opener !== undefined) {
      const [open, close] = source[opener] === '[' ? ['[', ']'] : ['{', '}'];
      problems.push({ message: `unclosed "${open}": the ${open === '[' ? 'list' : 'mapping'} opened here has no closing "${close}"`, location: at(opener), hint: `add "${close}" at the end of the line` });
      continue;
    }
    const problem = yamlProblem(error.code, error.message);
    // One failure (a stack overflow deep inside yaml) can be reported at many nodes; say it once.
    if (problems.some((seen) => seen.message === problem.message && problem.message.startsWith('the YAML nests'))) continue;
    problems.push({ ...problem, location: at(error.pos[0]) });
  }
  if (problems.length > 0) throw new SuiteError(problems, source);

  const aliasTargets = new Map<YamlNode, YamlNode>();
  for (const problem of checkStructure(doc, aliasTargets, at)) problems.push(problem);
  if (problems.length > 0) throw new SuiteError(problems, source);

  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (error) {
    throw new SuiteError([{ message: describeCrash(error, 'expand'), location: at(firstAliasOffset(aliasTargets)) }], source);
  }
  if (value === null || value === undefined) {
    throw new SuiteError([{ message: 'the suite file is empty', location: at(0), hint: 'start with "suite:", "title:", "environments:" and "checks:"' }], source);
  }

  // Key lookups are indexed per mapping: locating many problems in a huge mapping stays linear.
  const keyIndex = new WeakMap<YAMLMap, Map<string, Pair>>();
  const pairFor = (map: YAMLMap, key: string): Pair | undefined => {
    let index = keyIndex.get(map);
    if (!index) {
      index = new Map();
      for (const pair of map.items) if (isScalar(pair.key) && !index.has(String(pair.key.value))) index.set(String(pair.key.value), pair);
      keyIndex.set(map, index);
    }
    return index.get(key);
  };
  const nodeAt = (path: ValuePath): { node: YamlNode | null; key: YamlNode | null; depth: number } => {
    let node: YamlNode | null = doc.contents;
    let key: YamlNode | null = null;
    let depth = 0;
    for (const segment of path) {
      // Inside an alias, keep pointing at the alias the user wrote here, not at the anchor.
      if (!node || isAlias(node)) break;
      let next: { node: YamlNode | null; key: YamlNode | null } | undefined;
      if (isMap(node)) {
        const pair = pairFor(node, String(segment));
        if (pair) next = { node: (pair.value as YamlNode | null) ?? (pair.key as YamlNode), key: pair.key as YamlNode };
      } else if (isSeq(node) && typeof segment === 'number') {
        const item = node.items[segment] as YamlNode | undefined;
        if (item) next = { node: item, key: null };
      }
      if (!next) break;
      node = next.node;
      key = next.key;
      depth++;
    }
    return { node, key, depth };
  };
  const offsetOf = (node: YamlNode | null): number => node?.range?.[0] ?? 0;

  return {
    file,
    source,
    value,
    locate(path, options) {
      const found = nodeAt(path);
      const exact = found.depth === path.length;
      return at(offsetOf(options?.key && exact && found.key ? found.key : found.node));
    },
    locateText(path, text, nth = 0) {
      const found = nodeAt(path);
      const node = found.depth === path.length ? found.node : null;
      if (node && isScalar(node) && node.range) {
        // Count occurrences in the source span; escapes or folding can move the text, so verify.
        let from = node.range[0];
        for (let i = 0; i <= nth; i++) {
          const index = source.indexOf(text, from);
          if (index === -1 || index >= node.range[1]) return at(offsetOf(node));
          if (i === nth) return at(index);
          from = index + text.length;
        }
      }
      return at(offsetOf(found.node));
    },
    valueColumns(path) {
      const found = nodeAt(path);
      const node = found.depth === path.length ? found.node : null;
      if (!node?.range) return undefined;
      const start = at(node.range[0]);
      const end = at(node.range[1]);
      return { start: start.column, end: end.line === start.line ? end.column : Number.MAX_SAFE_INTEGER };
    },
  };
}

function tooLarge(file: string): SuiteError {
  return new SuiteError([
    {
      message: `${file} is larger than ${MAX_SUITE_BYTES / (1024 * 1024)} MB`,
      hint: 'a suite is a hand-written list of checks; split it or check that this is the right file',
    },
  ]);
}

/** Refuses a file whose size on disk is over the limit, before it is read. */
export function assertSize(file: string, bytes: number): void {
  if (bytes > MAX_SUITE_BYTES) throw tooLarge(file);
}

/**
 * yaml reports an unclosed `[` or `{` where the next line starts, which is not where the mistake
 * is; find the opener it is about (scanning back, balancing brackets) to point at it instead.
 */
function unclosedFlow(source: string, message: string, offset: number): number | undefined {
  const closer = /end with an? ([\]}])/.exec(message)?.[1];
  if (!closer) return undefined;
  const opener = closer === ']' ? '[' : '{';
  let depth = 0;
  for (let index = Math.min(offset, source.length) - 1; index >= 0 && index >= offset - 10_000; index--) {
    const char = source[index];
    if (char === closer) depth++;
    else if (char === opener) {
      if (depth === 0) return index;
      depth--;
    }
  }
  return undefined;
}

function yamlProblem(code: string, message: string): { message: string; hint?: string } {
  if (/call stack/i.test(message)) return { message: 'the YAML nests too deeply to parse' };
  switch (code) {
    case 'TAG_RESOLVE_FAILED':
      return {
        message: `unsupported YAML tag ${message.replace(/^Unresolved tag:\s*/, '').replace('tag:yaml.org,2002:', '!!')}`,
        hint: 'suite files hold plain values: remove the tag',
      };
    case 'MULTIPLE_DOCS':
      return { message: 'a suite file holds one YAML document (found a second "---")' };
    default:
      // yaml's own sentences are clear; lower-case the first letter to match ours.
      return { message: `YAML syntax error: ${message.charAt(0).toLowerCase()}${message.slice(1)}` };
  }
}

function describeCrash(error: unknown, phase: 'parse' | 'expand'): string {
  if (error instanceof RangeError) return `the YAML nests too deeply to ${phase}`;
  if (error instanceof ReferenceError && /alias/i.test(error.message)) {
    return `the YAML aliases expand to too much data (more than ${MAX_ALIASES} alias uses)`;
  }
  return `cannot ${phase} the YAML: ${error instanceof Error ? error.message : String(error)}`;
}

function firstAliasOffset(aliasTargets: Map<YamlNode, YamlNode>): number {
  for (const alias of aliasTargets.keys()) return alias.range?.[0] ?? 0;
  return 0;
}

/**
 * One pass over the node tree (iterative: input depth must not become stack depth) that rejects
 * excessive nesting, tags, non-text keys and alias abuse, and records each alias's target. Aliases
 * resolve to the last node with that anchor before them in document order, as `yaml` does.
 */
function checkStructure(doc: Document.Parsed, aliasTargets: Map<YamlNode, YamlNode>, at: (offset: number) => SourceLocation): SuiteProblem[] {
  const { isAlias, isMap, isPair, isScalar, isSeq } = yaml();
  const problems: SuiteProblem[] = [];
  const root = doc.contents;
  if (!root) return problems;
  const anchors = new Map<string, YamlNode>();
  const parents = new Map<YamlNode, YamlNode | null>();
  const children = new Map<YamlNode, YamlNode[]>();
  const stack: { node: YamlNode; depth: number; parent: YamlNode | null }[] = [{ node: root, depth: 0, parent: null }];
  for (let entry = stack.pop(); entry; entry = stack.pop()) {
    const { node, depth, parent } = entry;
    parents.set(node, parent);
    const offset = node.range?.[0] ?? 0;
    if (depth > MAX_DEPTH) return [{ message: `the YAML nests more than ${MAX_DEPTH} levels deep here`, location: at(offset) }];
    if (node.tag && !ALLOWED_TAGS.has(node.tag)) {
      problems.push({
        message: `unsupported YAML tag ${node.tag.replace('tag:yaml.org,2002:', '!!')}`,
        location: at(offset),
        hint: 'suite files hold plain values: remove the tag',
      });
    }
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      if (!target) continue; // yaml has already reported the unknown anchor
      aliasTargets.set(node, target);
      if (aliasTargets.size > MAX_ALIASES) {
        return [{ message: `too many YAML aliases (more than ${MAX_ALIASES})`, location: at(offset), hint: ALIAS_HINT }];
      }
      for (let up = parent; up; up = parents.get(up) ?? null) {
        if (up === target) return [{ message: `alias *${node.source} refers to a node that contains it`, location: at(offset) }];
      }
      continue;
    }
    if (node.anchor) anchors.set(node.anchor, node);
    if ((isMap(node) || isSeq(node)) && node.items.length > MAX_COLLECTION_ITEMS) {
      return [
        {
          message: `a ${isMap(node) ? 'mapping' : 'list'} with ${node.items.length.toLocaleString('en-US')} entries (at most ${MAX_COLLECTION_ITEMS.toLocaleString('en-US')})`,
          location: at(offset),
          hint: 'a suite never needs this many; check that this is the right file',
        },
      ];
    }
    const kids: YamlNode[] = [];
    if (isMap(node)) {
      const seen = new Map<string, YamlNode>();
      for (const pair of node.items) {
        const key = pair.key as YamlNode | null;
        if (key && !isScalar(key) && !isAlias(key)) problems.push({ message: 'mapping keys must be plain text', location: at(key.range?.[0] ?? offset) });
        if (key && isScalar(key)) {
          const name = String(key.value);
          const first = seen.get(name);
          if (first) {
            problems.push({ message: `duplicate key "${name}"`, location: at(key.range?.[0] ?? offset), hint: `"${name}" is already set on line ${at(first.range?.[0] ?? 0).line}; each key may appear once per mapping` });
          } else seen.set(name, key);
        }
        if (key) kids.push(key);
        if (pair.value) kids.push(pair.value as YamlNode);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) if (item && !isPair(item)) kids.push(item as YamlNode);
    }
    children.set(node, kids);
    for (let i = kids.length - 1; i >= 0; i--) stack.push({ node: kids[i] as YamlNode, depth: depth + 1, parent: node });
  }
  if (problems.length === 0 && aliasTargets.size > 0) return checkExpansion(root, children, aliasTargets, at);
  return problems;
}

const ALIAS_HINT = 'write the values out, or use fewer "*" references';

/**
 * Counts what the aliases would expand to without expanding them: each node's expanded size is
 * computed once, in post-order, where an alias's target is always complete before the alias (it
 * precedes it in the document and cannot contain it). Points at the alias that crosses the cap.
 */
function checkExpansion(
  root: YamlNode,
  children: Map<YamlNode, YamlNode[]>,
  aliasTargets: Map<YamlNode, YamlNode>,
  at: (offset: number) => SourceLocation,
): SuiteProblem[] {
  const expanded = new Map<YamlNode, number>();
  let extra = 0;
  const stack: { node: YamlNode; next: number }[] = [{ node: root, next: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1] as { node: YamlNode; next: number };
    const kids = children.get(top.node) ?? [];
    if (top.next < kids.length) {
      stack.push({ node: kids[top.next++] as YamlNode, next: 0 });
      continue;
    }
    stack.pop();
    const target = aliasTargets.get(top.node);
    if (target) {
      const size = expanded.get(target) ?? 1;
      extra += size;
      if (extra > MAX_ALIAS_EXPANSION) {
        return [
          {
            message: `YAML aliases expand to more than ${MAX_ALIAS_EXPANSION.toLocaleString('en-US')} values (an "alias bomb")`,
            location: at(top.node.range?.[0] ?? 0),
            hint: ALIAS_HINT,
          },
        ];
      }
      expanded.set(top.node, size);
    } else {
      expanded.set(top.node, kids.reduce((sum, kid) => sum + (expanded.get(kid) ?? 1), 1));
    }
  }
  return [];
}
