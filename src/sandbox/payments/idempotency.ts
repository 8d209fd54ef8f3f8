import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FaultSet } from '../faults.js';
import { ProblemError, type Reply } from '../respond.js';

/** Request header carrying the client's key (draft-ietf-httpapi-idempotency-key-header). */
export const IDEMPOTENCY_HEADER = 'idempotency-key';
/** Response header marking a stored response sent again. */
export const REPLAYED_HEADER = 'idempotent-replayed';
/** How long a key is remembered. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** Longest key accepted. */
const MAX_KEY_LENGTH = 255;

interface StoredResponse {
  fingerprint: string;
  reply: Reply;
  storedAt: number;
}

/**
 * Remembers the response to each `Idempotency-Key` (per client) for 24 hours: the same key with
 * the same request gets the same response again (nothing is charged twice); the same key with a
 * different request is refused with 422. Bounded like the payment store. Only final answers are
 * stored: a 5xx, or a request refused before it was processed, may be retried with the same key.
 */
export class IdempotencyStore {
  private readonly entries = new Map<string, StoredResponse>();
  private readonly inFlight = new Set<string>();

  constructor(
    private readonly faults: FaultSet,
    private readonly capacity = 100_000,
  ) {}

  /**
   * Runs `handle` at most once per key and request. `body` is the parsed request body (compared
   * by content, so member order does not matter); requests without the header run every time.
   */
  async run(req: IncomingMessage, clientId: string, body: unknown, handle: () => Promise<Reply> | Reply): Promise<Reply> {
    const key = keyOf(req);
    // Unless a fault ignores the header (`no-idempotency`): then a retried request is processed again.
    if (key === undefined || this.faults.on('idempotencyOff')) return handle();
    const scoped = `${clientId}\u0000${key}`;
    const fingerprint = fingerprintOf(req, body);
    const stored = this.entries.get(scoped);
    if (stored && Date.now() - stored.storedAt < IDEMPOTENCY_TTL_MS) {
      if (stored.fingerprint !== fingerprint) {
        throw new ProblemError({
          status: 422,
          code: 'idempotency_key_reused',
          title: 'Idempotency key reused',
          detail: 'This Idempotency-Key was already used with a different request; send a new key for a new request.',
        });
      }
      return { ...stored.reply, headers: { ...stored.reply.headers, [REPLAYED_HEADER]: 'true' } };
    }
    if (this.inFlight.has(scoped)) {
      throw new ProblemError({
        status: 409,
        code: 'idempotency_key_in_use',
        title: 'Request in progress',
        detail: 'A request with this Idempotency-Key is still being processed; retry after it has finished.',
        headers: { 'retry-after': '1' },
      });
    }
    this.inFlight.add(scoped);
    try {
      const reply = await handle();
      if (isFinal(reply.status)) this.remember(scoped, { fingerprint, reply, storedAt: Date.now() });
      return reply;
    } finally {
      this.inFlight.delete(scoped);
    }
  }

  private remember(key: string, entry: StoredResponse): void {
    this.entries.delete(key);
    if (this.entries.size >= this.capacity) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, entry);
  }
}

/** Success, and declines (the issuer's answer is final), are stored; refusals before processing are not. */
function isFinal(status: number): boolean {
  return status < 400 || status === 402;
}

function keyOf(req: IncomingMessage): string | undefined {
  const raw = req.headers[IDEMPOTENCY_HEADER];
  const key = Array.isArray(raw) ? raw[0] : raw;
  if (key === undefined) return undefined;
  if (key.length === 0 || key.length > MAX_KEY_LENGTH || !/^[\x21-\x7e]+$/.test(key)) {
    throw new ProblemError({
      status: 400,
      code: 'invalid_idempotency_key',
      title: 'Invalid idempotency key',
      detail: `The Idempotency-Key header must be 1 to ${MAX_KEY_LENGTH} visible ASCII characters, e.g. a UUID.`,
    });
  }
  return key;
}

function fingerprintOf(req: IncomingMessage, body: unknown): string {
  return createHash('sha256')
    .update(`${req.method ?? ''} ${(req.url ?? '').split('?')[0] ?? ''}\n${canonicalJson(body)}`)
    .digest('hex');
}

/** JSON with object members sorted, so `{a,b}` and `{b,a}` fingerprint alike. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
