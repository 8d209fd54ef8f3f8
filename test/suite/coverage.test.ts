import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { GUIDELINE_ITEMS, itemsOfSection } from '../../src/guidelines.js';
import { coverageOf, renderCoverage } from '../../src/suite/coverage.js';
import { SuiteError } from '../../src/suite/errors.js';
import { parseSuite } from '../../src/suite/load.js';
import { fakeTypes } from './helpers.js';

const HEAD = 'suite: test\ntitle: Test\nenvironments:\n  sandbox: { embedded: true }\n';
const load = (checks: string) => parseSuite(`${HEAD}checks:\n${checks}`, 'suites/test.yaml', { env: {}, types: fakeTypes });

describe('guideline items', () => {
  it('are every bullet of the guidelines, word for word, with ids section.a, section.b ...', () => {
    // fixtures/reference/guidelines.txt is a copy of ../shared/guidelines.txt.
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
  it('maps `proves:` items precisely and a check without it onto its whole section', async () => {
    const suite = await load(
      [
        '  - { id: https, type: fetch, section: "1.1", proves: ["1.1.b"], with: { url: x } }',
        '  - { id: data, type: fetch, section: "1.3", with: { url: x } }',
        '  - { id: cross, type: fetch, section: "1.1", proves: ["1.1.c", "5.2.b"], with: { url: x } }',
      ].join('\n'),
    );
    expect(suite.checks[0]!.proves).toEqual(['1.1.b']);
    expect(suite.checks[1]!.proves).toBeUndefined();
    const coverage = coverageOf(suite);
    const of = (id: string) => coverage.items.find((i) => i.id === id)!.checks.map((c) => `${c.id}${c.explicit ? '' : '*'}`);
    expect(of('1.1.a')).toEqual([]);
    expect(of('1.1.b')).toEqual(['https']);
    expect(of('1.1.c')).toEqual(['cross']);
    expect(of('1.3.a')).toEqual(['data*']);
    expect(of('1.3.b')).toEqual(['data*']);
    expect(of('5.2.b')).toEqual(['cross']);
    expect(coverage.covered).toBe(5);
    expect(coverage.total).toBe(36);
    expect(coverage.uncovered).toContain('1.1.a');
    expect(coverage.uncovered).toHaveLength(31);
    const text = renderCoverage(coverage);
    expect(text).toMatch(/^Guideline coverage of suites\/test\.yaml \(suite test\): 5 of 36 items proven$/m);
    expect(text).toMatch(/^ {2}MISSING {2}1\.1\.a {2}Gain access to all required API endpoints/m);
    expect(text).toMatch(/^ {13}no check proves it: add a check with section: "1\.1" and proves: \["1\.1\.a"\]$/m);
    expect(text).toMatch(/^ {2}ok {7}1\.3\.a {2}Exchange data in JSON format\.\n {13}data \(fetch, whole section\)$/m);
    expect(text).toMatch(/^31 item\(s\) not proven: 1\.1\.a, 1\.2\.a/m);
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
