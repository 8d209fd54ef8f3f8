import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { TerminalReporter, clean } from '../../src/reporters/terminal.js';
import type { CheckSpec } from '../../src/suite/types.js';
import { FIXED_REPORT } from './fixed-run.js';
import { expectMatchesFile } from './expected.js';

function render(env: Record<string, string>, isTTY = false): string {
  const stream = Object.assign(new PassThrough(), { isTTY });
  let out = '';
  stream.on('data', (d: Buffer) => (out += d.toString()));
  const reporter = new TerminalReporter({ stream, env });
  const checks = FIXED_REPORT.results.map((r) => ({ id: r.id }) as CheckSpec);
  reporter.onRunStart({ suite: { name: 'go-live', file: 'checks/go-live.yaml' }, target: { name: 'sandbox', baseUrl: 'https://127.0.0.1:8443', insecure: false }, checks });
  for (const r of FIXED_REPORT.results) reporter.onCheckEnd(r);
  reporter.end(FIXED_REPORT, ['payready-report/report.json']);
  return out;
}

/** A TTY reporter (spinner on), fed one running check and a progress update; what it printed. */
async function progressOutput(env: Record<string, string>, isTTY: boolean): Promise<string> {
  // What ora needs of a TTY stream: the cursor moves are no-ops here, the text is what counts.
  const stream = Object.assign(new PassThrough(), { isTTY, columns: 200, cursorTo: () => true, clearLine: () => true, moveCursor: () => true });
  let out = '';
  stream.on('data', (d: Buffer) => (out += d.toString()));
  const reporter = new TerminalReporter({ stream, env });
  await reporter.prepare();
  const check = { id: 'api-load' } as CheckSpec;
  reporter.onRunStart({ suite: { name: 'go-live', file: 'checks/go-live.yaml' }, target: { name: 'sandbox', insecure: false }, checks: [check] });
  reporter.onCheckStart(check);
  reporter.onCheckProgress('api-load', { message: '1,200/2,000 requests, 4,321 req/s', fraction: 0.6 });
  await new Promise((resolve) => setTimeout(resolve, 250));
  reporter.end(FIXED_REPORT);
  return out;
}

describe('terminal reporter', () => {
  it('shows a load phase\'s progress in the spinner on a TTY only', async () => {
    expect(await progressOutput({}, true)).toContain('running api-load (1,200/2,000 requests, 4,321 req/s 60%)');
    const plain = await progressOutput({ CI: 'true' }, true);
    expect(plain).not.toContain('4,321 req/s');
    expect(await progressOutput({}, false)).not.toContain('4,321 req/s');
  });

  it('prints plain lines and the verdict block under CI (expected output)', () => {
    expectMatchesFile(render({ CI: 'true' }), 'terminal.txt');
  });

  it('uses no colour under NO_COLOR even on a TTY, and colour on a TTY otherwise', () => {
    expect(render({ NO_COLOR: '1', CI: 'true' }, true)).not.toContain('\u001b[');
    expect(render({ CI: 'true' }, true)).toContain('\u001b[');
  });

  it('strips escape sequences and control characters that came from a server', () => {
    const out = render({ CI: 'true' });
    expect(out).not.toMatch(/\u001b|\u0007/);
    expect(out).toContain('GET /x: red <b>&amp;</b> ]]> bell');
    expect(clean('a\u001b]0;title\u0007b\r\nc')).toBe('ab c');
  });

  it('lists blocking failures but not waived ones, and shows the waiver', () => {
    const out = render({ CI: 'true' });
    expect(out).toMatch(/^Blocking {3}payments-require-auth \(1\.1, blocker\)/m);
    expect(out).not.toMatch(/^Blocking {3}payment-approve/m);
    expect(out).toMatch(/^Expired {4}rate-limit-burst: waiver approved by cto@example\.com expired on 2026-10-31: it no longer counts$/m);
    expect(out).toMatch(/^Waived {5}payment-approve: PSP fixes async authorisation in release 42 \(approved by jane\.doe@example\.com, until 2027-01-31\)$/m);
  });
});
