import { GUIDELINE_ITEMS, type GuidelineItem } from '../guidelines.js';
import type { CheckSpec } from './types.js';

/** A check that proves a guideline item. */
export interface ProvingCheck {
  /** Check id. */
  id: string;
  /** Check type. */
  type: string;
  /** Check title. */
  title: string;
  /** True when the check names the item under `proves:`; false when it covers its whole section. */
  explicit: boolean;
}

/** One guideline item and the checks of a suite that prove it. */
export interface ItemCoverage extends GuidelineItem {
  /** Checks proving it, in suite order; empty when the item is uncovered. */
  checks: ProvingCheck[];
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
}

/**
 * Maps a suite's checks onto the guideline items. A check proves the items it lists under
 * `proves:`; without that list it proves every item of its `section:` (coarser, and shown so).
 */
export function coverageOf(suite: { name: string; file: string; checks: readonly CheckSpec[] }): Coverage {
  const items: ItemCoverage[] = GUIDELINE_ITEMS.map((item) => ({ ...item, checks: [] }));
  const byId = new Map(items.map((item) => [item.id, item]));
  for (const check of suite.checks) {
    const ids = check.proves ?? items.filter((item) => item.section === check.section).map((item) => item.id);
    for (const id of ids) byId.get(id)?.checks.push({ id: check.id, type: check.type, title: check.title, explicit: check.proves !== undefined });
  }
  const uncovered = items.filter((item) => item.checks.length === 0).map((item) => item.id);
  return { suite: { name: suite.name, file: suite.file }, items, covered: items.length - uncovered.length, total: items.length, uncovered };
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
    for (const check of item.checks) lines.push(`             ${check.id} (${check.type}${check.explicit ? '' : ', whole section'})`);
    if (item.checks.length === 0) lines.push(`             no check proves it: add a check with section: "${item.section}" and proves: ["${item.id}"]`);
  }
  lines.push('');
  lines.push(
    coverage.uncovered.length === 0
      ? 'Every guideline item is proven by at least one check.'
      : `${coverage.uncovered.length} item(s) not proven: ${coverage.uncovered.join(', ')}`,
  );
  return `${lines.join('\n')}\n`;
}
