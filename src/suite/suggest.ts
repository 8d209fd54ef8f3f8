import { closest } from '../text.js';

export { closest };

/** `did you mean "x"? ` when a close candidate exists, else the empty string (a hint prefix). */
export function hintDidYouMean(word: string, candidates: Iterable<string>): string {
  const match = closest(word, candidates);
  return match === undefined ? '' : `did you mean "${match}"? `;
}

/** Most names a hint lists. */
export const MAX_LISTED = 20;

/** A hint naming the closest candidate and listing all of them: `did you mean "b"? expected one of: a, b`. */
export function suggestion(word: string, candidates: readonly string[], listLabel = 'expected one of'): string {
  // A hint is one line: long lists (every check id of a big suite) are cut.
  const shown = candidates.length > MAX_LISTED ? [...candidates.slice(0, MAX_LISTED), `... (${candidates.length - MAX_LISTED} more)`] : candidates;
  const list = candidates.length > 0 ? `${listLabel}: ${shown.join(', ')}` : '';
  return `${hintDidYouMean(word, candidates)}${list}`.trim();
}
