import type { Assertion, Measurement, Status } from '../model/outcome.js';
import { describeFailure } from '../model/operators.js';
import { gates, type CheckResult, type Report, type SectionScore } from '../model/report.js';
import { plural } from '../text.js';

/*
 * What every rendered format shares: cleaning server-supplied text, the order problems are listed
 * in, and the wording of waivers, gates and measurements, so the formats never disagree.
 */

/** Removes ANSI escape sequences and control characters (keeping newlines and tabs when `keepLines`). */
export function stripControl(text: string, keepLines = false): string {
  const noEscapes = text.replace(/\u001b\[[0-?]*[ -/]*[@-~]/g, '').replace(/\u001b[\]PX^_][^\u0007\u001b]*(?:\u0007|\u001b\\)?/g, '');
  return keepLines ? noEscapes.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '') : noEscapes.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '').replace(/[\r\n\t]+/g, ' ');
}

/** One line of server-supplied text: no escapes, no control characters, no line breaks. */
export function clean(text: string): string {
  return stripControl(text, false);
}

// C0 and C1 controls (escape sequences, carriage return, backspace), line and paragraph
// separators, bidirectional overrides and isolates, the byte order mark: what can move the cursor,
// rewrite a line or reorder what a reader sees.
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

/**
 * One value read from a file (a bundle's manifest, a report given to diff or merge), shown on a
 * terminal: every control character visibly escaped (`\x1b`, `\r`, `\u202e`), never acted on
 * and never silently dropped, so what is printed is what the file says. Non-strings as JSON.
 */
export function visible(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return text.replace(INVISIBLE, (c) => {
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** True for a fail or error at or above the gate that no active waiver excuses: it makes the run NOT READY. */
export function isBlocking(result: CheckResult, report: Pick<Report, 'failOn'>): boolean {
  return (result.status === 'fail' || result.status === 'error') && gates(result.severity, report.failOn) && !result.waived;
}

const ORDER: Record<Status, number> = { fail: 1, error: 1, warn: 3, skip: 4, pass: 5 };

/** Results with what to fix first: blocking failures, then other failures (waived, below the gate), warnings, skips, passes. */
export function problemsFirst(report: Report): CheckResult[] {
  const rank = (r: CheckResult): number => (isBlocking(r, report) ? 0 : r.waived ? 2 : ORDER[r.status]);
  return report.results
    .map((r, index) => ({ r, index }))
    .sort((a, b) => rank(a.r) - rank(b.r) || a.index - b.index)
    .map(({ r }) => r);
}

/** The waiver in words: active (what it excuses until when) or expired (no longer counts). */
export function waiverText(result: CheckResult): string | undefined {
  const w = result.waiver;
  if (!w) return undefined;
  const who = `approved by ${w.approvedBy}`;
  if (!w.active) return `waiver EXPIRED on ${w.expires}: it no longer counts (${w.reason}; ${who})`;
  return result.waived ? `waived until ${w.expires}: ${w.reason} (${who})` : `waiver until ${w.expires} (not needed: the check did not fail): ${w.reason} (${who})`;
}

/** The gate in words, e.g. "a fail or error of a major or blocker check". */
export function gateText(report: Pick<Report, 'failOn'>): string {
  const above: Record<string, string> = { blocker: 'blocker', major: 'major or blocker', minor: 'minor, major or blocker', info: 'any' };
  return report.failOn === 'none' ? 'nothing gates (--fail-on none)' : `a fail or error of ${report.failOn === 'info' ? 'any' : `a ${above[report.failOn]}`} check makes the run NOT READY`;
}

/** "12.01 ms", "1.5 Mbps": a measurement with a readable number of digits. */
export function formatMeasurement(m: Measurement): string {
  return `${formatNumber(m.value)} ${m.unit}`;
}

/** A number with at most three significant decimals, no trailing zeros. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 1 : abs >= 1 ? 2 : 3;
  return String(Number(value.toFixed(digits)));
}

/** Seconds with millisecond precision, for durations. */
export function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

/** A value as short JSON for an assertion table (long values are cut). */
export function shortValue(value: unknown, max = 200): string {
  const text = value === undefined ? 'undefined' : typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** One failed assertion in words ("expected status to equal 401, got 201"). */
export function assertionText(a: Assertion): string {
  return a.passed ? `${a.name} ${a.operator} ${shortValue(a.expected)}: ok (${shortValue(a.actual)})` : describeFailure(a);
}

/** The report's status counts as one line. */
export function countsText(report: Report): string {
  const s = report.summary;
  return `${plural(report.results.length, 'check')}: ${s.pass} pass · ${s.fail} fail · ${s.error} error · ${s.warn} warn · ${s.skip} skip`;
}

/** A section's score in words: "2/3", or "2/3 (1 warn)" when warnings kept it from passing. */
export function sectionScoreText(score: SectionScore): string {
  return `${score.passed}/${score.total}${score.warned > 0 ? ` (${score.warned} warn)` : ''}`;
}

/** How a section stands: every check passed, only warnings short of that, or a failure, error or skip. */
export function sectionState(score: SectionScore): 'pass' | 'warn' | 'fail' {
  if (score.passed === score.total) return 'pass';
  return score.passed + score.warned === score.total ? 'warn' : 'fail';
}
