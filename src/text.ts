/** Word suggestions for did-you-mean hints, shared by the CLI, the suite loader and the sandbox. */

/**
 * Edit distance between two strings: insertions, deletions, substitutions and transpositions of
 * neighbours each cost 1 (optimal string alignment), so "prots" is one edit from "ports".
 */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const above = rows[i - 1] as number[];
      let best = Math.min((above[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (above[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, ((rows[i - 2] as number[])[j - 2] ?? 0) + 1);
      row[j] = best;
    }
    rows.push(row);
  }
  return (rows[a.length] as number[])[b.length] ?? 0;
}

/**
 * The candidate closest to `word`, when it is close enough to be a plausible typo: at most a third
 * of the word's length in edits (case differences are free; words under three characters must
 * match but for case), so unrelated names are not offered.
 */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  // Long words are not typos of names, and comparing them would cost time on hostile input.
  if (word.length > 64) return undefined;
  const lower = word.toLowerCase();
  const limit = Math.floor(word.length / 3);
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (Math.abs(candidate.length - word.length) > limit) continue;
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= limit ? best : undefined;
}

/** `; did you mean "x"?` when a close candidate exists, else the empty string (a message suffix). */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const match = closest(word, candidates);
  return match ? `; did you mean "${match}"?` : '';
}

/** The noun for a count: `noun` for exactly one, else its plural (`noun` + "s" unless given). */
export function nounFor(n: number, noun: string, pluralNoun = `${noun}s`): string {
  return n === 1 ? noun : pluralNoun;
}

/** A count with its noun: "1 check", "0 checks", "2 matches" (with `pluralNoun`). */
export function plural(n: number, noun: string, pluralNoun?: string): string {
  return `${n} ${nounFor(n, noun, pluralNoun)}`;
}
