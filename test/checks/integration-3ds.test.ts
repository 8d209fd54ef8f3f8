import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/index.js';
import { cliEnv, tempDir } from '../e2e/helpers.js';
import { runInProcess } from '../e2e/in-process.js';
import { startMerchant, type MerchantProcess } from '../support/merchant.js';
import { freshSandbox } from '../support/sandbox.js';

/**
 * The integration type's three-d-secure scenario, run by the CLI in this process against the
 * reference shop (examples/merchant/) paying a Stripe-dialect sandbox: headless Chromium plays the
 * shopper at the shop's checkout page and answers the sandbox's challenge. One sandbox for the
 * file; a shop as shipped and one with BREAK=skip-3ds, both already running (no `start:`).
 */

interface Result {
  id: string;
  status: string;
  summary: string;
  cause?: string;
  assertions?: { name: string; passed: boolean; message?: string }[];
  artifacts?: { name: string; mediaType: string }[];
}

let sandbox: Sandbox;
let suite: string;
let merchants: { default: MerchantProcess; skip3ds: MerchantProcess };

beforeAll(async () => {
  sandbox = await freshSandbox({ provider: 'stripe' });
  const env = { STRIPE_SECRET_KEY: sandbox.apiKey ?? '', STRIPE_API_BASE: sandbox.baseUrl, STRIPE_CA_FILE: sandbox.caFile, STRIPE_WEBHOOK_SECRET: sandbox.webhookSecret };
  const [shipped, skip3ds] = await Promise.all([startMerchant(env), startMerchant({ ...env, BREAK: 'skip-3ds' })]);
  merchants = { default: shipped, skip3ds };
  const dir = tempDir('threeds-suite-');
  suite = join(dir, 'suite.yaml');
  writeFileSync(
    suite,
    [
      'suite: threeds',
      'title: 3-D Secure through the shop',
      'environments:',
      `  shop: { baseUrl: "${sandbox.baseUrl}", ca: "${sandbox.caFile}", provider: stripe, sandbox: true }`,
      'integration:',
      '  url: ${env.SHOP_URL}',
      '  order: { path: "/api/orders/{orderId}" }',
      '  sandbox: { controlUrl: "${env.CONTROL_URL}", controlToken: "${env.CONTROL_TOKEN}" }',
      'checks:',
      '  - id: shop-3ds',
      '    type: integration',
      '    section: "6.2"',
      '    with: { scenario: three-d-secure }',
      '',
    ].join('\n'),
  );
});

/** Runs `suite` (default: the file's) against `merchant` and reads the report. */
async function run(merchant: MerchantProcess, extraSuite?: string): Promise<{ code: number | null; results: Result[]; stdout: string }> {
  const out = tempDir('threeds-out-');
  const env = cliEnv({ SHOP_URL: merchant.url, CONTROL_URL: sandbox.controlUrl, CONTROL_TOKEN: sandbox.controlToken });
  const result = await runInProcess(['run', extraSuite ?? suite, '--env', 'shop', '--out', out], { env });
  const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { results: Result[] };
  return { code: result.code, results: report.results, stdout: result.stdout + result.stderr };
}

/** The temp dir's entries but the folders this file makes: what a run could leave (Chromium's profile...). */
function tempEntries(): string[] {
  return readdirSync(tmpdir()).filter((name) => !name.startsWith('threeds-'));
}

describe('integration three-d-secure', () => {
  it('passes against the shop as shipped: the challenge is completed on one order and failed on the other', async () => {
    const before = tempEntries();
    const outcome = await run(merchants.default);
    const after = tempEntries();
    const result = outcome.results.find((r) => r.id === 'shop-3ds')!;
    expect(result.status, `${result.summary}\n${outcome.stdout}`).toBe('pass');
    expect(outcome.code).toBe(0);
    expect(result.summary).toMatch(/order pr-3ds-[0-9a-f]{8} \(challenge completed\): shopper told HTTP 200: "Your payment succeeded\./);
    expect(result.summary).toMatch(/order pr-3ds-failed-[0-9a-f]{8} \(challenge failed\): shopper told HTTP 200: "Your payment failed/);
    const names = (result.assertions ?? []).map((a) => a.name);
    expect(names.filter((n) => n === 'shopper.challenge')).toHaveLength(2);
    expect(names).toContain('provider.charged');
    expect((result.artifacts ?? []).filter((a) => a.mediaType === 'image/png')).toHaveLength(2);
    // Chromium's temporary profile is gone once the check has finished.
    expect(after).toEqual(before);
  });

  it('fails a shop that never sends the shopper to the challenge (BREAK=skip-3ds), naming the order and what the shopper saw', async () => {
    const before = tempEntries();
    const outcome = await run(merchants.skip3ds);
    const after = tempEntries();
    const result = outcome.results.find((r) => r.id === 'shop-3ds')!;
    expect(result.status).toBe('fail');
    expect(outcome.code).toBe(1);
    expect(result.summary).toMatch(/^three-d-secure: order pr-3ds-[0-9a-f]{8} \(challenge completed\): the shopper saw "Your payment could not be completed\. Please try another card\." at \/checkout and the 3-D Secure challenge was never shown/);
    const failed = (result.assertions ?? []).filter((a) => !a.passed).map((a) => a.name);
    expect(failed).toEqual(['shopper.challenge', 'provider.charged', 'shopper.challenge']);
    expect(after).toEqual(before);
  });

  it('without Chromium at the given path: a setup error saying to install it or set its path', async () => {
    const dir = tempDir('threeds-nobrowser-');
    const other = join(dir, 'suite.yaml');
    writeFileSync(other, readFileSync(suite, 'utf8').replace('with: { scenario: three-d-secure }', `with: { scenario: three-d-secure, browser: "${join(dir, 'no-chromium')}" }`));
    const outcome = await run(merchants.default, other);
    const result = outcome.results.find((r) => r.id === 'shop-3ds')!;
    expect(result.status).toBe('error');
    expect(result.cause).toBe('setup');
    expect(result.summary).toMatch(/no browser at .*no-chromium: install Chromium .* or set with\.browser to its path/);
    expect(outcome.code).toBe(2);
  });
});
