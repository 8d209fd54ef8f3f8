import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { GUIDELINE_ITEMS, itemsOfSection } from '../../src/guidelines.js';
import { loadAllCheckTypes } from '../../src/checks/index.js';
import { coverageOf, renderCoverage, typeItemsOf } from '../../src/suite/coverage.js';
import { formatSuiteError, SuiteError } from '../../src/suite/errors.js';
import { parseSuite } from '../../src/suite/load.js';
import { fakeTypes } from './helpers.js';

const HEAD = 'suite: test\ntitle: Test\nenvironments:\n  sandbox: { embedded: true }\n';
const load = (checks: string) => parseSuite(`${HEAD}checks:\n${checks}`, 'suites/test.yaml', { env: {}, types: fakeTypes });

describe('guideline items', () => {
  it('are every bullet of the guidelines, word for word, with ids section.a, section.b ...', () => {
    // fixtures/reference/guidelines.txt: the provider's integration guidelines, word for word.
    const text = readFileSync(new URL('../../fixtures/reference/guidelines.txt', import.meta.url), 'utf8');
    const parsed: { id: string; text: string }[] = [];
    let section = '';
    let letter = 0;
    for (const line of text.split('\n')) {
      const heading = /^(\d\.\d) /.exec(line);
      if (heading) [section, letter] = [heading[1]!, 0];
      else if (line.startsWith('- ')) parsed.push({ id: `${section}.${String.fromCharCode(97 + letter++)}`, text: line.slice(2).trim() });
    }
    expect(GUIDELINE_ITEMS.map(({ id, text: t }) => ({ id, text: t }))).toEqual(parsed);
    expect(parsed).toHaveLength(36);
    expect(itemsOfSection('2.3').map((i) => i.id)).toEqual(['2.3.a', '2.3.b', '2.3.c']);
    expect(GUIDELINE_ITEMS[0]).toMatchObject({ id: '1.1.a', section: '1.1', sectionTitle: 'API Access' });
  });
});

describe('coverage', () => {
  const items = typeItemsOf(fakeTypes);

  it('a check proves only items its type can evidence: those under `proves:`, else those of its section', async () => {
    const suite = await load(
      [
        '  - { id: https, type: fetch, section: "1.1", proves: ["1.1.b"], with: { url: x } }',
        '  - { id: data, type: fetch, section: "1.3", with: { url: x } }',
        '  - { id: cross, type: fetch, section: "1.1", proves: ["1.1.a", "5.2.b"], with: { url: x } }',
        '  - { id: idle, type: pay, section: "7.1", with: { amount: 1 } }',
      ].join('\n'),
    );
    expect(suite.checks[0]!.proves).toEqual(['1.1.b']);
    expect(suite.checks[1]!.proves).toBeUndefined();
    const coverage = coverageOf(suite, items);
    const of = (id: string) => coverage.items.find((i) => i.id === id)!.checks.map((c) => `${c.id}${c.explicit ? '' : '*'}`);
    expect(of('1.1.a')).toEqual(['cross']);
    expect(of('1.1.b')).toEqual(['https']);
    expect(of('1.1.c')).toEqual([]);
    // fetch can evidence JSON (1.3.a) but not UTF-8 (1.3.b): its section does not give it 1.3.b.
    expect(of('1.3.a')).toEqual(['data*']);
    expect(of('1.3.b')).toEqual([]);
    expect(of('5.2.b')).toEqual(['cross']);
    expect(of('7.1.a')).toEqual([]);
    expect(coverage.covered).toBe(4);
    expect(coverage.total).toBe(36);
    expect(coverage.uncovered).toHaveLength(32);
    expect(coverage.idle).toEqual([{ id: 'idle', type: 'pay', section: '7.1', canEvidence: ['3.1.a', '3.1.b'] }]);
    const text = renderCoverage(coverage);
    expect(text).toMatch(/^Guideline coverage of suites\/test\.yaml \(suite test\): 4 of 36 items proven$/m);
    expect(text).toMatch(/^ {2}MISSING {2}1\.1\.c {2}Use OAuth 2\.0 protocol/m);
    expect(text).toMatch(/^ {13}no check proves it: add a check whose type can evidence it, with proves: \["1\.1\.c"\]/m);
    expect(text).toMatch(/^ {2}ok {7}1\.3\.a {2}Exchange data in JSON format\.\n {13}data \(fetch, by its section\)$/m);
    expect(text).toMatch(/^ {2}idle \(pay, section 7\.1\): pay can evidence 3\.1\.a, 3\.1\.b$/m);
    expect(text).toMatch(/^32 items not proven: 1\.1\.c, 1\.2\.a/m);
  });

  it('a `proves:` claim the type cannot evidence is a located error naming what the type can evidence', async () => {
    const source = `${HEAD}checks:\n  - id: a\n    type: fetch\n    section: "1.1"\n    proves: ["1.1.b", "7.1.a"]\n    with: { url: x }\n`;
    const error = await parseSuite(source, 'suites/test.yaml', { env: {}, types: fakeTypes }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SuiteError);
    const problems = (error as SuiteError).problems;
    expect(problems).toHaveLength(1);
    expect(problems[0]!.location).toEqual({ file: 'suites/test.yaml', line: 9, column: 23 });
    expect(formatSuiteError(error as SuiteError)).toBe(
      [
        'error: check type "fetch" cannot evidence guideline item 7.1.a (Review and accept all relevant terms and service agreements.)',
        ' --> suites/test.yaml:9:23',
        '  |',
        '9 |     proves: ["1.1.b", "7.1.a"]',
        '  |                       ^ "fetch" can evidence 1.1.a, 1.1.b, 1.3.a, 5.2.b; prove 7.1.a with a check of a type that can (payready checks lists them)',
        '',
      ].join('\n'),
    );
  });

  it('with the shipped types, no probe claims an item it does not test (secrets, pan-scan, port, headers)', async () => {
    const types = await loadAllCheckTypes();
    const suite = await parseSuite(
      [
        'suite: t',
        'title: T',
        'environments:',
        '  sandbox: { embedded: true }',
        'checks:',
        '  - { id: scan, type: secrets, section: "2.1", with: { paths: [.] } }',
        '  - { id: pan, type: pan-scan, section: "2.2", with: { paths: [.] } }',
        '  - { id: open, type: port, section: "1.2", with: { host: "${target.host}" } }',
        '  - { id: hdr, type: headers, section: "2.3", with: { url: "${target.baseUrl}" } }',
        '',
      ].join('\n'),
      'suites/t.yaml',
      { env: {}, types },
    );
    const coverage = coverageOf(suite, typeItemsOf(types));
    const of = (id: string) => coverage.items.find((i) => i.id === id)!.checks.map((c) => c.id);
    expect(of('2.1.a')).toEqual([]); // TLS: a file scan proves nothing about it
    expect(of('2.1.b')).toEqual(['scan']);
    expect(of('2.2.a')).toEqual(['pan']);
    expect(of('2.2.b')).toEqual([]); // GDPR: not a card-number scan
    expect(of('1.2.a')).toEqual([]); // bandwidth: not a TCP connect
    expect(of('1.2.b')).toEqual(['open']);
    expect(of('2.3.b')).toEqual([]); // rate limiting: not a header
    expect(of('2.3.c')).toEqual([]); // allowlisting: not a header
    for (const [claim, type, section] of [['7.1.a', 'port', '1.2'], ['1.2.a', 'port', '1.2'], ['2.1.a', 'secrets', '2.1'], ['2.2.b', 'pan-scan', '2.2']] as const) {
      const error = await parseSuite(
        `suite: t\ntitle: T\nenvironments:\n  sandbox: { embedded: true }\nchecks:\n  - { id: c, type: ${type}, section: "${section}", proves: ["${claim}"], with: { ${type === 'port' ? 'host: h' : 'paths: [.]'} } }\n`,
        'suites/t.yaml',
        { env: {}, types },
      ).catch((e: unknown) => e);
      expect(error, `${type} claiming ${claim}`).toBeInstanceOf(SuiteError);
      expect((error as SuiteError).problems[0]!.message).toBe(`check type "${type}" cannot evidence guideline item ${claim} (${GUIDELINE_ITEMS.find((i) => i.id === claim)!.text})`);
    }
  });

  it('every check type names real items; every item is evidenced by some type; attestation has what no probe can test', async () => {
    const types = await loadAllCheckTypes();
    const ids = new Set(GUIDELINE_ITEMS.map((item) => item.id));
    for (const type of types) {
      expect(type.items.length, type.name).toBeGreaterThan(0);
      for (const id of type.items) expect(ids.has(id), `${type.name}: ${id}`).toBe(true);
      expect(new Set(type.items).size, type.name).toBe(type.items.length);
      expect([...type.items], type.name).toEqual(GUIDELINE_ITEMS.map((i) => i.id).filter((id) => type.items.includes(id)));
    }
    const probed = new Set(types.filter((t) => t.name !== 'attestation').flatMap((t) => t.items));
    const attestation = types.find((t) => t.name === 'attestation')!;
    const unprobed = [...ids].filter((id) => !probed.has(id));
    expect(unprobed).toEqual(['1.4.a', '1.4.b', '2.2.b', '3.2.a', '3.3.a', '3.3.b', '4.1.a', '4.1.b', '5.2.a', '7.1.a', '7.1.b', '7.2.a']);
    for (const id of unprobed) expect(attestation.items).toContain(id);
  });

  it('rejects an unknown item id with its location and a suggestion', async () => {
    const error = await load('  - { id: a, type: fetch, section: "1.1", proves: ["1.1.d"], with: { url: x } }').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SuiteError);
    const [problem] = (error as SuiteError).problems;
    expect(problem!.location).toMatchObject({ line: 6 });
    expect(problem!.message).toMatch(/1\.1\.d/);
    expect(`${problem!.message} ${problem!.hint ?? ''}`).toMatch(/1\.1\.[abc]/);
  });
});
