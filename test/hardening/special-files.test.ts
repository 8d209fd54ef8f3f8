import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliBounded, stackTraceIn, tempDir, type CliResult } from '../e2e/helpers.js';

/*
 * Files a user names (a secret `file:`, an environment's `ca:`, --sign-key, --pubkey, the bundle
 * given to verify, reports given to diff, the suite itself) are read only when they are regular
 * files of a sane size: a FIFO would hang the read for ever and /dev/zero would fill memory.
 * Each case must end with a usage error (exit 2) naming the file and what it is.
 */

let dir = '';

beforeAll(() => {
  dir = tempDir('payready-special-');
  execFileSync('mkfifo', [join(dir, 'fifo')]);
  symlinkSync('/dev/zero', join(dir, 'zero'));
  writeFileSync(join(dir, 'big-secret.txt'), 'x'.repeat(64 * 1024 + 1));
  writeFileSync(join(dir, 'key.pem'), generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI in the temp folder; a hang or a spin fails the test, it does not outlive it. */
function cli(args: string[]): Promise<CliResult> {
  return runCliBounded(args, { cwd: dir });
}

/** A suite whose environment reads `ca` and whose one check uses a secret read from `secretFile`. */
function suite(name: string, o: { secretFile?: string; ca?: string }): string {
  writeFileSync(
    join(dir, name),
    [
      'suite: special-files',
      'title: Special files',
      'environments:',
      '  live:',
      '    baseUrl: http://127.0.0.1:9',
      ...(o.ca ? [`    ca: ${o.ca}`] : []),
      'secrets:',
      `  token: { file: ${o.secretFile ?? 'key.pem'} }`,
      'checks:',
      '  - id: api',
      '    type: http',
      '    section: "1.1"',
      '    with:',
      '      url: ${target.baseUrl}/health',
      '      headers: { Authorization: "Bearer ${secrets.token}" }',
      '',
    ].join('\n'),
  );
  return name;
}

function expectUsage(result: CliResult, message: string): void {
  expect(result.code, result.stdout + result.stderr).toBe(2);
  expect(result.stderr).toContain(message);
  expect(result.stderr).not.toContain('this is a bug in payready');
  expect(stackTraceIn(result.stderr)).toBeUndefined();
}

const FIFO = 'it is a FIFO (named pipe); payready reads regular files only';
const DEVICE = 'it is a character device; payready reads regular files only';

describe('[files/special-inputs] special files named by the user', () => {
  it('a secret file that is a FIFO, a device or too large is refused before anything runs', async () => {
    expectUsage(await cli(['run', suite('secret-fifo.yaml', { secretFile: 'fifo' }), '--out', 'out']), `cannot read fifo (needed by secret "token"): ${FIFO}`);
    expectUsage(await cli(['run', suite('secret-zero.yaml', { secretFile: 'zero' }), '--out', 'out']), `cannot read zero (needed by secret "token"): ${DEVICE}`);
    expectUsage(await cli(['run', suite('secret-big.yaml', { secretFile: 'big-secret.txt' }), '--out', 'out']), 'big-secret.txt (needed by secret "token") is larger than 64 KiB');
  });

  it("an environment's ca that is a FIFO, a device or missing is refused with a clear message", async () => {
    expectUsage(await cli(['run', suite('ca-fifo.yaml', { ca: 'fifo' }), '--out', 'out']), `cannot read fifo (needed by ca of environment "live"): ${FIFO}`);
    expectUsage(await cli(['run', suite('ca-zero.yaml', { ca: 'zero' }), '--out', 'out']), `cannot read zero (needed by ca of environment "live"): ${DEVICE}`);
    expectUsage(await cli(['run', suite('ca-missing.yaml', { ca: 'missing-ca.pem' }), '--out', 'out']), 'cannot read missing-ca.pem (needed by ca of environment "live"): no such file');
  });

  it('--sign-key, --pubkey and the bundle given to verify: a FIFO or a device is refused', async () => {
    const good = suite('good.yaml', {});
    expectUsage(await cli(['run', good, '--evidence', 'e.tar.gz', '--sign-key', 'fifo']), `cannot read --sign-key fifo: ${FIFO}`);
    expectUsage(await cli(['run', good, '--evidence', 'e.tar.gz', '--sign-key', 'zero']), `cannot read --sign-key zero: ${DEVICE}`);
    expectUsage(await cli(['verify', 'fifo']), `cannot read fifo: ${FIFO}`);
    expectUsage(await cli(['verify', 'zero']), `cannot read zero: ${DEVICE}`);
    writeFileSync(join(dir, 'some.tar.gz'), 'not a bundle');
    expectUsage(await cli(['verify', 'some.tar.gz', '--pubkey', 'fifo']), `cannot read --pubkey fifo: ${FIFO}`);
    expectUsage(await cli(['verify', 'some.tar.gz', '--pubkey', 'zero']), `cannot read --pubkey zero: ${DEVICE}`);
  });

  it('the suite itself and the reports given to diff and merge: a FIFO or a device is refused', async () => {
    expectUsage(await cli(['validate', 'fifo']), `cannot read fifo: ${FIFO}`);
    expectUsage(await cli(['validate', 'zero']), `cannot read zero: ${DEVICE}`);
    expectUsage(await cli(['diff', 'fifo', 'zero']), `cannot read fifo: ${FIFO}`);
    expectUsage(await cli(['merge', 'zero', 'fifo']), `cannot read zero: ${DEVICE}`);
  });
});
