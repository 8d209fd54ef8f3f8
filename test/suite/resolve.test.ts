import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatSuiteError, SuiteError } from '../../src/suite/errors.js';
import { loadSuite } from '../../src/suite/load.js';
import { resolveEnvironment } from '../../src/suite/resolve.js';
import type { Suite } from '../../src/suite/types.js';
import { fakeTypes } from './helpers.js';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n';
const SUITE = `suite: t
title: T
environments:
  sandbox: { embedded: true, port: 1 }
  production:
    baseUrl: \${env.API_URL}
    host: api.example.com
    port: \${vars.port}
    ca: [./ca.pem, "\${vars.extraCa}"]
  staging: { baseUrl: "https://staging.example.com", ca: ./missing-ca.pem, insecure: true }
variables: { port: 8443, extraCa: ./extra-ca.pem }
secrets:
  apiKey: { file: ./secrets/api-key }
  clientSecret: { env: CLIENT_SECRET }
  notUsed: { file: ./does-not-exist }
checks:
  - id: a
    type: fetch
    section: "1.1"
    with: { url: "\${target.baseUrl}", headers: { x-api-key: "\${secrets.apiKey}", authorization: "Bearer \${secrets.clientSecret}" } }
`;

describe('resolveEnvironment', () => {
  let dir: string;
  let suite: Suite;
  const env = { API_URL: 'https://api.example.com', CLIENT_SECRET: 'from-env-123' };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'payready-resolve-'));
    await writeFile(join(dir, 'suite.yaml'), SUITE);
    await writeFile(join(dir, 'ca.pem'), PEM);
    await writeFile(join(dir, 'extra-ca.pem'), PEM.replace('fake', 'other'));
    await writeFile(join(dir, 'sandbox-ca.pem'), PEM.replace('fake', 'sandbox'));
    await import('node:fs/promises').then(({ mkdir }) => mkdir(join(dir, 'secrets')));
    await writeFile(join(dir, 'secrets/api-key'), 'file-secret-456\n');
    suite = await loadSuite('suite.yaml', { cwd: dir, env, environment: 'production', types: fakeTypes });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads used secrets from env and files (trailing newline dropped), interpolates fields, reads CA files', async () => {
    const { target, secrets } = await resolveEnvironment(suite, 'production', { env });
    expect(secrets).toEqual({ apiKey: 'file-secret-456', clientSecret: 'from-env-123' });
    expect(target).toEqual({
      name: 'production',
      sandbox: false,
      insecure: false,
      baseUrl: 'https://api.example.com',
      fields: { baseUrl: 'https://api.example.com', host: 'api.example.com', port: 8443 },
      ca: [PEM, PEM.replace('fake', 'other')],
    });
  });

  it('merges what the embedded sandbox provides, including its CA file', async () => {
    const embeddedFields = { baseUrl: 'https://127.0.0.1:9443', host: '127.0.0.1', port: 9443, caFile: join(dir, 'sandbox-ca.pem') };
    const { target } = await resolveEnvironment(suite, 'sandbox', { env, embeddedFields });
    expect(target).toMatchObject({ name: 'sandbox', sandbox: true, baseUrl: 'https://127.0.0.1:9443', fields: { ...embeddedFields }, ca: [PEM.replace('fake', 'sandbox')] });
    await expect(resolveEnvironment(suite, 'sandbox', { env })).rejects.toThrow(/environment "sandbox" is embedded/);
  });

  it('names the missing file, variable or environment, never a secret value', async () => {
    const failures = await Promise.all([
      resolveEnvironment(suite, 'staging', { env }),
      resolveEnvironment(suite, 'production', { env: { API_URL: 'x' } }),
      resolveEnvironment(suite, 'production', { env: { CLIENT_SECRET: 'from-env-123' } }),
      resolveEnvironment(suite, 'prodution', { env }),
    ].map((promise) => promise.then(() => undefined, (error: unknown) => error)));
    for (const failure of failures) expect(failure).toBeInstanceOf(SuiteError);
    const text = failures.map((failure) => formatSuiteError(failure as SuiteError));
    expect(text).toEqual([
      "error: cannot read ./missing-ca.pem (needed by ca of environment \"staging\"): no such file\n  = help: paths are relative to the suite's directory\n",
      'error: environment variable CLIENT_SECRET is not set (needed by secret "clientSecret")\n  = help: set CLIENT_SECRET before running\n',
      'error: environment "production": cannot resolve ${env.API_URL}: environment variable API_URL is not set\n',
      'error: the suite has no environment "prodution"\n  = help: did you mean "production"? environments in this suite: sandbox, production, staging\n',
    ]);
    for (const message of text) {
      expect(message).not.toContain('from-env-123');
      expect(message).not.toContain('file-secret-456');
      expect(message).not.toContain(dir);
    }
  });

  it('reads number fields (ports, caps) given as text, as from a variable, as numbers; refuses any other text', async () => {
    const provider = await loadSuite('suite.yaml', { cwd: dir, env, environment: 'production', types: fakeTypes });
    provider.environments.production!.fields = { baseUrl: '${env.API_URL}', port: '${env.PORT}', httpPort: '80', dailyCap: 2500000, note: '443' };
    const { target } = await resolveEnvironment(provider, 'production', { env: { ...env, PORT: '8443' } });
    expect(target.fields).toEqual({ baseUrl: 'https://api.example.com', port: 8443, httpPort: 80, dailyCap: 2500000, note: '443' });
    const refused = await resolveEnvironment(provider, 'production', { env: { ...env, PORT: '8443x' } }).catch((error: unknown) => error);
    expect(formatSuiteError(refused as SuiteError)).toBe('error: environment "production": port is "8443x" (from ${env.PORT}), not a whole number\n  = help: a port number, e.g. 443\n');
  });

  it('refuses empty secret files and CA files that hold no certificate', async () => {
    await writeFile(join(dir, 'secrets/api-key'), '\n');
    await expect(resolveEnvironment(suite, 'production', { env })).rejects.toThrow('secret file ./secrets/api-key (secret "apiKey") is empty');
    await writeFile(join(dir, 'secrets/api-key'), 'file-secret-456\n');
    await writeFile(join(dir, 'extra-ca.pem'), 'not a certificate');
    await expect(resolveEnvironment(suite, 'production', { env })).rejects.toThrow('./extra-ca.pem (ca of environment "production") holds no PEM certificate');
    await writeFile(join(dir, 'extra-ca.pem'), PEM.replace('fake', 'other'));
  });
});
