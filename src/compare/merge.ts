import type { Status } from '../model/outcome.js';
import { visible } from '../reporters/common.js';
import { countStatuses, REPORT_SCHEMA_VERSION, scoreSections, type CheckResult, type Report, type Vantage, type Verdict } from '../model/report.js';

const STATUS_RANK: Record<Status, number> = { pass: 0, skip: 1, warn: 2, error: 3, fail: 4 };
const VERDICT_RANK: Record<Verdict, number> = { READY: 0, 'READY WITH WAIVERS': 1, 'NOT READY': 2 };

/** One report and the vantage point it was made from. */
export interface VantageReport {
  /** Vantage name, e.g. `eu-west`. */
  name: string;
  /** Its report. */
  report: Report;
}

/**
 * Merges reports of the same suite run from several vantage points (CI jobs in different
 * regions) into one report: each check keeps its status per vantage, its merged status is the
 * worst of them (fail, error, warn, skip, pass), and the worst verdict wins.
 */
export function mergeReports(inputs: readonly VantageReport[], toolVersion: string): Report {
  const first = inputs[0];
  if (!first) throw new Error('mergeReports needs at least one report');
  const ids: string[] = [];
  const perCheck = new Map<string, { name: string; result: CheckResult }[]>();
  for (const { name, report } of inputs) {
    for (const result of report.results) {
      let list = perCheck.get(result.id);
      if (!list) {
        list = [];
        perCheck.set(result.id, list);
        ids.push(result.id);
      }
      list.push({ name, result });
    }
  }
  const results = ids.map((id) => mergeCheck(perCheck.get(id)!, inputs.length));

  const warnings: string[] = [];
  if (new Set(inputs.map((i) => i.report.suite.sha256)).size > 1) warnings.push(`The vantage points ran different suite files (${inputs.map((i) => `${i.name}: sha256 ${i.report.suite.sha256.slice(0, 12)}`).join(', ')}).`);
  if (new Set(inputs.map((i) => i.report.failOn)).size > 1) warnings.push(`The vantage points gated differently (${inputs.map((i) => `${i.name}: --fail-on ${i.report.failOn}`).join(', ')}).`);
  for (const { name, report } of inputs) for (const w of report.warnings) warnings.push(`${name}: ${w}`);

  const starts = inputs.map((i) => i.report.startedAt).sort();
  const ends = inputs.map((i) => i.report.finishedAt).sort();
  const startedAt = starts[0]!;
  const finishedAt = ends[ends.length - 1]!;
  const environments = [...new Set(inputs.map((i) => i.report.environment.name))];
  const vantages: Vantage[] = inputs.map(({ name, report }) => ({
    name,
    verdict: report.verdict,
    startedAt: report.startedAt,
    finishedAt: report.finishedAt,
    environment: report.environment.name,
    suiteSha256: report.suite.sha256,
    incomplete: report.incomplete,
  }));
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'payready', version: toolVersion },
    suite: first.report.suite,
    environment: { ...first.report.environment, name: environments.join(', ') },
    startedAt,
    finishedAt,
    durationMs: Math.max(0, Date.parse(finishedAt) - Date.parse(startedAt)),
    verdict: inputs.map((i) => i.report.verdict).reduce((a, b) => (VERDICT_RANK[b] > VERDICT_RANK[a] ? b : a)),
    failOn: first.report.failOn,
    summary: countStatuses(results),
    sections: scoreSections(results),
    results,
    warnings,
    incomplete: inputs.some((i) => i.report.incomplete),
    vantages,
  };
}

function mergeCheck(entries: { name: string; result: CheckResult }[], total: number): CheckResult {
  // An unwaived failure is worse than a waived one of the same status.
  const rank = (r: CheckResult): number => STATUS_RANK[r.status] * 2 + ((r.status === 'fail' || r.status === 'error') && !r.waived ? 1 : 0);
  const worst = entries.reduce((a, b) => (rank(b.result) > rank(a.result) ? b : a));
  const same = entries.every((e) => e.result.status === worst.result.status && e.result.waived === worst.result.waived);
  const where = same && entries.length === total ? `at all ${total} vantage points` : `worst at ${worst.name}`;
  const starts = entries.map((e) => e.result.startedAt).filter((s): s is string => s !== undefined).sort();
  return {
    ...worst.result,
    summary: entries.length === 1 && total === 1 ? worst.result.summary : `${worst.result.summary} (${where})`,
    ...(starts[0] ? { startedAt: starts[0] } : {}),
    durationMs: Math.max(...entries.map((e) => e.result.durationMs)),
    measurements: entries.flatMap((e) => e.result.measurements.map((m) => ({ ...m, name: `${e.name}: ${m.name}` }))),
    vantages: Object.fromEntries(entries.map((e) => [e.name, { status: e.result.status, summary: e.result.summary, durationMs: e.result.durationMs, waived: e.result.waived }])),
  };
}

/** A table of each check's status per vantage point, with the merged verdict. */
export function renderMerge(report: Report): string {
  // Ids, names, verdicts and warnings come from the report files: shown through `visible`, never raw.
  const vantages = report.vantages ?? [];
  const ids = report.results.map((r) => visible(r.id));
  const names = vantages.map((v) => visible(v.name));
  const idWidth = Math.max(5, ...ids.map((id) => id.length));
  const widths = names.map((name) => Math.max(6, name.length));
  const row = (first: string, cells: string[]): string => `${first.padEnd(idWidth)}  ${cells.map((c, i) => c.padEnd(widths[i]!)).join('  ')}`.trimEnd();
  const lines = [
    `Merged ${vantages.length} reports: ${vantages.map((v, i) => `${names[i]} ${visible(v.verdict)}`).join(', ')} -> ${visible(report.verdict)}`,
    '',
    row('check', names),
    ...report.results.map((r, index) => row(ids[index]!, vantages.map((v) => label(r.vantages?.[v.name])))),
  ];
  for (const w of report.warnings) lines.push(`warning: ${visible(w)}`);
  return `${lines.join('\n')}\n`;
}

function label(entry: { status: Status; waived: boolean } | undefined): string {
  if (!entry) return '-';
  const text = entry.status === 'pass' ? 'pass' : visible(String(entry.status).toUpperCase());
  return entry.waived ? `${text}*` : text;
}
