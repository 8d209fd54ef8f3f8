import { Histogram } from './histogram.js';
import type { NetErrorKind } from '../net/errors.js';

/** One API call made during a run (one JSONL line of the interaction log). */
export interface Interaction {
  /** ISO time the request started. */
  time: string;
  /** Check that made the call. */
  checkId: string;
  /** HTTP method. */
  method: string;
  /** Full URL, redacted. */
  url: string;
  /** URL template (ids and query values replaced), used to group KPIs per endpoint. */
  endpoint: string;
  /** HTTP status; absent when no response arrived. */
  status?: number;
  /** Wall time from request start to the end of the body, in milliseconds. */
  durationMs: number;
  /** Bytes sent in the request body. */
  bytesOut: number;
  /** Bytes received in the response body. */
  bytesIn: number;
  /** Class of network failure when no response arrived. */
  error?: NetErrorKind;
}

/** Running totals for one endpoint (or the whole run). */
export class EndpointStats {
  readonly latency = new Histogram();
  requests = 0;
  /** Responses with status < 400 (redirects count as success). */
  successes = 0;
  /** 4xx responses. */
  clientErrors = 0;
  /** 5xx responses. */
  serverErrors = 0;
  /** Calls that got no response (refused, timeout, reset...). */
  networkErrors = 0;

  add(entry: Interaction): void {
    this.requests += 1;
    this.latency.record(entry.durationMs);
    if (entry.status === undefined) this.networkErrors += 1;
    else if (entry.status >= 500) this.serverErrors += 1;
    else if (entry.status >= 400) this.clientErrors += 1;
    else this.successes += 1;
  }
}

/** Where interaction lines go (a JSONL file writer, already redacting). */
export type InteractionSink = (entry: Interaction) => void;

/**
 * Records every API call of a run. Lines are streamed to the sink (the JSONL log); only aggregates
 * are kept in memory, so a 100,000-request load phase does not grow the heap.
 */
export class InteractionLog {
  readonly overall = new EndpointStats();
  private readonly perEndpoint = new Map<string, EndpointStats>();
  private readonly perCheck = new Map<string, EndpointStats>();
  private readonly sinks: InteractionSink[] = [];

  /** Adds a consumer of every recorded line. */
  pipe(sink: InteractionSink): void {
    this.sinks.push(sink);
  }

  record(entry: Interaction): void {
    this.overall.add(entry);
    statsFor(this.perEndpoint, `${entry.method} ${entry.endpoint}`).add(entry);
    statsFor(this.perCheck, entry.checkId).add(entry);
    for (const sink of this.sinks) sink(entry);
  }

  /** Stats per `METHOD /endpoint/template`. */
  endpoints(): ReadonlyMap<string, EndpointStats> {
    return this.perEndpoint;
  }

  /** Stats of the calls one check made. */
  forCheck(checkId: string): EndpointStats | undefined {
    return this.perCheck.get(checkId);
  }
}

function statsFor(map: Map<string, EndpointStats>, key: string): EndpointStats {
  let stats = map.get(key);
  if (!stats) {
    stats = new EndpointStats();
    map.set(key, stats);
  }
  return stats;
}

const ID_SEGMENT = /^(?:\d+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[A-Za-z]+_[A-Za-z0-9]{6,}|[A-Za-z0-9_-]{20,})$/;

/** `https://h/v1/payments/pay_8f3a91c2?x=1` -> `/v1/payments/{id}`: groups KPIs per endpoint. */
export function endpointTemplate(url: string): string {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return url;
  }
  return path
    .split('/')
    .map((segment) => (ID_SEGMENT.test(segment) ? '{id}' : segment))
    .join('/');
}
