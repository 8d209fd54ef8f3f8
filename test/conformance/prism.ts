import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * Stoplight Prism (`@stoplight/prism-cli`, a dev dependency) serving an OpenAPI document in static
 * mode: a mock server nobody here wrote, answering with the document's own examples. Started on
 * 127.0.0.1 on an ephemeral port, in its own process group so that closing it leaves nothing behind.
 */
export interface Prism {
  /** Base URL, e.g. http://127.0.0.1:40123. */
  url: string;
  /** Version of @stoplight/prism-cli that is running. */
  version: string;
  /** Stops Prism (the whole process group) and waits for it to exit. */
  close(): Promise<void>;
}

const require = createRequire(import.meta.url);

function prismCli(): { entry: string; version: string } {
  const manifest = require.resolve('@stoplight/prism-cli/package.json');
  const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string; bin: { prism: string } };
  return { entry: join(dirname(manifest), pkg.bin.prism), version: pkg.version };
}

const LISTENING = /Prism is listening on (http:\/\/127\.0\.0\.1:\d+)/;
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

/**
 * Starts `prism mock <document> -h 127.0.0.1 -p 0` (port 0: the kernel picks a free port, and
 * Prism prints the one it got) and resolves once it says it listens, or rejects with what it
 * printed when it exits first or does not get there within `timeoutMs`.
 */
export async function startPrism(document: string, timeoutMs = 90_000): Promise<Prism> {
  const { entry, version } = prismCli();
  const child = spawn(process.execPath, [entry, 'mock', document, '-h', '127.0.0.1', '-p', '0'], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Prism did not listen within ${timeoutMs / 1000} s; it printed:\n${output.slice(-2000)}`)), timeoutMs);
      const read = (chunk: Buffer): void => {
        output += chunk.toString('utf8').replace(ANSI, '');
        const found = LISTENING.exec(output);
        if (found) {
          clearTimeout(timer);
          resolve(found[1]!);
        }
      };
      child.stdout!.on('data', read);
      child.stderr!.on('data', read);
      child.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`Prism exited (${signal ?? `code ${code}`}) before listening; it printed:\n${output.slice(-2000)}`));
      });
    });
    // Prism logs every request; keep reading so a full pipe never blocks it.
    child.stdout!.resume();
    child.stderr!.resume();
    return { url, version, close: () => stop(child, exited) };
  } catch (error) {
    await stop(child, exited);
    throw error;
  }
}

/** SIGTERM to the process group, SIGKILL if it has not exited within 5 s; resolves once it has exited. */
async function stop(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const signalGroup = (signal: NodeJS.Signals): void => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // The group is already gone.
    }
  };
  signalGroup('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const escalated = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      signalGroup('SIGKILL');
      resolve();
    }, 5_000);
  });
  await Promise.race([exited, escalated]);
  clearTimeout(timer);
  await exited;
}

/** A loopback proxy in front of a server that may rewrite JSON response bodies. */
export interface TamperingProxy {
  /** Base URL of the proxy. */
  url: string;
  /** Stops the proxy. */
  close(): Promise<void>;
}

/**
 * Forwards every request to `target` and passes each JSON response body through `tamper` (the
 * way a drifting provider would answer), fixing Content-Length; other bodies pass unchanged.
 */
export async function startTamperingProxy(target: string, tamper: (body: Record<string, unknown>, path: string) => Record<string, unknown>): Promise<TamperingProxy> {
  const upstream = new URL(target);
  const server: Server = createServer((req, res) => {
    const forwarded = httpRequest({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (chunk: Buffer) => chunks.push(chunk));
      answer.on('end', () => {
        let body = Buffer.concat(chunks);
        const headers: IncomingHttpHeaders = { ...answer.headers };
        if (/json/i.test(String(answer.headers['content-type'] ?? ''))) {
          try {
            body = Buffer.from(JSON.stringify(tamper(JSON.parse(body.toString('utf8')) as Record<string, unknown>, req.url ?? '/')));
          } catch {
            // Not JSON after all: passed on as it came.
          }
        }
        delete headers['transfer-encoding'];
        headers['content-length'] = String(body.length);
        res.writeHead(answer.statusCode ?? 502, headers);
        res.end(body);
      });
    });
    forwarded.on('error', (err) => {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`proxy: ${err.message}`);
    });
    req.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
