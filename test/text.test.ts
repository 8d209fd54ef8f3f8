import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { nounFor, plural } from '../src/text.js';
import { countsText } from '../src/reporters/common.js';
import markdown from '../src/reporters/markdown.js';
import { TerminalReporter } from '../src/reporters/terminal.js';
import { scoreSections, type Report } from '../src/model/report.js';
import type { CheckSpec } from '../src/suite/types.js';
import { FIXED_REPORT } from './reporters/fixed-run.js';
import { fixedContext } from './reporters/fixed-context.js';

describe('plural', () => {
  it('says "1 check" and "0 checks", with an irregular plural when given', () => {
    expect(plural(1, 'check')).toBe('1 check');
    expect(plural(0, 'check')).toBe('0 checks');
    expect(plural(2, 'check')).toBe('2 checks');
    expect(plural(1, 'file')).toBe('1 file');
    expect(plural(3, 'match', 'matches')).toBe('3 matches');
    expect(nounFor(1, 'matches', 'match')).toBe('matches');
    expect(nounFor(2, 'matches', 'match')).toBe('match');
  });

  it('a run of one check reads "1 check" in the terminal header, the verdict line and the Markdown report', () => {
    const one: Report = { ...structuredClone(FIXED_REPORT), results: [structuredClone(FIXED_REPORT.results[0]!)], summary: { pass: 1, fail: 0, warn: 0, skip: 0, error: 0 } };
    one.sections = scoreSections(one.results);
    expect(countsText(one)).toBe('1 check: 1 pass · 0 fail · 0 error · 0 warn · 0 skip');
    const stream = Object.assign(new PassThrough(), { isTTY: false });
    let out = '';
    stream.on('data', (d: Buffer) => (out += d.toString()));
    const reporter = new TerminalReporter({ stream, env: { CI: 'true', NO_COLOR: '1' } });
    reporter.onRunStart({ suite: { name: 'go-live', file: 'checks/go-live.yaml' }, target: { name: 'sandbox', insecure: false }, checks: [{ id: one.results[0]!.id } as CheckSpec] });
    reporter.onCheckEnd(one.results[0]!);
    reporter.end(one);
    expect(out).toMatch(/ · 1 check\n/);
    expect(out).toMatch(/ {2}1 check: 1 pass/);
    expect(out).not.toMatch(/\b1 checks\b/);
    expect(markdown.render(one, fixedContext())).toContain('<summary>All 1 check</summary>');
  });
});
