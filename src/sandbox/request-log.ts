import { createWriteStream, type WriteStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { maskPan } from '../scan/cards.js';
import type { OrderPlans } from './control/orders.js';
import type { FaultSet } from './faults.js';

/** One line of the request log (JSON Lines). */
export interface RequestLogLine {
  /** ISO time the request arrived. */
  time: string;
  /** HTTP method. */
  method: string;
  /** Path without the query (queries may carry anything). */
  path: string;
  /** Status sent. */
  status: number;
  /** Milliseconds from arrival to the response being handed to the socket. */
  ms: number;
  /** The card charged: first six/last four, or the full number under the `pan-in-logs` fault. */
  card?: string;
  /** The order the request was tagged with (control API), when known. */
  order?: string;
  /** The request's `Idempotency-Key` header, when it had one. */
  idempotencyKey?: string;
}

interface Pending {
  /** When the request arrived (monotonic ms and wall time). */
  started: number;
  time: string;
  /** The card to log, already masked unless the fault is on. */
  card?: string;
  /** The line is on disk already. */
  written: boolean;
}

/**
 * The sandbox's access log, one JSON line per API request, in its state folder: what the
 * `pan-scan` check reads. Card numbers are logged as first six/last four, as PCI DSS requires; the
 * `pan-in-logs` fault logs them whole, the mistake the check exists to catch.
 */
export class RequestLog {
  private readonly stream: WriteStream;
  private readonly pending = new WeakMap<IncomingMessage, Pending>();
  private failed = false;

  constructor(
    /** The log file (appended to). */
    readonly path: string,
    private readonly faults: FaultSet,
    /** Where the order a request was tagged with is kept. */
    private readonly orders?: OrderPlans,
  ) {
    this.stream = createWriteStream(path, { flags: 'a', mode: 0o600 });
    // A full disk must not take the sandbox down: the log stops, the API goes on.
    this.stream.on('error', () => {
      this.failed = true;
    });
  }

  /** Starts tracking a request (call when it arrives). */
  begin(req: IncomingMessage): void {
    this.pending.set(req, { started: performance.now(), time: new Date().toISOString(), written: false });
  }

  /** Records the card a request charged (handlers call this once the number is valid). */
  noteCard(req: IncomingMessage, digits: string): void {
    const entry = this.pending.get(req);
    if (entry) entry.card = this.faults.on('fullPanInLog') ? digits : maskPan(digits);
  }

  /**
   * Before a reply is sent: a request that carried a card is written now and awaited, so anyone
   * who has the response can already read its line (the demo scans the log right after paying).
   */
  async beforeReply(req: IncomingMessage, status: number): Promise<void> {
    const entry = this.pending.get(req);
    if (!entry?.card || this.failed) return;
    entry.written = true;
    await new Promise<void>((resolve) => this.stream.write(this.line(req, entry, status), () => resolve()));
  }

  /** After the response went out: every other request is written without waiting. */
  finish(req: IncomingMessage, res: ServerResponse): void {
    const entry = this.pending.get(req);
    if (!entry || entry.written || this.failed) return;
    entry.written = true;
    this.stream.write(this.line(req, entry, res.statusCode));
  }

  /** Flushes and closes the file. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.stream.closed || this.failed) return resolve();
      this.stream.end(() => resolve());
    });
  }

  private line(req: IncomingMessage, entry: Pending, status: number): string {
    const target = req.url ?? '/';
    const query = target.indexOf('?');
    const order = this.orders?.orderOf(req);
    const rawKey = req.headers['idempotency-key'];
    const idempotencyKey = Array.isArray(rawKey) ? rawKey[0] : rawKey;
    const line: RequestLogLine = {
      time: entry.time,
      method: req.method ?? 'GET',
      path: query === -1 ? target : target.slice(0, query),
      status,
      ms: Math.round((performance.now() - entry.started) * 1000) / 1000,
      ...(entry.card ? { card: entry.card } : {}),
      ...(order === undefined ? {} : { order }),
      ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
    };
    return `${JSON.stringify(line)}\n`;
  }
}
