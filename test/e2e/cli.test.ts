import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { ROOT, runCli, spawnCli, stackTraceIn, tempDir } from './helpers.js';
import { runInProcess } from './in-process.js';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };

// The process (bin/payready.js: --version, --help, exit codes, signals) is spawned; what a
// command prints and returns runs in-process (runInProcess), which spares an import of the CLI.
describe('payready CLI', () => {
  it('--version prints the package version', async () => {
    const result = await runCli(['--version']);
    expect(result).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
  });

  it('--help lists every command and the exit codes', async () => {
    const result = await runCli(['--help']);
    expect(result.code, result.stdout).toBe(0);
    for (const command of ['run', 'demo', 'sandbox', 'validate', 'checks', 'coverage', 'verify', 'diff', 'merge', 'schema']) expect(result.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    expect(result.stdout).toMatch(/Exit codes: 0 ready, 1 not ready, 2 usage or suite error/);
  });

  it('an unknown command or option exits 2 with a suggestion', async () => {
    const command = await runCli(['demoo']);
    expect(command.code).toBe(2);
    expect(command.stderr).toMatch(/unknown command 'demoo'/);
    expect(command.stderr).toMatch(/Did you mean demo\?/);
    const option = await runCli(['demo', '--concurrency', 'many']);
    expect(option.code).toBe(2);
    expect(option.stderr).toMatch(/--concurrency must be a positive integer, got "many"/);
    expect(stackTraceIn(option.stderr)).toBeUndefined();
  });

  it('checks lists every registered type with the guideline items it can evidence; checks <type> explains its parameters', async () => {
    const list = await runInProcess(['checks']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^ {2}http\s+1\.1\.a 1\.1\.b 1\.3\.a 5\.2\.b 6\.2\.a 6\.2\.b 7\.2\.b\n\s+One HTTP request/m);
    expect(list.stdout).toMatch(/^ {2}port\s+1\.2\.b\n/m);
    const http = await runInProcess(['checks', 'http']);
    expect(http.code).toBe(0);
    expect(http.stdout).toMatch(/^ {2}5\.2\.b {2}Validate all key flows with test transactions before moving to production\.$/m);
    expect(http.stdout).toMatch(/^ {2}url\s+string, required/m);
    expect(http.stdout).toMatch(/^ {2}method\s+GET\|POST.*default "GET"/m);
    const unknown = await runInProcess(['checks', 'htp']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown check type "htp"; did you mean "http"\?/);
  });

  it('schema prints a JSON Schema for suite files that knows every check type', async () => {
    const result = await runInProcess(['schema']);
    expect(result.code, result.stdout).toBe(0);
    const schema = JSON.parse(result.stdout);
    expect(schema.$schema).toMatch(/2020-12/);
    expect(JSON.stringify(schema)).toContain('"http"');
    expect(JSON.stringify(schema)).toContain('"port"');
  });

  it('validate accepts the shipped suite and exits 2 on a broken one with file:line:col', async () => {
    const good = await runInProcess(['validate', 'checks/go-live.yaml']);
    expect(good.stdout).toMatch(/^ok {2}checks\/go-live\.yaml/m);
    expect(good.code).toBe(0);
    const dir = tempDir();
    writeFileSync(join(dir, 'bad.yaml'), 'suite: bad\ntitle: Bad\nenvironments:\n  sandbox: { embedded: true, sandbox: true }\nchecks:\n  - id: a\n    type: http\n    section: "1.1"\n    with:\n      url: https://127.0.0.1:1/\n      metod: GET\n');
    const bad = await runInProcess(['validate', 'bad.yaml'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/bad\.yaml:11:7/);
    expect(bad.stderr).toMatch(/did you mean "method"\?/);
    expect(bad.stderr).not.toContain(dir);
  });

  it('--max-body caps every response body the checks read; a bad size is a usage error', async () => {
    const out = tempDir();
    const capped = await runInProcess(['demo', '--max-body', '200B', '--only', 'oauth-token', '--out', out]);
    expect(capped.code).toBe(1);
    expect(capped.stdout).toMatch(/^ERROR\s+oauth-token\s.*exceeds the 200 B limit$/m);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(report.results.find((r: { id: string }) => r.id === 'oauth-token').status).toBe('error');
    const roomy = await runInProcess(['demo', '--max-body', '1MiB', '--only', 'oauth-token', '--out', tempDir()]);
    expect(roomy.code, roomy.stdout).toBe(0);
    const bad = await runInProcess(['demo', '--max-body', '10XB']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--max-body must be a size such as 10MB/);
  });

  it('run on a missing file is a clear usage error', async () => {
    const result = await runInProcess(['run', 'nope.yaml'], { cwd: tempDir() });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/nope\.yaml/);
    expect(stackTraceIn(result.stderr)).toBeUndefined();
  });

  it('[signals/blocked-check] SIGINT during a run writes a report marked incomplete and exits 130; SIGTERM exits 143, SIGHUP 129', async () => {
    for (const [signal, code] of [
      ['SIGINT', 130],
      ['SIGTERM', 143],
      ['SIGHUP', 129],
    ] as const) {
      // A server that accepts connections and never answers keeps the second check running.
      const sockets: Socket[] = [];
      const server: Server = createServer((s) => sockets.push(s));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const port = (server.address() as { port: number }).port;
      const dir = tempDir();
      writeFileSync(
        join(dir, 'hang.yaml'),
        [
          'suite: hang',
          'title: Hanging target',
          'environments:',
          `  local: { baseUrl: "http://127.0.0.1:${port}", host: 127.0.0.1, port: ${port}, sandbox: true }`,
          'checks:',
          '  - id: reachable',
          '    type: port',
          '    section: "1.2"',
          '    with: { host: "${target.host}", ports: ["${target.port}"] }',
          '  - id: hangs',
          '    type: http',
          '    section: "1.1"',
          '    needs: [reachable]',
          '    timeout: 60s',
          '    with: { url: "${target.baseUrl}/never" }',
          '  - id: after',
          '    type: http',
          '    section: "1.1"',
          '    needs: [hangs]',
          '    with: { url: "${target.baseUrl}/after" }',
        ].join('\n'),
      );
      const { child, done } = spawnCli(['run', 'hang.yaml', '--out', 'out'], { cwd: dir });
      await new Promise<void>((resolve) => {
        const wait = setInterval(() => {
          // One socket from the port probe, one from the hanging HTTP request.
          if (sockets.length >= 2) {
            clearInterval(wait);
            setTimeout(resolve, 100);
          }
        }, 20);
      });
      child.kill(signal);
      const result = await done;
      for (const s of sockets) s.destroy();
      server.close();
      expect(result.code, result.stderr).toBe(code);
      const report = JSON.parse(readFileSync(join(dir, 'out', 'report.json'), 'utf8'));
      expect(report.incomplete).toBe(true);
      expect(report.verdict).toBe('NOT READY');
      expect(report.results.find((r: { id: string }) => r.id === 'after')).toMatchObject({ status: 'skip', skippedBy: 'interrupt' });
      expect(stackTraceIn(result.stdout + result.stderr)).toBeUndefined();
    }
  });
});
