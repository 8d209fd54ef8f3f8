import type { CheckResult } from '../model/report.js';
import { GUIDELINE_SECTIONS } from '../guidelines.js';
import { assertionText, clean, countsText, formatMeasurement, gateText, isBlocking, problemsFirst, sectionScoreText, sectionState, waiverText } from './common.js';
import type { FileReporter } from './types.js';
import { plural } from '../text.js';

const ICON: Record<string, string> = { pass: '✅', fail: '❌', error: '⛔', warn: '⚠️', skip: '⏭️' };
const VERDICT_ICON: Record<string, string> = { READY: '✅', 'READY WITH WAIVERS': '⚠️', 'NOT READY': '❌' };

/**
 * GitHub-flavoured Markdown for a pull request comment or a job summary (payready appends it to
 * $GITHUB_STEP_SUMMARY when that is set): the verdict, what to fix first, waivers, the section
 * table, then every check. Server-supplied text is escaped so it cannot add links, HTML or tables.
 */
const markdown: FileReporter = {
  name: 'markdown',
  description: 'Markdown summary: verdict, failing checks first with what to fix, waivers, section scores, every check.',
  defaultFile: 'report.md',
  render(report) {
    const out: string[] = [];
    const env = report.environment;
    out.push(`## payready: ${VERDICT_ICON[report.verdict] ?? ''} ${report.verdict}${report.incomplete ? ' (INCOMPLETE: the run was interrupted)' : ''}`, '');
    out.push(
      `Suite **${md(report.suite.title)}** (\`${code(report.suite.file)}\`) against environment **${md(env.name)}**${env.baseUrl ? ` (\`${code(env.baseUrl)}\`)` : ''}${env.sandbox ? ', a sandbox' : ''}${env.faults?.length ? `, sandbox faults: ${env.faults.map((f) => `\`${code(f)}\``).join(', ')}` : ''}.`,
      '',
      `${countsText(report)} · ${(report.durationMs / 1000).toFixed(1)} s · ${md(gateText(report))}.`,
      '',
    );
    for (const w of report.warnings) out.push(`> **Warning:** ${md(w)}`, '');

    const problems = problemsFirst(report).filter((r) => r.status === 'fail' || r.status === 'error' || r.status === 'warn');
    const blocking = problems.filter((r) => isBlocking(r, report));
    if (blocking.length > 0) {
      out.push(`### Fix these first (${blocking.length} blocking)`, '');
      for (const r of blocking) out.push(...problem(r));
    }
    const other = problems.filter((r) => !isBlocking(r, report));
    if (other.length > 0) {
      out.push(`### Other findings (${other.length}, not blocking)`, '');
      for (const r of other) out.push(...problem(r));
    }

    const waivers = report.results.filter((r) => r.waiver);
    if (waivers.length > 0) {
      out.push('### Waivers', '', '| check | waiver | reason | approved by | expires |', '|---|---|---|---|---|');
      for (const r of waivers) {
        const w = r.waiver!;
        const state = !w.active ? '❌ **expired**: no longer counts' : r.waived ? '⚠️ excuses a failure' : 'active (not needed)';
        out.push(`| \`${code(r.id)}\` | ${state} | ${md(w.reason)} | ${md(w.approvedBy)} | ${md(w.expires)} |`);
      }
      out.push('');
    }

    out.push('### Guideline sections', '', '| section | | passed |', '|---|---|---|');
    for (const [id, score] of Object.entries(report.sections)) {
      out.push(`| ${id} ${md(GUIDELINE_SECTIONS[id] ?? '')} | ${ICON[sectionState(score)]} | ${sectionScoreText(score)} |`);
    }
    out.push('');

    if (report.vantages?.length) {
      out.push('### Vantage points', '', `| check | ${report.vantages.map((v) => md(v.name)).join(' | ')} |`, `|---|${report.vantages.map(() => '---').join('|')}|`);
      for (const r of report.results) out.push(`| \`${code(r.id)}\` | ${report.vantages.map((v) => (r.vantages?.[v.name] ? `${ICON[r.vantages[v.name]!.status]} ${r.vantages[v.name]!.status}` : '—')).join(' | ')} |`);
      out.push('', report.vantages.map((v) => `**${md(v.name)}**: ${v.verdict}`).join(' · '), '');
    }

    out.push(`<details><summary>All ${plural(report.results.length, 'check')}</summary>`, '', '| | check | section | severity | summary |', '|---|---|---|---|---|');
    for (const r of report.results) out.push(`| ${ICON[r.status]} ${r.status}${r.waived ? ' (waived)' : ''} | \`${code(r.id)}\` | ${r.section} | ${r.severity} | ${md(r.summary)} |`);
    out.push('', '</details>', '', `<sub>payready ${md(report.tool.version)} · ${report.startedAt} · suite sha256 \`${code(report.suite.sha256.slice(0, 12))}\`</sub>`, '');
    return out.join('\n');
  },
};

export default markdown;

/** One problem: what failed, why, and what the assertions saw. */
function problem(r: CheckResult): string[] {
  const lines = [`- ${ICON[r.status]} **\`${code(r.id)}\`** ${md(r.title)} (section ${r.section}, ${r.severity}): ${md(r.summary)}`];
  const waiver = waiverText(r);
  if (waiver) lines.push(`  - ${md(waiver)}`);
  for (const a of r.assertions.filter((x) => !x.passed).slice(0, 5)) lines.push(`  - ${md(assertionText(a))}`);
  const measurements = r.measurements.slice(0, 5).map((m) => `${md(m.name)} ${formatMeasurement(m)}`);
  if (measurements.length) lines.push(`  - measured: ${measurements.join(', ')}`);
  lines.push('');
  return lines;
}

/**
 * Text in Markdown: one line, HTML-escaped, and every character Markdown gives a meaning to
 * escaped, so a server's reply cannot add a link, emphasis, a table cell or raw HTML.
 */
export function md(text: string): string {
  return clean(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_{}[\]()#+!|~])/g, '\\$1')
    .replace(/:\/\//g, '&#58;//');
}

/** Text inside a code span: backticks cannot close it, pipes cannot end a table cell. */
function code(text: string): string {
  return clean(text).replace(/`/g, "'").replace(/\|/g, '¦');
}
