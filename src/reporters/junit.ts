import type { CheckResult, Report } from '../model/report.js';
import { GUIDELINE_SECTIONS } from '../guidelines.js';
import { assertionText, formatMeasurement, isBlocking, seconds, stripControl, waiverText } from './common.js';
import type { FileReporter } from './types.js';
import { plural } from '../text.js';

/**
 * JUnit XML as Jenkins and GitLab read it (the Ant schema, fixtures/reference/junit.xsd): one
 * `testsuite` per guideline section, one `testcase` per check. A fail is a `failure`, an error an
 * `error`, a skip or a waived failure `skipped` (the gate is the exit code; the waiver is named).
 * A fail or error that does not gate (an `info` check under the default `--fail-on major`) is
 * `skipped` too: Jenkins marks a build UNSTABLE and GitLab counts a failed test for any `failure`,
 * which would contradict a run that exited 0; `skipped` keeps it visible in both test views, with
 * FAIL and the reason in its message, without turning the pipeline red. A passed testcase would
 * claim a pass that did not happen. Warnings, which JUnit has no element for, are listed in the
 * section's `system-out`.
 */
const junit: FileReporter = {
  name: 'junit',
  description: 'JUnit XML for Jenkins, GitLab and GitHub test views: a testsuite per guideline section, a testcase per check.',
  defaultFile: 'junit.xml',
  render(report) {
    const bySection = new Map<string, CheckResult[]>();
    for (const r of report.results) {
      if (r.skippedBy === 'filter') continue;
      const list = bySection.get(r.section) ?? [];
      list.push(r);
      bySection.set(r.section, list);
    }
    const sections = [...Object.keys(report.sections), ...[...bySection.keys()].filter((s) => !(s in report.sections))];
    const out = ['<?xml version="1.0" encoding="UTF-8"?>', '<testsuites>'];
    let id = 0;
    for (const section of sections) {
      const results = bySection.get(section) ?? [];
      if (results.length > 0) out.push(...testsuite(report, section, results, id++));
    }
    out.push('</testsuites>', '');
    return out.join('\n');
  },
};

export default junit;

function testsuite(report: Report, section: string, results: CheckResult[], id: number): string[] {
  const failures = results.filter((r) => r.status === 'fail' && isBlocking(r, report)).length;
  const errors = results.filter((r) => r.status === 'error' && isBlocking(r, report)).length;
  const skipped = results.filter((r) => r.status === 'skip' || r.waived || notGating(r, report)).length;
  const time = seconds(results.reduce((sum, r) => sum + r.durationMs, 0));
  const title = GUIDELINE_SECTIONS[section];
  const attrs = {
    name: title ? `${section} ${title}` : section,
    package: report.suite.name,
    id: String(id),
    timestamp: isoSeconds(results.find((r) => r.startedAt)?.startedAt ?? report.startedAt),
    hostname: hostOf(report),
    tests: String(results.length),
    failures: String(failures),
    errors: String(errors),
    skipped: String(skipped),
    time,
  };
  const properties = {
    'payready.version': report.tool.version,
    'suite.file': report.suite.file,
    'suite.sha256': report.suite.sha256,
    environment: report.environment.name,
    verdict: report.verdict,
    'fail-on': report.failOn,
    ...(report.environment.baseUrl ? { baseUrl: report.environment.baseUrl } : {}),
  };
  const notes: string[] = [];
  for (const r of results) {
    if (r.status === 'warn') notes.push(`WARN ${r.id}: ${r.summary}`);
    const waiver = waiverText(r);
    if (waiver) notes.push(`${r.id}: ${waiver}`);
  }
  return [
    `  <testsuite ${attributes(attrs)}>`,
    '    <properties>',
    ...Object.entries(properties).map(([name, value]) => `      <property ${attributes({ name, value })}/>`),
    '    </properties>',
    ...results.flatMap((r) => testcase(report, r)),
    `    <system-out>${text(notes.join('\n'))}</system-out>`,
    '    <system-err></system-err>',
    '  </testsuite>',
  ];
}

/** A fail or error no waiver excuses that still lets the run pass: its severity is below `--fail-on`. */
function notGating(r: CheckResult, report: Report): boolean {
  return (r.status === 'fail' || r.status === 'error') && !r.waived && !isBlocking(r, report);
}

/**
 * `go-live.section-2_1`: Jenkins splits a classname at its last dot into package and class, so the
 * section's own dot would make package `go-live.2` and class `1`. Suite names are kebab-case (no dots).
 */
export function classnameOf(suite: string, section: string): string {
  return `${suite}.section-${section.replace(/\./g, '_')}`;
}

function testcase(report: Report, r: CheckResult): string[] {
  const attrs = attributes({ name: `${r.id}: ${r.title}`, classname: classnameOf(report.suite.name, r.section), time: seconds(r.durationMs) });
  if (r.waived) return [`    <testcase ${attrs}>`, `      <skipped ${attributes({ message: `${r.status.toUpperCase()} (waived): ${r.summary}` })}>${text(details(r))}</skipped>`, '    </testcase>'];
  if (notGating(r, report)) {
    const why = report.failOn === 'none' ? '--fail-on none' : `${r.severity} is below --fail-on ${report.failOn}`;
    return [`    <testcase ${attrs}>`, `      <skipped ${attributes({ message: `${r.status.toUpperCase()} (does not gate: ${why}): ${r.summary}` })}>${text(details(r))}</skipped>`, '    </testcase>'];
  }
  if (r.status === 'fail') return [`    <testcase ${attrs}>`, `      <failure ${attributes({ message: r.summary, type: r.severity })}>${text(details(r))}</failure>`, '    </testcase>'];
  if (r.status === 'error') return [`    <testcase ${attrs}>`, `      <error ${attributes({ message: r.summary, type: `could not decide (${r.severity})` })}>${text(details(r))}</error>`, '    </testcase>'];
  if (r.status === 'skip') return [`    <testcase ${attrs}>`, `      <skipped ${attributes({ message: r.summary })}/>`, '    </testcase>'];
  return [`    <testcase ${attrs}/>`];
}

/** The body of a failure: the summary, severity, waiver, every assertion and measurement. */
function details(r: CheckResult): string {
  const lines = [r.summary, `check ${r.id} (${r.type}), section ${r.section}, severity ${r.severity}, ${plural(r.attempts, 'attempt')}`];
  const waiver = waiverText(r);
  if (waiver) lines.push(waiver);
  if (r.assertions.length) lines.push('assertions:', ...r.assertions.map((a) => `  ${a.passed ? 'ok  ' : 'FAIL'} ${assertionText(a)}`));
  if (r.measurements.length) lines.push('measurements:', ...r.measurements.map((m) => `  ${m.name}: ${formatMeasurement(m)}`));
  if (r.findings.length) lines.push('findings:', ...r.findings.map((f) => `  ${f.level} ${f.rule}: ${f.message}${f.file ? ` (${f.file}${f.line ? `:${f.line}` : ''})` : ''}`));
  if (r.artifacts.length) lines.push('evidence:', ...r.artifacts.map((a) => `  ${a.name} (${a.mediaType}, ${plural(a.bytes, 'byte')})`));
  return lines.join('\n');
}

/** `2026-11-29T10:00:00`: the schema's timestamp has no fraction and no zone (times are UTC). */
function isoSeconds(iso: string): string {
  return iso.slice(0, 19);
}

/** The host the checks ran against (JUnit requires one; `localhost` when unknown). */
function hostOf(report: Report): string {
  try {
    return report.environment.baseUrl ? new URL(report.environment.baseUrl).hostname || 'localhost' : 'localhost';
  } catch {
    return 'localhost';
  }
}

function attributes(values: Record<string, string>): string {
  return Object.entries(values)
    .map(([key, value]) => `${key}="${escapeXml(stripControl(value)).replace(/"/g, '&quot;')}"`)
    .join(' ');
}

function text(value: string): string {
  return escapeXml(stripControl(value, true));
}

/** Escapes markup and drops what XML 1.0 forbids (lone surrogates, U+FFFE/FFFF). */
export function escapeXml(value: string): string {
  return value
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|[\uFFFE\uFFFF]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/'/g, '&apos;');
}
