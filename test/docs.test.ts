import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
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
