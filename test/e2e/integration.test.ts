import { freePort } from '../conformance/server-process.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/report.js';
import { runInProcess } from './in-process.js';
import { cliEnv, ROOT, stackTraceIn, tempDir } from './helpers.js';

/**
 * The integration under test, end to end: `payready demo --integration` starts the reference shop
 * (examples/merchant/, the official stripe SDK) against the sandbox speaking Stripe and is READY;
 * each of the shop's BREAK switches fails exactly the checks that guard against it. The browser
 * scenario (3-D Secure) has its own file; it is left out of the runs below, which run side by side.
 *
 * The switches run several to a demo, as isolation.test.ts runs the sandbox's faults: switches whose
 * failures differ share a run, which fails exactly the union of what they break. A switch that broke
 * any other scenario would show as one failure too many; none can hide another's, their checks
 * being disjoint. Three demos instead of ten (each demo runs every scenario, ~8 s side by side).
 */

/** Check ids of checks/integration-stripe.yaml each switch fails. */
const BREAKS: Record<string, readonly string[]> = {
  // The happy path requires a key on every write; the timeout and the 5xx/429 retries need it to charge once.
  'no-idempotency-key': ['shop-happy-path', 'shop-provider-503', 'shop-rate-limited', 'shop-timeout'],
  'retry-hard-decline': ['shop-decline'],
  // The 503 comes without Retry-After (a retry at once is right); the 429 asks for a second.
  'ignore-retry-after': ['shop-rate-limited'],
  '500-on-decline': ['shop-decline'],
  'bare-decline-message': ['shop-decline'],
  'no-cap-fallback': ['shop-over-cap'],
  'unsigned-webhooks': ['shop-webhooks'],
  'apply-duplicates': ['shop-webhooks'],
  'tls-off': ['shop-tls'],
  'log-pan': ['shop-card-data'],
};

/** BREAKS's switches in groups whose failing checks are disjoint, in order (greedy). */
function disjointGroups(breaks: Record<string, readonly string[]>): string[][] {
  const groups: { names: string[]; checks: Set<string> }[] = [];
  for (const [name, checks] of Object.entries(breaks)) {
    const group = groups.find((g) => checks.every((check) => !g.checks.has(check)));
    if (group) {
      group.names.push(name);
      for (const check of checks) group.checks.add(check);
    } else groups.push({ names: [name], checks: new Set(checks) });
  }
  return groups.map((g) => g.names);
}

const BREAK_GROUPS = disjointGroups(BREAKS);

interface Run {
  code: number | null;
  report: Report;
  stdout: string;
}

async function demo(args: string[]): Promise<Run> {
  const out = tempDir('payready-integration-');
  // The shop's port from this worker's own range: the demo's own pick (listen on port 0, close)
  // can be taken again by another worker's connections before the shop listens.
  const result = await runInProcess(['demo', '--integration', '--out', out, ...args], { env: cliEnv({ SHOP_PORT: String(await freePort()) }) });
  expect(stackTraceIn(result.stdout + result.stderr), result.stderr).toBeUndefined();
  return { code: result.code, report: JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report, stdout: result.stdout };
}

function failing(report: Report): string[] {
  return report.results.filter((r) => r.status === 'fail' || r.status === 'error').map((r) => r.id).sort();
}

describe('payready demo --integration', () => {
  it.concurrent('drives the reference shop through every scenario: READY, each order named with what the shopper was told and what reached the provider', async () => {
    const run = await demo(['--skip', 'shop-3-d-secure']);
    expect(failing(run.report)).toEqual([]);
    expect(run.code, run.stdout).toBe(0);
    const happy = run.report.results.find((r) => r.id === 'shop-happy-path');
    expect(happy?.summary).toMatch(/order pr-happy-[0-9a-f]{8}: shopper told HTTP 200 "paid": "Thank you! .*"; 1 provider request\(s\), charged pi_/);
    const tls = run.report.results.find((r) => r.id === 'shop-tls');
    expect(tls?.summary.match(/nothing reached the provider/g)).toHaveLength(3);
    expect(happy?.artifacts?.map((a) => a.name)).toEqual(expect.arrayContaining(['orders.json']));
  });

  it('runs every switch, in groups that cannot hide one another', () => {
    expect(BREAK_GROUPS.flat().sort()).toEqual(Object.keys(BREAKS).sort());
    expect(BREAK_GROUPS.length).toBeLessThan(Object.keys(BREAKS).length);
    for (const group of BREAK_GROUPS) {
      const checks = group.flatMap((name) => BREAKS[name]!);
      expect(new Set(checks).size, group.join(' ')).toBe(checks.length);
    }
  });

  it.concurrent.each(BREAK_GROUPS.map((group) => [group.join(' '), group.flatMap((name) => BREAKS[name]!).sort()] as const))('--break %s fails exactly %j', async (names, expected) => {
    const run = await demo([...names.split(' ').flatMap((name) => ['--break', name]), '--skip', 'shop-3-d-secure']);
    expect(failing(run.report)).toEqual(expected);
    expect(run.code).toBe(1);
    // Every failure names the order it placed.
    for (const result of run.report.results.filter((r) => r.status === 'fail')) expect(result.summary).toMatch(/order pr-[a-z0-9-]+/);
  });

  it('--break raw-card: card-data names the card number sent; the provider refuses it as Stripe does, so every payment fails', async () => {
    const run = await demo(['--break', 'raw-card', '--skip', 'shop-3-d-secure']);
    const card = run.report.results.find((r) => r.id === 'shop-card-data');
    expect(card?.status).toBe('fail');
    expect(card?.summary).toMatch(/the merchant sent a whole card number to the provider \(POST \/v1\/payment_intents 402/);
    expect(failing(run.report)).toContain('shop-happy-path');
    expect(run.stdout).not.toMatch(/4242424242424242/);
  });

  it('a --break without --integration is a usage error', async () => {
    const result = await runInProcess(['demo', '--break', 'tls-off'], { env: cliEnv() });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--break breaks the reference shop, which only --integration runs/);
  });
});

describe('the reference shop against the sandbox speaking payready (OAuth)', () => {
  const suite = join(ROOT, 'fixtures', 'integration', 'payready.yaml');
  const run = async (extra: Record<string, string>): Promise<Run> => {
    const out = tempDir('payready-integration-');
    const result = await runInProcess(['run', suite, '--out', out], { env: cliEnv({ SHOP_PORT: String(await freePort()), ...extra }) });
    return { code: result.code, report: JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report, stdout: result.stdout };
  };

  it.concurrent('reuses one access token and fetches a new one after 401 invalid_token', async () => {
    const result = await run({});
    expect(failing(result.report)).toEqual([]);
    expect(result.code).toBe(0);
  });

  it.concurrent('BREAK=token-per-request fails credentials on the tokens it fetched', async () => {
    const result = await run({ BREAK: 'token-per-request' });
    expect(failing(result.report)).toEqual(['shop-credentials']);
    expect(result.report.results.find((r) => r.id === 'shop-credentials')?.summary).toMatch(/the merchant fetched \d+ access tokens for 3 payments/);
  });

  it.concurrent('BREAK=credential-in-url fails credentials on the URL that carried it', async () => {
    const result = await run({ BREAK: 'credential-in-url' });
    expect(failing(result.report)).toEqual(['shop-credentials']);
    expect(result.report.results.find((r) => r.id === 'shop-credentials')?.summary).toMatch(/a credential reached the provider in a URL/);
  });
});
