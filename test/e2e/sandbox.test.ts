import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliEnv, runCli, spawnCli, stackTraceIn, tempDir } from './helpers.js';

/**
 * A team's own flow: `payready sandbox` serves the provider; a suite of theirs (not embedded)
 * runs the oauth and schema checks against it, trusting its CA file, with credentials from env.
 */
describe('payready sandbox + payready run against it', () => {
  it('prints the OAuth endpoints and credentials, and a suite proves OAuth and the OpenAPI document against it', async () => {
    const server = spawnCli(['sandbox']);
    try {
      let printed = '';
      server.child.stdout!.on('data', (d: Buffer) => (printed += d.toString()));
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`sandbox did not start: ${printed}`)), 15_000);
        server.child.stdout!.on('data', () => {
          if (printed.includes('Press Ctrl-C')) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      const baseUrl = /API \(HTTPS\)\s+(\S+)/.exec(printed)?.[1] ?? '';
      const caFile = /CA certificate\s+(\S+)/.exec(printed)?.[1] ?? '';
      const secret = /client secret\s+(\S+)/.exec(printed)?.[1] ?? '';
      expect(printed).toMatch(/OAuth issuer\s+https:\/\/127\.0\.0\.1:\d+/);
      expect(printed).toMatch(/authorize\s+GET https:\/\/127\.0\.0\.1:\d+\/oauth\/authorize/);
      expect(printed).toMatch(/OpenAPI\s+https:\/\/127\.0\.0\.1:\d+\/openapi\.json/);
      expect(printed).toMatch(/other client\s+payready-readonly \/ \S+\s+\(scopes: payments:read\)/);

      const dir = tempDir();
      writeFileSync(
        join(dir, 'suite.yaml'),
        [
          'suite: own-tests',
          'title: OAuth and schema against a running sandbox',
          'environments:',
          '  local:',
          '    baseUrl: ${env.PROVIDER_URL}',
          '    ca: ${env.PROVIDER_CA}',
          '    sandbox: true',
          'secrets:',
          '  clientId: { env: PAYREADY_CLIENT_ID }',
          '  clientSecret: { env: PAYREADY_CLIENT_SECRET }',
          'checks:',
          '  - id: oauth',
          '    type: oauth',
          '    section: "1.1"',
          '    with:',
          '      issuer: ${target.baseUrl}',
          '      clientId: ${secrets.clientId}',
          '      clientSecret: ${secrets.clientSecret}',
          '      resourceUrl: ${target.baseUrl}/v1/payments/pay_000000000000000000000000',
          '    capture:',
          '      token: { from: accessToken, secret: true }',
          '  - id: health-schema',
          '    type: schema',
          '    section: "1.3"',
          '    with:',
          '      openapi: ${target.baseUrl}/openapi.json',
          '      url: ${target.baseUrl}/health',
          '  - id: health',
          '    type: http',
          '    section: "1.3"',
          '    with:',
          '      url: ${target.baseUrl}/health',
          '    capture:',
          '      response: response',
          '  - id: health-captured-schema',
          '    type: schema',
          '    section: "1.3"',
          '    with:',
          '      openapi: ${target.baseUrl}/openapi.json',
          '      operationId: getHealth',
          '      response: ${checks.health.response}',
          '  - id: pkce',
          '    type: oauth',
          '    section: "1.1"',
          '    with:',
          '      issuer: ${target.baseUrl}',
          '      flow: authorization_code',
          '      clientId: ${secrets.clientId}',
          '      clientSecret: ${secrets.clientSecret}',
          '      prove: [pkce, refresh]',
          '',
        ].join('\n'),
      );
      const out = join(dir, 'out');
      const run = await runCli(['run', join(dir, 'suite.yaml'), '--env', 'local', '--out', out], {
        env: cliEnv({ PROVIDER_URL: baseUrl, PROVIDER_CA: caFile, PAYREADY_CLIENT_ID: 'payready-demo', PAYREADY_CLIENT_SECRET: secret }),
      });
      expect(run.stdout).toMatch(/^PASS\s+oauth\s.*a revoked token stops working at once$/m);
      expect(run.stdout).toMatch(/^PASS\s+health-schema\s.*GET \/health -> 200: conforms, UTF-8$/m);
      expect(run.stdout).toMatch(/^PASS\s+health-captured-schema\s.*the captured 200 response -> 200: conforms, UTF-8$/m);
      expect(run.stdout).toMatch(/^PASS\s+pkce\s.*a wrong or missing code_verifier is refused/m);
      expect(run.code, run.stdout).toBe(0);
      expect(run.stdout + run.stderr).not.toContain(secret);
      expect(stackTraceIn(run.stdout + run.stderr)).toBeUndefined();
    } finally {
      server.child.kill('SIGINT');
    }
    const stopped = await server.done;
    expect(stopped.code).toBe(0);
    expect(stopped.stdout).toMatch(/sandbox stopped/);
  });

  it('stopped by SIGINT, SIGTERM or SIGHUP (its terminal closed), it removes its temp folder, CA file included', async () => {
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      const server = spawnCli(['sandbox']);
      let printed = '';
      await new Promise<void>((resolve) => {
        server.child.stdout!.on('data', (d: Buffer) => {
          printed += d.toString();
          if (printed.includes('Press Ctrl-C')) resolve();
        });
        // Not awaited: an early exit also ends the wait (done never rejects).
        void server.done.then(() => resolve());
      });
      const caFile = /CA certificate\s+(\S+)/.exec(printed)?.[1] ?? '';
      expect(existsSync(caFile), printed).toBe(true);
      server.child.kill(signal);
      const stopped = await server.done;
      expect(stopped, signal).toMatchObject({ code: 0, signal: null });
      expect(stopped.stdout).toMatch(/sandbox stopped/);
      expect(existsSync(dirname(caFile)), `${signal}: ${dirname(caFile)} is left behind`).toBe(false);
    }
  });
});
