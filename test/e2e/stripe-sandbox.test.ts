import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { join } from 'node:path';
import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { cliEnv, runCli, spawnCli, tempDir } from './helpers.js';
import { runInProcess } from './in-process.js';

/** What `payready sandbox --json` prints on its first line. */
interface SandboxJson {
  provider: string;
  baseUrl: string;
  host: string;
  port: number;
  ca: string;
  apiKey?: string;
  webhookSecret?: string;
  clientId: string;
  clientSecret: string;
  webhooks: { register: string; signatureHeader: string };
  controlUrl: string;
  controlToken: string;
}

/** Starts `payready sandbox args...` and resolves with the first stdout line parsed, and a stop function. */
async function startCli(args: string[], env: Record<string, string> = {}): Promise<{ info: SandboxJson; stop: () => Promise<{ code: number | null; stdout: string; stderr: string }> }> {
  const server = spawnCli(['sandbox', ...args], { env: cliEnv(env) });
  let out = '';
  const line = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no JSON line in 15 s: ${out}`)), 15_000);
    server.child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const end = out.indexOf('\n');
      if (end !== -1) {
        clearTimeout(timer);
        resolve(out.slice(0, end));
      }
    });
    void server.done.then((r) => reject(new Error(`sandbox exited ${r.code}: ${r.stderr}`)));
  });
  return {
    info: JSON.parse(line) as SandboxJson,
    stop: async () => {
      server.child.kill('SIGTERM');
      return server.done;
    },
  };
}

describe('payready sandbox --provider stripe --json', () => {
  it('prints one JSON object first, which stripe-node uses as is (CA file, API key, host and port)', async () => {
    const { info, stop } = await startCli(['--provider', 'stripe', '--json']);
    try {
      expect(info).toMatchObject({ provider: 'stripe', baseUrl: `https://127.0.0.1:${info.port}`, clientId: 'payready-demo', webhooks: { register: `POST ${info.baseUrl}/v1/webhook_endpoints`, signatureHeader: 'Stripe-Signature' } });
      expect(info.apiKey).toMatch(/^sk_test_\w{20,}$/);
      expect(info.webhookSecret).toMatch(/^whsec_/);
      expect(info.clientSecret.length).toBeGreaterThan(20);
      const agent = new Agent({ ca: readFileSync(info.ca, 'utf8') });
      try {
        const stripe = new Stripe(info.apiKey ?? '', { host: info.host, port: info.port, protocol: 'https', httpAgent: agent, maxNetworkRetries: 0 });
        const intent = await stripe.paymentIntents.create({ amount: 1000, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, metadata: { order_id: 'cli-1' } });
        expect(intent.status).toBe('succeeded');
        // The control API it prints answers its token with the order's records.
        expect(info.controlUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
        const records = await fetch(`${info.controlUrl}/orders/cli-1/requests`, { headers: { authorization: `Bearer ${info.controlToken}` } });
        expect(await records.json()).toMatchObject({ orderRef: 'cli-1', requests: [{ operation: 'create', paymentId: intent.id, outcome: 'succeeded' }] });
      } finally {
        agent.destroy();
      }
    } finally {
      const result = await stop();
      expect(result.code).toBe(0);
      // Nothing but the JSON line on stdout.
      expect(result.stdout.trim().split('\n')).toHaveLength(1);
    }
  });

  it('takes the API key from PAYREADY_API_KEY, and the payready dialect prints no apiKey', async () => {
    const key = `sk_test_${randomBytes(12).toString('hex')}`;
    const stripe = await startCli(['--provider', 'stripe', '--json'], { PAYREADY_API_KEY: key });
    const own = await startCli(['--json']);
    try {
      expect(stripe.info.apiKey).toBe(key);
      expect(own.info.provider).toBe('payready');
      expect(own.info.apiKey).toBeUndefined();
      expect(own.info.webhooks.register).toBe(`POST ${own.info.baseUrl}/v1/webhook-endpoints`);
    } finally {
      await Promise.all([stripe.stop(), own.stop()]);
    }
  });

  it('an unknown provider is a usage error (exit 2) naming the valid ones', async () => {
    const result = await runInProcess(['sandbox', '--provider', 'strype']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown provider "strype" (did you mean "stripe"?); valid providers: payready, stripe, adyen');
  });
});

describe('a suite environment with embedded: { provider: stripe }', () => {
  const suite = (embedded: string): string =>
    [
      'suite: stripe-embedded',
      'title: The embedded sandbox speaking Stripe',
      'environments:',
      '  sandbox:',
      `    embedded: ${embedded}`,
      'secrets:',
      '  apiKey: { env: PAYREADY_API_KEY }',
      'checks:',
      '  - id: create-intent',
      '    type: http',
      '    section: "1.1"',
      '    with:',
      '      method: POST',
      '      url: ${target.baseUrl}/v1/payment_intents',
      '      headers:',
      '        Authorization: Bearer ${secrets.apiKey}',
      '      form:',
      '        amount: "1000"',
      '        currency: usd',
      '        payment_method: pm_card_visa',
      '        confirm: "true"',
      '        description: ${target.provider} ${secrets.apiKey}',
      '      expect:',
      '        status: 200',
      '        json:',
      '          object: payment_intent',
      '          status: succeeded',
      '    capture:',
      '      id: body.id',
      // Reads the intent back and asserts a wrong description on purpose: the failed assertion
      // quotes the description, which holds the key, in the report.
      '  - id: read-back',
      '    type: http',
      '    section: "1.1"',
      '    with:',
      '      url: ${target.baseUrl}/v1/payment_intents/${checks.create-intent.id}',
      '      headers:',
      '        Authorization: Bearer ${secrets.apiKey}',
      '      expect:',
      '        json:',
      '          description: not the key',
      '',
    ].join('\n');

  it('validate accepts it (and refuses an unknown provider)', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'suite.yaml'), suite('{ provider: stripe }'));
    const good = await runInProcess(['validate', 'suite.yaml'], { cwd: dir });
    expect(good.stderr).toBe('');
    expect(good.code).toBe(0);
    writeFileSync(join(dir, 'bad.yaml'), suite('{ provider: strype }'));
    const bad = await runInProcess(['validate', 'bad.yaml'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/bad\.yaml:5:\d+/);
    // payready's own dialect takes no API key, so it provides no PAYREADY_API_KEY.
    writeFileSync(join(dir, 'plain.yaml'), suite('true'));
    const plain = await runInProcess(['validate', 'plain.yaml'], { cwd: dir });
    expect(plain.code).toBe(2);
    expect(plain.stderr).toContain('environment variable PAYREADY_API_KEY is not set');
  });

  it('run starts the Stripe dialect, the key reaches the check as a secret, and it is redacted from every output', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'suite.yaml'), suite('{ provider: stripe }'));
    const key = `sk_test_${randomBytes(16).toString('hex')}`;
    const result = await runCli(['run', 'suite.yaml', '--out', 'out', '--reporter', 'json', '--reporter', 'junit'], { cwd: dir, env: cliEnv({ PAYREADY_API_KEY: key }) });
    expect(result.code).toBe(1);
    const reportText = readFileSync(join(dir, 'out', 'report.json'), 'utf8');
    const report = JSON.parse(reportText) as { results: { id: string; status: string }[] };
    expect(report.results.map((r) => [r.id, r.status])).toEqual([
      ['create-intent', 'pass'],
      ['read-back', 'fail'],
    ]);
    // The failed assertion quotes the description ("stripe <key>"), the key redacted.
    expect(reportText).toContain('stripe [REDACTED]');
    const outputs = readdirSync(join(dir, 'out')).map((name) => readFileSync(join(dir, 'out', name), 'utf8'));
    for (const text of [...outputs, result.stdout, result.stderr]) expect(text).not.toContain(key);
  });
});
