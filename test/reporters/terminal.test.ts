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

/** A fake terminal that refuses to grow past `limit` bytes (an endless redraw loop throws instead of hanging the test). */
function fakeTerminal(size: { columns: number; rows: number }, limit = 1_000_000): { stream: PassThrough & { isTTY: boolean; columns: number; rows: number }; output: () => string } {
  // The cursor moves write their escape codes, as tty.WriteStream's do, so the limit counts them.
  const stream = Object.assign(new PassThrough(), {
    isTTY: true,
    ...size,
    cursorTo: (x: number) => stream.write(`\u001b[${x + 1}G`),
    clearLine: () => stream.write('\u001b[2K'),
    moveCursor: (_dx: number, dy: number) => stream.write(dy < 0 ? `\u001b[${-dy}A` : ''),
  });
  let out = '';
  const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    out += String(chunk);
    if (out.length > limit) throw new Error(`unbounded terminal output: ${out.length} bytes`);
    return write(chunk, ...rest);
  }) as typeof stream.write;
  stream.resume();
  return { stream, output: () => out };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const RESULT = FIXED_REPORT.results.find((r) => r.id === 'payments-require-auth')!;

/** A run of one check on `stream`, the check running for `ms`. */
async function runOne(reporter: TerminalReporter, ms: number, during?: () => void): Promise<void> {
  await reporter.prepare();
  const check = { id: RESULT.id } as CheckSpec;
  reporter.onRunStart({ suite: { name: 'go-live', file: 'checks/go-live.yaml' }, target: { name: 'sandbox', insecure: false }, checks: [check] });
  reporter.onCheckStart(check);
  await sleep(ms / 2);
  during?.();
  await sleep(ms / 2);
  reporter.onCheckEnd(RESULT);
  reporter.end(FIXED_REPORT);
}

describe('[terminal/zero-size] terminal reporter on a terminal of zero rows or columns (issue 12)', () => {
  for (const size of [
    { columns: 0, rows: 0 },
    { columns: 0, rows: 24 },
    { columns: 80, rows: 0 },
  ]) {
    it(`${size.columns}x${size.rows} is treated as no TTY: plain lines, no escape codes, bounded output`, async () => {
      const { stream, output } = fakeTerminal(size);
      await runOne(new TerminalReporter({ stream, env: {}, heartbeatMs: 0 }), 400);
      expect(output()).not.toContain('\u001b');
      expect(output()).toMatch(/^FAIL {3}payments-require-auth/m);
      expect(output().length).toBeLessThan(5_000);
    });
  }

  it('a terminal resized to zero columns mid-run drops the spinner before it draws at that size', async () => {
    const { stream, output } = fakeTerminal({ columns: 120, rows: 40 });
    await runOne(new TerminalReporter({ stream, env: {}, heartbeatMs: 0 }), 400, () => {
      stream.columns = 0;
      stream.emit('resize');
    });
    expect(output()).toContain('running payments-require-auth'); // the spinner was there before
    expect(output().length).toBeLessThan(20_000);
  });
});

describe('[terminal/heartbeat] terminal reporter heartbeat without a TTY (issue 12)', () => {
  function plain(): { stream: PassThrough; lines: () => string[] } {
    const stream = new PassThrough();
    let out = '';
    stream.on('data', (d: Buffer) => (out += d.toString()));
    return { stream, lines: () => out.split('\n') };
  }

  it('prints "still running" for a long check every interval, with its progress, and stops when it ends', async () => {
    const { stream, lines } = plain();
    const reporter = new TerminalReporter({ stream, env: { CI: 'true' }, heartbeatMs: 40 });
    const check = { id: 'api-load' } as CheckSpec;
    reporter.onRunStart({ suite: { name: 'go-live', file: 'checks/go-live.yaml' }, target: { name: 'sandbox', insecure: false }, checks: [check] });
    reporter.onCheckStart(check);
    await sleep(150);
    reporter.onCheckProgress('api-load', { message: '1,200/2,000 requests', fraction: 0.6 });
    await sleep(150);
    reporter.onCheckEnd({ ...RESULT, id: 'api-load' });
    const beats = lines().filter((l) => l.startsWith('...'));
    expect(beats.length).toBeGreaterThanOrEqual(2);
    for (const beat of beats) expect(beat).toMatch(/^\.\.\. {4}api-load still running \(\d+ s\)(: 1,200\/2,000 requests 60%)?$/);
    expect(beats.at(-1)).toContain(': 1,200/2,000 requests 60%');
    // One line per finished check, then silence.
    expect(lines().filter((l) => /^FAIL {3}api-load/.test(l))).toHaveLength(1);
    const count = lines().length;
    await sleep(150);
    expect(lines().length).toBe(count);
    reporter.end(FIXED_REPORT);
  });

  it('prints no heartbeat for a check that ends within the interval, nor with the heartbeat off', async () => {
    for (const heartbeatMs of [10_000, 0]) {
      const { stream, lines } = plain();
      const reporter = new TerminalReporter({ stream, env: { CI: 'true' }, heartbeatMs });
      await runOne(reporter, 100);
      expect(lines().filter((l) => l.startsWith('...'))).toEqual([]);
    }
  });

  it('on a live terminal the spinner shows progress instead: no heartbeat lines', async () => {
    const { stream, output } = fakeTerminal({ columns: 200, rows: 40 });
    await runOne(new TerminalReporter({ stream, env: {}, heartbeatMs: 30 }), 200);
    expect(output()).not.toContain('still running');
  });
});
