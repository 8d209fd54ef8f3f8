import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { cliEnv, filesUnder, isTemplateWarning, runCli, stackTraceIn, tempDir } from './helpers.js';
import { runInProcess } from './in-process.js';

describe('payready demo', () => {
  // The one full demo of the tests (every check, the browser's too): what it proves about the
  // whole run is asserted here, not by more full demos elsewhere. --verbose, so that the debug
  // lines are searched for the secret too.
  it('runs the go-live suite against the embedded sandbox: READY, exit 0, report.json written; never prints or writes the client secret', async () => {
    const canary = 'canary-Secret-5f0c1d9e7a2b';
    const out = tempDir();
    const result = await runCli(['demo', '--out', out, '--verbose'], { env: cliEnv({ PAYREADY_CLIENT_SECRET: canary }) });
    // Nothing on stderr but the debug lines --verbose asks for.
    expect(result.stderr.replace(/^debug: .*\n/gm, '')).toBe('');
    expect(result.stderr).toMatch(/^debug: /m);
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toMatch(/^READY\s/m);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(report).toMatchObject({ schemaVersion: 1, tool: { name: 'payready' }, verdict: 'READY', incomplete: false, environment: { name: 'sandbox', embedded: true, sandbox: true } });
    expect(report.suite).toMatchObject({ name: 'go-live', file: 'checks/go-live.yaml' });
    expect(report.suite.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(report.results.length).toBeGreaterThanOrEqual(7);
    // Everything passes, except the shipped attestation templates, which warn until replaced.
    const notPassing = report.results.filter((r: { status: string }) => r.status !== 'pass');
    expect(notPassing.every(isTemplateWarning)).toBe(true);
    expect(report.results.filter((r: { type: string }) => r.type === 'attestation').length).toBeGreaterThanOrEqual(9);
    for (const r of report.results) expect(Object.keys(r)).toEqual(expect.arrayContaining(['id', 'type', 'title', 'section', 'severity', 'status', 'summary', 'durationMs', 'attempts', 'measurements', 'assertions']));
    expect(Object.keys(report.sections)).toEqual(expect.arrayContaining(['1.1', '1.2', '1.3', '1.4', '2.1', '2.2', '2.3', '3.1', '3.2', '3.3', '4.1', '5.1', '5.2', '6.1', '6.2', '7.1', '7.2']));
    const log = readFileSync(join(out, 'interactions.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(log.length).toBeGreaterThan(4);
    expect(log[0]).toMatchObject({ checkId: expect.any(String), method: expect.any(String), endpoint: expect.any(String), durationMs: expect.any(Number) });
    // Every call of every check is logged with issue 5's fields.
    for (const line of log) expect(Object.keys(line)).toEqual(expect.arrayContaining(['time', 'checkId', 'method', 'url', 'endpoint', 'durationMs', 'bytesIn', 'bytesOut']));
    // Nothing temporary is left behind.
    expect(readdirSync(out).filter((f) => f.startsWith('.payready-tmp'))).toEqual([]);

    // The client secret, in no form, in no output.
    const forms = [canary, Buffer.from(canary).toString('base64').replace(/=+$/, ''), encodeURIComponent(canary)];
    for (const form of forms) {
      expect(result.stdout).not.toContain(form);
      expect(result.stderr).not.toContain(form);
      for (const file of filesUnder(out)) expect(file.bytes.toString('latin1'), file.path).not.toContain(form);
    }
    // No access token (a JWT) either: the oauth checks register every token they see, and the
    // sandbox's expired test token is registered by the demo.
    const jwt = /eyJ[\w-]{10,}\.eyJ[\w-]{10,}\.[\w-]{10,}/;
    expect(result.stdout + result.stderr).not.toMatch(jwt);
    for (const file of filesUnder(out)) expect(file.bytes.toString('utf8'), file.path).not.toMatch(jwt);
  }, 90_000);

  // That no other check fails under it is isolation.test.ts's to prove.
  it('--fault no-auth: NOT READY, exit 1, names the check that guards against it', async () => {
    const out = tempDir();
    const result = await runInProcess(['demo', '--fault', 'no-auth', '--only', 'payments-require-auth', '--out', out]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^NOT READY\s/m);
    expect(result.stdout).toMatch(/^FAIL\s+payments-require-auth\s.*GET \/v1\/payments\/pay_0+ answered 404 to a request without a token: it must be 401/m);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    const failed = report.results.filter((r: { status: string }) => r.status === 'fail' || r.status === 'error').map((r: { id: string }) => r.id);
    expect(failed).toEqual(['payments-require-auth']);
    expect(report.environment.faults).toEqual(['no-auth']);
  });

  it('--fault down: error results that say the connection was refused, exit 1, no stack trace', async () => {
    const out = tempDir();
    const result = await runInProcess(['demo', '--fault', 'down', '--skip', 'checkout-mobile', '--out', out]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/NOT READY/);
    expect(result.stdout).toMatch(/connection refused by 127\.0\.0\.1:\d+/);
    expect(stackTraceIn(result.stdout + result.stderr)).toBeUndefined();
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    const port = report.results.find((r: { id: string }) => r.id === 'api-port-open');
    expect(port.status).toBe('fail');
    // Every probe of the API fails, errors or is skipped; attestations and the file scan of the
    // sample integration do not need the API.
    const passed = report.results.filter((r: { status: string }) => r.status === 'pass').map((r: { id: string }) => r.id);
    expect(passed).toEqual(['no-hardcoded-credentials']);
    const probes = report.results.filter((r: { type: string; id: string }) => r.type !== 'attestation' && r.id !== 'no-hardcoded-credentials');
    expect(probes.every((r: { status: string }) => ['fail', 'error', 'skip'].includes(r.status))).toBe(true);
  });

  it('an unknown fault is a usage error with a suggestion', async () => {
    const result = await runInProcess(['demo', '--fault', 'no-auht', '--out', tempDir()]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no-auth/);
    expect(stackTraceIn(result.stderr)).toBeUndefined();
  });
});
