import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, cliEnv, tempDir } from './helpers.js';

/**
 * The CLI on a pseudo-terminal of zero rows and columns (issue 12): what `docker run -t` gives a CI
 * job and what `script` gives by default there. ora divided by the width and redrew for ever (26 MB
 * in 40 s, the run never ended). `script` (util-linux) supplies the real pty.
 */
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Runs `command` in a pty of `rows`x`cols`; kills it past `maxBytes` of output or `hangMs`. */
function inPty(command: string, size: { rows: number; cols: number }, cwd: string, env: Record<string, string>): Promise<{ code: number | null; output: string; killed?: string }> {
  return new Promise((resolve) => {
    const child = spawn('script', ['-qfec', `stty rows ${size.rows} cols ${size.cols}; exec ${command}`, '/dev/null'], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let killed: string | undefined;
    const stop = (why: string): void => {
      killed ??= why;
      child.kill('SIGKILL');
    };
    const guard = setTimeout(() => stop('still running after 60 s'), 60_000);
    const take = (d: Buffer): void => {
      output += d.toString();
      if (output.length > 2_000_000) stop(`wrote ${output.length} bytes`);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('close', (code) => {
      clearTimeout(guard);
      resolve({ code, output, ...(killed ? { killed } : {}) });
    });
  });
}

describe('[terminal/zero-size] a terminal of zero rows and columns', () => {
  it('is treated as no TTY: the run ends with plain lines and bounded output', async () => {
    const dir = tempDir();
    dirs.push(dir);
    writeFileSync(join(dir, 'app.log'), 'nothing to see\n');
    writeFileSync(
      join(dir, 'tty.yaml'),
      ['suite: tty', 'title: zero-size terminal', 'environments:', '  local: { sandbox: true }', 'checks:', '  - id: logs', '    type: pan-scan', '    section: "2.2"', '    with: { paths: [app.log] }', ''].join('\n'),
    );
    // Not CI: only the terminal's size can turn the spinner off.
    const env = cliEnv();
    delete env.CI;
    delete env.NO_COLOR;
    const result = await inPty(`${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} run tty.yaml --out out`, { rows: 0, cols: 0 }, dir, env);
    expect(result.killed, result.output.slice(0, 2000)).toBeUndefined();
    expect(result.code, result.output).toBe(0);
    expect(result.output).toMatch(/^PASS {3}logs/m);
    expect(result.output).toMatch(/^READY /m);
    expect(result.output).not.toContain('\u001b');
    expect(result.output.length).toBeLessThan(5_000);
  }, 90_000);
});
