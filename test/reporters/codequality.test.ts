import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import codequality, { type CodeQualityIssue } from '../../src/reporters/codequality.js';
import { loadReporter, reporterNames } from '../../src/reporters/index.js';
import { FIXED_REPORT } from './fixed-run.js';
import { FIXED_REPORT_WITH_FINDINGS } from './fixed-findings.js';

const ROOT = join(import.meta.dirname, '..', '..');
/** GitLab's documented required fields of a Code Quality report, as a JSON Schema. */
const SCHEMA = JSON.parse(readFileSync(join(ROOT, 'fixtures', 'reports', 'gitlab-codequality.schema.json'), 'utf8')) as object;

describe('codequality reporter (GitLab Code Quality)', () => {
  it('is registered and writes GitLab\'s required fields for every error and warning finding, with unique fingerprints', async () => {
    expect(reporterNames).toContain('codequality');
    expect(await loadReporter('codequality')).toBe(codequality);
    const issues = JSON.parse(codequality.render(FIXED_REPORT_WITH_FINDINGS, {})) as CodeQualityIssue[];
    const validate = new Ajv2020.default({ allErrors: true, strict: false }).compile(SCHEMA);
    expect(validate(issues), JSON.stringify(validate.errors)).toBe(true);
    const findings = FIXED_REPORT_WITH_FINDINGS.results.flatMap((r) => r.findings).filter((f) => f.level !== 'note');
    expect(issues).toHaveLength(findings.length);
    expect(new Set(issues.map((i) => i.fingerprint)).size).toBe(issues.length);
    expect(issues[0]).toMatchObject({ check_name: 'payready/secrets/payment/live-secret-key', severity: 'blocker', location: { path: '../src/config.js', lines: { begin: 3 } } });
    expect(issues.find((i) => i.check_name === 'payready/pan-scan/pan/test-card')).toMatchObject({ severity: 'minor', location: { path: 'logs/app.log', lines: { begin: 7 } } });
    // A finding without a file points at the suite, where the check is written.
    expect(issues.find((i) => i.check_name === 'payready/ui/ui/overflow')).toMatchObject({ severity: 'critical', location: { path: FIXED_REPORT.suite.file, lines: { begin: 1 } } });
    // The same finding in another run keeps its fingerprint (GitLab compares the branches by it).
    expect(JSON.parse(codequality.render({ ...FIXED_REPORT_WITH_FINDINGS, startedAt: '2030-01-01T00:00:00.000Z' }, {}))).toEqual(issues);
  });

  it('writes an empty array for a run without findings', () => {
    expect(codequality.render({ ...FIXED_REPORT, results: FIXED_REPORT.results.map((r) => ({ ...r, findings: [] })) }, {})).toBe('[]\n');
  });
});
