import { describe, expect, it } from 'vitest';
import { readFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { cliEnv, filesUnder, runCli, stackTraceIn, tempDir } from './helpers.js';
import { FAULTS } from '../../src/sandbox/faults.js';

/** What each fault's guarding check must say: the problem and what to do about it. */
const FAULT_SUMMARIES: Record<string, RegExp> = {
  'expired-cert': /expired on \d{4}-\d\d-\d\d: renew it$/,
  'legacy-tls': /^TLS 1\.0 and TLS 1\.1 accepted on 127\.0\.0\.1:\d+: disable TLS 1\.0 and TLS 1\.1/,
  'no-rate-limit': /got no 429 \(declared limit 20\): rate-limit this endpoint and answer 429 with Retry-After$/,
  'open-allowlist': /from 127\.0\.0\.2 \(outside the allowlist\) got 200: restrict API access to allowlisted source addresses$/,
  'plain-http': /^plain HTTP on 127\.0\.0\.1:\d+ answered 404 instead of redirecting to https: redirect every http:\/\/ request to https:\/\//,
  'slow-network': /Mbps (is|are) below the 1 Mbps minimum .*: the network path must carry at least 1 Mbps$/,
  'weak-cipher': /accepts NULL and anonymous cipher suites .*: remove them from the server's cipher list$/,
  'weak-headers': /no Strict-Transport-Security header: send Strict-Transport-Security: max-age=31536000/,
  'wrong-host-cert': /is for DNS:api\.example\.com, not 127\.0\.0\.1: issue it for 127\.0\.0\.1$/,
};

describe('payready demo', () => {
  it('runs the go-live suite against the embedded sandbox: READY, exit 0, report.json written', async () => {
    const out = tempDir();
    const result = await runCli(['demo', '--out', out]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^READY\s/m);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(report).toMatchObject({ schemaVersion: 1, tool: { name: 'payready' }, verdict: 'READY', incomplete: false, environment: { name: 'sandbox', embedded: true, sandbox: true } });
    expect(report.suite).toMatchObject({ name: 'go-live', file: 'checks/go-live.yaml' });
    expect(report.suite.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(report.results.length).toBeGreaterThanOrEqual(13);
    expect(report.results.every((r: { status: string }) => r.status === 'pass')).toBe(true);
    for (const r of report.results) expect(Object.keys(r)).toEqual(expect.arrayContaining(['id', 'type', 'title', 'section', 'severity', 'status', 'summary', 'durationMs', 'attempts', 'measurements', 'assertions']));
    expect(Object.keys(report.sections)).toEqual(expect.arrayContaining(['1.1', '1.2', '1.3', '2.1', '2.3', '5.2']));
    const log = readFileSync(join(out, 'interactions.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(log.length).toBeGreaterThan(4);
    expect(log[0]).toMatchObject({ checkId: expect.any(String), method: expect.any(String), endpoint: expect.any(String), durationMs: expect.any(Number) });
    // Nothing temporary is left behind.
    expect(readdirSync(out).filter((f) => f.startsWith('.payready-tmp'))).toEqual([]);
  });

  it('--fault no-auth: NOT READY, exit 1, names the check that guards against it', async () => {
    const out = tempDir();
    const result = await runCli(['demo', '--fault', 'no-auth', '--out', out]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^NOT READY\s/m);
    expect(result.stdout).toMatch(/^FAIL\s+payments-require-auth\s.*expected status to equal 401, got 201/m);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    const failed = report.results.filter((r: { status: string }) => r.status !== 'pass').map((r: { id: string }) => r.id);
    expect(failed).toEqual(['payments-require-auth']);
    expect(report.environment.faults).toEqual(['no-auth']);
  });

  it('--fault down: error results that say the connection was refused, exit 1, no stack trace', async () => {
    const out = tempDir();
    const result = await runCli(['demo', '--fault', 'down', '--out', out]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/NOT READY/);
    expect(result.stdout).toMatch(/connection refused by 127\.0\.0\.1:\d+/);
    expect(stackTraceIn(result.stdout + result.stderr)).toBeUndefined();
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    const port = report.results.find((r: { id: string }) => r.id === 'api-port-open');
    expect(port.status).toBe('fail');
    expect(report.summary.error + report.summary.fail + report.summary.skip).toBe(report.results.length);
  });

  it('an unknown fault is a usage error with a suggestion', async () => {
    const result = await runCli(['demo', '--fault', 'no-auht', '--out', tempDir()]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no-auth/);
    expect(stackTraceIn(result.stderr)).toBeUndefined();
  });

  it('never prints or writes the client secret', async () => {
    const canary = 'canary-Secret-5f0c1d9e7a2b';
    const out = tempDir();
    const result = await runCli(['demo', '--out', out, '--verbose'], { env: cliEnv({ PAYREADY_CLIENT_SECRET: canary }) });
    expect(result.code).toBe(0);
    const forms = [canary, Buffer.from(canary).toString('base64').replace(/=+$/, ''), encodeURIComponent(canary)];
    for (const form of forms) {
      expect(result.stdout).not.toContain(form);
      expect(result.stderr).not.toContain(form);
      for (const file of filesUnder(out)) expect(file.bytes.toString('latin1'), file.path).not.toContain(form);
    }
    expect(existsSync(join(out, 'report.json'))).toBe(true);
  });

  // Every transport fault: exit 1, and the only check that fails is the one guarding that item.
  // Certificate faults skip the HTTPS checks (they need api-certificate) instead of failing them.
  for (const fault of FAULTS.filter((f) => f.name in FAULT_SUMMARIES)) {
    it(`--fault ${fault.name}: exit 1, only ${fault.caughtBy} fails, and it says what to fix`, async () => {
      const out = tempDir();
      const result = await runCli(['demo', '--fault', fault.name, '--out', out]);
      expect(result.code, result.stdout).toBe(1);
      expect(result.stdout).toMatch(/^NOT READY\s/m);
      expect(stackTraceIn(result.stdout + result.stderr)).toBeUndefined();
      const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
      const bad = report.results.filter((r: { status: string }) => r.status === 'fail' || r.status === 'error');
      expect(bad.map((r: { id: string }) => r.id)).toEqual([fault.caughtBy]);
      expect(bad[0].section).toBe(fault.section);
      expect(bad[0].summary).toMatch(FAULT_SUMMARIES[fault.name]!);
      for (const r of report.results.filter((x: { status: string }) => x.status === 'skip')) {
        expect(fault.caughtBy, `${r.id} skipped`).toBe('api-certificate');
        expect(r.summary).toMatch(/^skipped: needs "[a-z-]+", which (failed|was skipped)$/);
      }
    });
  }
});
