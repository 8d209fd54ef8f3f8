import { loadAllCheckTypes } from './checks/index.js';
import { describeParams, yamlLines } from './checks/describe.js';
import { FAULTS } from './sandbox/faults.js';

/**
 * README sections generated from the registries, so the docs cannot drift from the code.
 * `npm run docs` writes them between `<!-- generated:NAME -->` markers; a test fails when the
 * README is stale.
 */
export async function generatedSections(): Promise<Record<string, string>> {
  return {
    'check-types': await checkTypesMarkdown(),
    faults: faultsMarkdown(),
  };
}

async function checkTypesMarkdown(): Promise<string> {
  const types = await loadAllCheckTypes();
  const out = ['| type | proves | what it does |', '|---|---|---|'];
  for (const t of types) out.push(`| [\`${t.name}\`](#check-${t.name}) | ${t.sections.join(', ')} | ${cell(t.description)} |`);
  for (const t of types) {
    out.push('', `#### <a id="check-${t.name}"></a>\`${t.name}\``, '', t.description, '');
    if (t.movesMoney) out.push('Moves money: refused on an environment without `sandbox: true` unless the suite sets `allowLive: true`.', '');
    out.push('| parameter | type | default | description |', '|---|---|---|---|');
    for (const p of describeParams(t.schema)) {
      out.push(`| \`${p.name}\`${p.required ? ' (required)' : ''} | ${cell(p.type)} | ${p.default !== undefined ? `\`${JSON.stringify(p.default)}\`` : ''} | ${cell(p.description)} |`);
    }
    if (t.values && Object.keys(t.values).length > 0) {
      out.push('', `Capture values: ${Object.entries(t.values).map(([k, v]) => `\`${k}\` (${v})`).join(', ')}.`);
    }
    if (t.example) out.push('', '```yaml', `- id: my-${t.name}-check`, `  type: ${t.name}`, `  section: "${t.sections[0] ?? '1.1'}"`, '  with:', ...yamlLines(t.example, 4), '```');
  }
  return out.join('\n');
}

function faultsMarkdown(): string {
  const out = ['| fault | section | check that fails | what breaks |', '|---|---|---|---|'];
  for (const f of FAULTS) out.push(`| \`${f.name}\` | ${f.section} | \`${f.caughtBy}\` | ${cell(f.description)} |`);
  return out.join('\n');
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** Replaces every generated block of `readme` with fresh content. */
export function applySections(readme: string, sections: Record<string, string>): string {
  let out = readme;
  for (const [name, body] of Object.entries(sections)) {
    const pattern = new RegExp(`(<!-- generated:${name} -->\\n)[\\s\\S]*?(<!-- /generated:${name} -->)`);
    if (!pattern.test(out)) throw new Error(`README.md has no <!-- generated:${name} --> block`);
    out = out.replace(pattern, (_m, open: string, close: string) => `${open}${body}\n${close}`);
  }
  return out;
}
