import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { CodeQualityIssue } from '../../src/reporters/codequality.js';
import type { Report } from '../../src/model/report.js';
import { ROOT, runRecipeLine, stackTraceIn, tempDir, type CliResult } from './helpers.js';

/**
 * ci/gitlab/payready.gitlab-ci.yml, the `include:`-able GitLab template: its hidden job has the
 * shape GitLab documents for test and Code Quality reports, and its script lines, run as written
 * by a POSIX shell (what the runner does) with `npx payready` pointing at this checkout, write the
 * files `artifacts:reports:` names, in formats GitLab reads, when the gate passes and when it fails.
 */

const TEMPLATE = join(ROOT, 'ci', 'gitlab', 'payready.gitlab-ci.yml');
const JUNIT_XSD = join(ROOT, 'fixtures', 'reference', 'junit.xsd');
const CODEQUALITY_SCHEMA = JSON.parse(readFileSync(join(ROOT, 'fixtures', 'reports', 'gitlab-codequality.schema.json'), 'utf8')) as object;

interface Job {
  image?: string;
  variables: Record<string, string>;
  script: string[];
  artifacts: { when?: string; paths?: string[]; reports?: { junit?: string; codequality?: string } };
}

const job = (): Job => (parse(readFileSync(TEMPLATE, 'utf8')) as Record<string, Job>)['.payready']!;

/** `$NAME` in an artifact path, as GitLab expands it from the job's variables. */
const expand = (path: string, variables: Record<string, string>): string => path.replace(/\$(\w+)/g, (_, name: string) => variables[name] ?? '');

/** JUnit XML against the schema GitLab and Jenkins read (xmllint, Debian libxml2-utils). */
function junitProblems(file: string): string | undefined {
  const run = spawnSync('xmllint', ['--noout', '--schema', JUNIT_XSD, file], { encoding: 'utf8' });
  if (run.error) throw new Error(`xmllint is needed to validate JUnit output: apt-get install libxml2-utils (${run.error.message})`);
  return run.status === 0 ? undefined : `${run.stdout}${run.stderr}`;
}

describe('the GitLab template ci/gitlab/payready.gitlab-ci.yml', () => {
  it('is a hidden job with the artifacts GitLab documents: junit and codequality reports, kept even when the gate fails', () => {
    const spec = job();
    expect(spec.image).toBe('node:20');
    expect(Object.keys(spec.variables)).toEqual(['PAYREADY_SUITE', 'PAYREADY_ENV', 'PAYREADY_FAIL_ON', 'PAYREADY_OUT', 'PAYREADY_ARGS']);
    expect(spec.artifacts).toEqual({
      when: 'always',
      paths: ['$PAYREADY_OUT/'],
      reports: { junit: '$PAYREADY_OUT/junit.xml', codequality: '$PAYREADY_OUT/gl-code-quality-report.json' },
    });
    expect(spec.script).toHaveLength(2);
    expect(spec.script[0]).toMatch(/^npm ci\b/);
    expect(spec.script[1]).toMatch(/^npx payready run "\$PAYREADY_SUITE" /);
    for (const reporter of ['junit', 'codequality']) expect(spec.script[1]).toContain(`--reporter ${reporter}`);
  });

  it('has a hidden merge job for sharded runs: every shard bundle into one report, JUnit results and one signed bundle, kept even when the gate fails (test/e2e/shards.test.ts runs it)', () => {
    const spec = (parse(readFileSync(TEMPLATE, 'utf8')) as Record<string, Job & { when?: string }>)['.payready-merge']!;
    expect([spec.image, spec.when]).toEqual(['node:20', 'always']);
    expect(spec.variables).toEqual({ PAYREADY_SHARDS: 'shard-*/evidence.tar.gz', PAYREADY_OUT: 'payready-report' });
    // Each shard of the sharded job (PAYREADY_OUT: shard-$CI_NODE_INDEX) writes its bundle where PAYREADY_SHARDS looks.
    expect(expand(job().script[1]!, { PAYREADY_OUT: 'shard-1' })).toContain('--evidence "shard-1/evidence.tar.gz"');
    expect(spec.artifacts).toEqual({ when: 'always', paths: ['$PAYREADY_OUT/'], reports: { junit: '$PAYREADY_OUT/junit.xml' } });
    expect(spec.script).toHaveLength(2);
    expect(spec.script[0]).toMatch(/^npm ci\b/);
    expect(spec.script[1]).toMatch(/^npx payready merge \$PAYREADY_SHARDS --out "\$PAYREADY_OUT\/report\.json" /);
    for (const part of ['--reporter junit', '--evidence "$PAYREADY_OUT/evidence.tar.gz"', '${PAYREADY_SIGN_KEY_FILE:+--sign-key "$PAYREADY_SIGN_KEY_FILE"}']) expect(spec.script[1]).toContain(part);
  });

  it('its script, run as written against the embedded sandbox, writes a valid JUnit file and Code Quality report on a READY and on a NOT READY run', async () => {
    const spec = job();
    // A repository with the suite where the template expects it (PAYREADY_SUITE keeps its default).
    const project = tempDir('payready-gitlab-');
    mkdirSync(join(project, 'checks'));
    copyFileSync(join(ROOT, 'checks', 'go-live.yaml'), join(project, 'checks', 'go-live.yaml'));
    // Few checks keep it fast: the headers check (and what it needs) and the credentials scan.
    const only = '--only security-headers --only no-hardcoded-credentials';
    const runs = {
      ready: { ...spec.variables, PAYREADY_ENV: 'sandbox', PAYREADY_OUT: 'ready-report', PAYREADY_ARGS: only },
      notReady: { ...spec.variables, PAYREADY_ENV: 'sandbox', PAYREADY_OUT: 'failing-report', PAYREADY_ARGS: `${only} --fault weak-headers` },
    };
    // `npm ci` installs what the team's package.json pins; here the checkout is the install.
    const lines = spec.script.filter((line) => !line.startsWith('npm ci'));
    const [ready, notReady] = await Promise.all(
      Object.values(runs).map(async (variables) => {
        const results: CliResult[] = [];
        for (const line of lines) results.push(await runRecipeLine(line, { cwd: project, env: variables }));
        return results.at(-1)!;
      }),
    );
    for (const run of [ready!, notReady!]) expect(stackTraceIn(run.stdout + run.stderr)).toBeUndefined();
    expect(ready!.code, ready!.stderr).toBe(0);
    expect(notReady!.code, notReady!.stderr).toBe(1);

    const validate = new Ajv2020.default({ allErrors: true, strict: false }).compile(CODEQUALITY_SCHEMA);
    const outputs = Object.values(runs).map((variables) => {
      const junit = join(project, expand(spec.artifacts.reports!.junit!, variables));
      const codequality = join(project, expand(spec.artifacts.reports!.codequality!, variables));
      const folder = join(project, expand(spec.artifacts.paths![0]!, variables));
      // The artifact folder holds both reports and the bundle (`when: always` keeps it on a failed gate).
      for (const file of [junit, codequality, join(folder, 'report.json'), join(folder, 'evidence.tar.gz')]) expect(existsSync(file), file).toBe(true);
      expect(junitProblems(junit)).toBeUndefined();
      const issues = JSON.parse(readFileSync(codequality, 'utf8')) as CodeQualityIssue[];
      expect(validate(issues), JSON.stringify(validate.errors)).toBe(true);
      const report = JSON.parse(readFileSync(join(folder, 'report.json'), 'utf8')) as Report;
      return { xml: readFileSync(junit, 'utf8'), issues, report };
    });
    const [good, bad] = outputs as [(typeof outputs)[number], (typeof outputs)[number]];

    expect(good.report).toMatchObject({ verdict: 'READY', environment: { name: 'sandbox' } });
    expect(good.report.results.map((r) => r.id).sort()).toEqual(['api-certificate', 'api-port-open', 'no-hardcoded-credentials', 'oauth-token', 'payment-approve', 'security-headers']);
    expect(good.issues).toEqual([]);
    expect(good.xml).not.toContain('<failure');

    expect(bad.report.verdict).toBe('NOT READY');
    expect(bad.report.results.filter((r) => r.status === 'fail').map((r) => r.id)).toEqual(['security-headers']);
    // Each missing header is one issue, located in the suite by the path GitLab shows in the merge request.
    expect(bad.issues.map((i) => i.check_name)).toEqual(expect.arrayContaining(['payready/headers/headers/hsts', 'payready/headers/headers/nosniff']));
    for (const issue of bad.issues) expect(issue.location).toEqual({ path: 'checks/go-live.yaml', lines: { begin: 1 } });
    expect(new Set(bad.issues.map((i) => i.fingerprint)).size).toBe(bad.issues.length);
    expect(bad.xml.match(/<failure /g)).toHaveLength(1);
    expect(bad.xml).toMatch(/<testcase name="security-headers: [^"]*"[^>]*>\s*<failure /);
  }, 60_000);
});
