import { createServer, type Server, type Socket } from 'node:net';
import type { LookupFunction } from 'node:net';

/**
 * Real misbehaving servers on loopback for the fault matrix: each speaks raw TCP so it can break
 * HTTP (and TLS) in exactly one way. Every socket is tracked and destroyed on close.
 */
export const HOSTILE_KINDS = [
  'refused',
  'silent',
  'stall-body',
  'drip',
  'reset-mid-body',
  'garbage-tls',
  'malformed-json',
  'huge-body',
  'wrong-content-type',
  'redirect-loop',
  'unresolvable',
] as const;

/** One way a server misbehaves. */
export type HostileKind = (typeof HOSTILE_KINDS)[number];

/** What each kind does, for the fault matrix in docs/reliability.md. */
export const HOSTILE_DESCRIPTIONS: Record<HostileKind, string> = {
  refused: 'connection refused',
  silent: 'accepts, never answers',
  'stall-body': 'headers, then the body stalls',
  drip: 'drips one byte a second',
  'reset-mid-body': 'resets mid-body',
  'garbage-tls': 'garbage instead of TLS',
  'malformed-json': 'malformed JSON',
  'huge-body': 'a 100 MB body',
  'wrong-content-type': 'wrong Content-Type',
  'redirect-loop': 'a redirect loop',
  unresolvable: 'name does not resolve',
};

/** A running hostile server. */
export interface Hostile {
  /** Which misbehaviour. */
  kind: HostileKind;
  /** Host to use in URLs (a name that does not resolve for `unresolvable`). */
  host: string;
  /** TCP port. */
  port: number;
  /** `http://host:port` (or `https://` for `garbage-tls`). */
  baseUrl: string;
  /** Resolver to inject (answers ENOTFOUND for the unresolvable name, loopback otherwise). */
  lookup: LookupFunction;
  /** Resolves when the first client connects (never, for `refused` and `unresolvable`). */
  connected: Promise<void>;
  /** Stops the server and destroys every socket. */
  close(): Promise<void>;
}

const UNRESOLVABLE = 'nowhere.payready.invalid';

/** A resolver that never sends a DNS query: loopback for everything, ENOTFOUND for the unresolvable name. */
export const testLookup: LookupFunction = ((hostname: string, options: unknown, callback: unknown) => {
  const cb = (typeof options === 'function' ? options : callback) as (err: NodeJS.ErrnoException | null, address?: unknown, family?: number) => void;
  const all = typeof options === 'object' && options !== null && (options as { all?: boolean }).all;
  if (hostname === UNRESOLVABLE) {
    const err: NodeJS.ErrnoException = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname });
    process.nextTick(() => cb(err));
    return;
  }
  process.nextTick(() => (all ? cb(null, [{ address: '127.0.0.1', family: 4 }]) : cb(null, '127.0.0.1', 4)));
}) as LookupFunction;

function head(status: string, headers: Record<string, string | number>): string {
  return `HTTP/1.1 ${status}\r\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')}\r\n`;
}

function handler(kind: HostileKind, port: number): (socket: Socket) => void {
  return (socket) => {
    socket.on('error', () => undefined);
    const onRequest = (fn: () => void): void => {
      let seen = '';
      socket.on('data', (chunk) => {
        seen += chunk.toString('latin1');
        if (seen.includes('\r\n\r\n')) {
          seen = '';
          fn();
        }
      });
    };
    switch (kind) {
      case 'silent':
        socket.resume(); // read (and so notice the client closing) but never answer
        return;
      case 'stall-body':
        return onRequest(() => socket.write(`${head('200 OK', { 'Content-Type': 'application/json', 'Content-Length': 1000 })}{"status":`));
      case 'drip':
        return onRequest(() => {
          socket.write(head('200 OK', { 'Content-Type': 'application/json', 'Content-Length': 100 }));
          const timer = setInterval(() => (socket.destroyed ? clearInterval(timer) : socket.write('{')), 1000);
          socket.on('close', () => clearInterval(timer));
        });
      case 'reset-mid-body':
        return onRequest(() => {
          socket.write(`${head('200 OK', { 'Content-Type': 'application/json', 'Content-Length': 10_000 })}{"status":"ok","pad":"`);
          setTimeout(() => socket.resetAndDestroy(), 20);
        });
      case 'garbage-tls':
        socket.write(Buffer.from('this is not TLS, this is not even HTTP\r\n'.repeat(20)));
        socket.on('data', () => socket.write('garbage\r\n'));
        return;
      case 'malformed-json':
        return onRequest(() => {
          const body = '{"status": "ok", "amount": {"value": 1000,';
          socket.write(`${head('200 OK', { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body) })}${body}`);
        });
      case 'huge-body':
        return onRequest(() => {
          const total = 100 * 1024 * 1024;
          const chunk = Buffer.alloc(64 * 1024, 0x61);
          socket.write(head('200 OK', { 'Content-Type': 'application/json', 'Content-Length': total }));
          let sent = 0;
          const pump = (): void => {
            while (sent < total && !socket.destroyed) {
              sent += chunk.length;
              if (!socket.write(chunk)) return void socket.once('drain', pump);
            }
          };
          pump();
        });
      case 'wrong-content-type':
        return onRequest(() => {
          const body = '<html><body>Error: something went wrong</body></html>';
          socket.write(`${head('200 OK', { 'Content-Type': 'text/html', 'Content-Length': Buffer.byteLength(body) })}${body}`);
        });
      case 'redirect-loop':
        return onRequest(() => socket.write(head('302 Found', { Location: `http://127.0.0.1:${port}/loop`, 'Content-Length': 0 })));
      case 'unresolvable':
      case 'refused':
        return;
    }
  };
}

/** Starts a server misbehaving in one way. */
export async function startHostile(kind: HostileKind): Promise<Hostile> {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port: number;
  let onConnection = (): void => undefined;
  const connected = new Promise<void>((resolve) => (onConnection = resolve));
  if (kind === 'refused') {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    port = (probe.address() as { port: number }).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
  } else {
    const s = createServer();
    server = s;
    await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
    port = (s.address() as { port: number }).port;
    const handle = handler(kind, port);
    s.on('connection', (socket) => {
      onConnection();
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      handle(socket);
    });
  }
  const host = kind === 'unresolvable' ? UNRESOLVABLE : '127.0.0.1';
  return {
    kind,
    host,
    port,
    baseUrl: `${kind === 'garbage-tls' ? 'https' : 'http'}://${host}:${port}`,
    lookup: testLookup,
    connected,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
