import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderDocs, strayPages, CHECK_PAGES } from '../scripts/docs/generate.js';
import { anchorsOf, brokenLinks, readBlock, relativeLinks, slugOf } from '../scripts/docs/markdown.js';
import { checkTypeNames } from '../src/checks/index.js';
import { parseSuite } from '../src/suite/load.js';
import { SuiteError } from '../src/suite/errors.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const read = (path: string): string => readFileSync(join(root, path), 'utf8');

/** README.md and every markdown page under docs/, repository-relative. */
function markdownPages(): string[] {
  const pages = ['README.md'];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.md')) pages.push(path);
    }
  };
  walk('docs');
  return pages.sort();
}

describe('generated docs', () => {
  it('every generated page and block is what `npm run docs` would write now (regenerated in memory; run `npm run docs` when this fails)', async () => {
    const pages = await renderDocs(root);
    const stale = [...pages].filter(([path, content]) => !existsSync(join(root, path)) || read(path) !== content).map(([path]) => path);
    expect(stale, 'stale pages: run `npm run docs`').toEqual([]);
    expect(strayPages(root, pages), 'pages of check types that are not registered: run `npm run docs`').toEqual([]);
  });

  it('every registered check type has its page, generated from its folder', () => {
    expect(checkTypeNames.length).toBeGreaterThan(0);
    for (const name of checkTypeNames) {
      const page = read(`${CHECK_PAGES}/${name}.md`);
      expect(page, name).toContain(`src/checks/${name}/meta.ts`);
      expect(page, name).toMatch(new RegExp(`^# \`${name}\``, 'm'));
      expect(page, name).toContain('## Parameters (`with:`)');
    }
    // A converted type (headers is the exemplar) has its title, prose and messages table with fixes.
    const headers = read(`${CHECK_PAGES}/headers.md`);
    expect(headers).toMatch(/^# `headers`: Security headers$/m);
    expect(headers).toContain('## How it decides');
    expect(headers).toMatch(/^\| `hstsMissing` \| fail \| .+ \| Send `Strict-Transport-Security: max-age=31536000` on every HTTPS response\. \|$/m);
  });
});

describe('README', () => {
  const readme = read('README.md');

  it('starts with the two commands a newcomer runs', () => {
    const top = readme.split('\n').slice(0, 20).join('\n');
    expect(top).toContain('npm ci && npx payready demo');
    expect(top).toContain('npm test');
  });

  it('is at most 400 lines: what payready is, the commands, a small suite and links; the rest is in docs/', () => {
    expect(readme.split('\n').length).toBeLessThanOrEqual(400);
    for (const page of ['docs/suite.md', 'docs/checks/README.md', 'docs/sandbox.md', 'docs/reports.md', 'docs/ci.md', 'docs/reliability.md', 'docs/performance.md', 'docs/conformance.md']) {
      expect(relativeLinks(readme).map((l) => l.target), page).toContain(page);
    }
  });

  it('shows a small suite that validates on the sandbox, and that its production environment refuses the payment as it says', async () => {
    const source = /^```yaml\n(suite: [\s\S]*?)^```$/m.exec(readme)?.[1];
    expect(source, 'the small suite').toBeDefined();
    const suite = await parseSuite(source!, 'payments.yaml', { env: {}, environment: 'sandbox' });
    expect(suite.checks.map((c) => c.type)).toEqual(['tls', 'oauth', 'transaction']);
    const env = { PAYREADY_BASE_URL: 'https://api.example.com', PAYREADY_CLIENT_ID: 'id', PAYREADY_CLIENT_SECRET: 'secret' };
    const refused = await parseSuite(source!, 'payments.yaml', { env, environment: 'production' }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(SuiteError);
    expect((refused as SuiteError).problems.map((p) => p.message)).toEqual([expect.stringMatching(/"payment-approve" moves money/)]);
  });
});

describe('docs pages', () => {
  it('every relative link of README.md and docs/**/*.md resolves: the file exists, and an anchor is a heading or anchor of that page', () => {
    const pages = markdownPages();
    expect(pages).toContain('docs/checks/README.md');
    expect(pages.flatMap((page) => brokenLinks(root, page))).toEqual([]);
  });

  it('finds anchors as GitHub makes them (the link check is only as good as this)', () => {
    expect(slugOf('Start your own suite: `payready init`')).toBe('start-your-own-suite-payready-init');
    expect(slugOf('Payments: scenarios and money safety')).toBe('payments-scenarios-and-money-safety');
    expect(slugOf('`oauth`: what it proves (1.1)')).toBe('oauth-what-it-proves-11');
    expect([...anchorsOf('# A\n## A\n```\n# not a heading\n```\n<a id="x"></a>\n')]).toEqual(['a', 'a-1', 'x']);
  });

  it('lists every environment key an environment may have (the rule in docs/suite.md)', async () => {
    const { ENVIRONMENT_KEYS } = await import('../src/suite/environment-keys.js');
    const page = read('docs/suite.md');
    const rule = page.slice(page.indexOf('**Environments** take'), page.indexOf('**Interpolation**'));
    expect(rule.length).toBeGreaterThan(0);
    for (const key of ENVIRONMENT_KEYS) expect(rule).toContain(`\`${key}\``);
  });

  it('have the fault matrix block the fault-matrix test compares against', () => {
    expect(readBlock(read('docs/reliability.md'), 'fault-matrix')).toMatch(/^\| check type \|/);
  });
});

describe('the repository', () => {
  it('points at nothing outside itself: no design notes that are not here, no sibling folders', () => {
    // Built from parts so this file does not match itself.
    const named = new RegExp(['\\bDESIGN\\.md\\b', '\\bSTYLE\\.md\\b', '\\(DESIGN[:)]', '(^|[\\s\'"`(])/work/'].join('|'));
    // The sibling folder the product notes live in, reached by climbing above the repository from
    // where the path is written (`../shared/` from src/checks/http/ is src/checks/shared/, inside).
    // Markdown links that climb out are caught by the link check.
    const climbs = (file: string, line: string): boolean =>
      [...line.matchAll(/(?:\.\.\/)+shared\//g)].some((m) => relative(root, resolve(root, dirname(file), m[0])).startsWith('..'));
    const offenders: string[] = [];
    const scan = (path: string): void => {
      readFileSync(join(root, path), 'utf8').split('\n').forEach((line, index) => {
        if (named.test(line) || climbs(path, line)) offenders.push(`${path}:${index + 1}: ${line.trim()}`);
      });
    };
    const walk = (dir: string): void => {
      for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (/\.(ts|js|mjs|md|yaml|json|txt)$/.test(entry.name) && path !== join('test', 'docs.test.ts')) scan(path);
      }
    };
    for (const dir of ['src', 'test', 'bench', 'scripts', 'docs', 'checks', 'fixtures/suites', 'fixtures/reference']) walk(dir);
    for (const file of ['README.md', 'package.json', '.dependency-cruiser.mjs', 'vitest.config.ts']) scan(file);
    expect(offenders).toEqual([]);
  });
});

describe('docs/reliability.md Reliability table', () => {
  it('every row names an id and test files that exist and contain that id', () => {
    const lines = read('docs/reliability.md').split('\n');
    const header = lines.indexOf('| id | what was tried | what holds | proved by |');
    expect(header, 'the table header').toBeGreaterThan(lines.indexOf('# Reliability'));
    const rows: string[] = [];
    for (let i = header + 2; i < lines.length && lines[i]!.startsWith('|'); i++) rows.push(lines[i]!);
    expect(rows.length).toBeGreaterThan(0);
    const ids = new Set<string>();
    for (const row of rows) {
      const cells = row.split(' | ');
      const id = /^\| `([^`]+)`$/.exec(cells[0]!)?.[1] ?? '';
      expect(id, row).toMatch(/^[a-z0-9-]+\/[a-z0-9-]+$/);
      expect(ids.has(id), `id ${id} appears twice`).toBe(false);
      ids.add(id);
      const files = [...cells.at(-1)!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
      expect(files.length, row).toBeGreaterThan(0);
      for (const file of files) {
        expect(existsSync(join(root, file)), `${id}: ${file} does not exist`).toBe(true);
        expect(read(file), `${id}: ${file} does not mention [${id}]`).toContain(`[${id}]`);
      }
    }
  });
});
