import { describe, expect, it } from 'vitest';
import { renderAnnotations } from '../../src/reporters/github.js';
import { FIXED_REPORT } from './fixed-run.js';
import { expectMatchesFile } from './expected.js';

describe('GitHub Actions annotations', () => {
  const locations = new Map([
    ['payments-require-auth', { file: 'checks/go-live.yaml', line: 88 }],
    ['hostile-server', { file: 'checks/go-live.yaml', line: 104 }],
  ]);
  const text = renderAnnotations(FIXED_REPORT, locations);

  it('an error per blocking check, a warning per warning or excused failure, a notice with the verdict (expected output)', () => {
    expectMatchesFile(text, 'github-annotations.txt');
    const lines = text.trim().split('\n');
    expect(lines.filter((l) => l.startsWith('::error '))).toHaveLength(3);
    expect(lines.filter((l) => l.startsWith('::warning '))).toHaveLength(2);
    expect(lines.at(-1)).toBe('::notice title=payready%3A NOT READY::go-live on sandbox: 8 checks: 2 pass · 3 fail · 1 error · 1 warn · 1 skip');
    expect(text).toContain('::error file=checks/go-live.yaml,line=88,title=payready payments-require-auth (1.1%2C blocker)::FAIL: POST /v1/payments: expected status to equal 401, got 201');
    expect(text).toMatch(/^::warning title=payready payment-approve \(5\.2%2C blocker\)::FAIL: .* \(waived until 2027-01-31: PSP fixes/m);
    expect(text).toMatch(/^::error title=payready rate-limit-burst [^:]*::FAIL: .*waiver expired on 2026-10-31: it no longer counts/m);
  });

  it('server text cannot end the command or start another one', () => {
    const hostile = structuredClone(FIXED_REPORT);
    hostile.results[2]!.summary = 'boom\n::set-output name=x::owned\r\n%0A';
    const out = renderAnnotations(hostile);
    expect(out).not.toMatch(/^::set-output/m);
    expect(out).toContain('::ERROR: boom ::set-output name=x::owned %250A');
    expect(out).not.toMatch(/\u001b/);
  });
});
