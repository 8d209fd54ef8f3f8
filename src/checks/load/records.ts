import type { NetErrorKind } from '../../model/interactions.js';

/** One request of a load phase, as kept until it is recorded. */
export interface LoadRecord {
  /** Epoch milliseconds of the start (not rounded). */
  startMs: number;
  /** Milliseconds from start to the end of the answer (not rounded). */
  durationMs: number;
  /** HTTP status; absent when no answer came. */
  status?: number;
  /** Bytes of the answer's body. */
  bytesIn: number;
  /** Class of network failure. */
  error?: NetErrorKind;
}

/** Records per chunk: 4,096 x 33 bytes. */
const CHUNK = 4096;

/** A chunk of records, column by column (no object per request). */
class Chunk {
  readonly startMs = new Float64Array(CHUNK);
  readonly durationMs = new Float64Array(CHUNK);
  readonly bytesIn = new Float64Array(CHUNK);
  /** 0: no status. */
  readonly status = new Uint16Array(CHUNK);
  /** 0: no error; else 1 + index in `RecordQueue.kinds`. */
  readonly error = new Uint8Array(CHUNK);
  /** Records written. */
  end = 0;
  /** Records taken. */
  start = 0;
}

/**
 * The requests of a load phase waiting to be recorded, first in first out, in about 33 bytes
 * each. Recording a request (an interaction-log line, redacted and serialised: about 5 us, a
 * tenth of what the load check spends on a request) is put off until the phase has ended, so the
 * phase measures the endpoint and not the bookkeeping. Memory stays bounded: once `capacity`
 * requests wait, each new one pushes the oldest out to be recorded at once, and the log keeps
 * the requests' order.
 */
export class RecordQueue {
  private readonly chunks: Chunk[] = [];
  private readonly kinds: NetErrorKind[] = [];
  private waiting = 0;

  constructor(
    /** Most requests kept waiting; 0 after `drain()`. */
    private capacity: number,
    /** Records one request (called in the order requests were added). */
    private readonly record: (entry: LoadRecord) => void,
  ) {}

  /** Requests waiting. */
  get size(): number {
    return this.waiting;
  }

  /** Adds a request; past `capacity`, the oldest is recorded now. */
  add(startMs: number, durationMs: number, status: number | undefined, bytesIn: number, error: NetErrorKind | undefined): void {
    let tail = this.chunks[this.chunks.length - 1];
    if (!tail || tail.end === CHUNK) {
      tail = new Chunk();
      this.chunks.push(tail);
    }
    const i = tail.end++;
    tail.startMs[i] = startMs;
    tail.durationMs[i] = durationMs;
    tail.bytesIn[i] = bytesIn;
    tail.status[i] = status ?? 0;
    tail.error[i] = error === undefined ? 0 : this.kindCode(error);
    this.waiting += 1;
    if (this.waiting > this.capacity) this.recordOldest();
  }

  /** Records every waiting request, oldest first; a request added later is recorded at once. */
  drain(): void {
    this.capacity = 0;
    while (this.waiting > 0) this.recordOldest();
  }

  private recordOldest(): void {
    const head = this.chunks[0]!;
    const i = head.start++;
    const code = head.error[i]!;
    const status = head.status[i]!;
    const entry: LoadRecord = { startMs: head.startMs[i]!, durationMs: head.durationMs[i]!, bytesIn: head.bytesIn[i]! };
    if (status !== 0) entry.status = status;
    if (code !== 0) entry.error = this.kinds[code - 1]!;
    this.waiting -= 1;
    if (head.start === head.end && head.end === CHUNK) this.chunks.shift();
    else if (head.start === head.end && this.chunks.length === 1) head.start = head.end = 0;
    this.record(entry);
  }

  private kindCode(kind: NetErrorKind): number {
    let index = this.kinds.indexOf(kind);
    if (index === -1) index = this.kinds.push(kind) - 1;
    return index + 1;
  }
}
