import type { CheckType } from '../checks/types.js';
import { GUIDELINE_ITEMS, type GuidelineItem } from '../guidelines.js';
import { plural } from '../text.js';
import type { CheckSpec } from './types.js';

/** A check that proves a guideline item. */
export interface ProvingCheck {
  /** Check id. */
  id: string;
  /** Check type. */
  type: string;
  /** Check title. */
  title: string;
  /** True when the check names the item under `proves:`; false when it proves it by its section. */
  explicit: boolean;
}

/** One guideline item and the checks of a suite that prove it. */
export interface ItemCoverage extends GuidelineItem {
  /** Checks proving it, in suite order; empty when the item is uncovered. */
  checks: ProvingCheck[];
}

/** A check that proves no guideline item: its type can evidence nothing in its section. */
export interface IdleCheck {
  /** Check id. */
  id: string;
  /** Check type. */
  type: string;
  /** Its `section:`. */
  section: string;
  /** What its type can evidence (where a `section:` or `proves:` would make it count). */
  canEvidence: string[];
}

/** Which guideline items a suite proves: the machine-readable output of `payready coverage --json`. */
export interface Coverage {
  /** The suite. */
  suite: { name: string; file: string };
  /** Every guideline item, in document order. */
  items: ItemCoverage[];
  /** Items proven by at least one check. */
  covered: number;
  /** Every item. */
  total: number;
  /** Ids of the items no check proves. */
  uncovered: string[];
  /** Checks that prove no item (their type can evidence nothing in their section), in suite order. */
  idle: IdleCheck[];
}

/** Guideline items each check type can evidence, by type name. */
export type TypeItems = ReadonlyMap<string, readonly string[]>;

/** The items each of these check types can evidence. */
export function typeItemsOf(types: Iterable<Pick<CheckType, 'name' | 'items'>>): TypeItems {
  return new Map([...types].map((type) => [type.name, type.items]));
}

/** The items the registry's types used by `checks` can evidence (loads only those types). */
export async function registryTypeItems(checks: readonly Pick<CheckSpec, 'type'>[]): Promise<TypeItems> {
  const { loadCheckType } = await import('../checks/index.js');
  return typeItemsOf(await Promise.all([...new Set(checks.map((check) => check.type))].map((name) => loadCheckType(name))));
}

/**
 * The items one check proves. Only items its type can evidence: those it names under `proves:`
 * (the loader refuses a claim its type cannot evidence), else those of its `section:`. A `port`
 * check in section 1.2 proves 1.2.b (port 443 open), never 1.2.a (bandwidth).
 */
export function itemsProvenBy(check: Pick<CheckSpec, 'section' | 'proves'>, typeItems: readonly string[]): string[] {
  if (check.proves) return check.proves.filter((id) => typeItems.includes(id));
  return typeItems.filter((id) => GUIDELINE_ITEMS.some((item) => item.id === id && item.section === check.section));
}

/** Maps a suite's checks onto the guideline items, each check proving `itemsProvenBy`. */
export function coverageOf(suite: { name: string; file: string; checks: readonly CheckSpec[] }, typeItems: TypeItems): Coverage {
  const items: ItemCoverage[] = GUIDELINE_ITEMS.map((item) => ({ ...item, checks: [] }));
  const byId = new Map(items.map((item) => [item.id, item]));
  const idle: IdleCheck[] = [];
  for (const check of suite.checks) {
    const evidences = typeItems.get(check.type) ?? [];
    const ids = itemsProvenBy(check, evidences);
    if (ids.length === 0) idle.push({ id: check.id, type: check.type, section: check.section, canEvidence: [...evidences] });
    for (const id of ids) byId.get(id)?.checks.push({ id: check.id, type: check.type, title: check.title, explicit: check.proves !== undefined });
  }
  const uncovered = items.filter((item) => item.checks.length === 0).map((item) => item.id);
  return { suite: { name: suite.name, file: suite.file }, items, covered: items.length - uncovered.length, total: items.length, uncovered, idle };
}

/** The coverage as text: one block per section, each item with the checks that prove it. */
export function renderCoverage(coverage: Coverage): string {
  const lines = [`Guideline coverage of ${coverage.suite.file} (suite ${coverage.suite.name}): ${coverage.covered} of ${coverage.total} items proven`];
  let section = '';
  for (const item of coverage.items) {
    if (item.section !== section) {
      section = item.section;
      lines.push('', `${item.section} ${item.sectionTitle}`);
    }
    lines.push(`  ${item.checks.length > 0 ? 'ok     ' : 'MISSING'}  ${item.id}  ${item.text}`);
    for (const check of item.checks) lines.push(`             ${check.id} (${check.type}${check.explicit ? '' : ', by its section'})`);
    if (item.checks.length === 0) lines.push(`             no check proves it: add a check whose type can evidence it, with proves: ["${item.id}"] (payready checks lists what each type can evidence)`);
  }
  if (coverage.idle.length > 0) {
    lines.push('', 'Checks that prove no item (their type can evidence nothing in their section):');
    for (const check of coverage.idle) {
      lines.push(`  ${check.id} (${check.type}, section ${check.section}): ${check.type} can evidence ${check.canEvidence.join(', ') || 'no item'}`);
    }
  }
  lines.push('');
  lines.push(
    coverage.uncovered.length === 0
      ? 'Every guideline item is proven by at least one check.'
      : `${plural(coverage.uncovered.length, 'item')} not proven: ${coverage.uncovered.join(', ')}`,
  );
  return `${lines.join('\n')}\n`;
}
