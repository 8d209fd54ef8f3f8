import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { main } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/io.js';
import type { Interrupt } from '../../src/cli/interrupt.js';
import { manualInterrupt } from '../support/interrupt.js';
import { startHostile } from '../support/hostile.js';
import { ROOT, tempDir } from '../e2e/helpers.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/** Handles that would keep a process alive or leak: sockets, servers, pending timers. */
function openHandles(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) if (/TCP|TLS|Pipe|Timeout|Immediate|FSReq/.test(kind)) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}

function io(cwd: string, interrupt: Interrupt): Io {
  const sink = (): PassThrough => {
    const stream = new PassThrough();
    stream.resume();
    return stream;
  };
  return { stdout: sink(), stderr: sink(), env: { ...process.env, CI: 'true', NO_COLOR: '1' }, cwd, interrupt };
}

/** Lets callbacks already queued run (closes that were started), then counts. */
async function settledHandles(): Promise<Record<string, number>> {
  await new Promise((resolve) => setImmediate(resolve));
  return openHandles();
}

/** The handles open now beyond those of `before`, by kind (a timer `before` had may have fired since). */
function beyond(now: Record<string, number>, before: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(now).filter(([kind, n]) => n > (before[kind] ?? 0)));
}

/**
 * The handles open beyond `before` once there are none, or after 2 s, whichever comes first: a
 * socket closes a few event-loop turns after its close() was called, a leak never does.
 */
async function leakedSince(before: Record<string, number>): Promise<Record<string, number>> {
  const deadline = Date.now() + 2_000;
  let extra = beyond(await settledHandles(), before);
  while (Object.keys(extra).length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    extra = beyond(await settledHandles(), before);
  }
  return extra;
}

/** One check of each type in checks/go-live.yaml: every kind of socket, server and timer a demo opens. */
function oneCheckPerType(): string[] {
  const suite = parse(readFileSync(join(ROOT, 'checks', 'go-live.yaml'), 'utf8')) as { checks: { id: string; type: string }[] };
  const first = new Map<string, string>();
  for (const check of suite.checks) if (!first.has(check.type)) first.set(check.type, check.id);
  return [...first.values()];
}

describe('bounded resources', () => {
  it('a demo run of every check type, in-process, leaves no socket, server or timer open', async () => {
    const before = await settledHandles();
    const dir = tempDir();
    const only = oneCheckPerType();
    expect(only.length).toBeGreaterThanOrEqual(15);
    const code = await main(['demo', '--out', join(dir, 'out'), ...only.flatMap((id) => ['--only', id])], io(dir, manualInterrupt()));
    expect(code).toBe(0);
    expect(await leakedSince(before)).toEqual({});
  }, 90_000);

  it('an interrupted run against a server that never answers closes every socket too', async () => {
    const server = await startHostile('silent');
    try {
      const before = await settledHandles();
      const dir = tempDir();
      writeFileSync(
        join(dir, 'hang.yaml'),
        `suite: hang\ntitle: Hang\nenvironments:\n  local: { baseUrl: "${server.baseUrl}", sandbox: true }\nchecks:\n  - { id: hangs, type: http, section: "1.1", timeout: 60s, with: { url: "\${target.baseUrl}/x" } }\n`,
      );
      const interrupt = manualInterrupt();
      const running = main(['run', 'hang.yaml', '--out', 'out'], io(dir, interrupt));
      // The check is waiting on the server once it has connected.
      await server.connected;
      interrupt.fire('SIGINT');
      expect(await running).toBe(130);
      expect(await leakedSince(before)).toEqual({});
    } finally {
      await server.close();
    }
  });
});
