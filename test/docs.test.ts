import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { applySections, generatedSections } from '../src/docs.js';

describe('README', () => {
  it('has the generated sections (check types, faults) up to date with the registries: run `npm run docs`', async () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(applySections(readme, await generatedSections())).toBe(readme);
  });

  it('starts with the two commands a newcomer runs', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const top = readme.split('\n').slice(0, 20).join('\n');
    expect(top).toContain('npm ci && npx payready demo');
    expect(top).toContain('npm test');
  });

  it('lists every environment key an environment may have (the rule in "A suite, step by step")', async () => {
    const { ENVIRONMENT_KEYS } = await import('../src/suite/environment-keys.js');
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const rule = readme.slice(readme.indexOf('**Environments** take'), readme.indexOf('**Interpolation**'));
    for (const key of ENVIRONMENT_KEYS) expect(rule).toContain(`\`${key}\``);
  });

  it('points at nothing outside the repository: no design notes that are not here, no sibling folders', () => {
    const root = fileURLToPath(new URL('..', import.meta.url));
    // Built from parts so this file does not match itself.
    const outside = new RegExp(['\\bDESIGN\\.md\\b', '\\bSTYLE\\.md\\b', '\\.\\./shared/', '\\(DESIGN[:)]'].join('|'));
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (/\.(ts|js|md|yaml|json|txt)$/.test(entry.name) && path !== join('test', 'docs.test.ts')) {
          readFileSync(join(root, path), 'utf8').split('\n').forEach((line, index) => {
            if (outside.test(line)) offenders.push(`${path}:${index + 1}: ${line.trim()}`);
          });
        }
      }
    };
    for (const dir of ['src', 'test', 'bench', 'scripts', 'checks', 'fixtures/suites', 'fixtures/reference']) walk(dir);
    for (const file of ['README.md', 'package.json']) if (outside.test(readFileSync(join(root, file), 'utf8'))) offenders.push(file);
    expect(offenders).toEqual([]);
    // Every relative link of the README names a file that is here.
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    for (const [, target] of readme.matchAll(/\]\(([^)#:\s]+)(?:#[^)]*)?\)/g)) expect(existsSync(join(root, target!)), target).toBe(true);
  });
});

describe('README Reliability table', () => {
  it('every row names an id and test files that exist and contain that id', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const lines = readme.split('\n');
    const header = lines.indexOf('| id | what was tried | what holds | proved by |');
    expect(header, 'the table header').toBeGreaterThan(lines.indexOf('## Reliability'));
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
        const url = new URL(`../${file}`, import.meta.url);
        expect(existsSync(url), `${id}: ${file} does not exist`).toBe(true);
        expect(readFileSync(url, 'utf8'), `${id}: ${file} does not mention [${id}]`).toContain(`[${id}]`);
      }
    }
  });
});
