import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, normalize, relative } from 'node:path';
import { parse } from 'yaml';
import { loadAllCheckTypes } from '../../src/checks/index.js';
import { describeParams, yamlLines } from '../../src/checks/shared/describe.js';
import type { CheckType, JsonSchema } from '../../src/checks/types.js';
import { INTEGRATION_SCHEMA } from '../../src/checks/integration/config.js';
import { SCENARIOS } from '../../src/checks/transaction/library.js';
import { supportOf } from '../../src/checks/transaction/support.js';
import { PROVIDER_NAMES } from '../../src/providers/names.js';
import { profileSchema } from '../../src/providers/profile-schema.js';
import { loadProfile, type Profile } from '../../src/providers/profiles.js';
import { GUIDELINE_ITEMS, GUIDELINE_SECTIONS, sectionsOf } from '../../src/guidelines.js';
import type { Message } from '../../src/model/messages.js';
import { FAULTS } from '../../src/sandbox/faults.js';
import { MAX_AMOUNT_MAJOR, TRANSACTION_CAPS } from '../../src/sandbox/payments/limits.js';
import { applyBlocks, cell } from './markdown.js';

/*
 * The docs generated from the code, so they cannot drift from it (`npm run docs` writes them,
 * test/docs.test.ts fails when one is stale):
 *
 * - docs/checks/<type>.md for every registered type, whole: src/checks/<type>/meta.ts (title,
 *   description, items, writes, parameters, capture values, example), messages.ts (every message
 *   with its fix) and the type's README.md prose;
 * - docs/checks/README.md, the index;
 * - providers/profile.schema.json, the provider profile schema (src/providers/profile-schema.ts) for
 *   editors and profile authors;
 * - the `<!-- generated:NAME -->` blocks of hand-written pages (the faults and caps of the sandbox,
 *   the scenarios and the write rules of the payments page, the scenario support and the
 *   differences of the shipped provider profiles, the type list of README.md).
 *
 * The fault matrix of docs/reliability.md is measured, not derived: test/hardening/fault-matrix.test.ts
 * measures it and scripts/docs.js writes it (see there).
 */

/** Folder of the generated check-type pages, relative to the repository root. */
export const CHECK_PAGES = 'docs/checks';

/** The provider profile schema, written as JSON Schema for editors (the shipped profiles name it in their first line). */
export const PROFILE_SCHEMA_FILE = 'providers/profile.schema.json';

/** Hand-written pages and the generated blocks each holds. */
const BLOCKS = {
  'README.md': ['check-list', 'performance'],
  'docs/sandbox.md': ['caps', 'faults'],
  'docs/payments.md': ['scenarios', 'writes'],
  'docs/providers.md': ['provider-support', 'provider-differences'],
  'docs/integration.md': ['integration-section'],
  'docs/performance.md': ['performance'],
} as const;

type BlockName = (typeof BLOCKS)[keyof typeof BLOCKS][number];

/** What the pages are made from: the registries, read once. */
interface Sources {
  root: string;
  types: CheckType[];
  /** Check id -> type, of the shipped suite (checks/go-live.yaml). */
  goLiveTypes: Map<string, string>;
}

/**
 * Every generated file, and every hand-written page holding generated blocks, as it should read:
 * repository-relative path -> content. Reads the hand-written pages under `root`; writes nothing.
 */
export async function renderDocs(root: string): Promise<Map<string, string>> {
  const sources: Sources = { root, types: await loadAllCheckTypes(), goLiveTypes: goLiveTypes(root) };
  const out = new Map<string, string>();
  for (const type of sources.types) out.set(`${CHECK_PAGES}/${type.name}.md`, typePage(type, sources));
  out.set(`${CHECK_PAGES}/README.md`, indexPage(sources));
  out.set(PROFILE_SCHEMA_FILE, `${JSON.stringify(profileSchema, null, 2)}\n`);
  const profiles = PROVIDER_NAMES.map((name) => loadProfile(join(root, 'providers', `${name}.yaml`)));
  const blocks: Record<BlockName, () => string> = {
    'check-list': () => checkList(sources),
    caps: capsTable,
    faults: () => faultsTable(sources),
    scenarios: scenariosTable,
    writes: () => writesTable(sources),
    'provider-support': () => supportTable(profiles),
    'provider-differences': () => differencesTable(profiles),
    'integration-section': () => paramsTable(INTEGRATION_SCHEMA, 'key'),
    performance: () => performanceTable(root),
  };
  for (const [file, names] of Object.entries(BLOCKS)) {
    const fresh = Object.fromEntries(names.map((name) => [name, blocks[name]()]));
    out.set(file, applyBlocks(readFileSync(join(root, file), 'utf8'), fresh, file));
  }
  return out;
}

/** Files in docs/checks/ that no registered type (or the index) accounts for: a type that was removed or renamed. */
export function strayPages(root: string, expected: ReadonlyMap<string, string>): string[] {
  const dir = join(root, CHECK_PAGES);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((name) => `${CHECK_PAGES}/${name}`)
    .filter((path) => !expected.has(path));
}

const GENERATED_NOTE = (from: string): string => `<!-- Generated by \`npm run docs\` from ${from}; edit the sources, not this page. -->`;

function typePage(type: CheckType, sources: Sources): string {
  const folder = `src/checks/${type.name}`;
  const prose = readProse(sources.root, folder);
  // A type not yet of the folder shape declares its metadata in index.ts.
  const metaFile = existsSync(join(sources.root, folder, 'meta.ts')) ? 'meta.ts' : 'index.ts';
  const from = [`${folder}/${metaFile}`, type.messages ? `${folder}/messages.ts` : undefined, prose !== undefined ? `${folder}/README.md` : undefined].filter(Boolean).map((f) => `\`${f}\``);
  const out: string[] = [GENERATED_NOTE(from.join(', ')), '', `# \`${type.name}\`${type.title ? `: ${type.title}` : ''}`, '', type.description, ''];
  out.push(`[Every check type](README.md) · \`payready checks ${type.name}\` prints the parameters below`, '');

  out.push('## Guideline items it can evidence', '');
  for (const id of type.items) out.push(`- **${id}** (${GUIDELINE_SECTIONS[id.slice(0, 3)] ?? ''}) ${GUIDELINE_ITEMS.find((item) => item.id === id)?.text ?? ''}`);
  out.push('', "A check proves the items under its `proves:`, or those of its `section:` this type can evidence; a `proves:` naming another item is a validation error ([coverage](../coverage.md)).", '');

  out.push('## Writes and money', '', writesSentence(type), '');
  if (type.runsLast) out.push('It runs after every other check of the suite, one at a time with the other such checks (`load`, `kpi`, `ui`), in suite order, so its work does not skew their timings.', '');
  if (type.prepare) out.push('Its slow set-up (described below) may begin earlier, when the run goes quiet: no other check left to start and every running one waiting out a pause.', '');

  if (prose !== undefined) out.push('## How it decides', '', prose, '');

  out.push('## Parameters (`with:`)', '');
  const params = describeParams(type.schema);
  if (params.length === 0) out.push('None.', '');
  else out.push(paramsTable(type.schema, 'parameter'), '');

  if (type.values && Object.keys(type.values).length > 0) {
    out.push('## Capture values', '', 'What `capture: { name: { from: VALUE } }` can take from a result of this type.', '', '| value | what it holds |', '|---|---|');
    for (const [name, what] of Object.entries(type.values)) out.push(`| \`${name}\` | ${cell(what)} |`);
    out.push('');
  }

  if (type.example) {
    out.push('## Example', '', '```yaml', `  - id: my-${type.name}-check`, `    type: ${type.name}`, `    section: "${sectionsOf(type.items)[0] ?? '1.1'}"`, '    with:', ...yamlLines(type.example, 6), '```', '');
  }

  if (type.messages) {
    out.push('## Messages', '', 'Every summary and finding a check of this type can report (a result carries the id and the values filled in), with what to do about it.', '');
    out.push('| id | status | message | fix |', '|---|---|---|---|');
    for (const [id, message] of Object.entries(type.messages)) out.push(`| \`${id}\` | ${statusWords(message)} | ${cell(template(message.text))} | ${cell(message.fix ?? '')} |`);
    out.push('');
  }

  const faults = FAULTS.filter((f) => [f.caughtBy, ...(f.alsoFails ?? [])].some((id) => sources.goLiveTypes.get(id) === type.name));
  if (faults.length > 0) {
    out.push('## Watch it fail', '', `Sandbox faults that make a check of this type in \`checks/go-live.yaml\` fail ([the sandbox](../sandbox.md#faults)):`, '');
    for (const f of faults) {
      const ids = [f.caughtBy, ...(f.alsoFails ?? [])].filter((id) => sources.goLiveTypes.get(id) === type.name);
      out.push(`- \`payready demo --fault ${f.name}\`: ${ids.map((id) => `\`${id}\``).join(', ')} fail${ids.length === 1 ? 's' : ''}. ${f.description}`);
    }
    out.push('');
  }
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}

/** The type's prose (src/checks/<type>/README.md), its headings under the page's, its relative links rebased onto docs/checks/. */
function readProse(root: string, folder: string): string | undefined {
  const file = join(root, folder, 'README.md');
  if (!existsSync(file)) return undefined;
  const text = readFileSync(file, 'utf8').trim();
  const levels = [...text.matchAll(/^(#{1,6}) /gm)].map((m) => m[1]!.length);
  const shift = levels.length > 0 ? Math.max(0, 3 - Math.min(...levels)) : 0;
  let inCode = false;
  return text
    .split('\n')
    .map((line) => {
      if (/^\s*(```|~~~)/.test(line)) inCode = !inCode;
      if (inCode) return line;
      const heading = shift > 0 ? line.replace(/^(#{1,6}) /, (_m, hashes: string) => `${'#'.repeat(Math.min(6, hashes.length + shift))} `) : line;
      return heading.replace(/\]\((?![a-z][a-z0-9+.-]*:|#)([^)\s#]+)(#[^)\s]*)?\)/gi, (_m, target: string, anchor: string | undefined) => {
        const fromRoot = normalize(join(folder, target));
        return `](${relative(CHECK_PAGES, fromRoot).split('\\').join('/')}${anchor ?? ''})`;
      });
    })
    .join('\n');
}

function writesSentence(type: CheckType): string {
  if (type.movesMoney) return 'Moves money: refused on an environment without `sandbox: true` unless the suite sets `allowLive: true` ([money safety](../payments.md#money-safety)).';
  if (type.writesWhen) return `Sends write requests ${type.writesWhen}: those are refused on an environment without \`sandbox: true\` unless the suite sets \`allowLive: true\` ([money safety](../payments.md#money-safety)).`;
  return 'Sends no write requests: it runs against any environment.';
}

function statusWords(message: Message): string {
  return (typeof message.status === 'string' ? [message.status] : [...message.status]).join(', ');
}

/** A template as the docs show it: the words as they are (markdown escaped), `{name}` slots left as written. */
function template(text: string): string {
  return text.replace(/[\\`*_<>[\]]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : `\\${c}`));
}

function indexPage(sources: Sources): string {
  const out = [GENERATED_NOTE('the registry, `src/checks/index.ts`, and each type\'s folder'), '', '# Check types', ''];
  out.push(
    'One page per check type: what it proves, the guideline items it can evidence, when it sends writes, its parameters, capture values, an example, and every message it can report with its fix. `payready checks TYPE` prints the parameters on the command line.',
    '',
    '"Can evidence" lists the guideline items a check of that type can prove: a `proves:` naming any other item is a validation error, pointed at the claim ([coverage](../coverage.md)).',
    '',
    '| type | can evidence | writes | what it does |',
    '|---|---|---|---|',
  );
  for (const t of sources.types) out.push(`| [\`${t.name}\`](${t.name}.md) | ${t.items.join(', ')} | ${t.movesMoney ? 'moves money' : t.writesWhen ? cell(t.writesWhen) : 'never'} | ${cell(t.description)} |`);
  out.push('', 'Adding a type: a folder `src/checks/<type>/` of the shape of `src/checks/headers/` (meta.ts, messages.ts, run.ts, index.ts, README.md), one line in the registry, then `npm run docs`.');
  return `${out.join('\n')}\n`;
}

/** README.md's list of check types. */
function checkList(sources: Sources): string {
  const out = ['| type | what it checks | guideline items it can evidence |', '|---|---|---|'];
  for (const t of sources.types) out.push(`| [\`${t.name}\`](docs/checks/${t.name}.md) | **${cell(t.title)}**: ${cell(t.description)} | ${t.items.join(', ')} |`);
  return out.join('\n');
}

function faultsTable(sources: Sources): string {
  const link = (id: string): string => {
    const type = sources.goLiveTypes.get(id);
    return type ? `[\`${id}\`](checks/${type}.md)` : `\`${id}\``;
  };
  const out = ['| fault | section | check that fails | also fails (depends on the same behaviour) | what breaks |', '|---|---|---|---|---|'];
  for (const f of FAULTS) out.push(`| \`${f.name}\` | ${f.section} | ${link(f.caughtBy)} | ${(f.alsoFails ?? []).map(link).join(', ')} | ${cell(f.description)} |`);
  return out.join('\n');
}

/** One measured figure of bench/results.json. */
interface BenchEntry {
  name: string;
  unit?: string;
  median?: number | string;
  ratio?: number;
  peer?: string;
  budget?: string;
  ok?: boolean;
  error?: string;
}

/** The figures of bench/results.json that have a budget: what, median, against the peer, budget, met. */
function performanceTable(root: string): string {
  const results = JSON.parse(readFileSync(join(root, 'bench', 'results.json'), 'utf8')) as { date: string; machine: { cpus: number; node: string }; results: Record<string, BenchEntry[]> };
  const out = ['| case | figure | median | against | budget | met |', '|---|---|---|---|---|---|'];
  for (const [name, entries] of Object.entries(results.results)) {
    for (const entry of entries) {
      if (entry.error) out.push(`| \`${name}\` | ${cell(entry.name)} | not measured: ${cell(entry.error)} | | | |`);
      if (!entry.budget || entry.error) continue;
      const median = typeof entry.median === 'number' ? entry.median.toLocaleString('en-US') : String(entry.median ?? '');
      const against = entry.ratio !== undefined && entry.peer ? `${entry.ratio}x ${cell(entry.peer)}` : '';
      out.push(`| \`${name}\` | ${cell(entry.name)} | ${median} ${entry.unit ?? ''} | ${against} | ${cell(entry.budget)} | ${entry.ok ? 'yes' : '**no**'} |`);
    }
  }
  out.push('', `Medians from \`bench/results.json\` (${results.date.slice(0, 10)}, ${results.machine.cpus} cores, Node ${results.machine.node}); \`npm run bench\` measures them, \`npm run docs\` writes this table.`);
  return out.join('\n');
}

/** A schema's properties as a table: name (required), type, default, description. */
function paramsTable(schema: JsonSchema, what: string): string {
  const out = [`| ${what} | type | default | description |`, '|---|---|---|---|'];
  for (const p of describeParams(schema)) {
    out.push(`| \`${p.name}\`${p.required ? ' (required)' : ''} | ${cell(p.type)} | ${p.default !== undefined ? `\`${cell(JSON.stringify(p.default))}\`` : ''} | ${cell(p.description)} |`);
  }
  return out.join('\n');
}

function scenariosTable(): string {
  const out = ['| scenario | what must happen | parameters it reads |', '|---|---|---|'];
  for (const scenario of Object.values(SCENARIOS)) out.push(`| \`${scenario.name}\` | ${cell(scenario.description)} | ${scenario.reads.map((name) => `\`${name}\``).join(', ')} |`);
  return out.join('\n');
}

function capsTable(): string {
  const major = (n: number): string => n.toLocaleString('en-US');
  const out = ['| payment method | per transaction | per day (UTC) |', '|---|---|---|'];
  for (const [method, caps] of Object.entries(TRANSACTION_CAPS)) out.push(`| \`${method}\` | ${major(caps.perTransaction)} | ${major(caps.daily)} |`);
  out.push('', `Caps are in major units of the payment's currency (10,000 = 10,000.00 EUR = 10,000 JPY = 10,000.000 KWD); any amount above ${major(MAX_AMOUNT_MAJOR)} is a validation error.`);
  return out.join('\n');
}

/** Which types send writes, and when: what money safety refuses on a live environment. */
function writesTable(sources: Sources): string {
  const out = ['| type | refused on a live environment |', '|---|---|'];
  for (const t of sources.types) out.push(`| [\`${t.name}\`](checks/${t.name}.md) | ${t.movesMoney ? 'always (it moves money)' : t.writesWhen ? cell(t.writesWhen) : 'never: it sends no writes'} |`);
  return out.join('\n');
}

function goLiveTypes(root: string): Map<string, string> {
  const suite = parse(readFileSync(join(root, 'checks', 'go-live.yaml'), 'utf8')) as { checks?: { id: string; type: string }[] };
  return new Map((suite.checks ?? []).map((c) => [c.id, c.type]));
}

/** Each scenario under each shipped profile: runs, or skip with the profile's reason. */
function supportTable(profiles: readonly Profile[]): string {
  const out = [`| scenario | ${profiles.map((p) => `\`${p.provider}\``).join(' | ')} |`, `|---|${profiles.map(() => '---|').join('')}`];
  for (const scenario of Object.values(SCENARIOS)) {
    const cells = profiles.map((profile) => {
      const { skip, without } = supportOf(profile, scenario);
      if (skip) return `skip: ${cell(skip.reason)}`;
      return without.length > 0 ? `runs (no ${without.map((op) => `\`${op}\``).join(' or ')} call: judged on the answers)` : 'runs';
    });
    out.push(`| [\`${scenario.name}\`](payments.md#payment-scenarios) | ${cells.join(' | ')} |`);
  }
  return out.join('\n');
}

const code = (text: string): string => `\`${text}\``;

const AUTH_WORDS: Record<Profile['auth']['scheme'], (p: Profile) => string> = {
  'oauth-client-credentials': () => 'OAuth 2.0 client_credentials (`clientId`/`clientSecret`), or a bearer `token`',
  bearer: (p) => `API key as a bearer token (\`apiKey\`${p.auth.keyPattern ? `, test keys match ${code(p.auth.keyPattern)}` : ''})`,
  header: (p) => `API key in ${code(p.auth.header ?? 'X-API-Key')} (\`apiKey\`)`,
};

const SIGNATURE_WORDS: Record<NonNullable<Profile['webhooks']>['signature']['scheme'], (s: NonNullable<Profile['webhooks']>['signature']) => string> = {
  'hmac-sha256-timestamp': (s) => `${code(`${s.header ?? 'Payready-Signature'}: t=…,v1=…`)}, HMAC-SHA256 of \`t.body\`${s.toleranceSeconds ? `, ${s.toleranceSeconds} s tolerance` : ''}`,
  'adyen-hmac': () => '`additionalData.hmacSignature` in each notification item: HMAC-SHA256 of the item fields with the hex key, Base64; no timestamp',
};

/** What differs between the shipped profiles, read from them. */
function differencesTable(profiles: readonly Profile[]): string {
  const rows: [string, (p: Profile) => string][] = [
    ['API', (p) => (p.docs && /^https?:/.test(p.docs) ? `[${p.title}](${p.docs})` : p.title)],
    ['a payment is a', (p) => p.paymentWord ?? 'payment'],
    ['authentication', (p) => AUTH_WORDS[p.auth.scheme](p)],
    ['request bodies', (p) => `${p.encoding === 'form' ? 'form-encoded, objects in bracket notation' : 'JSON'}; currency codes ${p.currencyCase === 'lower' ? 'lower case (`eur`)' : 'upper case (`EUR`)'}`],
    ['settings', (p) => Object.keys(p.settings ?? {}).map(code).join(', ') || 'none'],
    ['status words', (p) => Object.entries(p.statuses).map(([word, state]) => `${code(word)} → ${state}`).join(', ')],
    ['acknowledged only (outcome in a notification)', (p) => Object.entries(p.operations).filter(([, op]) => op?.async).map(([name]) => name).join(', ') || 'none'],
    ['no call for', (p) => (['cancel', 'refund', 'read', 'list'] as const).filter((op) => !p.operations[op]).join(', ') || 'nothing: every operation'],
    ['decline signal', (p) => `${p.decline.status.join(' or ')}${p.decline.when ? ` with ${code(`${p.decline.when.at} = ${p.decline.when.equals}`)}` : ''}; code at ${code(p.decline.code)}, message at ${code(p.decline.message)}`],
    ['error fields', (p) => `code at ${code(p.errors.code)}, message at ${code(p.errors.message)}`],
    ['idempotency', (p) => `${code(p.idempotency.header)}; a reused key with another body: ${p.idempotency.reuse.answer === 'original' ? "the first request's answer again (no error)" : `${(p.idempotency.reuse.status ?? []).join(' or ')}${p.idempotency.reuse.code ? ` ${code(p.idempotency.reuse.code)}` : ''}`}`],
    ['per-transaction cap', (p) => p.limits?.perTransaction?.unsupported ?? (p.limits?.perTransaction?.code ? `${p.limits.perTransaction.via === 'decline' ? 'declined' : 'refused'} with ${code(p.limits.perTransaction.code)}${p.limits.perTransaction.max ? ` above ${p.limits.perTransaction.max} minor units` : ''}` : 'not stated')],
    ['daily cap', (p) => p.limits?.daily?.unsupported ?? (p.limits?.daily?.code ? `${p.limits.daily.via === 'decline' ? 'declined' : 'refused'} with ${code(p.limits.daily.code)}` : 'not stated')],
    ['test methods', (p) => `approved ${methodWords(p.methods.approved)}; ${p.methods.declines.length} declines (${p.methods.declines.map((d) => code(d.code)).join(', ')})`],
    ['webhook registration', (p) => (p.webhooks ? p.webhooks.register.map((r) => code(`${r.method} ${r.path}`)).join(', then ') : 'none')],
    ['webhook signature', (p) => (p.webhooks ? SIGNATURE_WORDS[p.webhooks.signature.scheme](p.webhooks.signature) : 'none')],
    ['capture event', (p) => (p.webhooks ? code(p.webhooks.event.type) : 'none')],
  ];
  const out = [`| | ${profiles.map((p) => `[\`${p.provider}\`](../providers/${p.provider}.yaml)`).join(' | ')} |`, `|---|${profiles.map(() => '---|').join('')}`];
  for (const [label, value] of rows) out.push(`| ${label} | ${profiles.map((p) => cell(value(p))).join(' | ')} |`);
  return out.join('\n');
}

/** A test method as the table shows it: its name, or the fields that tell it apart. */
function methodWords(method: unknown): string {
  if (typeof method === 'string') return code(method);
  const fields = method !== null && typeof method === 'object' ? (method as Record<string, unknown>) : {};
  return code(String(fields['number'] ?? fields['type'] ?? JSON.stringify(method)));
}
