import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import junit, { escapeXml } from '../../src/reporters/junit.js';
import { FIXED_REPORT } from './fixed-run.js';
import type { Report } from '../../src/model/report.js';
import { fixedContext } from './fixed-context.js';
import { expectMatchesFile } from './expected.js';
import { tempDir } from '../support/temp.js';

const XSD = fileURLToPath(new URL('../../fixtures/reference/junit.xsd', import.meta.url));

/** Validates XML against the JUnit schema Jenkins and GitLab read, with xmllint (Debian libxml2-utils; .ci/run installs it). */
function xmllint(xml: string): { status: number | null; output: string } {
  const file = join(tempDir('payready-junit-'), 'junit.xml');
  writeFileSync(file, xml);
  const run = spawnSync('xmllint', ['--noout', '--schema', XSD, file], { encoding: 'utf8' });
  if (run.error) throw new Error(`xmllint is needed to validate JUnit output: apt-get install libxml2-utils (${run.error.message})`);
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe('junit reporter', () => {
  const xml = junit.render(FIXED_REPORT, fixedContext());

  it('renders one testsuite per guideline section and one testcase per check (expected output)', () => {
    expectMatchesFile(xml, 'junit.xml');
    expect(xml.match(/<testsuite /g)).toHaveLength(5);
    expect(xml.match(/<testcase /g)).toHaveLength(FIXED_REPORT.results.length);
    expect(xml).toContain('<testsuite name="1.1 API Access" package="go-live" id="0" timestamp="2026-11-29T10:00:00" hostname="127.0.0.1" tests="3" failures="1" errors="1" skipped="0" time="1.516">');
  });

  it('validates against the JUnit XSD', () => {
    const result = xmllint(xml);
    expect(result.output).toMatch(/validates/);
    expect(result.status).toBe(0);
  });

  it('the XSD check is real: an invalid document is refused', () => {
    const result = xmllint(xml.replace('<properties>', '<props>').replace('</properties>', '</props>'));
    expect(result.status).not.toBe(0);
  });

  it('maps fail, error, skip and waivers onto failure, error and skipped', () => {
    expect(xml).toMatch(/<testcase name="payments-require-auth: [^"]*" classname="go-live\.section-1_1" time="0\.013">\n\s+<failure message="POST \/v1\/payments: expected status to equal 401, got 201" type="blocker">/);
    expect(xml).toMatch(/<testcase name="payment-approve: [^"]*"[^>]*>\n\s+<skipped message="FAIL \(waived\): [^"]*">[^<]*waived until 2027-01-31: PSP fixes async authorisation/);
    expect(xml).toMatch(/<failure message="[^"]*waiver expired on 2026-10-31: it no longer counts\)" type="major">[^<]*waiver EXPIRED on 2026-10-31/);
    expect(xml).toMatch(/<skipped message="skipped: needs &quot;payment-approve&quot;, which failed"\/>/);
    expect(xml).toContain('WARN json-utf8: charset not declared; UTF-8 assumed');
  });

  it('a classname has one dot, between suite and section, so Jenkins shows package go-live, class section-1_1', () => {
    const classnames = [...xml.matchAll(/classname="([^"]*)"/g)].map((m) => m[1]!);
    expect(new Set(classnames)).toEqual(new Set(['go-live.section-1_1', 'go-live.section-1_2', 'go-live.section-1_3', 'go-live.section-2_3', 'go-live.section-5_2']));
    for (const name of classnames) expect(name.split('.')).toHaveLength(2);
  });

  it('a fail or error that does not gate (info under --fail-on major) is skipped with FAIL in its message, not a failure', () => {
    const report: Report = structuredClone(FIXED_REPORT);
    const info = { ...structuredClone(report.results[0]!), id: 'docs-link', title: 'The docs link answers', section: '7.2', severity: 'info' as const, status: 'fail' as const, summary: 'GET /privacy: expected status to equal 200, got 404' };
    const minorError = { ...info, id: 'privacy-page', severity: 'minor' as const, status: 'error' as const, summary: 'GET /privacy: connection refused' };
    report.results.push(info, minorError);
    const out = junit.render(report, fixedContext());
    const suite = /<testsuite name="7\.2 Data Privacy"[^>]*>/.exec(out)?.[0];
    expect(suite).toContain('tests="2" failures="0" errors="0" skipped="2"');
    expect(out).toMatch(/<testcase name="docs-link: The docs link answers" classname="go-live\.section-7_2" time="[^"]*">\n\s+<skipped message="FAIL \(does not gate: info is below --fail-on major\): GET \/privacy: expected status to equal 200, got 404">GET \/privacy/);
    expect(out).toMatch(/<skipped message="ERROR \(does not gate: minor is below --fail-on major\): GET \/privacy: connection refused">/);
    expect(out.slice(out.indexOf('7.2 Data Privacy'))).not.toMatch(/<failure|<error/);
    // The same failure gates under --fail-on info: then it is a failure.
    const strict = junit.render({ ...report, failOn: 'info' }, fixedContext());
    expect(/<testsuite name="7\.2 Data Privacy"[^>]*>/.exec(strict)?.[0]).toContain('tests="2" failures="1" errors="1" skipped="0"');
    const result = xmllint(out);
    expect(result.output).toMatch(/validates/);
    expect(result.status).toBe(0);
  });

  it('escapes markup and strips what XML forbids from server text', () => {
    expect(xml).not.toMatch(/<script|<b>|\u001b|\u0007/);
    expect(xml).toContain('Server text &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(xml).toContain('&lt;b&gt;&amp;amp;&lt;/b&gt; ]]&gt;');
    expect(escapeXml('a\uD800b\uFFFEc<&>\'"')).toBe('abc&lt;&amp;&gt;&apos;"');
  });
});
