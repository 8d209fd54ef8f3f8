import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { parseSuite } from '../../src/suite/load.js';
import { SuiteError, formatSuiteError } from '../../src/suite/errors.js';

/**
 * Property tests of the suite loader (issue 8): random and mutated suites only ever give a suite
 * or a located SuiteError, never another exception. 2,500 cases on every `npm test`; issue 8's
 * 10,000 with FUZZ_RUNS=4 (see `runs` below).
 */
const VALID_TEXT = readFileSync(new URL('../../fixtures/suites/good-minimal/suite.yaml', import.meta.url), 'utf8');
const VALID = parse(VALID_TEXT) as Record<string, unknown>;
const ENV = { PAYREADY_CLIENT_ID: 'id', PAYREADY_CLIENT_SECRET: 'secret-value' };
const CWD = new URL('../../fixtures/suites/good-minimal/', import.meta.url).pathname;

/** Loads `source`; returns what happened, failing the property on any other exception. */
async function outcome(source: string): Promise<'suite' | 'error'> {
  try {
    await parseSuite(source, 'fuzz.yaml', { env: ENV, cwd: CWD });
    return 'suite';
  } catch (err) {
    if (!(err instanceof SuiteError)) throw err;
    expect(err.problems.length).toBeGreaterThan(0);
    for (const p of err.problems) {
      expect(p.message.length).toBeGreaterThan(0);
      if (p.location) {
        expect(p.location.line).toBeGreaterThanOrEqual(1);
        expect(p.location.column).toBeGreaterThanOrEqual(1);
      }
    }
    // Formatting never throws either, and shows no internal noise.
    expect(formatSuiteError(err)).not.toMatch(/undefined|\[object Object\]/);
    return 'error';
  }
}

type Path = (string | number)[];

/** Every path in a JSON-like value. */
function paths(value: unknown, prefix: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return [prefix];
  const children = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [prefix, ...children.flatMap(([k, v]) => paths(v, [...prefix, k]))];
}

function mutate(root: unknown, path: Path, how: (old: unknown) => unknown | typeof DELETE): unknown {
  const copy = structuredClone(root);
  if (path.length === 0) {
    const next = how(copy);
    return next === DELETE ? {} : next;
  }
  if (copy === null || typeof copy !== 'object') return copy;
  let parent = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) {
    const next = parent[key];
    // An earlier edit removed or replaced this branch: nothing left to mutate here.
    if (next === null || typeof next !== 'object') return copy;
    parent = next as Record<string | number, unknown>;
  }
  const last = path[path.length - 1]!;
  const next = how(parent[last]);
  if (next === DELETE) {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else parent[last] = next;
  return copy;
}

const DELETE = Symbol('delete');
const ALL_PATHS = paths(VALID);

const oddStrings = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('${', '${env.}', '${checks.x.y}', '$${vars.currency}', '\u0000', '\u202e', '🙂'.repeat(50), 'a'.repeat(70_000), '${target.baseUrl}${target.baseUrl}', '!!binary aGVsbG8=', '*alias', '&anchor', '<<: *x'),
);
const replacement = fc.oneof(fc.jsonValue({ maxDepth: 3 }), oddStrings, fc.constant(DELETE));
const deep = fc.integer({ min: 1, max: 200 }).map((depth) => {
  let v: unknown = 'leaf';
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { k: v };
  return v;
});

/**
 * Runs per property: 2,500 cases on every `npm test` (a quarter of what it ran before the test
 * suite's time budget), more on demand: `FUZZ_RUNS=10 npx vitest run test/hardening/loader-fuzz.test.ts`.
 */
const runs = (n: number): number => n * Math.max(1, Number(process.env.FUZZ_RUNS ?? 1) || 1);

describe('suite loader under fuzzing (fast-check)', () => {
  it('mutated valid suites (fields deleted, retyped, duplicated, nested deep, huge or odd strings) give a suite or a SuiteError', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.constantFrom(...ALL_PATHS), fc.oneof(replacement, deep)), { minLength: 1, maxLength: 4 }), async (edits) => {
        let doc: unknown = VALID;
        for (const [path, value] of edits) doc = mutate(doc, path, () => value);
        await outcome(stringify(doc));
      }),
      { numRuns: runs(1000) },
    );
  }, 120_000);

  it('text-level damage (truncation, inserted YAML syntax, tags, anchors, duplicated keys) gives a suite or a SuiteError', async () => {
    const snippets = ['&a ', '*a', '!!str ', '!!map ', '!custom ', '<<: *a\n', '? ', '- ', ': ', '{', '}', '[', ']', '"', "'", '\t', '%YAML 1.1\n---\n', '---\n', '...\n', '#', '|\n', '>-\n', 'checks:\n', 'suite: dup\n'];
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat({ max: VALID_TEXT.length }), fc.constantFrom(...snippets), fc.nat({ max: 20 })), { minLength: 1, maxLength: 5 }), async (edits) => {
        let text = VALID_TEXT;
        for (const [at, insert, cut] of edits) text = text.slice(0, at) + insert + text.slice(Math.min(text.length, at + cut));
        await outcome(text);
      }),
      { numRuns: runs(1000) },
    );
  }, 120_000);

  it('arbitrary text and arbitrary YAML values give a SuiteError', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 300 }), fc.jsonValue({ maxDepth: 4 }).map((v) => stringify(v))), async (source) => {
        expect(await outcome(source)).toBe('error');
      }),
      { numRuns: runs(500) },
    );
  }, 120_000);
});
