import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { main } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/io.js';
import type { Interrupt } from '../../src/cli/interrupt.js';
import { manualInterrupt } from '../support/interrupt.js';
import { startHostile } from '../support/hostile.js';
import { tempDir } from '../e2e/helpers.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

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

async function settled(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 100));
}

describe('bounded resources', () => {
  it('a whole demo run, in-process, leaves no socket, server or timer open', async () => {
    await settled();
    const before = openHandles();
    const dir = tempDir();
    const code = await main(['demo', '--out', join(dir, 'out')], io(dir, manualInterrupt()));
    expect(code).toBe(0);
    await settled();
    expect(openHandles()).toEqual(before);
  });

  it('an interrupted run against a server that never answers closes every socket too', async () => {
    const server = await startHostile('silent');
    try {
      await settled();
      const before = openHandles();
      const dir = tempDir();
      writeFileSync(
        join(dir, 'hang.yaml'),
        `suite: hang\ntitle: Hang\nenvironments:\n  local: { baseUrl: "${server.baseUrl}", sandbox: true }\nchecks:\n  - { id: hangs, type: http, section: "1.1", timeout: 60s, with: { url: "\${target.baseUrl}/x" } }\n`,
      );
      const interrupt = manualInterrupt();
      const running = main(['run', 'hang.yaml', '--out', 'out'], io(dir, interrupt));
      await new Promise((resolve) => setTimeout(resolve, 300));
      interrupt.fire('SIGINT');
      expect(await running).toBe(130);
      await settled();
      expect(openHandles()).toEqual(before);
    } finally {
      await server.close();
    }
  });
});
