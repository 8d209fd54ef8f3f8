import { describe, expect, it } from 'vitest';
import { mergeReports, renderMerge } from '../../src/compare/merge.js';
import html from '../../src/reporters/html.js';
import markdown from '../../src/reporters/markdown.js';
import type { Report } from '../../src/model/report.js';
import { FIXED_REPORT } from '../reporters/fixed-run.js';
import { expectMatchesFile } from '../reporters/expected.js';

/** The fixed run as seen from a second region: everything passed there, one check ran only there. */
function fromUsEast(): Report {
  const us = structuredClone(FIXED_REPORT);
  us.verdict = 'READY';
  us.startedAt = '2026-11-29T09:59:58.000Z';
  us.finishedAt = '2026-11-29T10:00:02.000Z';
  us.results = us.results.map((r) => ({ ...r, status: 'pass' as const, waived: false, summary: `${r.id} ok from us-east` }));
  us.results.push({ ...us.results[0]!, id: 'us-only', section: '1.2' });
  us.warnings = ['TLS certificate verification is turned off'];
  return us;
}

describe('payready merge', () => {
  const merged = mergeReports([{ name: 'eu-west', report: FIXED_REPORT }, { name: 'us-east', report: fromUsEast() }], '9.9.9');

  it('keeps each check status per vantage point; the merged status is the worst, the worst verdict wins', () => {
    expect(merged.verdict).toBe('NOT READY');
    expect(merged.vantages!.map((v) => `${v.name}:${v.verdict}`)).toEqual(['eu-west:NOT READY', 'us-east:READY']);
    const auth = merged.results.find((r) => r.id === 'payments-require-auth')!;
    expect(auth.status).toBe('fail');
    expect(auth.summary).toBe('POST /v1/payments: expected status to equal 401, got 201 (worst at eu-west)');
    expect(auth.vantages).toEqual({
      'eu-west': { status: 'fail', summary: 'POST /v1/payments: expected status to equal 401, got 201', durationMs: 12.5, waived: false },
      'us-east': { status: 'pass', summary: 'payments-require-auth ok from us-east', durationMs: 12.5, waived: false },
    });
    expect(auth.measurements.map((m) => m.name)).toEqual(['eu-west: response time', 'us-east: response time']);
    expect(merged.results.map((r) => r.id)).toEqual([...FIXED_REPORT.results.map((r) => r.id), 'us-only']);
    expect(merged.results.find((r) => r.id === 'us-only')!.vantages).toEqual({ 'us-east': expect.objectContaining({ status: 'pass' }) });
    expect(merged.summary).toEqual({ pass: 3, fail: 3, warn: 1, skip: 1, error: 1 });
    expect(merged.sections['1.2']).toEqual({ passed: 2, warned: 0, total: 2 });
    expect(merged.sections['1.3']).toEqual({ passed: 0, warned: 1, total: 1 }); // json-utf8 warned: not a pass
    expect(merged).toMatchObject({ startedAt: '2026-11-29T09:59:58.000Z', finishedAt: '2026-11-29T10:00:02.000Z', durationMs: 4000, tool: { version: '9.9.9' } });
    expect(merged.warnings).toEqual(['us-east: TLS certificate verification is turned off']);
  });

  it('an unwaived failure outranks a waived one', () => {
    const waivedThere = structuredClone(FIXED_REPORT);
    const unwaivedHere = structuredClone(FIXED_REPORT);
    unwaivedHere.results.find((r) => r.id === 'payment-approve')!.waived = false;
    const m = mergeReports([{ name: 'a', report: waivedThere }, { name: 'b', report: unwaivedHere }], '1');
    expect(m.results.find((r) => r.id === 'payment-approve')!).toMatchObject({ waived: false, summary: expect.stringMatching(/worst at b\)$/) });
  });

  it('says when the vantage points ran different suites or gates', () => {
    const other = { ...fromUsEast(), suite: { ...FIXED_REPORT.suite, sha256: 'c'.repeat(64) }, failOn: 'blocker' as const };
    const m = mergeReports([{ name: 'eu', report: FIXED_REPORT }, { name: 'us', report: other }], '1');
    expect(m.warnings[0]).toMatch(/^The vantage points ran different suite files \(eu: sha256 aaaaaaaaaaaa, us: sha256 cccccccccccc\)\.$/);
    expect(m.warnings[1]).toMatch(/gated differently \(eu: --fail-on major, us: --fail-on blocker\)/);
  });

  it('renders as a table, and every format shows the vantage points', () => {
    expectMatchesFile(renderMerge(merged), 'merge.txt');
    expect(markdown.render(merged, {})).toMatch(/### Vantage points\n\n\| check \| eu-west \| us-east \|\n\|---\|---\|---\|\n\| `api-port-open` \| ✅ pass \| ✅ pass \|/);
    expect(html.render(merged, {})).toContain('<h2>Vantage points</h2>');
  });

  it('shows check ids, vantage names and warnings read from the reports escaped', () => {
    const forged = fromUsEast();
    forged.results[0]!.id = 'x\u001b[1A\r-> READY';
    forged.warnings = ['\u001b]0;title\u0007hidden'];
    const text = renderMerge(mergeReports([{ name: 'eu\u001b[2K', report: FIXED_REPORT }, { name: 'us-east', report: forged }], '9.9.9'));
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
    expect(text).toContain('x\\x1b[1A\\x0d-> READY');
    expect(text).toContain('eu\\x1b[2K');
    expect(text).toContain('warning: us-east: \\x1b]0;title\\x07hidden');
  });
});
