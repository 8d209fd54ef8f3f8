import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterFile } from '../support/after-file.js';
import { onFreePorts, requireProgram, startProcess } from './server-process.js';

/**
 * A real TLS server that is not ours: `openssl s_server` (Debian package `openssl`, installed by
 * .ci/run when missing) with chosen protocol and cipher flags, so the `tls` probe is not tuned to
 * Node's own server. Loopback only.
 */

const dirs: string[] = [];

afterFile(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The openssl program, or a clear error naming the Debian package. */
export function requireOpenssl(): string {
  return requireProgram('openssl', 'openssl');
}

/** `openssl version`, e.g. "OpenSSL 3.0.19 27 Jan 2026". */
export function opensslVersion(): string {
  const result = spawnSync(requireOpenssl(), ['version'], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`openssl version failed: ${result.stderr || result.error?.message}`);
  return result.stdout.trim();
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
  const openssl = requireOpenssl();
  const dir = mkdtempSync(join(tmpdir(), 'payready-openssl-'));
  dirs.push(dir);
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  const result = spawnSync(
    openssl,
    ['req', '-x509', '-newkey', options.key ?? 'rsa:2048', `-${options.digest ?? 'sha256'}`, '-nodes', '-keyout', key, '-out', cert, '-days', String(options.days ?? 60), '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'],
    { encoding: 'utf8' },
  );
  if (result.status !== 0) throw new Error(`openssl req failed: ${result.stderr}`);
  return { cert, key };
}

/** A running `openssl s_server`. */
export interface SServer {
  /** Its loopback port. */
  port: number;
  /** Stops it; resolves once it has exited. */
  stop(): Promise<void>;
}

/** Starts `openssl s_server -www` on a free loopback port with extra flags; resolves once it accepts. */
export function sServer(cert: TestCert, flags: string[]): Promise<SServer> {
  const openssl = requireOpenssl();
  return onFreePorts(1, async ([port]) => {
    const server = await startProcess(openssl, ['s_server', '-accept', `127.0.0.1:${port}`, '-cert', cert.cert, '-key', cert.key, '-www', ...flags], {
      name: `openssl s_server ${flags.join(' ')}`.trim(),
      // Printed once the socket listens; a taken port is "bind: Address already in use", then exit.
      ready: (output) => /^ACCEPT$/m.test(output),
    });
    return { port: port!, stop: () => server.stop() };
  });
}
