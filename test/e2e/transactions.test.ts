import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { filesUnder, stackTraceIn, tempDir } from './helpers.js';
import { runInProcess } from './in-process.js';

describe('transactions, load and KPIs from the command line', () => {
  it('validate refuses a money-moving check on a live environment without allowLive (exit 2, located)', async () => {
    const result = await runInProcess(['validate', 'fixtures/suites/live-without-allowLive/suite.yaml']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error: check "payment-approve" moves money, and environment "production" is not a sandbox');
    expect(result.stderr).toContain('--> fixtures/suites/live-without-allowLive/suite.yaml:15:11');
    expect(stackTraceIn(result.stderr)).toBeUndefined();
    const sandbox = await runInProcess(['validate', 'fixtures/suites/live-without-allowLive/suite.yaml', '--env', 'sandbox']);
    expect(sandbox.code, sandbox.stderr).toBe(0);
  });

  it('demo --fault no-idempotency: NOT READY naming both payments; --log writes the interaction log where asked', async () => {
    const out = tempDir();
    const log = join(out, 'logs', 'calls.jsonl');
    // The checks the fault breaks, and the ones whose calls the log must show beside them.
    const only = ['oauth-token', 'transaction-idempotency', 'transaction-timeout-retry', 'transaction-webhook', 'api-load'].flatMap((id) => ['--only', id]);
    const result = await runInProcess(['demo', '--fault', 'no-idempotency', ...only, '--out', out, '--log', log]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^FAIL\s+transaction-idempotency\s+5\.1\s.*same Idempotency-Key charged twice: pay_[0-9a-f]{24} and pay_[0-9a-f]{24}/m);
    expect(result.stdout).toMatch(/^FAIL\s+transaction-timeout-retry\s.*the retry after a timeout charged twice/m);
    expect(existsSync(join(out, 'interactions.jsonl'))).toBe(false);
    const lines = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.length).toBeGreaterThan(500);
    expect([...new Set(lines.map((l) => l['checkId']))]).toEqual(expect.arrayContaining(['oauth-token', 'transaction-idempotency', 'transaction-webhook', 'api-load']));
    // First, replay, list of the order, then the key reused with another body: accepted too, as the fault ignores keys.
    expect(lines.filter((l) => l['checkId'] === 'transaction-idempotency').map((l) => `${String(l['method'])} ${String(l['endpoint'])} ${String(l['status'])}`).slice(0, 4)).toEqual([
      'POST /v1/payments 201',
      'POST /v1/payments 201',
      'GET /v1/payments 200',
      'POST /v1/payments 201',
    ]);
    // No access token, webhook signing secret or full card number reaches a file.
    for (const file of filesUnder(out)) {
      const text = file.bytes.toString('utf8');
      expect(text, file.path).not.toMatch(/eyJ[\w-]{10,}\.[\w-]{10,}/);
      expect(text, file.path).not.toMatch(/whsec_[\w-]{8,}/);
      expect(text, file.path).not.toContain('4111111111111111');
    }
  });

  it('checks transaction explains the scenarios and that it moves money', async () => {
    const result = await runInProcess(['checks', 'transaction']);
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toMatch(/^transaction — Sandbox payment scenarios by name/);
    expect(result.stdout).toContain('Moves money: refused on a non-sandbox environment unless the suite sets allowLive: true.');
    for (const scenario of ['approve', 'decline', 'over-limit', 'daily-cap', 'idempotency-replay', 'timeout-retry', 'refund-partial', 'refund-full', 'refund-over', 'currency-exponent', 'amount-bounds', 'webhook']) {
      expect(result.stdout).toContain(scenario);
    }
  });

  it('sandbox --list-faults names each payment fault and the check that catches it', async () => {
    const result = await runInProcess(['sandbox', '--list-faults']);
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toMatch(/^ {2}no-idempotency\s+5\.1\s+transaction-idempotency\s+The Idempotency-Key header is ignored/m);
    expect(result.stdout).toMatch(/^ {2}slow-api\s+3\.2\s+api-kpis\s+/m);
    expect(result.stdout).toMatch(/^ {2}flaky\s+3\.2\s+api-load\s+/m);
  });
});
