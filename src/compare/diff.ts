import type { Measurement, Status } from '../model/outcome.js';
import type { CheckResult, Report, Verdict } from '../model/report.js';
import { clean, formatNumber, visible } from '../reporters/common.js';

/** A check whose status changed between two runs. */
export interface StatusChange {
  /** Check id. */
  id: string;
  /** Guideline section. */
  section: string;
  /** Severity (in the new run). */
  severity: string;
  /** Status before (`absent` when the check did not exist). */
  was: Status | 'absent';
  /** Status now. */
  now: Status;
  /** Summary now. */
  summary: string;
  /** Whether an active waiver excuses it now. */
  waived: boolean;
}

/** A measurement that moved beyond the tolerance. */
export interface MeasurementChange {
  /** Check id. */
  id: string;
  /** Measurement name. */
  name: string;
  /** Unit. */
  unit: string;
  /** Value before. */
  old: number;
  /** Value now. */
  new: number;
  /** Relative change in percent (signed); null when the old value was 0. */
  percent: number | null;
  /** `worse`/`better` when the unit says which way is good; `moved` when it does not. */
  direction: 'worse' | 'better' | 'moved';
}

/** What changed from one report to the next. */
export interface ReportDiff {
  /** Verdicts before and now. */
  verdict: { old: Verdict; new: Verdict; regressed: boolean };
  /** Checks that fail or error now (unwaived) and did not before. */
  newFailures: StatusChange[];
  /** Checks that failed or errored before and pass (or warn) now. */
  fixed: StatusChange[];
  /** Other status changes (pass to warn, to skip, ...). */
  changed: StatusChange[];
  /** Measurements beyond the tolerance. */
  measurements: MeasurementChange[];
  /** Checks only in the new report. */
  added: string[];
  /** Checks only in the old report. */
  removed: string[];
  /** True when the suite file differs (its SHA-256). */
  suiteChanged: boolean;
  /** Tolerance used, in percent. */
  tolerancePercent: number;
  /** New failures + worse measurements + a worse verdict: exit 1 when above zero. */
  regressions: number;
}

const VERDICT_RANK: Record<Verdict, number> = { READY: 0, 'READY WITH WAIVERS': 1, 'NOT READY': 2 };
// Changes smaller than this are timer noise on any machine, whatever the percentage.
const NOISE_FLOOR: Readonly<Record<string, number>> = { ms: 1, s: 0.001 };
const LOWER_IS_BETTER = new Set(['ms', 's']);
const HIGHER_IS_BETTER = new Set(['Mbps', 'req/s']);

/** Compares two reports: new failures, fixed checks, and measurements that moved beyond `tolerancePercent`. */
export function diffReports(before: Report, after: Report, tolerancePercent = 20): ReportDiff {
  const old = new Map(before.results.map((r) => [r.id, r]));
  const now = new Map(after.results.map((r) => [r.id, r]));
  const diff: ReportDiff = {
    verdict: { old: before.verdict, new: after.verdict, regressed: VERDICT_RANK[after.verdict] > VERDICT_RANK[before.verdict] },
    newFailures: [],
    fixed: [],
    changed: [],
    measurements: [],
    added: after.results.filter((r) => !old.has(r.id)).map((r) => r.id),
    removed: before.results.filter((r) => !now.has(r.id)).map((r) => r.id),
    suiteChanged: before.suite.sha256 !== after.suite.sha256,
    tolerancePercent,
    regressions: 0,
  };
  for (const r of after.results) {
    const prev = old.get(r.id);
    const change: StatusChange = { id: r.id, section: r.section, severity: r.severity, was: prev?.status ?? 'absent', now: r.status, summary: r.summary, waived: r.waived };
    if (failing(r) && (!prev || !failing(prev))) diff.newFailures.push(change);
    else if (prev && failing(prev) && (r.status === 'pass' || r.status === 'warn' || r.waived)) diff.fixed.push(change);
    else if (prev && prev.status !== r.status) diff.changed.push(change);
    if (prev) diff.measurements.push(...movedMeasurements(r.id, prev.measurements, r.measurements, tolerancePercent));
  }
  diff.regressions = diff.newFailures.length + diff.measurements.filter((m) => m.direction === 'worse').length + (diff.verdict.regressed ? 1 : 0);
  return diff;
}

function failing(r: CheckResult): boolean {
  return (r.status === 'fail' || r.status === 'error') && !r.waived;
}

function movedMeasurements(id: string, before: Measurement[], after: Measurement[], tolerance: number): MeasurementChange[] {
  const old = keyed(before);
  const out: MeasurementChange[] = [];
  for (const [key, m] of keyed(after)) {
    const prev = old.get(key);
    if (!prev || prev.unit !== m.unit) continue;
    const delta = m.value - prev.value;
    if (Math.abs(delta) <= (NOISE_FLOOR[m.unit] ?? 0)) continue;
    const percent = prev.value === 0 ? null : (100 * delta) / Math.abs(prev.value);
    if (percent !== null && Math.abs(percent) <= tolerance) continue;
    const better = goodDirection(m);
    const direction = better === undefined ? 'moved' : (delta < 0) === (better === 'lower') ? 'better' : 'worse';
    out.push({ id, name: m.name, unit: m.unit, old: prev.value, new: m.value, percent, direction });
  }
  return out;
}

/** Which way is good for a measurement: by unit, and for percentages by name. */
function goodDirection(m: Measurement): 'lower' | 'higher' | undefined {
  if (LOWER_IS_BETTER.has(m.unit)) return 'lower';
  if (HIGHER_IS_BETTER.has(m.unit)) return 'higher';
  if (m.unit === '%') return /success|availab|uptime/i.test(m.name) ? 'higher' : /error|fail|loss/i.test(m.name) ? 'lower' : undefined;
  return undefined;
}

/** Measurements by name; a repeated name gets `#2`, `#3` so each is compared with its counterpart. */
function keyed(measurements: Measurement[]): Map<string, Measurement> {
  const out = new Map<string, Measurement>();
  for (const m of measurements) {
    let key = m.name;
    for (let n = 2; out.has(key); n++) key = `${m.name} #${n}`;
    out.set(key, m);
  }
  return out;
}

/**
 * The diff as text, regressions first. Every value comes from the two report files: names and
 * numbers are shown through `visible` (escapes shown, not acted on), summaries cleaned as the
 * run's terminal shows them, so a crafted report cannot move the cursor or forge a line.
 */
export function renderDiff(diff: ReportDiff, names: { old: string; new: string }): string {
  const v = visible;
  const lines = [`payready diff ${v(names.old)} -> ${v(names.new)}`];
  lines.push(`verdict      ${v(diff.verdict.old)} -> ${v(diff.verdict.new)}${diff.verdict.regressed ? '  (regression)' : diff.verdict.old === diff.verdict.new ? '  (unchanged)' : '  (better)'}`);
  if (diff.suiteChanged) lines.push('note         the suite file changed between the runs (different SHA-256)');
  const status = (c: StatusChange): string => `  ${`${v(String(c.now).toUpperCase())}${c.waived ? ' (waived)' : ''}`.padEnd(5)}  ${v(c.id)} (${v(c.section)}, ${v(c.severity)}) was ${v(c.was)}: ${clean(String(c.summary))}`;
  if (diff.newFailures.length) lines.push('', `New failures (${diff.newFailures.length}):`, ...diff.newFailures.map(status));
  const worse = diff.measurements.filter((m) => m.direction === 'worse');
  const rest = diff.measurements.filter((m) => m.direction !== 'worse');
  const measurement = (m: MeasurementChange): string =>
    `  ${m.direction.padEnd(6)}  ${v(m.id)}  ${v(m.name)}: ${v(formatNumber(m.old))} -> ${v(formatNumber(m.new))} ${v(m.unit)} (${m.percent === null ? 'from 0' : `${m.percent > 0 ? '+' : ''}${v(formatNumber(m.percent))}%`})`;
  if (worse.length) lines.push('', `Measurements worse by more than ${diff.tolerancePercent}% (${worse.length}):`, ...worse.map(measurement));
  if (diff.fixed.length) lines.push('', `Fixed (${diff.fixed.length}):`, ...diff.fixed.map(status));
  if (rest.length) lines.push('', `Other measurements beyond ${diff.tolerancePercent}% (${rest.length}):`, ...rest.map(measurement));
  if (diff.changed.length) lines.push('', `Other status changes (${diff.changed.length}):`, ...diff.changed.map(status));
  if (diff.added.length) lines.push('', `Checks added: ${diff.added.map(v).join(', ')}`);
  if (diff.removed.length) lines.push('', `Checks removed: ${diff.removed.map(v).join(', ')}`);
  lines.push('', diff.regressions > 0 ? `${diff.regressions} regression(s).` : 'No regressions.');
  return `${lines.join('\n')}\n`;
}
