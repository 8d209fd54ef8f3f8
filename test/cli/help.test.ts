import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { buildProgram, main } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/io.js';
import { reporterNames } from '../../src/reporters/index.js';
import { manualInterrupt } from '../support/interrupt.js';

/** Runs the CLI in-process and collects what it printed. */
async function cli(args: string[], cwd = process.cwd()): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const stdout = Object.assign(new PassThrough(), { isTTY: false, columns: 100 });
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  const stderr = new PassThrough();
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const io: Io = { stdout, stderr, env: { NO_COLOR: '1', CI: 'true' }, cwd, interrupt: manualInterrupt() };
  const code = await main(args, io);
  return { code, out, err };
}

/** The help entries of the options: an entry starts at a line like "  -e, --env <name>" and runs to the next. */
function optionEntries(help: string): string[] {
  const options = help.slice(help.indexOf('Options:'));
  const entries: string[] = [];
  for (const line of options.split('\n').slice(1)) {
    if (/^ {2}-/.test(line)) entries.push(line.trim().replace(/\s+/g, ' '));
    else if (entries.length > 0 && line.trim()) entries[entries.length - 1] += ` ${line.trim().replace(/\s+/g, ' ')}`;
  }
  return entries;
}

describe('--help', () => {
  const names = buildProgram({} as Io, () => undefined).commands.map((c) => c.name());

  it('states each option default once: no "(default: x)" after a description that already says it, no "(default: [])"', async () => {
    expect(names).toContain('init');
    for (const name of names) {
      const { code, out } = await cli([name, '--help']);
      expect(code, name).toBe(0);
      for (const entry of optionEntries(out)) {
        expect(entry.match(/default:/g)?.length ?? 0, `${name}: ${entry}`).toBeLessThanOrEqual(1);
        expect(entry, `${name}: ${entry}`).not.toContain('(default: [])');
      }
    }
    const init = optionEntries((await cli(['init', '--help'])).out).find((e) => e.startsWith('--env'));
    expect(init).toBe('--env <name> an environment; repeatable; the first is the sandbox (default: sandbox, production)');
    const run = optionEntries((await cli(['run', '--help'])).out);
    expect(run.find((e) => e.startsWith('--concurrency'))).toBe('--concurrency <n> checks running at once (default: 8)');
  });

  it('run and demo list every reporter, sarif included', async () => {
    expect(reporterNames).toContain('sarif');
    for (const name of ['run', 'demo']) {
      const reporter = optionEntries((await cli([name, '--help'])).out).find((e) => e.startsWith('--reporter'));
      for (const format of reporterNames) expect(reporter, `${name}: ${format}`).toContain(format);
    }
  });

  it('validate counts one check as "1 check"', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'payready-help-'));
    try {
      writeFileSync(join(dir, 'one.yaml'), 'suite: one\ntitle: One\nenvironments:\n  sandbox: { embedded: true }\nchecks:\n  - { id: a, type: port, section: "1.2", with: { host: "${target.host}" } }\n');
      const { code, out } = await cli(['validate', 'one.yaml'], dir);
      expect(code).toBe(0);
      expect(out).toBe('ok  one.yaml  (1 check, suite one)\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
