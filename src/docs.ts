import { loadAllCheckTypes } from './checks/index.js';
import { describeParams, yamlLines } from './checks/shared/describe.js';
import { GUIDELINE_ITEMS, sectionsOf } from './guidelines.js';
import { FAULTS } from './sandbox/faults.js';
import { MAX_AMOUNT_MAJOR, TRANSACTION_CAPS } from './sandbox/payments/limits.js';
import { SCENARIOS } from './checks/transaction/library.js';

/**
 * README sections generated from the registries, so the docs cannot drift from the code.
 * `npm run docs` writes them between `<!-- generated:NAME -->` markers; a test fails when the
 * README is stale.
 */
export async function generatedSections(): Promise<Record<string, string>> {
  return {
    'check-types': await checkTypesMarkdown(),
    faults: faultsMarkdown(),
    caps: capsMarkdown(),
    scenarios: scenariosMarkdown(),
  };
}

async function checkTypesMarkdown(): Promise<string> {
  const types = await loadAllCheckTypes();
  const out = ['| type | can evidence | what it does |', '|---|---|---|'];
  for (const t of types) out.push(`| [\`${t.name}\`](#check-${t.name}) | ${t.items.join(', ')} | ${cell(t.description)} |`);
  for (const t of types) {
    out.push('', `#### <a id="check-${t.name}"></a>\`${t.name}\``, '', t.description, '');
    out.push(`Can evidence: ${t.items.map((id) => `${id} (${cell(GUIDELINE_ITEMS.find((item) => item.id === id)?.text ?? '')})`).join('; ')}.`, '');
    if (t.movesMoney) out.push('Moves money: refused on an environment without `sandbox: true` unless the suite sets `allowLive: true`.', '');
    else if (t.writesWhen) out.push(`Sends write requests ${t.writesWhen}: those are refused on an environment without \`sandbox: true\` unless the suite sets \`allowLive: true\`.`, '');
    out.push('| parameter | type | default | description |', '|---|---|---|---|');
    for (const p of describeParams(t.schema)) {
      out.push(`| \`${p.name}\`${p.required ? ' (required)' : ''} | ${cell(p.type)} | ${p.default !== undefined ? `\`${JSON.stringify(p.default)}\`` : ''} | ${cell(p.description)} |`);
    }
    if (t.values && Object.keys(t.values).length > 0) {
      out.push('', `Capture values: ${Object.entries(t.values).map(([k, v]) => `\`${k}\` (${v})`).join(', ')}.`);
    }
    if (t.example) out.push('', '```yaml', `- id: my-${t.name}-check`, `  type: ${t.name}`, `  section: "${sectionsOf(t.items)[0] ?? '1.1'}"`, '  with:', ...yamlLines(t.example, 4), '```');
  }
  return out.join('\n');
}

function faultsMarkdown(): string {
  const out = ['| fault | section | check that fails | also fails (depends on the same behaviour) | what breaks |', '|---|---|---|---|---|'];
  for (const f of FAULTS) {
    const also = (f.alsoFails ?? []).map((id) => `\`${id}\``).join(', ');
    out.push(`| \`${f.name}\` | ${f.section} | \`${f.caughtBy}\` | ${also} | ${cell(f.description)} |`);
  }
  return out.join('\n');
}

function scenariosMarkdown(): string {
  const out = ['| scenario | what must happen | parameters it reads |', '|---|---|---|'];
  for (const scenario of Object.values(SCENARIOS)) out.push(`| \`${scenario.name}\` | ${cell(scenario.description)} | ${scenario.reads.map((name) => `\`${name}\``).join(', ')} |`);
  return out.join('\n');
}

function capsMarkdown(): string {
  const major = (n: number): string => n.toLocaleString('en-US');
  const out = ['| payment method | per transaction | per day (UTC) |', '|---|---|---|'];
  for (const [method, caps] of Object.entries(TRANSACTION_CAPS)) out.push(`| \`${method}\` | ${major(caps.perTransaction)} | ${major(caps.daily)} |`);
  out.push('', `Caps are in major units of the payment's currency (10,000 = 10,000.00 EUR = 10,000 JPY = 10,000.000 KWD); any amount above ${major(MAX_AMOUNT_MAJOR)} is a validation error.`);
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
