import { createServer, type RequestListener, type Server } from 'node:http';
import { afterFile } from '../support/after-file.js';

/**
 * Small real HTTP servers on loopback for behaviours the sandbox does not have (a 429 without
 * Retry-After, a limit that never lifts, headers of other web servers). Closed after the file.
 */
const servers: Server[] = [];

afterFile(async () => {
  await Promise.all(
    servers.splice(0).map((s) => {
      const closed = new Promise<void>((resolve) => s.close(() => resolve()));
      s.closeAllConnections();
      return closed;
    }),
  );
});

/** Starts `listener` on a free loopback port; resolves with its base URL. */
export async function httpServer(listener: RequestListener): Promise<string> {
  const server = createServer(listener);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}
