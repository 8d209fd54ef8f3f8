import { afterAll, describe, expect, it } from 'vitest';
import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createHttpsServer } from 'node:https';
import { HttpTransport } from '../../src/net/http.js';
import { NetError } from '../../src/net/errors.js';
import { streamGet } from '../../src/net/stream-get.js';
import { mintCertificateAuthority, mintServerCertificate } from '../../src/sandbox/transport/certs.js';

const servers: Server[] = [];
const sockets = new Set<Socket>();
const transport = new HttpTransport();

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  await transport.close();
});

/**
 * A raw TCP server that reads one request head, remembers it, and writes `pieces` one per event
 * loop turn (so heads and chunk lines arrive split across reads), then closes unless `keepOpen`.
 */
async function rawServer(pieces: (string | Buffer)[], keepOpen = false): Promise<{ url: string; requests: string[] }> {
  const requests: string[] = [];
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    let head = '';
    socket.on('data', (data: Buffer) => {
      head += data.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      requests.push(head);
      const write = (index: number): void => {
        if (socket.destroyed) return;
        if (index === pieces.length) {
          if (!keepOpen) socket.end();
          return;
        }
        socket.write(pieces[index]!, () => setImmediate(() => write(index + 1)));
      };
      write(0);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/file?x=1`, requests };
}

async function get(url: string, options: { headers?: Record<string, string>; idleTimeoutMs?: number; signal?: AbortSignal } = {}, client = transport): Promise<{ status: number; bytes: number; reads: number }> {
  let status = 0;
  let bytes = 0;
  let reads = 0;
  await streamGet(
    client,
    new URL(url),
    { headers: options.headers, signal: options.signal ?? new AbortController().signal, idleTimeoutMs: options.idleTimeoutMs ?? 5_000 },
    {
      onHead: (code) => (status = code),
      onBody: (length) => {
        bytes += length;
        reads++;
      },
    },
  );
  return { status, bytes, reads };
}

describe('streamGet: a GET whose body is counted, not kept', () => {
  it('counts a Content-Length body, with the head split across reads, and sends the headers given', async () => {
    const { url, requests } = await rawServer(['HTTP/1.1 200 OK\r\nContent-Le', 'ngth: 10\r\n\r', '\n12345', '67890'], true);
    expect(await get(url, { headers: { authorization: 'Bearer t' } })).toMatchObject({ status: 200, bytes: 10 });
    expect(requests[0]).toMatch(/^GET \/file\?x=1 HTTP\/1\.1\r\nhost: 127\.0\.0\.1:\d+\r\nauthorization: Bearer t\r\nconnection: close\r\n\r\n$/);
  });

  it('counts a chunked body without its framing (sizes, extensions, CRLFs, trailer)', async () => {
    const { url } = await rawServer(['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n', '5\r\nab', 'cde\r', '\n1A;ext=1\r\n', 'x'.repeat(26), '\r\n0\r\nx-trailer: 1\r\n', '\r\n'], true);
    expect(await get(url)).toMatchObject({ status: 200, bytes: 31 });
  });

  it('counts a body that ends when the connection closes, after a 100 Continue', async () => {
    const { url } = await rawServer(['HTTP/1.1 100 Continue\r\n\r\n', 'HTTP/1.0 200 OK\r\n\r\n', Buffer.alloc(70_000), Buffer.alloc(30_000)]);
    expect(await get(url)).toMatchObject({ status: 200, bytes: 100_000 });
  });

  it('reports a status that is not 2xx and a 204 without a body', async () => {
    expect(await get((await rawServer(['HTTP/1.1 404 Not Found\r\ncontent-length: 3\r\n\r\nno!'], true)).url)).toMatchObject({ status: 404, bytes: 3 });
    expect(await get((await rawServer(['HTTP/1.1 204 No Content\r\n\r\n'], true)).url)).toMatchObject({ status: 204, bytes: 0 });
  });

  it('a body cut short, garbage instead of HTTP and a silent server are NetErrors', async () => {
    const short = await rawServer(['HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\nonly this']);
    await expect(get(short.url)).rejects.toMatchObject({ kind: 'closed', message: expect.stringMatching(/closed the connection \(other side closed\)$/) });
    const garbage = await rawServer(['SSH-2.0-OpenSSH\r\n\r\n'], true);
    await expect(get(garbage.url)).rejects.toMatchObject({ kind: 'protocol' });
    const badChunk = await rawServer(['HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n'], true);
    await expect(get(badChunk.url)).rejects.toMatchObject({ kind: 'protocol' });
    const silent = await rawServer([], true);
    await expect(get(silent.url, { idleTimeoutMs: 100 })).rejects.toMatchObject({ kind: 'timeout', message: expect.stringMatching(/^timed out waiting for response headers from 127\.0\.0\.1:\d+$/) });
  });

  it('refuses a header that would split the request, and rejects with the abort reason', async () => {
    const { url, requests } = await rawServer(['HTTP/1.1 200 OK\r\ncontent-length: 1000000\r\n\r\n', Buffer.alloc(1000)], true);
    await expect(get(url, { headers: { 'x-a': 'b\r\nx-injected: 1' } })).rejects.toBeInstanceOf(NetError);
    expect(requests).toEqual([]);
    const controller = new AbortController();
    const reason = new Error('enough');
    let bytes = 0;
    const done = streamGet(transport, new URL(url), { signal: controller.signal, idleTimeoutMs: 5_000 }, { onHead: () => undefined, onBody: (length) => ((bytes += length), controller.abort(reason)) });
    await expect(done).rejects.toBe(reason);
    expect(bytes).toBeGreaterThan(0);
  });

  it('over TLS: trusts the transport CAs, and refuses an untrusted certificate', async () => {
    const ca = await mintCertificateAuthority('stream-get test CA');
    const cert = await mintServerCertificate(ca);
    const server = createHttpsServer({ key: cert.keyPem, cert: cert.certPem }, (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.end(Buffer.alloc(300_000));
    });
    servers.push(server as unknown as Server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `https://127.0.0.1:${(server.address() as { port: number }).port}/big`;
    const trusting = new HttpTransport({ ca: [ca.certPem] });
    try {
      expect(await get(url, {}, trusting)).toMatchObject({ status: 200, bytes: 300_000 });
    } finally {
      await trusting.close();
    }
    await expect(get(url)).rejects.toMatchObject({ kind: 'tls' });
  });
});
