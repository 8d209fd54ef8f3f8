import { freePort } from '../conformance/server-process.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runInProcess } from './in-process.js';
import { cliEnv, ROOT, stackTraceIn, tempDir } from './helpers.js';

/**
 * A broken `integration:` setup is the suite's problem, not the shop's: located suite errors, and
 * exit 2 with the cause when the shop cannot start or the sandbox's control API is out of reach.
 */

function suite(integration: string, checks = '  - { id: shop-happy, type: integration, section: "5.2", with: { scenario: happy-path } }\n'): string {
  const dir = tempDir('payready-integration-setup-');
  const file = join(dir, 'suite.yaml');
  writeFileSync(file, `suite: shop\ntitle: Shop\nenvironments:\n  sandbox:\n    embedded: { provider: stripe }\n${integration}checks:\n${checks}`);
  return file;
}

async function run(file: string, command = 'run'): Promise<{ code: number | null; out: string }> {
  const result = await runInProcess(command === 'run' ? ['run', file, '--out', join(file, '..', 'out')] : ['validate', file], { env: cliEnv() });
  const out = result.stdout + result.stderr;
  expect(stackTraceIn(out), out).toBeUndefined();
  return { code: result.code, out };
}

describe('integration setup errors', () => {
  it('an unknown key in the integration: section is located, with the keys it takes', async () => {
    const { code, out } = await run(suite('integration:\n  url: http://127.0.0.1:1\n  strat: { command: x }\n'), 'validate');
    expect(code).toBe(2);
    expect(out).toMatch(/suite\.yaml:8:3/);
    expect(out).toMatch(/strat/);
  });

  it('an integration check without an integration: section is a setup error (exit 2)', async () => {
    const { code, out } = await run(suite(''));
    expect(code).toBe(2);
    expect(out).toMatch(/the suite has no integration: section/);
  });

  it('a shop that cannot start is a setup error quoting its output (exit 2)', async () => {
    const { code, out } = await run(suite('integration:\n  url: http://127.0.0.1:9\n  start:\n    command: echo "cannot find module ./server.js" >&2; exit 1\n'));
    expect(code).toBe(2);
    expect(out).toMatch(/exited with code 1 before http:\/\/127\.0\.0\.1:9 answered; its last output:/);
    expect(out).toMatch(/cannot find module \.\/server\.js/);
  });

  it('a control token the sandbox refuses is a setup error that says what to give (exit 2)', async () => {
    const { code, out } = await run(suite('integration:\n  url: http://127.0.0.1:9\n  sandbox:\n    controlUrl: ${target.controlUrl}\n    controlToken: not-the-token\n'));
    expect(code).toBe(2);
    expect(out).toMatch(/refused the control token \(401\)/);
    expect(out).not.toMatch(/not-the-token/);
  });

  it('a webhook URL built from a target field is refused: the sandbox needs it before it starts', async () => {
    const { code, out } = await run(suite('integration:\n  url: http://127.0.0.1:9\n  webhooks: { url: "${target.baseUrl}/hooks" }\n'));
    expect(code).toBe(2);
    expect(out).toMatch(/integration\.webhooks\.url: cannot resolve \$\{target\.baseUrl\}/);
  });

  // The reference shop, with a pay section that does not fit it: the suite's mistake, exit 2.
  const shopSuite = async (pay: string): Promise<string> => {
    const port = await freePort();
    return suite(
      `integration:\n  url: http://127.0.0.1:${port}\n  start:\n    command: node server.js\n    cwd: ${JSON.stringify(join(ROOT, 'examples', 'merchant'))}\n    env:\n      PORT: ${port}\n      STRIPE_SECRET_KEY: \${target.apiKey}\n      STRIPE_API_BASE: \${target.baseUrl}\n      STRIPE_CA_FILE: \${target.caFile}\n    ready: /health\n  pay:\n${pay}`,
    );
  };

  it.concurrent('a pay path the shop does not have is the suite\'s mistake (exit 2), naming integration.pay.path', async () => {
    const { code, out } = await run(await shopSuite('    path: /api/chekout\n'));
    expect(code).toBe(2);
    expect(out).toMatch(/the shop answered POST http:\/\/127\.0\.0\.1:\d+\/api\/chekout with 404 \(order pr-happy-[0-9a-f]{8}\): integration\.pay\.path does not name its checkout API/);
  });

  it.concurrent('a status pointer with nothing behind it is the suite\'s mistake (exit 2), quoting the answer', async () => {
    const { code, out } = await run(await shopSuite('    status: /state\n'));
    expect(code).toBe(2);
    expect(out).toMatch(/has nothing at integration\.pay\.status \(\/state\): \{"orderId":"pr-happy-[0-9a-f]{8}","status":"paid"/);
  });
});
