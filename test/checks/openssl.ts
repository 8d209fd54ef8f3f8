import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/**
 * A real TLS server that is not ours: `openssl s_server` (Debian package `openssl`, installed by
 * .ci/run when missing) with chosen protocol flags, so the `tls` probe is not tuned to Node's
 * own server. Loopback only.
 */

const dirs: string[] = [];
const servers: ChildProcess[] = [];

afterAll(() => {
  for (const server of servers.splice(0)) server.kill('SIGKILL');
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Throws a clear error when the openssl program is missing (no silent skip). */
export function requireOpenssl(): void {
  const probe = spawnSync('openssl', ['version'], { encoding: 'utf8' });
  if (probe.status !== 0) throw new Error('these tests need the openssl program: apt-get install openssl (.ci/run installs it)');
}

/** A self-signed certificate and key, made by the openssl CLI. */
export interface TestCert {
  /** Certificate file (PEM). */
  cert: string;
  /** Key file (PEM). */
  key: string;
}

/** `openssl req -x509` with the key type and digest asked for; SAN 127.0.0.1 and localhost. */
export function selfSigned(options: { key?: string; digest?: string; days?: number } = {}): TestCert {
  requireOpenssl();
  const dir = mkdtempSync(join(tmpdir(), 'payready-openssl-'));
  dirs.push(dir);
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  const result = spawnSync(
    'openssl',
    ['req', '-x509', '-newkey', options.key ?? 'rsa:2048', `-${options.digest ?? 'sha256'}`, '-nodes', '-keyout', key, '-out', cert, '-days', String(options.days ?? 60), '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'],
    { encoding: 'utf8' },
  );
  if (result.status !== 0) throw new Error(`openssl req failed: ${result.stderr}`);
  return { cert, key };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Starts `openssl s_server` on a free loopback port with extra flags; resolves once it accepts. */
export async function sServer(cert: TestCert, flags: string[]): Promise<{ port: number; stop(): void }> {
  requireOpenssl();
  const port = await freePort();
  const child = spawn('openssl', ['s_server', '-accept', `127.0.0.1:${port}`, '-cert', cert.cert, '-key', cert.key, '-www', ...flags], { stdio: ['pipe', 'pipe', 'pipe'] });
  servers.push(child);
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`openssl s_server did not start: ${output}`)), 10_000);
    const onData = (data: Buffer): void => {
      output += data.toString();
      if (/ACCEPT/.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (data: Buffer) => (output += data.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`openssl s_server exited ${code}: ${output}`));
    });
  });
  return { port, stop: () => child.kill('SIGKILL') };
}
