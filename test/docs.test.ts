import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
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
});
