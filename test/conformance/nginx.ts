import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterFile } from '../support/after-file.js';
import { mintCertificateAuthority, mintServerCertificate } from '../../src/sandbox/transport/certs.js';
import { onFreePorts, requireProgram, startProcess } from './server-process.js';

/**
 * The real nginx (Debian package `nginx-light`, installed by .ci/run when missing) run as a
 * foreground child process with its own prefix, configuration, pid file, temp paths and logs in a
 * temp folder, listening on loopback ports only. Its certificate comes from payready's own CA
 * helper; the CA file is what a suite would pass as `ca:`.
 */

const dirs: string[] = [];

afterFile(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The nginx program, or a clear error naming the Debian package. */
export function requireNginx(): string {
  return requireProgram('nginx', 'nginx-light');
}

/** The version `nginx -v` reports, e.g. "1.22.1". */
export function nginxVersion(): string {
  // nginx -v writes "nginx version: nginx/1.22.1" to stderr.
  const result = spawnSync(requireNginx(), ['-v'], { encoding: 'utf8' });
  const version = /nginx\/(\d+\.\d+\.\d+)/.exec(`${result.stderr}${result.stdout}`)?.[1];
  if (result.status !== 0 || !version) throw new Error(`nginx -v did not report a version: ${result.stderr || result.error?.message}`);
  return version;
}

/** One `server` block of the configuration. */
export interface NginxSite {
  /** Listen with TLS, using the certificate minted for 127.0.0.1 and localhost. */
  tls?: boolean;
  /** Directives at the `http` level this site needs (limit_req_zone, map...). */
  http?: string;
  /** Directives inside the `server` block, after listen, root and the certificate. */
  server: string;
}

/** A running nginx serving several sites, each on its own loopback port. */
export interface Nginx<Site extends string> {
  /** Base URL of a site (https:// when it has `tls`). */
  url(site: Site): string;
  /** Port of a site. */
  port(site: Site): number;
  /** The CA that signed the sites' certificate, PEM. */
  caPem: string;
  /** The same CA as a file (for the `tls` check's `ca:`). */
  caFile: string;
  /** The configuration nginx was started with (shown when a row fails). */
  config: string;
  /** Stops nginx; resolves once it has exited. */
  stop(): Promise<void>;
}

/** The JSON document every site serves at `/ok.json` (nginx applies limit_req to static files, not to `return`). */
export const OK_PATH = '/ok.json';

/** Starts one nginx with `sites`; resolves once it listens on every port. */
export async function startNginx<Site extends string>(sites: Record<Site, NginxSite>): Promise<Nginx<Site>> {
  const nginx = requireNginx();
  const dir = mkdtempSync(join(tmpdir(), 'payready-nginx-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'www'));
  writeFileSync(join(dir, 'www', OK_PATH.slice(1)), '{"ok":true}\n');
  const ca = await mintCertificateAuthority('payready conformance CA');
  const leaf = await mintServerCertificate(ca);
  writeFileSync(join(dir, 'ca.pem'), ca.certPem);
  writeFileSync(join(dir, 'cert.pem'), leaf.certPem);
  writeFileSync(join(dir, 'key.pem'), leaf.keyPem, { mode: 0o600 });
  const names = Object.keys(sites) as Site[];

  return onFreePorts(names.length, async (ports) => {
    const portOf = new Map(names.map((name, i) => [name, ports[i]!]));
    const config = nginxConfig(dir, names.map((name) => ({ ...sites[name], port: portOf.get(name)! })));
    const confFile = join(dir, 'nginx.conf');
    const pidFile = join(dir, 'nginx.pid');
    writeFileSync(confFile, config);
    rmSync(pidFile, { force: true });
    const server = await startProcess(nginx, ['-p', `${dir}/`, '-c', confFile, '-e', 'stderr'], {
      name: 'nginx',
      // nginx writes its pid file after it has bound every listening socket; a taken port is
      // "bind() to 127.0.0.1:N failed (98: Address already in use)", retried for 2.5 s, then exit.
      ready: () => existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() !== '',
    });
    return {
      url: (site) => `${sites[site].tls ? 'https' : 'http'}://127.0.0.1:${portOf.get(site)}`,
      port: (site) => portOf.get(site)!,
      caPem: ca.certPem,
      caFile: join(dir, 'ca.pem'),
      config,
      stop: () => server.stop(),
    };
  });
}

/**
 * One process (`master_process off`), so stopping it stops everything and running as root needs
 * no `user` directive: there is no worker to hand to another user. Every path nginx would write
 * under /var is moved into `dir`.
 */
function nginxConfig(dir: string, sites: (NginxSite & { port: number })[]): string {
  const servers = sites.map((site) =>
    [
      '  server {',
      `    listen 127.0.0.1:${site.port}${site.tls ? ' ssl' : ''};`,
      `    root ${dir}/www;`,
      ...(site.tls ? [`    ssl_certificate ${dir}/cert.pem;`, `    ssl_certificate_key ${dir}/key.pem;`] : []),
      ...indent(site.server, 4),
      '  }',
    ].join('\n'),
  );
  return `daemon off;
master_process off;
pid ${dir}/nginx.pid;
error_log stderr warn;
events { worker_connections 128; }
http {
  access_log off;
  default_type application/json;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
${sites.flatMap((site) => (site.http ? indent(site.http, 2) : [])).join('\n')}
${servers.join('\n')}
}
`;
}

function indent(text: string, spaces: number): string[] {
  return text
    .trim()
    .split('\n')
    .map((line) => `${' '.repeat(spaces)}${line.trim()}`);
}
