import { dirname, isAbsolute, join, posix, sep } from 'node:path';
import type { Finding } from '../model/outcome.js';
import type { CheckResult } from '../model/report.js';
import { ruleInfo } from '../scan/catalog.js';
import type { FileReporter } from './types.js';

/**
 * SARIF 2.1.0 (OASIS) for code-scanning UIs (GitHub code scanning, GitLab, Azure DevOps): every
 * finding located in a file (`secrets`, `pan-scan`), with its rule, level, message (values
 * already masked by the checks), file, line and column. Findings without a file have no place in
 * a code-scanning UI and stay in the other reports.
 */

/** The subset of SARIF this reporter writes. */
interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: SarifRun[];
}

interface SarifRun {
  tool: { driver: { name: string; version: string; semanticVersion: string; rules: SarifRule[] } };
  automationDetails: { id: string };
  invocations: { executionSuccessful: boolean; startTimeUtc: string; endTimeUtc: string }[];
  results: SarifResult[];
}

interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  help: { text: string };
  defaultConfiguration: { level: Finding['level'] };
  properties: { tags: string[] };
}

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: Finding['level'];
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region?: { startLine: number; startColumn?: number } } }[];
  partialFingerprints?: Record<string, string>;
  properties: { checkId: string; section: string };
}

const SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

const sarif: FileReporter = {
  name: 'sarif',
  description: 'SARIF 2.1.0 for code-scanning UIs: the file findings of the secrets and pan-scan checks.',
  defaultFile: 'report.sarif',
  render(report) {
    const rules: SarifRule[] = [];
    const ruleIndex = new Map<string, number>();
    const results: SarifResult[] = [];
    const suiteDir = dirname(report.suite.file);
    for (const check of report.results) {
      for (const finding of check.findings) {
        if (!finding.file) continue;
        let index = ruleIndex.get(finding.rule);
        if (index === undefined) {
          index = rules.length;
          ruleIndex.set(finding.rule, index);
          rules.push(ruleFor(finding, check));
        }
        results.push(resultFor(finding, check, index, suiteDir));
      }
    }
    const log: SarifLog = {
      $schema: SCHEMA,
      version: '2.1.0',
      runs: [
        {
          tool: { driver: { name: report.tool.name, version: report.tool.version, semanticVersion: report.tool.version, rules } },
          // Code scanning keeps one result set per category: one per suite and environment.
          automationDetails: { id: `payready/${report.suite.name}/${report.environment.name}/` },
          invocations: [{ executionSuccessful: !report.incomplete, startTimeUtc: report.startedAt, endTimeUtc: report.finishedAt }],
          results,
        },
      ],
    };
    return `${JSON.stringify(log, null, 2)}\n`;
  },
};

export default sarif;

function ruleFor(finding: Finding, check: CheckResult): SarifRule {
  const info = ruleInfo(finding.rule);
  return {
    id: finding.rule,
    name: finding.rule.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : '')).replace(/^./, (c) => c.toUpperCase()),
    shortDescription: { text: info?.title ?? finding.rule },
    help: { text: info?.help ?? `Found by the ${check.type} check; see the payready report for details.` },
    defaultConfiguration: { level: info?.level ?? finding.level },
    properties: { tags: ['security', `guideline-${info?.section ?? check.section}`, check.type] },
  };
}

function resultFor(finding: Finding, check: CheckResult, ruleIndex: number, suiteDir: string): SarifResult {
  const location = artifactLocation(finding.file ?? '', suiteDir);
  const region = finding.line !== undefined ? { startLine: finding.line, ...(finding.column !== undefined ? { startColumn: finding.column } : {}) } : undefined;
  return {
    ruleId: finding.rule,
    ruleIndex,
    level: finding.level,
    message: { text: finding.message },
    locations: [{ physicalLocation: { artifactLocation: location, ...(region ? { region } : {}) } }],
    ...(finding.fingerprint ? { partialFingerprints: { 'payready/v1': finding.fingerprint } } : {}),
    properties: { checkId: check.id, section: check.section },
  };
}

/**
 * Findings name files relative to the suite's folder; code scanning wants them relative to the
 * repository root, which is where CI runs payready from. `checks/` + `../src/app.ts` becomes
 * `src/app.ts` against %SRCROOT%; a file outside the working folder keeps an absolute file URI.
 */
function artifactLocation(file: string, suiteDir: string): { uri: string; uriBaseId?: string } {
  if (isAbsolute(file)) return { uri: fileUri(file) };
  const joined = join(suiteDir, file).split(sep).join(posix.sep);
  if (isAbsolute(joined)) return { uri: fileUri(joined) };
  if (joined.startsWith('../')) return { uri: encodePath(joined) };
  return { uri: encodePath(joined), uriBaseId: '%SRCROOT%' };
}

function fileUri(path: string): string {
  const posixPath = path.split(sep).join(posix.sep);
  return `file://${posixPath.startsWith('/') ? '' : '/'}${encodePath(posixPath)}`;
}

function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}
