import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseSimpleYaml } from '../../src/suite/yaml-fast.js';
import { parseFull, parseYaml, type ValuePath } from '../../src/suite/yaml.js';
import { SuiteError } from '../../src/suite/errors.js';
import { repoRoot } from './helpers.js';

/** Every path into a value, and a missing key or index under each collection. */
function pathsOf(value: unknown, path: ValuePath = []): ValuePath[] {
  const out: ValuePath[] = [path];
  if (Array.isArray(value)) {
    value.forEach((item, index) => out.push(...pathsOf(item, [...path, index])));
    out.push([...path, value.length]);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) out.push(...pathsOf(item, [...path, key]));
    out.push([...path, 'no-such-key']);
  }
  return out;
}

/** Asserts the fast path reads `source` as yaml does: same value, same locations. Returns whether it answered. */
function agrees(source: string): boolean {
  const fast = parseSimpleYaml(source);
  let full;
  try {
    full = parseFull(source, 'suite.yaml');
  } catch (error) {
    // Text yaml refuses (or that the guards refuse) is never read by the fast path.
    expect(error).toBeInstanceOf(SuiteError);
    expect(fast).toBeUndefined();
    return false;
  }
  if (!fast) return false;
  expect(fast.value).toStrictEqual(full.value);
  const doc = parseYaml(source, 'suite.yaml');
  for (const path of pathsOf(full.value)) {
    expect(doc.locate(path), JSON.stringify(path)).toEqual(full.locate(path));
    expect(doc.locate(path, { key: true }), JSON.stringify(path)).toEqual(full.locate(path, { key: true }));
  }
  return true;
}

function generatedSuite(checks: number): string {
  const lines = ['suite: bench', 'title: Generated suite', '# a comment', 'environments:', '  sandbox:', '    embedded: true', 'checks:'];
  for (let i = 0; i < checks; i++) {
    lines.push(`  - id: http-${i}  # trailing comment`, '    type: http', '    section: "1.1"', '', '    with:', `      url: \${target.baseUrl}/health?i=${i}#frag`, '      expect:', '        status: 200');
    lines.push(`  - id: port-${i}`, "    type: 'port'", '    needs: [http-0, "http-1"]', '    with:', '      # the host', '      host: ${target.host}', '      ports: [443, 8443]', '      flags: []');
  }
  lines.push('variables:', '  flow: { a: 1, b-c: "two", d: ~ }', '  flowEmpty: {}', '  empty: ""', '  quoted: "a \\"b\\" \\\\ c"', "  single: 'it''s'", '  nothing: null', '  tilde: ~', '  yes: true', '  no: False', '  negative: -12', '  list:', '  - a', '  -', '    b: c');
  return `${lines.join('\n')}\n`;
}

describe('the fast YAML path', () => {
  it('reads the shipped suite and the suite fixtures as yaml does (or leaves them to yaml)', () => {
    const files = ['checks/go-live.yaml', ...readdirSync(join(repoRoot, 'fixtures/suites')).map((name) => `fixtures/suites/${name}/suite.yaml`)];
    let read = 0;
    for (const file of files) if (agrees(readFileSync(join(repoRoot, file), 'utf8'))) read++;
    // The plain suites are the point of the fast path: most of them must not fall back.
    expect(read).toBeGreaterThan(files.length / 2);
  });

  it('reads a large generated suite, comments, quotes, nulls, booleans and compact lists as yaml does', () => {
    expect(agrees(generatedSuite(50))).toBe(true);
  });

  it('leaves what it does not understand to yaml', () => {
    for (const source of [
      'a: &x 1\nb: *x\n',
      'a: !!str 1\n',
      'a: |\n  text\n',
      'a: {b: [1]}\n',
      'a: 1.5\n',
      'a: 0x1f\n',
      'a: b\na: c\n',
      'a:\n\tb: 1\n',
      'a: "multi\n  line"\n',
      'a: plain\n  continued\n',
      'a:\n    b: 1\n  c: 2\n',
      '--- \na: 1\n',
      'a: b: c\n',
      'a:\n',
      '"quoted key": 1\n',
      'a: [1, [2]]\n',
      'a: "unterminated\n',
    ]) {
      expect(parseSimpleYaml(source), source).toBeUndefined();
      agrees(source);
    }
  });

  it('agrees with yaml on values yaml itself writes, or falls back', () => {
    const key = fc.stringMatching(/^[a-z][a-z0-9_-]{0,6}$/);
    const scalar = fc.oneof(fc.string({ maxLength: 12 }), fc.integer({ min: -1e6, max: 1e6 }), fc.boolean(), fc.constant(null), fc.double({ noNaN: true }));
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, fc.array(tie('node'), { maxLength: 4 }), fc.dictionary(key, tie('node'), { maxKeys: 4 })),
    })).node;
    const root = fc.dictionary(key, value, { minKeys: 1, maxKeys: 5 });
    const written = fc
      .tuple(root, fc.boolean())
      .map(([data, flow]) => stringify(data, { flowCollectionPadding: false, ...(flow ? { collectionStyle: 'flow' } : {}) }));
    fc.assert(
      fc.property(written, (source) => {
        agrees(source);
      }),
      { numRuns: 300 },
    );
    // Not vacuous: many of these documents are in the subset the fast path reads. Counted on a
    // fixed sample, so the count does not move from run to run (a random run once read 27 of 300).
    const read = fc.sample(written, { numRuns: 300, seed: 20261207 }).filter((source) => agrees(source)).length;
    expect(read).toBeGreaterThan(30);
  });

  it('agrees with yaml on mutations of a suite (or falls back)', () => {
    const base = generatedSuite(2);
    const mutated = fc
      .tuple(fc.nat(base.length), fc.constantFrom(' ', '\n', '-', ':', '#', '"', "'", '[', ']', ',', 'x', '1', '.', ''), fc.boolean())
      .map(([at, text, replace]) => base.slice(0, at) + text + base.slice(at + (replace ? 1 : 0)));
    fc.assert(
      fc.property(mutated, (source) => {
        agrees(source);
      }),
      { numRuns: 500 },
    );
    // Not vacuous, counted on a fixed sample so the count is the same every run.
    const read = fc.sample(mutated, { numRuns: 500, seed: 20261207 }).filter((source) => agrees(source)).length;
    expect(read).toBeGreaterThan(100);
  });
});

describe('the fast YAML path, cases fast-check found', () => {
  it('leaves a lone "-" in a flow list to yaml, which refuses it (seed -2058300421: "flags: [-]")', () => {
    expect(agrees('checks:\n  - id: a\n    flags: [-]\n')).toBe(false);
    expect(agrees('checks:\n  - id: a\n    flags: [- x, b]\n')).toBe(false);
    // A negative number or a word starting with "-" stays a plain scalar the fast path reads.
    expect(agrees('checks:\n  - id: a\n    flags: [-12, -x]\n')).toBe(true);
  });
});
