import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { usageError, usageMessages, usageText, type UsageId } from '../../src/cli/messages.js';
import { UsageError, type UsageRef } from '../../src/errors.js';
import { placeholders } from '../../src/model/messages.js';
import { ROOT, tempDir } from '../e2e/helpers.js';
import { manualInterrupt } from '../support/interrupt.js';

/** Every .ts file under src/. */
function sources(dir = join(ROOT, 'src')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : []));
}

/** Runs the CLI in-process; returns the exit code, what it printed on stderr and the usage errors by id. */
async function cli(args: string[], cwd: string): Promise<{ code: number; err: string; usage: UsageRef[] }> {
  const stderr = new PassThrough();
  let err = '';
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const usage: UsageRef[] = [];
  const errors = (error: unknown): void => {
    if (error instanceof UsageError && error.ref) usage.push(error.ref);
  };
  const code = await main(args, { stdout: new PassThrough(), stderr, env: { CI: 'true' }, cwd, interrupt: manualInterrupt(), errors });
  return { code, err, usage };
}

describe('the CLI usage messages table', () => {
  it('words every entry as an error with camelCase ids; a hint uses only placeholders the message fills', () => {
    for (const [id, entry] of Object.entries(usageMessages)) {
      expect(id).toMatch(/^[a-z][A-Za-z0-9]*$/);
      expect(entry.status).toBe('error');
      const fix: string | undefined = 'fix' in entry ? entry.fix : undefined;
      if (fix !== undefined) expect(entry.text.length, id).toBeGreaterThan(0);
      // A hint may name what the message does not (the list of valid names), never a value nobody fills.
      const data = Object.fromEntries([...placeholders(entry.text), ...placeholders(fix ?? '')].map((name) => [name, `<${name}>`]));
      const { message, hint } = usageText(id as UsageId, data);
      expect(message).not.toMatch(/\{[A-Za-z]/);
      expect(hint ?? '').not.toMatch(/\{[A-Za-z]/);
    }
  });

  it('a usage error carries the id and data it was made from, in its JSON form too', () => {
    const error = usageError('unknownReporter', { name: 'jsno', suggestion: '; did you mean "json"?', reporters: 'json, junit' });
    expect(error.message).toBe('unknown reporter "jsno"; did you mean "json"?');
    expect(error.hint).toBe('reporters: terminal (always on), json, junit; write --reporter NAME or --reporter NAME=PATH');
    expect(error.id).toBe('unknownReporter');
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'UsageError',
      message: error.message,
      hint: error.hint,
      id: 'unknownReporter',
      data: { name: 'jsno', suggestion: '; did you mean "json"?', reporters: 'json, junit' },
    });
  });

  it('is where every usage error comes from: no module words one itself', () => {
    const tables = new Set(['src/errors.ts', 'src/cli/messages.ts', 'src/runner/messages.ts', 'src/compare/messages.ts']);
    const offenders = sources()
      .map((file) => relative(ROOT, file))
      .filter((file) => !tables.has(file) && readFileSync(join(ROOT, file), 'utf8').includes('new UsageError('));
    expect(offenders).toEqual([]);
  });

  it.each<[string[], UsageId, UsageRef['data']]>([
    [['run', 'suite.yaml', '--reporter', 'jsno'], 'unknownReporter', { name: 'jsno', suggestion: '; did you mean "json"?', reporters: 'codequality, html, json, junit, markdown, sarif' }],
    [['run', 'suite.yaml', '--reporter', 'json', '--reporter', 'json=x.json'], 'reporterTwice', { name: 'json' }],
    [['run', 'suite.yaml', '--sign-key', 'k.pem'], 'signKeyWithoutEvidence', {}],
    [['run', 'suite.yaml', '--concurrency', 'many'], 'notPositiveInteger', { option: '--concurrency', value: 'many' }],
    [['run', 'suite.yaml', '--max-body', 'lots'], 'notSize', { option: '--max-body', value: 'lots' }],
    [['demo', '--fault', 'no-auht'], 'unknownFault', { fault: 'no-auht', suggestion: ' (did you mean "no-auth"?)', faults: expect.any(String) as unknown as string }],
    [['demo', '--only', 'payment-aprove'], 'unknownCheckId', { id: 'payment-aprove', suggestion: '; did you mean "payment-approve"?' }],
    [['demo', '--tag', 'smoek'], 'unknownTag', { tag: 'smoek', suggestion: '; did you mean "smoke"?' }],
    [['checks', 'htp'], 'unknownCheckType', { name: 'htp', suggestion: '; did you mean "http"?', types: expect.any(String) as unknown as string }],
    [['merge', 'a=a.json'], 'mergeNeedsTwo', {}],
    [['diff', 'a.json', 'b.json', '--tolerance=-1'], 'badTolerance', { value: '-1' }],
    [['diff', 'nope.json', 'b.json'], 'reportUnreadable', { file: 'nope.json', why: expect.any(String) as unknown as string }],
  ])('%j exits 2 with %s, printed from the table', async (args, id, data) => {
    const dir = tempDir();
    const { code, err, usage } = await cli(args, dir);
    expect(code).toBe(2);
    expect(usage).toEqual([{ id, data }]);
    const { message } = usageText(id, usage[0]!.data);
    expect(err).toContain(`error: ${message}\n`);
  }, 60_000);
});
