import { createHash } from 'node:crypto';
import type { Finding, Severity } from '../model/outcome.js';
import type { CheckResult, Report } from '../model/report.js';
import { clean } from './common.js';
import type { FileReporter } from './types.js';

/** GitLab Code Quality severities. */
type CodeQualitySeverity = 'info' | 'minor' | 'major' | 'critical' | 'blocker';

/** One issue of a GitLab Code Quality report (the subset of the Code Climate format GitLab reads). */
export interface CodeQualityIssue {
  /** What is wrong. */
  description: string;
  /** The rule, `payready/<check type>/<rule>`. */
  check_name: string;
  /** Unique, stable identity: GitLab compares merge request and target branch reports by it. */
  fingerprint: string;
  /** How bad. */
  severity: CodeQualitySeverity;
  /** Where. */
  location: { path: string; lines: { begin: number } };
}

const BY_SEVERITY: Record<Severity, CodeQualitySeverity> = { blocker: 'blocker', major: 'critical', minor: 'major', info: 'minor' };

/**
 * The findings of a run (credentials in source, card numbers in logs, missing security headers)
 * as a GitLab Code Quality report (`artifacts:reports:codequality`): a JSON array of issues shown
 * in the merge request. Errors and warnings only (notes are context, not issues). A finding
 * without a file (a header the API did not send) points at the suite file, where the check is.
 */
function render(report: Report): string {
  const issues: CodeQualityIssue[] = [];
  const seen = new Set<string>();
  for (const result of report.results) {
    for (const finding of result.findings) {
      if (finding.level === 'note') continue;
      const issue = toIssue(report, result, finding);
      // GitLab needs unique fingerprints: the same finding twice is one issue.
      if (seen.has(issue.fingerprint)) continue;
      seen.add(issue.fingerprint);
      issues.push(issue);
    }
  }
  return `${JSON.stringify(issues, null, 2)}\n`;
}

function toIssue(report: Report, result: CheckResult, finding: Finding): CodeQualityIssue {
  const path = finding.file ?? report.suite.file;
  const line = finding.file && finding.line && finding.line > 0 ? finding.line : 1;
  const identity = finding.fingerprint ?? `${finding.message}\u0000${finding.line ?? ''}`;
  return {
    description: `${clean(finding.message)} (payready ${clean(result.id)})`,
    check_name: `payready/${result.type}/${finding.rule}`,
    fingerprint: createHash('sha256').update(`${result.id}\u0000${finding.rule}\u0000${path}\u0000${identity}`).digest('hex'),
    severity: finding.level === 'error' ? BY_SEVERITY[result.severity] : 'minor',
    location: { path, lines: { begin: line } },
  };
}

const reporter: FileReporter = { name: 'codequality', description: 'GitLab Code Quality report (JSON): findings as merge request issues', defaultFile: 'gl-code-quality-report.json', render };
export default reporter;
