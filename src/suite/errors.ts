import type { SourceLocation } from './types.js';
import { plural } from '../text.js';

/** Most problems shown at once: past that, more output hides the first (usually root) cause. */
export const MAX_PROBLEMS = 20;

/** One thing wrong with a suite file, located when it can be. */
export interface SuiteProblem {
  /** A sentence saying what is wrong, e.g. `unknown parameter "minVersoin" for check type "tls"`. */
  message: string;
  /** Where it is wrong; absent for problems of the file as a whole (unreadable, too large). */
  location?: SourceLocation;
  /** What to write instead, shown under the caret. */
  hint?: string;
  /** Columns (1-based, end exclusive) of the located line that hold a credential: the frame masks them. */
  conceal?: { start: number; end: number };
}

/** A suite that cannot be used. The only error the loader throws, whatever the input. */
export class SuiteError extends Error {
  override readonly name = 'SuiteError';
  /** Every problem found (sorted by position, capped at MAX_PROBLEMS). */
  readonly problems: SuiteProblem[];
  /** How many problems were found before capping. */
  readonly total: number;
  /** The suite text, so `formatSuiteError` can draw code frames without re-reading the file. */
  readonly source?: string;

  constructor(problems: SuiteProblem[], source?: string) {
    const sorted = sortProblems(problems);
    super(sorted[0]?.message ?? 'invalid suite');
    this.total = sorted.length;
    this.problems = sorted.slice(0, MAX_PROBLEMS);
    if (source !== undefined) this.source = source;
  }
}

function sortProblems(problems: SuiteProblem[]): SuiteProblem[] {
  // Unlocated problems (file-level) first, then in reading order; stable for equal positions.
  return problems
    .map((problem, index) => ({ problem, index }))
    .sort((a, b) => {
      const la = a.problem.location;
      const lb = b.problem.location;
      if (!la || !lb) return (la ? 1 : 0) - (lb ? 1 : 0) || a.index - b.index;
      return la.line - lb.line || la.column - lb.column || a.index - b.index;
    })
    .map(({ problem }) => problem);
}

/**
 * Renders a SuiteError as Hurl and rustc do, in plain text (the CLI adds colour):
 *
 *     error: unknown parameter "minVersoin" for check type "tls"
 *       --> checks/go-live.yaml:14:7
 *        |
 *     14 |       minVersoin: TLSv1.2
 *        |       ^ did you mean "minVersion"? expected one of: host, port, minVersion
 */
export function formatSuiteError(err: SuiteError, source: string | undefined = err.source): string {
  const lines = source === undefined ? undefined : source.split('\n').map((line) => line.replace(/\r$/, ''));
  const blocks = err.problems.map((problem) => formatProblem(problem, lines));
  const hidden = err.total - err.problems.length;
  if (hidden > 0) blocks.push(`... and ${plural(hidden, 'more problem')} not shown`);
  return `${blocks.join('\n\n')}\n`;
}

function formatProblem(problem: SuiteProblem, lines: string[] | undefined): string {
  const out = [`error: ${problem.message}`];
  const location = problem.location;
  if (!location) {
    if (problem.hint) out.push(`  = help: ${problem.hint}`);
    return out.join('\n');
  }
  const text = lines?.[location.line - 1];
  const gutter = String(location.line).length;
  const pad = ' '.repeat(gutter);
  out.push(`${pad}--> ${location.file}:${location.line}:${location.column}`);
  if (text === undefined) {
    if (problem.hint) out.push(`${pad} = help: ${problem.hint}`);
    return out.join('\n');
  }
  const { shown, caret } = window(problem.conceal ? conceal(text, problem.conceal) : text, location.column - 1);
  // Keep tabs in the caret's indentation so it lines up under the same character.
  const indent = shown.slice(0, caret).replace(/[^\t]/g, ' ');
  out.push(`${pad} |`);
  out.push(`${location.line} | ${shown}`.trimEnd());
  out.push(`${pad} | ${indent}^${problem.hint ? ` ${problem.hint}` : ''}`);
  return out.join('\n');
}

// Longest source line shown in a frame; longer lines are cut around the caret.
const MAX_FRAME_WIDTH = 120;

function window(text: string, index: number): { shown: string; caret: number } {
  if (text.length <= MAX_FRAME_WIDTH) return { shown: text, caret: Math.min(index, text.length) };
  const start = Math.max(0, Math.min(index - MAX_FRAME_WIDTH / 2, text.length - MAX_FRAME_WIDTH));
  const end = Math.min(text.length, start + MAX_FRAME_WIDTH);
  const head = start > 0 ? '...' : '';
  const tail = end < text.length ? '...' : '';
  return { shown: `${head}${text.slice(start, end)}${tail}`, caret: head.length + Math.min(index, text.length) - start };
}

function conceal(text: string, range: { start: number; end: number }): string {
  const start = Math.max(0, range.start - 1);
  const end = Math.min(text.length, Math.max(start, range.end - 1));
  if (end <= start) return text;
  return `${text.slice(0, start)}${'*'.repeat(8)}${text.slice(end)}`;
}
