import type { CheckSpec } from '../suite/types.js';
import { didYouMean } from '../text.js';
import { selectionError } from './messages.js';

/** Which checks a run includes (`--only`, `--tag`) and which it skips (`--skip`). */
export interface Selection {
  /** Run only these ids (plus what they need). */
  only?: string[];
  /** Skip these ids (and, through dependencies, what needs them). */
  skip?: string[];
  /** Run only checks with one of these tags (plus what they need). */
  tags?: string[];
}

/**
 * Applies the filters. Returns the checks to keep in the report and the set skipped by `--skip`.
 * A selected check's `needs` are pulled in, since it cannot run without them.
 */
export function selectChecks(checks: CheckSpec[], selection: Selection): { included: CheckSpec[]; skipped: Set<string> } {
  const byId = new Map(checks.map((c) => [c.id, c]));
  for (const id of [...(selection.only ?? []), ...(selection.skip ?? [])]) {
    if (!byId.has(id)) throw selectionError('unknownCheckId', { id, suggestion: didYouMean(id, [...byId.keys()]) });
  }
  if (selection.tags?.length) {
    const known = new Set(checks.flatMap((c) => c.tags));
    for (const tag of selection.tags) {
      if (!known.has(tag)) throw selectionError('unknownTag', { tag, suggestion: didYouMean(tag, [...known]) });
    }
  }
  let included = checks;
  if (selection.only?.length || selection.tags?.length) {
    const wanted = new Set<string>(selection.only ?? []);
    for (const c of checks) if (c.tags.some((t) => selection.tags?.includes(t))) wanted.add(c.id);
    const queue = [...wanted];
    while (queue.length > 0) {
      const spec = byId.get(queue.pop()!);
      for (const need of spec?.needs ?? []) {
        if (!wanted.has(need)) {
          wanted.add(need);
          queue.push(need);
        }
      }
    }
    included = checks.filter((c) => wanted.has(c.id));
  }
  return { included, skipped: new Set(selection.skip ?? []) };
}
