import { describe, expect, it } from 'vitest';
import markdown, { md } from '../../src/reporters/markdown.js';
import { FIXED_REPORT } from './fixed-run.js';
import { fixedContext } from './fixed-context.js';
import { expectMatchesFile } from './expected.js';

describe('markdown reporter', () => {
  const text = markdown.render(FIXED_REPORT, fixedContext());

  it('renders the verdict, blocking checks first, waivers, sections and every check (expected output)', () => {
    expectMatchesFile(text, 'report.md');
    expect(text.split('\n')[0]).toBe('## payready: ❌ NOT READY');
    const blocking = text.indexOf('### Fix these first (3 blocking)');
    const other = text.indexOf('### Other findings');
    expect(blocking).toBeGreaterThan(0);
    expect(other).toBeGreaterThan(blocking);
    expect(text.slice(blocking, other)).toContain('payments-require-auth');
    expect(text.slice(other)).toMatch(/payment-approve.*\n {2}- waived until 2027-01-31/);
  });

  it('says plainly when a waiver has expired', () => {
    expect(text).toMatch(/\| `rate-limit-burst` \| ❌ \*\*expired\*\*: no longer counts \| Rate limiting ships with the new gateway \| cto@example\.com \| 2026-10-31 \|/);
    expect(text).toMatch(/ {2}- waiver EXPIRED on 2026-10-31: it no longer counts/);
  });

  it('escapes server text: no raw HTML, links, escape sequences or table breaks', () => {
    expect(text).not.toMatch(/<script|<b>|\u001b|\u0007/);
    expect(text).toContain('Server text &lt;script&gt;alert\\(1\\)&lt;/script&gt;');
    expect(md('[click](https://evil.example) | cell `code` *em*')).toBe('\\[click\\]\\(https&#58;//evil.example\\) \\| cell \\`code\\` \\*em\\*');
  });
});
