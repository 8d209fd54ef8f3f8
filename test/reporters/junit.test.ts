import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import junit, { escapeXml } from '../../src/reporters/junit.js';
import { FIXED_REPORT } from './fixed-run.js';
import { fixedContext } from './fixed-context.js';
import { expectMatchesFile } from './expected.js';

const XSD = fileURLToPath(new URL('../../fixtures/reference/junit.xsd', import.meta.url));

/** Validates XML against the JUnit schema Jenkins and GitLab read, with xmllint (Debian libxml2-utils; .ci/run installs it). */
function xmllint(xml: string): { status: number | null; output: string } {
  const file = join(mkdtempSync(join(tmpdir(), 'payready-junit-')), 'junit.xml');
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
    expect(xml).toMatch(/<testcase name="payments-require-auth: [^"]*" classname="go-live\.1\.1" time="0\.013">\n\s+<failure message="POST \/v1\/payments: expected status to equal 401, got 201" type="blocker">/);
    expect(xml).toMatch(/<testcase name="payment-approve: [^"]*"[^>]*>\n\s+<skipped message="FAIL \(waived\): [^"]*">[^<]*waived until 2027-01-31: PSP fixes async authorisation/);
    expect(xml).toMatch(/<failure message="[^"]*waiver expired on 2026-10-31: it no longer counts\)" type="major">[^<]*waiver EXPIRED on 2026-10-31/);
    expect(xml).toMatch(/<skipped message="skipped: needs &quot;payment-approve&quot;, which failed"\/>/);
    expect(xml).toContain('WARN json-utf8: charset not declared; UTF-8 assumed');
  });

  it('escapes markup and strips what XML forbids from server text', () => {
    expect(xml).not.toMatch(/<script|<b>|\u001b|\u0007/);
    expect(xml).toContain('Server text &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(xml).toContain('&lt;b&gt;&amp;amp;&lt;/b&gt; ]]&gt;');
    expect(escapeXml('a\uD800b\uFFFEc<&>\'"')).toBe('abc&lt;&amp;&gt;&apos;"');
  });
});
