import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

/*
 * The boundary check of `npm test` (`npm run lint:deps`) must fail on a violation and say which
 * rule it broke. fixtures/boundaries/ breaks each rule of .dependency-cruiser.mjs once; the real
 * src/ is held to zero violations by `npm run lint:deps` itself.
 */

const cli = fileURLToPath(new URL('../node_modules/dependency-cruiser/bin/dependency-cruise.mjs', import.meta.url));
const config = fileURLToPath(new URL('../.dependency-cruiser.mjs', import.meta.url));
const fixture = fileURLToPath(new URL('../fixtures/boundaries/', import.meta.url));

/** Runs the boundary check as `npm run lint:deps` does, on fixtures/boundaries/src. */
function cruiseFixture(): { status: number | null; output: string } {
  const run = spawnSync(process.execPath, [cli, 'src', '--config', config, '--output-type', 'err-long'], { cwd: fixture, encoding: 'utf8' });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe('architecture boundaries (dependency-cruiser)', () => {
  let status: number | null;
  let output: string;
  beforeAll(() => {
    ({ status, output } = cruiseFixture());
  });

  it('fails with one error per broken import and names the rule of each', () => {
    const violations: [rule: string, edge: string][] = [
      ['checks-not-reporters-cli-runner-sandbox', 'src/checks/tls.ts → src/runner/run.ts'],
      ['reporters-not-checks', 'src/reporters/json.ts → src/checks/tls.ts'],
      ['runner-not-cli', 'src/runner/run.ts → src/cli/main.ts'],
      ['suite-not-runner-sandbox', 'src/suite/load.ts → src/sandbox/embedded.ts'],
      ['sandbox-not-checks', 'src/sandbox/server.ts → src/checks/tls.ts'],
      ['net-only-model', 'src/net/http.ts → src/text.ts'],
      ['model-imports-nothing', 'src/model/report.ts → src/net/http.ts'],
      ['redaction-only-at-the-exit', 'src/scan/files.ts → src/evidence/redact.ts'],
    ];
    for (const [rule, edge] of violations) expect(output).toContain(`error ${rule}: ${edge}`);
    // scan -> evidence -> scan: a cycle of folders, though no module imports itself back.
    expect(output).toMatch(/error no-folder-cycle: src\/scan → \s+src\/evidence →\s+src\/scan/);
    expect(output).toMatch(/error no-folder-cycle: src\/evidence → \s+src\/scan →\s+src\/evidence/);
    const errors = output.match(/^\s*error [a-z-]+:/gm) ?? [];
    expect(errors).toHaveLength(10);
    // dependency-cruiser exits with the number of errors: the run fails.
    expect(status).toBe(10);
  });

  it("prints each rule's comment, which names the rule, under its violation", () => {
    expect(output).toMatch(/error reporters-not-checks: src\/reporters\/json\.ts → src\/checks\/tls\.ts\s+reporters-not-checks: a reporter never imports checks\./);
    expect(output).toMatch(/error model-imports-nothing: [^\n]+\s+model-imports-nothing: src\/model/);
  });

  it('lets subfolders of one top-level folder depend on each other (sandbox/oauth <-> sandbox/payments)', () => {
    expect(output).not.toContain('src/sandbox/oauth');
    expect(output).not.toContain('src/sandbox/payments');
  });

  it('is part of npm test, on src/ with the same configuration file', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts['lint:deps']).toBe('depcruise src --config .dependency-cruiser.mjs --output-type err-long');
    // npm test is scripts/check.js --vitest, which runs `npm run lint:deps` beside the compiler and vitest beside the lint.
    expect(pkg.scripts['test']).toBe('node scripts/check.js --vitest');
    expect(readFileSync(new URL('../scripts/check.js', import.meta.url), 'utf8')).toContain("['run', '--silent', 'lint:deps']");
  });
});
