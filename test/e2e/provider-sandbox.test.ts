import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Report } from '../../src/model/report.js';
import { cliEnv, ROOT, runCli, spawnCli, stackTraceIn, tempDir } from './helpers.js';
import { runInProcess } from './in-process.js';

/**
 * The shipped suite against a provider that is not the embedded sandbox: the CI recipes of
 * docs/ci.md set every variable `--env provider-sandbox` reads (parsed out of the page, so it stays
 * true), and the suite runs READY against a `payready sandbox` started on its own and treated as a foreign
 * provider, knowing only what it prints (URLs, ports, CA file, credentials).
 */

const SUITE = join(ROOT, 'checks', 'go-live.yaml');
/** Variables a recipe sets for signing the bundle, not for the suite. */
const SIGNING = /^PAYREADY_SIGN_KEY/;

interface Recipe {
  /** Where it is: "GitHub Actions workflow", "GitLab CI job"... */
  name: string;
  /** Every variable the recipe sets, with a stand-in for values CI fills in (secrets, paths). */
  env: Record<string, string>;
}

/** The CI recipes page. */
const CI_PAGE = join(ROOT, 'docs', 'ci.md');

/** The fenced yaml blocks of docs/ci.md. */
function ciBlocks(): string[] {
  const page = readFileSync(CI_PAGE, 'utf8');
  return [...page.matchAll(/^```yaml\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
}

/** `${{ secrets.X }}`, `${{ github.workspace }}`, `$CI_PROJECT_DIR`: what CI puts there. */
function ciValue(value: unknown): string {
  return String(value)
    .replace(/\$\{\{\s*secrets\.(\w+)\s*\}\}/g, 'ci-secret-$1')
    .replace(/\$\{\{\s*github\.workspace\s*\}\}/g, '/home/runner/work/shop/shop')
    .replace(/\$CI_PROJECT_DIR/g, '/builds/shop');
}

function envOf(mapping: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (mapping && typeof mapping === 'object') for (const [k, v] of Object.entries(mapping)) out[k] = ciValue(v);
  return out;
}

function stepsEnv(steps: unknown): Record<string, string> {
  return Object.assign({}, ...(Array.isArray(steps) ? steps : []).map((step: { env?: unknown }) => envOf(step?.env)));
}

/**
 * Each recipe of docs/ci.md that runs `--env provider-sandbox`, with the variables it sets: a GitHub
 * workflow's `env:` (workflow, job and step level), the step snippets the page says go in a job of
 * that workflow, and a GitLab job's `variables:` plus the CI/CD variables its comment names.
 */
function providerSandboxRecipes(): Recipe[] {
  const recipes: Recipe[] = [];
  let workflowEnv: Record<string, string> | undefined;
  for (const block of ciBlocks()) {
    const doc = parse(block) as unknown;
    if (doc && typeof doc === 'object' && !Array.isArray(doc) && 'jobs' in doc) {
      const workflow = doc as { env?: unknown; jobs: Record<string, { env?: unknown; steps?: unknown }> };
      workflowEnv = envOf(workflow.env);
      if (block.includes('--env provider-sandbox')) {
        const jobs = Object.values(workflow.jobs).map((job) => ({ ...envOf(job.env), ...stepsEnv(job.steps) }));
        recipes.push({ name: 'GitHub Actions workflow', env: Object.assign({ ...workflowEnv }, ...jobs) });
      }
    } else if (!block.includes('--env provider-sandbox')) continue;
    else if (Array.isArray(doc)) {
      expect(workflowEnv, 'a step snippet comes after the workflow whose env: it reads').toBeDefined();
      recipes.push({ name: `GitHub Actions steps: ${block.split('\n')[0]}`, env: { ...workflowEnv, ...stepsEnv(doc) } });
    } else {
      for (const [job, spec] of Object.entries(doc as Record<string, { variables?: unknown; script?: unknown }>)) {
        if (!spec?.script) continue;
        const env = envOf(spec.variables);
        // Secrets are not written in .gitlab-ci.yml: the comment on `variables:` names the project's CI/CD variables.
        const note = /variables:\s*#([^\n]*)/.exec(block)?.[1] ?? '';
        for (const [name] of note.matchAll(/\bPAYREADY_\w+/g)) env[name] = `ci-variable-${name}`;
        recipes.push({ name: `GitLab CI job ${job}`, env });
      }
    }
  }
  return recipes;
}

/** The variables `validate --env NAME` says are not set when none is. */
async function variablesNeeded(environment: string): Promise<string[]> {
  const run = await runInProcess(['validate', SUITE, '--env', environment]);
  return [...new Set([...run.stderr.matchAll(/environment variable (\w+) is not set/g)].map((m) => m[1]!))].sort();
}

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe("the shipped suite's environments and the CI recipes of docs/ci.md", () => {
  it('declares the environments this test knows how to validate', () => {
    const suite = parse(readFileSync(SUITE, 'utf8')) as { environments: Record<string, unknown> };
    expect(Object.keys(suite.environments)).toEqual(['sandbox', 'provider-sandbox', 'production']);
  });

  it('sandbox (embedded) validates with no variable at all', async () => {
    const run = await runInProcess(['validate', SUITE, '--env', 'sandbox']);
    expect(run.stderr).toBe('');
    expect(run).toMatchObject({ code: 0, stdout: expect.stringMatching(/^ok {2}.*go-live\.yaml {2}\(45 checks, suite go-live\)\n$/) });
  }, 60_000);

  it('provider-sandbox validates with exactly the variables each CI recipe sets, and the recipes set no variable it does not read', async () => {
    const recipes = providerSandboxRecipes();
    expect(recipes.map((r) => r.name)).toEqual([
      'GitHub Actions workflow',
      'GitHub Actions steps: - run: npx payready run checks/go-live.yaml --env provider-sandbox --tag kpi --out kpi-report --log kpi-report/calls.jsonl',
      'GitHub Actions steps: - run: npx payready run checks/go-live.yaml --env provider-sandbox --reporter sarif --out payready-report',
      'GitLab CI job payready',
    ]);
    const needed = await variablesNeeded('provider-sandbox');
    // The ports came with the fix: before it, validation stopped at ${target.httpPort} whatever was set.
    expect(needed).toEqual(expect.arrayContaining(['PAYREADY_SANDBOX_PORT', 'PAYREADY_SANDBOX_HTTP_PORT', 'PAYREADY_OUTSIDE_ADDRESS', 'PAYREADY_CLIENT_SECRET']));
    const validated = new Set<string>();
    for (const recipe of recipes) {
      expect(Object.keys(recipe.env).filter((name) => !SIGNING.test(name)).sort(), recipe.name).toEqual(needed);
      // The step snippets share the workflow's env: validate each distinct set of values once.
      const key = JSON.stringify(Object.entries(recipe.env).filter(([name]) => !SIGNING.test(name)).sort());
      if (validated.has(key)) continue;
      validated.add(key);
      const run = await runInProcess(['validate', SUITE, '--env', 'provider-sandbox'], { env: cliEnv(recipe.env) });
      expect(run.stderr, recipe.name).toBe('');
      expect(run.code, recipe.name).toBe(0);
    }
    expect(validated.size).toBe(2);
  }, 120_000);

  it('production has no CI recipe (docs/ci.md says why): with every variable it reads set, the only problems are the writes it refuses (money-moving checks, the upload, the checkout form)', async () => {
    expect(readFileSync(CI_PAGE, 'utf8')).toMatch(/There is no recipe for `--env production`: the shipped suite refuses it/);
    const needed = await variablesNeeded('production');
    expect(needed).toContain('PAYREADY_BASE_URL');
    const env = cliEnv(Object.fromEntries(needed.map((name) => [name, name.endsWith('_URL') ? 'https://api.psp.example.com/x' : 'set-by-test'])));
    const run = await runInProcess(['validate', SUITE, '--env', 'production'], { env });
    expect(run.code).toBe(2);
    const problems = run.stderr.split('\n').filter((line) => line.startsWith('error: '));
    expect(problems.length).toBeGreaterThan(0);
    // Money-moving checks, and checks that send other writes (the bandwidth upload, the checkout form), are refused there.
    for (const problem of problems) expect(problem).toMatch(/^error: check "[a-z0-9-]+" (moves money|\([a-z-]+\) would send a write request, .+), (and|to) environment "production",? (is not|which is not) a sandbox$/);
  }, 120_000);
});

describe('checks/go-live.yaml --env provider-sandbox against `payready sandbox` as a foreign provider', () => {
  it('is READY: every probe passes; only the attestation templates warn, and the browser check is left out', async () => {
    const server = spawnCli(['sandbox']);
    let printed = '';
    server.child.stdout!.on('data', (d: Buffer) => (printed += d.toString()));
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`sandbox did not start: ${printed}`)), 20_000);
        const onData = (): void => {
          if (!printed.includes('Press Ctrl-C')) return;
          clearTimeout(timer);
          resolve();
        };
        server.child.stdout!.on('data', onData);
        onData();
      });
      const line = (label: string): string => {
        const value = new RegExp(`^ {2}${label}\\s+(?:(?:GET|POST) )?(\\S+)`, 'm').exec(printed)?.[1];
        expect(value, `payready sandbox prints "${label}"`).toBeDefined();
        return value!;
      };
      const base = new URL(line('API \\(HTTPS\\)'));
      const baseUrl = base.origin;
      const http = new URL(line('plain HTTP'));
      const secret = line('client secret');
      const speed = /^ {2}speed test\s+GET (\S+)\?bytes=N, POST (\S+)$/m.exec(printed);
      expect(speed, 'payready sandbox prints its speed-test endpoints').not.toBeNull();

      // The team's repository: the suite as shipped, its evidence templates, the application's logs.
      const dir = tempDir('payready-foreign-');
      dirs.push(dir);
      const repo = join(dir, 'shop');
      mkdirSync(join(repo, 'checks', 'evidence'), { recursive: true });
      copyFileSync(SUITE, join(repo, 'checks', 'go-live.yaml'));
      for (const file of readdirSync(join(ROOT, 'checks', 'evidence'))) copyFileSync(join(ROOT, 'checks', 'evidence', file), join(repo, 'checks', 'evidence', file));
      mkdirSync(join(repo, 'logs'));
      writeFileSync(join(repo, 'logs', 'app.log'), '2026-11-29T10:00:00Z payment authorised order=20261129-0042 card=411111******1111 amount=1000 EUR\n');

      const env: Record<string, string> = {
        PAYREADY_SANDBOX_BASE_URL: baseUrl,
        PAYREADY_SANDBOX_HOST: base.hostname,
        PAYREADY_SANDBOX_PORT: base.port,
        PAYREADY_SANDBOX_HTTP_PORT: http.port,
        PAYREADY_SANDBOX_TOKEN_URL: line('OAuth token'),
        PAYREADY_SANDBOX_ISSUER: line('OAuth issuer'),
        PAYREADY_SANDBOX_OPENAPI_URL: line('OpenAPI'),
        PAYREADY_SANDBOX_CHECKOUT_URL: line('checkout page'),
        PAYREADY_LOGS: join(repo, 'logs'),
        PAYREADY_DOWNLOAD_URL: speed![1]!,
        PAYREADY_UPLOAD_URL: speed![2]!,
        PAYREADY_RATE_LIMIT_URL: line('rate limit'),
        // A loopback address outside its allowlist (127.0.0.1 and ::1): the ip-allowlist check sends from it.
        PAYREADY_OUTSIDE_ADDRESS: '127.0.0.2',
        PAYREADY_CLIENT_ID: line('client id'),
        PAYREADY_CLIENT_SECRET: secret,
        PAYREADY_EXPIRED_TOKEN: line('expired token'),
      };
      // Exactly the variables the GitHub recipe of docs/ci.md sets (no more, no fewer), plus the CA file.
      const [workflow] = providerSandboxRecipes();
      expect(Object.keys(env).sort()).toEqual(Object.keys(workflow!.env).filter((name) => !SIGNING.test(name)).sort());

      // A child process: NODE_EXTRA_CA_CERTS, the recipe's way to trust the sandbox's CA, is read by
      // Node at startup only.
      const run = await runCli(['run', 'checks/go-live.yaml', '--env', 'provider-sandbox', '--skip', 'checkout-mobile', '--out', '../out'], {
        cwd: repo,
        env: cliEnv({ ...env, NODE_EXTRA_CA_CERTS: line('CA certificate') }),
      });
      expect(stackTraceIn(run.stdout + run.stderr)).toBeUndefined();
      expect(run.stdout + run.stderr).not.toContain(secret);
      const report = JSON.parse(readFileSync(join(dir, 'out', 'report.json'), 'utf8')) as Report;
      expect(report.environment).toMatchObject({ name: 'provider-sandbox', embedded: false, sandbox: true, insecure: false, baseUrl });
      const byStatus = (status: string): string[] => report.results.filter((r) => r.status === status).map((r) => r.id);
      const attestations = report.results.filter((r) => r.type === 'attestation');
      expect(attestations).toHaveLength(9);
      for (const r of attestations) expect(r.message, r.summary).toMatchObject({ id: 'problems', data: { problem: 'templateSandbox' } });
      expect(byStatus('warn')).toEqual(attestations.map((r) => r.id));
      expect(byStatus('skip')).toEqual(['checkout-mobile']);
      expect(byStatus('fail')).toEqual([]);
      expect(byStatus('error')).toEqual([]);
      expect(byStatus('pass')).toHaveLength(report.results.length - 10);
      expect(run.stdout).toMatch(/^READY\s+45 checks: 35 pass · 0 fail · 0 error · 9 warn · 1 skip/m);
      expect(report.verdict).toBe('READY');
      expect(run.code, run.stdout).toBe(0);
      // What the probes proved against it, from the outside.
      const summary = (id: string): string => report.results.find((r) => r.id === id)!.summary;
      expect(summary('api-port-open')).toContain(`${base.port} open as expected`);
      expect(summary('api-certificate')).toMatch(/chain trusted/);
      expect(summary('api-tls')).toMatch(/TLS 1\.2, TLS 1\.3 only; .*plain HTTP redirects to https$/);
      expect(summary('oauth-token')).toMatch(/client_credentials token issued/);
      expect(summary('payments-require-auth')).toMatch(/refuses none, a forged and an expired one \(401\)$/);
      expect(summary('transaction-over-limit')).toMatch(/over the 10,000\.00 EUR cap refused with 422 transaction_cap_exceeded/);
      expect(summary('rate-limit')).toMatch(/^GET \/v1\/rate-limit: 429 at request \d+/);
      expect(summary('ip-allowlist')).toBe('GET /health: 127.0.0.2 403, allowlisted source 200');
      expect(summary('no-pan-in-logs')).toMatch(/^no card numbers in 1 file/);
      expect(summary('no-hardcoded-credentials')).toMatch(/^no hard-coded credentials in \d+ files/);
    } finally {
      server.child.kill('SIGINT');
    }
    const stopped = await server.done;
    expect(stopped.code).toBe(0);
  }, 120_000);
});
