import { describe, expect, it, onTestFinished } from 'vitest';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/io.js';
import { usageText, type UsageId } from '../../src/cli/messages.js';
import { UsageError, type UsageRef } from '../../src/errors.js';
import { loadSuite } from '../../src/suite/load.js';
import { tempDir } from '../e2e/helpers.js';
import { manualInterrupt } from '../support/interrupt.js';

/** How the CLI prints a usage error of its table: the entry's words, and its fix as the hint. */
function printed(id: UsageId, data: UsageRef['data'] = {}): string {
  const { message, hint } = usageText(id, data);
  return `error: ${message}\n${hint ? `  hint: ${hint}\n` : ''}`;
}

/** Runs the CLI in-process; `answers` are typed on a (pretend) terminal, one line each, as they are asked. */
async function runInit(args: string[], cwd: string, answers?: string[]): Promise<{ code: number; out: string; err: string; usage: UsageRef[] }> {
  let out = '';
  let err = '';
  const stdout = Object.assign(new PassThrough(), { isTTY: answers !== undefined, columns: 100 });
  stdout.on('data', (d: Buffer) => {
    out += d.toString();
    // Answer a question once it has been printed (readline prompts end with ": ").
    if (answers && /\]?: $/.test(out) && pending.length > 0) stdin.write(`${pending.shift()}\n`);
  });
  const stderr = new PassThrough();
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const stdin = Object.assign(new PassThrough(), { isTTY: answers !== undefined });
  const pending = [...(answers ?? [])];
  // The usage errors printed, by table id and data (an error not from the table would fail the test).
  const usage: UsageRef[] = [];
  const errors = (error: unknown): void => {
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).ref, (error as Error).message).toBeDefined();
    usage.push((error as UsageError).ref!);
  };
  const io: Io = { stdout, stderr, stdin, env: {}, cwd, interrupt: manualInterrupt(), errors };
  const code = await main(['init', ...args], io);
  return { code, out, err, usage };
}

/** Loads the written suite with the real loader for every environment it declares. */
async function expectValid(file: string, env: Record<string, string>): Promise<string[]> {
  const suite = await loadSuite(file, { env });
  for (const name of Object.keys(suite.environments)) await loadSuite(file, { env, environment: name });
  return Object.keys(suite.environments);
}

describe('payready init --provider', () => {
  it.each([
    ['stripe', 'https://api.stripe.com', 'Authorization: Bearer', 'sk_test_...'],
    ['adyen', 'https://checkout-test.adyen.com', 'X-API-Key', 'PAYREADY_ADYEN_MERCHANT_ACCOUNT'],
  ])('%s: a suite for its real test endpoint, its payment scenarios in its API, the key from the environment', async (provider, baseUrl, auth, hint) => {
    const dir = tempDir();
    const { code, out } = await runInit(['--provider', provider], dir);
    expect(code).toBe(0);
    expect(out).toContain(hint);
    const file = join(dir, 'payready.yaml');
    const text = readFileSync(file, 'utf8');
    expect(text).toContain(`baseUrl: "${baseUrl}"`);
    expect(text).toMatch(new RegExp(`^ {4}provider: ${provider}`, 'm'));
    expect(text).toMatch(/apiKey: \{ env: PAYREADY_API_KEY \}/);
    const env = { PAYREADY_API_KEY: 'test-key', PAYREADY_ADYEN_MERCHANT_ACCOUNT: 'TestECOM' };
    // A provider's suite is a test-mode suite: one sandbox environment, so the scenarios are in.
    expect(await expectValid(file, env)).toEqual(['sandbox']);
    const suite = await loadSuite(file, { env });
    const scenarios = suite.checks.filter((c) => c.type === 'transaction').map((c) => String(c.with['scenario']));
    expect(scenarios).toContain('approve');
    expect(scenarios).toContain('idempotency-replay');
    // Neither needs this machine reachable from the provider or a sandbox-only header.
    expect(scenarios).not.toContain('webhook');
    expect(scenarios).not.toContain('timeout-retry');
    expect(suite.checks.find((c) => c.id === 'payments-require-auth')).toBeDefined();
    expect(text).not.toContain(auth === 'X-API-Key' ? 'Bearer' : 'X-API-Key: ');
  });

  it('refuses an unknown provider, and an --auth the provider does not use, with usage errors', async () => {
    const unknown = await runInit(['--provider', 'strpe'], tempDir());
    expect(unknown.code).toBe(2);
    expect(unknown.usage.map((u) => u.id)).toEqual(['unknownInitProvider']);
    expect(unknown.err).toContain('did you mean "stripe"');
    const auth = await runInit(['--provider', 'stripe', '--auth', 'oauth2'], tempDir());
    expect(auth.code).toBe(2);
    expect(auth.usage.map((u) => u.id)).toEqual(['providerAuthFixed']);
  });
});

describe('payready init', () => {
  it('without flags or a terminal writes a suite for the built-in sandbox that validates', async () => {
    const dir = tempDir();
    const { code, out } = await runInit([], dir);
    expect(code).toBe(0);
    expect(out).toMatch(/^Wrote payready\.yaml \(environments: sandbox, production; auth: OAuth 2\.0 client_credentials/);
    const file = join(dir, 'payready.yaml');
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^ {4}embedded: true/m);
    // Secrets only through environment variables.
    expect(text).toMatch(/clientSecret: \{ env: PAYREADY_CLIENT_SECRET \}/);
    expect(text).not.toMatch(/client_secret: (?!\$\{secrets\.clientSecret\})/);
    const production = { PAYREADY_PRODUCTION_BASE_URL: 'https://api.example.com', PAYREADY_PRODUCTION_HOST: 'api.example.com', PAYREADY_PRODUCTION_TOKEN_URL: 'https://api.example.com/oauth/token', PAYREADY_PRODUCTION_CHECKOUT_URL: 'https://shop.example.com/pay', PAYREADY_CLIENT_ID: 'id', PAYREADY_CLIENT_SECRET: 'secret' };
    expect(await expectValid(file, production)).toEqual(['sandbox', 'production']);
    const suite = await loadSuite(file, { env: {} });
    // With a live environment (production) the writes are left out, and the suite says so.
    expect(suite.checks.map((c) => c.id)).toEqual(['api-port-open', 'api-https', 'oauth-token', 'payments-require-auth', 'no-hardcoded-credentials', 'no-pan-in-logs']);
    expect(text).toContain('refused on a live environment (production)');
  });

  it('a suite whose environments are all sandboxes also pays and submits the checkout; the token request is no write', async () => {
    const dir = tempDir();
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const { code } = await runInit(['--env', 'sandbox'], dir);
    expect(code).toBe(0);
    const file = join(dir, 'payready.yaml');
    const suite = await loadSuite(file, { env: {} });
    expect(suite.checks.map((c) => c.type)).toEqual(['port', 'http', 'http', 'http', 'http', 'secrets', 'pan-scan', 'ui']);
    expect(suite.checks.find((c) => c.id === 'payment-approve')?.with).toMatchObject({ method: 'POST' });
    expect(suite.checks.find((c) => c.id === 'no-pan-in-logs')?.needs).toEqual(['payment-approve']);
    // The token request stays valid against a live environment too (it obtains a token and moves no money).
    const live = readFileSync(file, 'utf8').replace('    sandbox: true ', '    sandbox: false ').replace(/^ {4}embedded: true.*$/m, '    baseUrl: https://api.example.com\n    host: api.example.com\n    port: 443\n    tokenUrl: https://api.example.com/oauth/token\n    checkoutUrl: https://shop.example.com/pay\n    requestLog: logs\n    sourceDir: .');
    const onlyToken = live.replace(/\n {2}- id: payments-require-auth[\s\S]*$/, '\n');
    writeFileSync(join(dir, 'live.yaml'), onlyToken);
    expect((await loadSuite(join(dir, 'live.yaml'), { env: { PAYREADY_CLIENT_ID: 'i', PAYREADY_CLIENT_SECRET: 's' } })).checks.map((c) => c.id)).toEqual(['api-port-open', 'api-https', 'oauth-token']);
  });

  it('flags describe a provider: base URL, api-key auth, checkout page, environments', async () => {
    const dir = tempDir();
    const { code } = await runInit(['checks/shop.yaml', '--base-url', 'https://sandbox.psp.example:8443/', '--auth', 'api-key', '--checkout-url', 'https://shop.example/checkout', '--env', 'test', '--env', 'live', '--logs', 'var/log/*.log*'], dir);
    expect(code).toBe(0);
    const file = join(dir, 'checks/shop.yaml');
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('suite: shop');
    expect(text).toContain('    baseUrl: "https://sandbox.psp.example:8443"\n    host: "sandbox.psp.example"\n    port: 8443');
    // The authenticated payment is a write, left out of a suite with a live environment.
    expect(text).not.toContain('X-API-Key');
    expect(text).toContain('refused on a live environment (live)');
    expect(text).toContain('apiKey: { env: PAYREADY_API_KEY }');
    expect(text).toContain('sourceDir: ".."');
    expect(text).toContain('requestLog: "var/log/*.log*"');
    expect(text).not.toContain('oauth-token');
    const env = { PAYREADY_API_KEY: 'k', PAYREADY_LIVE_BASE_URL: 'https://api.psp.example', PAYREADY_LIVE_HOST: 'api.psp.example', PAYREADY_LIVE_CHECKOUT_URL: 'https://shop.example/pay' };
    expect(await expectValid(file, env)).toEqual(['test', 'live']);
  });

  it('the ui check: for the built-in sandbox (its own page), for a provider only with --checkout-url; never beside a live environment (it submits a card)', async () => {
    const dir = tempDir();
    try {
      const has = (file: string) => /^ {2}- id: checkout-mobile\n {4}type: ui$/m.test(readFileSync(join(dir, file), 'utf8'));
      expect((await runInit(['builtin.yaml', '--env', 'sandbox'], dir)).code).toBe(0);
      expect(has('builtin.yaml')).toBe(true);
      // The default environments include production: a card form submitted there is a write.
      expect((await runInit(['with-live.yaml'], dir)).code).toBe(0);
      expect(has('with-live.yaml')).toBe(false);
      expect((await runInit(['provider.yaml', '--base-url', 'https://sandbox.psp.example', '--env', 'sandbox'], dir)).code).toBe(0);
      expect(has('provider.yaml')).toBe(false);
      expect((await runInit(['shop.yaml', '--base-url', 'https://sandbox.psp.example', '--checkout-url', 'https://shop.example/pay', '--env', 'sandbox'], dir)).code).toBe(0);
      expect(has('shop.yaml')).toBe(true);
      const ignored = await runInit(['ignored.yaml', '--checkout-url', 'https://shop.example/pay'], dir);
      expect(ignored.code).toBe(2);
      expect(ignored.usage).toEqual([{ id: 'checkoutUrlNeedsBaseUrl', data: {} }]);
      expect(ignored.err).toBe(printed('checkoutUrlNeedsBaseUrl'));
      expect(existsSync(join(dir, 'ignored.yaml'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses to overwrite a file unless --force', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'payready.yaml'), 'mine\n');
    const refused = await runInit([], dir);
    expect(refused.code).toBe(2);
    expect(refused.usage).toEqual([{ id: 'suiteFileExists', data: { path: 'payready.yaml' } }]);
    expect(refused.err).toBe(printed('suiteFileExists', { path: 'payready.yaml' }));
    expect(readFileSync(join(dir, 'payready.yaml'), 'utf8')).toBe('mine\n');
    const forced = await runInit(['--force'], dir);
    expect(forced.code).toBe(0);
    expect(readFileSync(join(dir, 'payready.yaml'), 'utf8')).toMatch(/^# yaml-language-server/);
  });

  it.each<[string[], UsageId, UsageRef['data']]>([
    [['--auth', 'oath2'], 'unknownAuthStyle', { auth: 'oath2', suggestion: '; did you mean "oauth2"?', styles: 'oauth2, bearer, api-key, none' }],
    [['--auth', 'bearer'], 'sandboxAuthIsOauth', { auth: 'bearer' }],
    [['--base-url', 'ftp://x.example'], 'notHttpUrl', { url: 'ftp://x.example' }],
    [['--base-url', 'sandbox.psp.example'], 'notAUrl', { url: 'sandbox.psp.example' }],
    [['--env', 'prod uction'], 'environmentNameInvalid', { name: 'prod uction' }],
    [['--env', 'sandbox', '--env', 'sandbox'], 'environmentsRepeat', {}],
    [['--name', 'My Suite'], 'suiteNameNotKebab', { name: 'My Suite' }],
  ])('flags %j are a usage error (%s) and write nothing', async (args, id, data) => {
    const dir = tempDir();
    const { code, err, usage } = await runInit(args, dir);
    expect(code).toBe(2);
    expect(usage).toEqual([{ id, data }]);
    expect(err).toBe(printed(id, data));
    expect(existsSync(join(dir, 'payready.yaml'))).toBe(false);
  });

  it('asks on a terminal, re-asks after a wrong answer, and writes what was answered', async () => {
    const dir = tempDir();
    const { code, out } = await runInit([], dir, ['https://sandbox.psp.example', 'oath2', 'oauth2', '', 'https://shop.example/pay', 'logs/app-*.log.gz', 'staging, production']);
    expect(code).toBe(0);
    expect(out).toContain("Base URL of your provider's sandbox API (empty: payready's built-in sandbox): ");
    expect(out).toContain('unknown auth style "oath2"; did you mean "oauth2"?');
    expect(out).toContain('OAuth 2.0 token endpoint [https://sandbox.psp.example/oauth/token]: ');
    const text = readFileSync(join(dir, 'payready.yaml'), 'utf8');
    expect(text).toContain('tokenUrl: "https://sandbox.psp.example/oauth/token"');
    expect(text).toContain('checkoutUrl: "https://shop.example/pay"');
    expect(text).toContain('requestLog: "logs/app-*.log.gz"');
    expect(text).toMatch(/^ {2}staging:\n {4}baseUrl: "https:\/\/sandbox\.psp\.example"/m);
    expect(text).toContain('  production:\n    baseUrl: ${env.PAYREADY_PRODUCTION_BASE_URL}');
    await expectValid(join(dir, 'payready.yaml'), { PAYREADY_CLIENT_ID: 'i', PAYREADY_CLIENT_SECRET: 's', PAYREADY_PRODUCTION_BASE_URL: 'https://a.example', PAYREADY_PRODUCTION_HOST: 'a.example', PAYREADY_PRODUCTION_TOKEN_URL: 'https://a.example/t', PAYREADY_PRODUCTION_CHECKOUT_URL: 'https://a.example/c' });
  });

  it('--yes does not ask even on a terminal', async () => {
    const dir = tempDir();
    const { code, out } = await runInit(['--yes'], dir, []);
    expect(code).toBe(0);
    expect(out).not.toContain('Base URL');
  });
});
