import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatSuiteError, SuiteError } from '../../src/suite/errors.js';
import { loadSuite, parseSuite } from '../../src/suite/load.js';
import { MAX_SUITE_BYTES } from '../../src/suite/yaml.js';
import { fakeTypes } from './helpers.js';

const HEAD = 'suite: t\ntitle: T\nenvironments:\n  sandbox: { embedded: true }\n';
const CHECK = '  - { id: a, type: fetch, section: "1.1", with: { url: x } }\n';

async function rejection(promise: Promise<unknown>): Promise<SuiteError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(SuiteError);
  return error as SuiteError;
}

/** First problem of parsing `source`, as `line:column message | hint`. */
async function firstProblem(source: string): Promise<string> {
  const error = await rejection(parseSuite(source, 's.yaml', { env: {}, types: fakeTypes }));
  const [problem] = error.problems;
  const at = problem?.location ? `${problem.location.line}:${problem.location.column} ` : '';
  return `${at}${problem?.message ?? ''}${problem?.hint ? ` | ${problem.hint}` : ''}`;
}

describe('hostile YAML', () => {
  it('rejects an alias bomb before expanding it', async () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 12; i++) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    expect(await firstProblem(`${HEAD}variables:\n${levels.map((line) => `  ${line}`).join('\n')}\nchecks:\n${CHECK}`)).toBe(
      '11:10 YAML aliases expand to more than 100,000 values (an "alias bomb") | write the values out, or use fewer "*" references',
    );
  });

  it('caps the number of aliases and refuses recursive ones', async () => {
    const many = Array.from({ length: 101 }, (_, i) => `  v${i}: *x`).join('\n');
    expect(await firstProblem(`${HEAD}variables:\n  x: &x 1\n${many}\nchecks:\n${CHECK}`)).toBe(
      '107:9 too many YAML aliases (more than 100) | write the values out, or use fewer "*" references',
    );
    expect(await firstProblem(`${HEAD}variables:\n  x: &x [1, *x]\nchecks:\n${CHECK}`)).toBe('6:13 alias *x refers to a node that contains it');
  });

  it('refuses deep nesting, duplicate keys, tags and non-text keys, with positions', async () => {
    expect(await firstProblem(`${HEAD}variables:\n  deep: ${'['.repeat(100)}${']'.repeat(100)}\nchecks:\n${CHECK}`)).toMatch(/^6:\d+ the YAML nests more than 64 levels deep here$/);
    expect(await firstProblem(`${HEAD}title: again\nchecks:\n${CHECK}`)).toBe('5:1 duplicate key "title" | "title" is already set on line 2; each key may appear once per mapping');
    expect(await firstProblem(`${HEAD}variables: { data: !!binary aGVsbG8= }\nchecks:\n${CHECK}`)).toBe('5:20 unsupported YAML tag !!binary | suite files hold plain values: remove the tag');
    expect(await firstProblem(`${HEAD}variables: { ? [a, b] : 1 }\nchecks:\n${CHECK}`)).toBe('5:16 mapping keys must be plain text');
  });

  it('refuses files that are empty, not a mapping, or hold two documents', async () => {
    expect(await firstProblem('# only a comment\n')).toBe('1:1 the suite file is empty | start with "suite:", "title:", "environments:" and "checks:"');
    expect(await firstProblem('- a\n- b\n')).toBe('1:1 a suite file must be a mapping (suite, title, environments, checks), got a list');
    expect(await firstProblem(`${HEAD}checks:\n${CHECK}---\nsuite: two\n`)).toBe('7:1 a suite file holds one YAML document (found a second "---")');
  });

  it('survives random damage to a valid suite: SuiteError or a suite, nothing else', async () => {
    const base = `${HEAD}variables: { n: 3, list: [1, 2] }\nsecrets: { s: { env: S } }\nchecks:\n  - id: a\n    type: fetch\n    section: "1.1"\n    with:\n      url: "\${vars.n}"\n      headers: { authorization: "Bearer \${secrets.s}" }\n    capture: { t: body.t }\n  - { id: b, type: fetch, section: "1.1", needs: [a], with: { url: "\${checks.a.t}" } }\n`;
    const noise = [':', '[', ']', '{', '}', '&a ', '*a', '!!', '|', '>', '-', '"', "'", '\n', '\t', '${', '}', '#', ' ', 'x', '0', '?', '<<: *a'];
    let seed = 42;
    const random = (n: number): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    const outcomes = { loaded: 0, rejected: 0 };
    for (let round = 0; round < 300; round++) {
      let text = base;
      for (let edit = 0, edits = 1 + random(4); edit < edits; edit++) {
        const at = random(text.length);
        text = random(2) === 0 ? text.slice(0, at) + (noise[random(noise.length)] ?? '') + text.slice(at) : text.slice(0, at) + text.slice(at + 1 + random(8));
      }
      try {
        await parseSuite(text, 'fuzz.yaml', { env: { S: 'x' }, types: fakeTypes });
        outcomes.loaded++;
      } catch (error) {
        expect(error).toBeInstanceOf(SuiteError);
        expect(formatSuiteError(error as SuiteError)).toMatch(/^error: /);
        outcomes.rejected++;
      }
    }
    expect(outcomes.rejected).toBeGreaterThan(0);
    expect(outcomes.loaded + outcomes.rejected).toBe(300);
  });
});

describe('files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'payready-suite-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses a file over 5 MB before reading it', async () => {
    await writeFile(join(dir, 'huge.yaml'), Buffer.alloc(MAX_SUITE_BYTES + 1, 0x20));
    const error = await rejection(loadSuite('huge.yaml', { cwd: dir, env: {}, types: fakeTypes }));
    expect(error.problems[0]?.message).toBe('huge.yaml is larger than 5 MB');
    const text = await rejection(parseSuite(`${HEAD}#${'x'.repeat(MAX_SUITE_BYTES)}\n`, 'big.yaml', { types: fakeTypes }));
    expect(text.problems[0]?.message).toBe('big.yaml is larger than 5 MB');
  });

  it('names missing, unreadable and non-UTF-8 files as given, never absolute', async () => {
    await mkdir(join(dir, 'folder.yaml'));
    await writeFile(join(dir, 'latin1.yaml'), Buffer.from([0x73, 0x75, 0x69, 0x74, 0x65, 0x3a, 0x20, 0xe9, 0x0a]));
    const messages = await Promise.all(
      ['nope.yaml', 'folder.yaml', 'latin1.yaml'].map(async (file) => formatSuiteError(await rejection(loadSuite(file, { cwd: dir, env: {}, types: fakeTypes })))),
    );
    expect(messages).toEqual([
      'error: cannot read nope.yaml: no such file\n',
      'error: cannot read folder.yaml: it is a directory; payready reads regular files only\n',
      'error: latin1.yaml is not UTF-8 text\n  = help: save the suite as UTF-8\n',
    ]);
    for (const message of messages) expect(message).not.toContain(dir);
  });
});

describe('schema errors in sentences', () => {
  it.each([
    [`${HEAD}titel: x\nchecks:\n${CHECK}`, '5:1 unknown key "titel" | did you mean "title"? expected one of: $schema, suite, title, environments, variables, secrets, defaults, allowLive, liveMaxAmount, integration, checks'],
    [`${HEAD}checks:\n  - { id: a, type: fetch, section: "1.1" }\n`, '6:5 missing required key "with" in check "a"'],
    [`${HEAD}checks:\n  - id: a\n    type: fetch\n    section: "1.1"\n    with:\n      method: GET\n`, '9:5 missing required parameter "url" for check type "fetch"'],
    [`${HEAD}checks:\n  - { id: a, type: fetch, section: 1.1, with: { url: x } }\n`, '6:36 wrong type for section in check "a": expected a string, got 1.1 | quote it: "1.1"'],
    [`${HEAD}checks:\n  - { id: a, type: fetch, section: "8.1", with: { url: x } }\n`, '6:36 invalid value "8.1" for section in check "a" | did you mean "1.1"? expected one of: 1.1, 1.2, 1.3, 1.4, 2.1, 2.2, 2.3, 3.1, 3.2, 3.3, 4.1, 5.1, 5.2, 6.1, 6.2, 7.1, 7.2'],
    [`${HEAD}checks:\n  - { id: a, type: fetch, section: "1.1", severity: blockr, with: { url: x } }\n`, '6:53 invalid value "blockr" for severity in check "a" | did you mean "blocker"? expected one of: blocker, major, minor, info'],
    [`${HEAD}checks:\n  - { id: Bad_Id, type: fetch, section: "1.1", with: { url: x } }\n`, '6:11 invalid value "Bad_Id" for id in check "Bad_Id": expected lowercase letters, digits and dashes (kebab-case), e.g. "oauth-token"'],
    [`${HEAD}checks:\n  - { id: a, type: fetch, section: "1.1", tags: [x, x], with: { url: x } }\n`, '6:53 tags in check "a" lists "x" more than once'],
    [`${HEAD}checks:\n  - { id: a, type: fetch, section: "1.1", with: { url: x, method: PSOT } }\n`, '6:67 invalid value "PSOT" for with.method in check "a" | did you mean "POST"? expected one of: GET, POST'],
    [`suite: t\ntitle: T\nenvironments: {}\nchecks:\n${CHECK}`, '3:1 declare at least one environment | e.g. sandbox: { embedded: true }'],
    [`suite: t\ntitle: T\nenvironments:\n  prod env: { host: x }\nchecks:\n${CHECK}`, '4:3 invalid name "prod env" in environments: use letters, digits, "-" and "_", starting with a letter, e.g. "production"'],
    [`${HEAD}secrets:\n  both: { env: A, file: b }\nchecks:\n${CHECK}`, '6:9 secret "both" names more than one source | keep either env or file'],
  ])('%#', async (source, expected) => {
    expect(await firstProblem(source)).toBe(expected);
  });

  it('never shows the value of a secret written in the wrong shape', async () => {
    const error = await rejection(parseSuite(`${HEAD}secrets:\n  k: { value: abc123-literal }\nchecks:\n${CHECK}`, 's.yaml', { env: {}, types: fakeTypes }));
    expect(formatSuiteError(error)).toBe(
      [
        'error: unknown key "value" in secret "k"',
        ' --> s.yaml:6:8',
        '  |',
        '6 |   k: { value: ******** }',
        '  |        ^ a secret is { env: NAME } or { file: PATH }: its value never goes in the suite',
        '',
      ].join('\n'),
    );
  });

  it('caps the report at 20 problems and says how many were left out', async () => {
    const checks = Array.from({ length: 25 }, (_, i) => `  - { id: c${i}, type: fetch, section: "1.1", with: { url: x, bogus: 1 } }`).join('\n');
    const error = await rejection(parseSuite(`${HEAD}checks:\n${checks}\n`, 's.yaml', { env: {}, types: fakeTypes }));
    expect(error.problems).toHaveLength(20);
    expect(error.total).toBe(25);
    expect(formatSuiteError(error).trimEnd().split('\n').at(-1)).toBe('... and 5 more problems not shown');
  });
});

describe('a generated 1,000-check suite', () => {
  it('validates, with every dependency and reference resolved', async () => {
    const lines = [HEAD, 'variables: { currency: EUR }\n', 'secrets: { token: { env: PAYREADY_CLIENT_SECRET } }\n', 'checks:\n'];
    for (let i = 0; i < 1000; i++) {
      lines.push(`  - id: check-${i}\n    type: fetch\n    section: "1.1"\n    tags: [smoke]\n`);
      if (i > 0) lines.push(`    needs: [check-${i - 1}]\n`);
      lines.push(`    timeout: 10s\n    with:\n      url: \${target.baseUrl}/v1/things/${i}?c=\${vars.currency}\n      headers: { authorization: "Bearer \${secrets.token}" }\n`);
      lines.push(i % 2 === 0 ? '    capture: { id: body.id }\n' : `      method: POST\n      expect: { status: 201, headers: { x-ref: "\${checks.check-${i - 1}.id}" } }\n`);
    }
    const suite = await parseSuite(lines.join(''), 'big.yaml', { env: {}, types: fakeTypes });
    expect(suite.checks).toHaveLength(1000);
    expect(suite.checks[999]).toMatchObject({ id: 'check-999', needs: ['check-998'], timeoutMs: 10_000, severity: 'major' });
    expect(suite.checks[500]?.capture).toEqual({ id: { from: 'body.id', secret: false } });
  });
});
