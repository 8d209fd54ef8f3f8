import type { Report } from '../model/report.js';
import { clean, countsText, isBlocking, waiverText } from './common.js';

/** Where a check is written in the suite, for an annotation on the right line. */
export interface CheckLocation {
  /** Suite file relative to the repository (the working directory). */
  file: string;
  /** 1-based line of the check. */
  line: number;
}

/**
 * GitHub Actions workflow commands (`::error`, `::warning`, `::notice`) for a finished run:
 * an error per blocking check, a warning per warning, waived or non-gating failure, and one
 * notice with the verdict. Annotations point at the check in the suite file when it is known.
 */
export function renderAnnotations(report: Report, locations: ReadonlyMap<string, CheckLocation> = new Map()): string {
  const lines: string[] = [];
  for (const r of report.results) {
    const failed = r.status === 'fail' || r.status === 'error';
    let level: 'error' | 'warning' | undefined;
    let message = r.summary;
    if (isBlocking(r, report)) level = 'error';
    else if (failed && r.waived) [level, message] = ['warning', `${r.summary} (${waiverText(r)})`];
    else if (failed) [level, message] = ['warning', `${r.summary} (below the --fail-on ${report.failOn} gate)`];
    else if (r.status === 'warn') level = 'warning';
    if (!level) continue;
    const at = locations.get(r.id);
    const properties: Record<string, string> = { ...(at ? { file: at.file, line: String(at.line) } : {}), title: `payready ${r.id} (${r.section}, ${r.severity})` };
    lines.push(command(level, properties, `${r.status.toUpperCase()}: ${message}`));
  }
  lines.push(command('notice', { title: `payready: ${report.verdict}` }, `${report.suite.name} on ${report.environment.name}: ${countsText(report)}`));
  return `${lines.join('\n')}\n`;
}

function command(name: string, properties: Record<string, string>, message: string): string {
  const props = Object.entries(properties)
    .map(([key, value]) => `${key}=${escapeProperty(value)}`)
    .join(',');
  return `::${name}${props ? ` ${props}` : ''}::${escapeData(message)}`;
}

// The escaping of @actions/core: a server's text can neither end the command nor start another.
function escapeData(value: string): string {
  return clean(value).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
