import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatSuiteError, SuiteError } from '../../src/suite/errors.js';
import { loadSuite } from '../../src/suite/load.js';
import { repoRoot } from './helpers.js';

const fixtures = join(repoRoot, 'fixtures/suites');
const broken = readdirSync(fixtures).filter((name) => existsSync(join(fixtures, name, 'expected.txt')));

/** Loads a fixture as a user would name it (relative), returning the thrown SuiteError. */
async function failure(name: string): Promise<SuiteError> {
  const error = await loadSuite(`fixtures/suites/${name}/suite.yaml`, { env: {}, cwd: repoRoot }).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(SuiteError);
  return error as SuiteError;
}

describe('broken suite fixtures', () => {
  it('covers every case the loader must reject', () => {
    expect(broken).toEqual(
      expect.arrayContaining([
        'alias-bomb',
        'capture-not-secret',
        'duplicate-id',
        'literal-secret',
        'live-without-allowLive',
        'missing-env',
        'needs-cycle',
        'unknown-check-type',
        'unknown-key',
        'unknown-environment-key',
        'proves-beyond-type',
        'unknown-reference',
        'wrong-type',
        'yaml-syntax',
      ]),
    );
  });

  // Messages list registered types and parameters: after changing the registry, run with
  // PAYREADY_UPDATE_FIXTURES=1 to rewrite expected.txt, then review the diff.
  const update = process.env.PAYREADY_UPDATE_FIXTURES === '1';

  it.each(broken)('%s produces its expected.txt', async (name) => {
    const text = formatSuiteError(await failure(name));
    const expectedFile = join(fixtures, name, 'expected.txt');
    if (update) writeFileSync(expectedFile, text);
    expect(text).toBe(readFileSync(expectedFile, 'utf8'));
  });

  it.each(broken)('%s names the file as given and leaks no absolute path or stack', async (name) => {
    const text = formatSuiteError(await failure(name));
    expect(text).toContain(` --> fixtures/suites/${name}/suite.yaml:`);
    expect(text).not.toContain(repoRoot);
    expect(text).not.toMatch(/TypeError|ReferenceError|RangeError|\n\s+at /);
  });

  it('literal credentials are masked in the code frame', async () => {
    expect(formatSuiteError(await failure('literal-secret'))).not.toContain('s3cr3t-literal-value');
    expect(formatSuiteError(await failure('literal-header'))).not.toContain('eyJhbGciOiJIUzI1NiJ9');
  });
});

describe('good-minimal', () => {
  it('loads with defaults applied and implicit needs added', async () => {
    const suite = await loadSuite('fixtures/suites/good-minimal/suite.yaml', { env: {}, cwd: repoRoot });
    expect(suite.file).toBe('fixtures/suites/good-minimal/suite.yaml');
    expect(suite.path).toBe(join(fixtures, 'good-minimal/suite.yaml'));
    expect(suite.dir).toBe(join(fixtures, 'good-minimal'));
    expect(suite.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(suite.defaultEnvironment).toBe('sandbox');
    expect(suite.environments.sandbox).toMatchObject({ embedded: true, sandbox: true, insecure: false, ca: [], fields: {} });
    expect(suite.environments.production).toMatchObject({ embedded: false, sandbox: false, ca: ['./ca.pem'], fields: { baseUrl: 'https://api.example.com', port: 443 } });
    const [port, token, list] = suite.checks;
    expect(port).toMatchObject({ id: 'api-port-open', title: 'api-port-open', severity: 'blocker', timeoutMs: 10_000, retries: 0, tags: [], needs: [] });
    expect(port?.location).toEqual({ file: 'fixtures/suites/good-minimal/suite.yaml', line: 25, column: 5 });
    expect(token).toMatchObject({ timeoutMs: 500, retries: 1, severity: 'major', capture: { token: { from: 'body.access_token', secret: true } } });
    expect(list?.needs).toEqual(['oauth-token']);
    expect(list?.capture).toEqual({ firstId: { from: 'body.data[0].id', secret: false } });
    expect(list?.waiver).toEqual({ reason: 'Listing is paginated differently in the sandbox', approvedBy: 'jane@example.com', expires: '2027-01-31' });
  });
});
