import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createServer as createHttpServer, request } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createServer, type Server, type Socket } from 'node:net';
import { constants } from 'node:os';
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliEnv, spawnCli, stackTraceIn, tempDir, type CliResult } from './helpers.js';

/**
 * SIGTERM and SIGINT end the CLI whatever it is doing (issue 12): exit 143/130 with the partial
 * report; if the graceful path is stuck, a hard exit 1.5 s after the signal writes what it can and
 * ends the process anyway; a second signal ends it at once. Each test has a hang guard (the CLI
 * is killed after 20 s and the test fails), never a tight timing.
 */

const dirs: string[] = [];
const servers: Server[] = [];
const openSockets: Socket[] = [];
afterAll(() => {
  for (const s of openSockets) s.destroy();
  for (const s of servers) s.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function dir(): string {
  const d = tempDir('payready-signals-');
  dirs.push(d);
  return d;
}

/** The status a shell would report: the exit code, or 128 + the number of the signal that ended it. */
function status(result: CliResult): number | undefined {
  if (result.code !== null) return result.code;
  return result.signal ? 128 + constants.signals[result.signal] : undefined;
}

/** Waits for `child` to end, killing it (and failing) if it is still there after `ms`. */
async function ended(run: ReturnType<typeof spawnCli>, ms = 20_000): Promise<CliResult & { hung: boolean }> {
  let hung = false;
  const guard = setTimeout(() => {
    hung = true;
    run.child.kill('SIGKILL');
  }, ms);
  const result = await run.done;
  clearTimeout(guard);
  return { ...result, hung };
}

async function until(what: string, test: () => boolean, ms = 20_000): Promise<void> {
  const started = Date.now();
  while (!test()) {
    if (Date.now() - started > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A TCP server that accepts connections and never answers. */
async function silentServer(): Promise<{ port: number; sockets: Socket[] }> {
  const sockets: Socket[] = [];
  const server = createServer((s) => {
    sockets.push(s);
    openSockets.push(s);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as { port: number }).port, sockets };
}

function hangingSuite(cwd: string, port: number): void {
  writeFileSync(
    join(cwd, 'hang.yaml'),
    [
      'suite: hang',
      'title: A check blocked on a server that never answers',
      'environments:',
      `  local: { baseUrl: "http://127.0.0.1:${port}", sandbox: true }`,
      'checks:',
      '  - id: hangs',
      '    type: http',
      '    section: "1.1"',
      '    timeout: 60s',
      '    with: { url: "${target.baseUrl}/never" }',
      '  - id: after',
      '    type: http',
      '    section: "1.1"',
      '    needs: [hangs]',
      '    with: { url: "${target.baseUrl}/after" }',
      '',
    ].join('\n'),
  );
}

function readReport(cwd: string): { incomplete: boolean; verdict: string; results: { id: string; status: string; summary: string; skippedBy?: string }[] } {
  return JSON.parse(readFileSync(join(cwd, 'out', 'report.json'), 'utf8'));
}

function temporaries(cwd: string): string[] {
  return readdirSync(join(cwd, 'out')).filter((f) => f.includes('payready-tmp'));
}

describe('signals end the CLI whatever it is doing', () => {
  it('[signals/load-phase] a load phase running: SIGINT exits 130 and SIGTERM 143, each with the partial report', async () => {
    let requests = 0;
    const server = createHttpServer((_req, res) => {
      requests += 1;
      setTimeout(() => res.end('ok'), 20);
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    for (const [signal, code] of [
      ['SIGINT', 130],
      ['SIGTERM', 143],
    ] as const) {
      const cwd = dir();
      writeFileSync(
        join(cwd, 'load.yaml'),
        [
          'suite: load',
          'title: A long load phase',
          'environments:',
          `  local: { baseUrl: "http://127.0.0.1:${port}", sandbox: true }`,
          'checks:',
          '  - id: api-load',
          '    type: load',
          '    section: "3.2"',
          '    timeout: 5m',
          '    with: { url: "${target.baseUrl}/health", duration: 120s, requests: 10000000, connections: 4 }',
          '',
        ].join('\n'),
      );
      const before = requests;
      const run = spawnCli(['run', 'load.yaml', '--out', 'out'], { cwd });
      await until('the load phase', () => requests - before >= 20);
      run.child.kill(signal);
      const result = await ended(run);
      expect(result.hung, result.stdout + result.stderr).toBe(false);
      expect(status(result), result.stderr).toBe(code);
      const report = readReport(cwd);
      expect(report.incomplete).toBe(true);
      expect(report.results[0]).toMatchObject({ id: 'api-load', status: 'skip', skippedBy: 'interrupt' });
      expect(stackTraceIn(result.stdout + result.stderr)).toBeUndefined();
    }
  }, 90_000);

  /**
   * A run whose check waits on a server that never answers, and whose graceful stop cannot finish:
   * its GitHub step summary is a FIFO nobody reads.
   */
  async function runStuckOnSummary(): Promise<{ run: ReturnType<typeof spawnCli>; cwd: string; sockets: Socket[] }> {
    const { port, sockets } = await silentServer();
    const cwd = dir();
    hangingSuite(cwd, port);
    const fifo = join(cwd, 'summary.fifo');
    execFileSync('mkfifo', [fifo]);
    return { run: spawnCli(['run', 'hang.yaml', '--out', 'out'], { cwd, env: cliEnv({ GITHUB_STEP_SUMMARY: fifo }) }), cwd, sockets };
  }

  it('[signals/hard-deadline] a graceful path that cannot finish (an append to a FIFO nobody reads) is cut 1.5 s after SIGTERM: status 143, the partial report written, no temporary file', async () => {
    const { run, cwd, sockets } = await runStuckOnSummary();
    await until('the request that never gets an answer', () => sockets.length >= 1);
    run.child.kill('SIGTERM');
    const result = await ended(run);
    expect(result.hung, result.stdout + result.stderr).toBe(false);
    expect(status(result), result.stderr).toBe(143);
    expect(result.stderr).toMatch(/^Terminated: stopping running checks/m);
    expect(result.stderr).toMatch(/^payready: still stopping 1\.5 s after SIGTERM: stopped without finishing \(the partial report is written\)$/m);
    const report = readReport(cwd);
    expect(report.incomplete).toBe(true);
    expect(report.verdict).toBe('NOT READY');
    expect(report.results.map((r) => [r.id, r.status, r.skippedBy])).toEqual([
      ['hangs', 'skip', 'interrupt'],
      ['after', 'skip', 'interrupt'],
    ]);
    expect(readFileSync(join(cwd, 'out', 'interactions.jsonl'), 'utf8')).toMatch(/^(\{.*\}\n)*$/);
    expect(temporaries(cwd)).toEqual([]);
    expect(stackTraceIn(result.stdout + result.stderr)).toBeUndefined();
  }, 60_000);

  it('[signals/second-signal] a second signal ends the process at once, with the first signal\'s status and the partial report', async () => {
    const { run, cwd, sockets } = await runStuckOnSummary();
    let stderr = '';
    run.child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    await until('the request that never gets an answer', () => sockets.length >= 1);
    run.child.kill('SIGTERM');
    await until('the first signal to be acknowledged', () => stderr.includes('Terminated:'));
    run.child.kill('SIGINT');
    const result = await ended(run);
    expect(result.hung, result.stdout + result.stderr).toBe(false);
    expect(status(result), result.stderr).toBe(143);
    expect(result.stderr).toMatch(/^payready: SIGINT again: stopped without finishing/m);
    expect(readReport(cwd).incomplete).toBe(true);
    expect(temporaries(cwd)).toEqual([]);
  }, 60_000);

  it('[signals/sandbox] payready sandbox stops on SIGTERM with a client holding a connection and a request in flight: exit 0, "sandbox stopped"', async () => {
    const server = spawnCli(['sandbox']);
    let printed = '';
    server.child.stdout!.on('data', (d: Buffer) => (printed += d.toString()));
    await until('the sandbox', () => printed.includes('Press Ctrl-C'));
    const baseUrl = /API \(HTTPS\)\s+(\S+)/.exec(printed)![1]!;
    const httpUrl = /plain HTTP\s+(\S+)/.exec(printed)![1]!;
    const ca = readFileSync(/CA certificate\s+(\S+)/.exec(printed)![1]!);
    // A response held for a minute, and an idle keep-alive connection on the plain-HTTP port.
    const held = httpsRequest(`${baseUrl}/health`, { ca, headers: { 'sandbox-delay': '60000' } });
    held.on('error', () => undefined);
    // The held request is in flight once its TLS handshake is done and the request is sent.
    const sent = new Promise<void>((resolve) => held.on('socket', (socket) => socket.once('secureConnect', () => setImmediate(resolve))));
    held.end();
    const idle = request(httpUrl, { agent: new (await import('node:http')).Agent({ keepAlive: true }) });
    idle.on('error', () => undefined);
    // The keep-alive connection is idle once its response has ended.
    const answered = new Promise<void>((resolve) => idle.on('response', (res) => res.resume().on('end', resolve)));
    idle.end();
    await Promise.all([sent, answered]);
    server.child.kill('SIGTERM');
    const result = await ended(server);
    expect(result.hung, result.stdout + result.stderr).toBe(false);
    expect(status(result), result.stderr).toBe(0);
    expect(result.stdout).toMatch(/sandbox stopped/);
  }, 60_000);

  it('[signals/validate] a validate working through many large suites stops on SIGTERM with 143 instead of finishing with 0', async () => {
    const cwd = dir();
    const lines = ['suite: big', 'title: Generated suite', 'environments:', '  sandbox: { embedded: true, sandbox: true }', 'checks:'];
    for (let i = 0; i < 1000; i++) lines.push(`  - id: http-${i}`, '    type: http', '    section: "1.1"', `    with: { url: "\${target.baseUrl}/health?i=${i}" }`);
    writeFileSync(join(cwd, 'suite.yaml'), `${lines.join('\n')}\n`);
    // One 1,000-check suite named 1,000 times: about 40 s of work (40 ms a file), so the
    // signal always lands mid-way however slowly this machine notices the first line.
    const files = Array.from({ length: 1000 }, () => 'suite.yaml');
    const run = spawnCli(['validate', ...files], { cwd });
    let stdout = '';
    run.child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    await until('the first suite to validate', () => stdout.includes('ok  suite.yaml'), 60_000);
    run.child.kill('SIGTERM');
    const result = await ended(run, 30_000);
    expect(result.hung).toBe(false);
    expect(status(result), result.stderr).toBe(143);
    expect(result.stdout.match(/^ok /gm)?.length ?? 0).toBeLessThan(files.length);
    expect(stackTraceIn(result.stdout + result.stderr)).toBeUndefined();
  }, 120_000);
});
