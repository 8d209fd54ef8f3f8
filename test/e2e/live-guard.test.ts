import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stackTraceIn, tempDir } from './helpers.js';
import { runInProcess } from './in-process.js';

/*
 * The live guard: every check type that can send a write request (POST, PUT, PATCH, DELETE, a
 * card form) is refused on an environment without `sandbox: true` unless the suite says
 * `allowLive: true`, by `validate` and by `run` before anything is sent. A loopback server counts
 * every request that reaches it.
 */

let server: Server;
let baseUrl = '';
const received: string[] = [];
const dirs: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    received.push(`${req.method} ${req.url}`);
    req.resume();
    req.on('end', () => {
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end('{"id":"pay_1","amount":{"value":100000,"currency":"EUR"}}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A suite with one check against `live` (no `sandbox: true`) in a temp folder; returns its folder. */
function suiteWith(type: string, withYaml: string, top = ''): string {
  const dir = tempDir('payready-live-');
  dirs.push(dir);
  writeFileSync(
    join(dir, 'suite.yaml'),
    [
      'suite: live-guard',
      'title: Live guard',
      top,
      'environments:',
      '  live:',
      `    baseUrl: ${baseUrl}`,
      'checks:',
      '  - id: the-check',
      `    type: ${type}`,
      '    section: "3.2"',
      '    with:',
      ...withYaml.split('\n').map((line) => `      ${line}`),
      '',
    ].join('\n'),
  );
  return dir;
}

// Each case: a type, its parameters, and what the refusal must name (method and URL as written).
const WRITES: { type: string; with: string; names: string }[] = [
  { type: 'load', with: 'url: ${target.baseUrl}/v1/payments\nmethod: POST\nrequests: 20\njson: { amount: { value: 100000, currency: EUR } }', names: 'POST ${target.baseUrl}/v1/payments' },
  { type: 'ratelimit', with: 'url: ${target.baseUrl}/v1/payments\nmethod: POST\nmaxRequests: 20\njson: { amount: { value: 100000, currency: EUR } }', names: 'POST ${target.baseUrl}/v1/payments' },
  { type: 'http', with: 'url: ${target.baseUrl}/v1/payments/pay_1/refunds\nmethod: POST', names: 'POST ${target.baseUrl}/v1/payments/pay_1/refunds' },
  { type: 'http', with: 'url: ${target.baseUrl}/v1/payments/pay_1\nmethod: DELETE', names: 'DELETE ${target.baseUrl}/v1/payments/pay_1' },
  { type: 'headers', with: 'url: ${target.baseUrl}/v1/payments\nmethod: POST', names: 'POST ${target.baseUrl}/v1/payments' },
  { type: 'ip-allowlist', with: 'url: ${target.baseUrl}/v1/payments\nmethod: POST\nsourceAddress: 127.0.0.2', names: 'POST ${target.baseUrl}/v1/payments' },
  { type: 'schema', with: 'url: ${target.baseUrl}/v1/payments\nmethod: PUT\njsonSchema: { type: object }', names: 'PUT ${target.baseUrl}/v1/payments' },
  { type: 'bandwidth', with: 'uploadUrl: ${target.baseUrl}/v1/payments/pay_1/capture', names: 'POST ${target.baseUrl}/v1/payments/pay_1/capture' },
  { type: 'ui', with: 'url: ${target.baseUrl}/checkout', names: 'a card submitted on the checkout form at ${target.baseUrl}/checkout' },
];

describe('[money/live-guard] write requests against a live environment', () => {
  for (const c of WRITES) {
    it(`${c.type} ${c.type === 'ui' ? 'card form' : c.names.split(' ')[0]}: validate and run refuse it (exit 2, located, naming check, request, environment and fix); nothing reaches the server`, async () => {
      const dir = suiteWith(c.type, c.with);
      const before = received.length;
      const validate = await runInProcess(['validate', 'suite.yaml'], { cwd: dir });
      expect(validate.code, validate.stderr).toBe(2);
      expect(validate.stderr).toContain(`error: check "the-check" (${c.type}) would send a write request, ${c.names}, to environment "live", which is not a sandbox`);
      expect(validate.stderr).toMatch(/--> suite\.yaml:1\d:\d+/);
      expect(validate.stderr).toContain('"allowLive: true"');
      expect(validate.stderr).toContain('"sandbox: true"');
      expect(stackTraceIn(validate.stderr)).toBeUndefined();

      const run = await runInProcess(['run', 'suite.yaml', '--out', 'out'], { cwd: dir });
      expect(run.code, run.stdout + run.stderr).toBe(2);
      expect(run.stderr).toContain('would send a write request');
      expect(received.slice(before)).toEqual([]);
    });
  }

  it('reads are not refused: a GET load phase on the live environment validates and runs', async () => {
    const dir = suiteWith('load', 'url: ${target.baseUrl}/health\nrequests: 3\nconnections: 1');
    const before = received.length;
    const validate = await runInProcess(['validate', 'suite.yaml'], { cwd: dir });
    expect(validate.code, validate.stderr).toBe(0);
    const run = await runInProcess(['run', 'suite.yaml', '--out', 'out'], { cwd: dir });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(received.slice(before)).toEqual(['GET /health', 'GET /health', 'GET /health']);
  });

  it('the guard is what stops the writes: with allowLive: true the same POST load phase reaches the server', async () => {
    const dir = suiteWith('load', 'url: ${target.baseUrl}/v1/payments\nmethod: POST\nrequests: 2\nconnections: 1\njson: { amount: 1 }', 'allowLive: true');
    const before = received.length;
    const run = await runInProcess(['run', 'suite.yaml', '--out', 'out'], { cwd: dir });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(received.slice(before)).toEqual(['POST /v1/payments', 'POST /v1/payments']);
  });

  it('a method written as ${vars.x} counts as a write until resolved', async () => {
    const dir = suiteWith('http', 'url: ${target.baseUrl}/v1/payments\nmethod: ${vars.method}', 'variables: { method: GET }');
    const validate = await runInProcess(['validate', 'suite.yaml'], { cwd: dir });
    expect(validate.code, validate.stderr).toBe(2);
    expect(validate.stderr).toContain('would send a write request, ${vars.method} ${target.baseUrl}/v1/payments, to environment "live"');
  });

  it('an environment marked sandbox: true is not refused', async () => {
    const dir = suiteWith('http', 'url: ${target.baseUrl}/v1/payments\nmethod: POST');
    writeFileSync(join(dir, 'sandboxed.yaml'), readFileSync(join(dir, 'suite.yaml'), 'utf8').replace('  live:\n', '  live:\n    sandbox: true\n'));
    const validate = await runInProcess(['validate', 'sandboxed.yaml'], { cwd: dir });
    expect(validate.code, validate.stderr).toBe(0);
  });
});
