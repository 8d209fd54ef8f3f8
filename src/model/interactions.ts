import { Histogram, type HistogramJson } from './histogram.js';

/** Why a network operation could not complete, in a form a summary line can name. */
export type NetErrorKind =
  | 'refused'
  | 'dns'
  | 'timeout'
  | 'tls'
  | 'reset'
  | 'closed'
  | 'aborted'
  | 'too-large'
  | 'redirects'
  | 'protocol'
  | 'unreachable'
  | 'other';

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
  /** Wall time from request start to the end of the body, in milliseconds (not rounded). */
  durationMs: number;
  /** Bytes sent in the request body. */
  bytesOut: number;
  /** Bytes received in the response body. */
  bytesIn: number;
  /** Class of network failure when no response arrived (refused, timeout, reset, tls...). */
  error?: NetErrorKind;
  /**
   * The check provoked this outcome on purpose (a decline test card, an over-limit amount, a
   * deliberate client-side timeout): KPIs count it as the API behaving as documented.
   */
  expected?: boolean;
}

/** EndpointStats as JSON: a shard's report keeps one per check and endpoint, so `merge` can judge KPIs over every shard's calls. */
export interface EndpointStatsJson {
  /** Latency histogram. */
  latency: HistogramJson;
  /** Calls recorded. */
  requests: number;
  /** See EndpointStats.successes. */
  successes: number;
  /** See EndpointStats.clientErrors. */
  clientErrors: number;
  /** See EndpointStats.serverErrors. */
  serverErrors: number;
  /** See EndpointStats.networkErrors. */
  networkErrors: number;
  /** Failures by status or network error class. */
  errorCounts: Record<string, number>;
  /** Epoch ms of the first call's start (absent when no call). */
  firstAt?: number;
  /** Epoch ms of the last call's end (absent when no call). */
  lastAt?: number;
}

/** Running totals for one endpoint, one check, or the whole run. */
export class EndpointStats {
  /** Latency of every call except deliberate client-side timeouts (their duration is ours). */
  readonly latency = new Histogram();
  /** Calls recorded. */
  requests = 0;
  /** Complete responses with status < 400 (redirects count as success), plus outcomes the check provoked on purpose. */
  successes = 0;
  /** 4xx responses the check did not expect. */
  clientErrors = 0;
  /** 5xx responses the check did not expect. */
  serverErrors = 0;
  /** Calls that got no response, or lost it mid-body (refused, timeout, reset...), that the check did not expect. */
  networkErrors = 0;
  /** Failures by status (`503`) or network error class (`timeout`), for "12 of 130 calls failed: 503 x10". */
  readonly errorCounts = new Map<string, number>();
  /** Epoch milliseconds of the first call's start. */
  firstAt = Number.POSITIVE_INFINITY;
  /** Epoch milliseconds of the last call's end. */
  lastAt = 0;

  /** Counts one call; `startMs` is the epoch ms of its start (`entry.time`, when it has one). */
  add(entry: Pick<Interaction, 'durationMs'> & Partial<Interaction>, startMs = Date.parse(entry.time ?? '')): void {
    this.requests += 1;
    if (!(entry.expected && entry.status === undefined)) this.latency.record(entry.durationMs);
    if (entry.expected || (entry.error === undefined && entry.status !== undefined && entry.status < 400)) this.successes += 1;
    else if (entry.status === undefined || entry.error !== undefined) {
      this.networkErrors += 1;
      this.countError(entry.error ?? 'no response');
    } else if (entry.status >= 500) {
      this.serverErrors += 1;
      this.countError(String(entry.status));
    } else this.clientErrors += 1;
    if (Number.isFinite(startMs)) {
      if (startMs < this.firstAt) this.firstAt = startMs;
      if (startMs + entry.durationMs > this.lastAt) this.lastAt = startMs + entry.durationMs;
    }
  }

  /** Adds another set of totals (per-check totals merged into an overall view). */
  merge(other: EndpointStats): void {
    this.latency.merge(other.latency);
    this.requests += other.requests;
    this.successes += other.successes;
    this.clientErrors += other.clientErrors;
    this.serverErrors += other.serverErrors;
    this.networkErrors += other.networkErrors;
    for (const [kind, n] of other.errorCounts) this.countError(kind, n);
    this.firstAt = Math.min(this.firstAt, other.firstAt);
    this.lastAt = Math.max(this.lastAt, other.lastAt);
  }

  /** The lossless JSON form. */
  toJSON(): EndpointStatsJson {
    return {
      latency: this.latency.toJSON(),
      requests: this.requests,
      successes: this.successes,
      clientErrors: this.clientErrors,
      serverErrors: this.serverErrors,
      networkErrors: this.networkErrors,
      errorCounts: Object.fromEntries([...this.errorCounts].sort(([a], [b]) => a.localeCompare(b))),
      ...(this.requests > 0 ? { firstAt: this.firstAt, lastAt: this.lastAt } : {}),
    };
  }

  /** Totals from their JSON form. */
  static fromJSON(json: EndpointStatsJson): EndpointStats {
    const stats = new EndpointStats();
    stats.latency.merge(Histogram.fromJSON(json.latency));
    stats.requests = json.requests;
    stats.successes = json.successes;
    stats.clientErrors = json.clientErrors;
    stats.serverErrors = json.serverErrors;
    stats.networkErrors = json.networkErrors;
    for (const [kind, n] of Object.entries(json.errorCounts)) stats.countError(kind, n);
    if (json.firstAt !== undefined) stats.firstAt = json.firstAt;
    if (json.lastAt !== undefined) stats.lastAt = json.lastAt;
    return stats;
  }

  private countError(kind: string, n = 1): void {
    this.errorCounts.set(kind, (this.errorCounts.get(kind) ?? 0) + n);
  }

  /** 5xx responses plus calls without a response: what "error frequency" counts. */
  get errors(): number {
    return this.serverErrors + this.networkErrors;
  }

  /** Wall-clock span from the first call's start to the last call's end, in milliseconds. */
  get spanMs(): number {
    return this.requests === 0 ? 0 : Math.max(0, this.lastAt - this.firstAt);
  }
}

/** Where interaction lines go (a JSONL file writer, already redacting). */
export type InteractionSink = (entry: Interaction) => void;

/** Which checks' calls a KPI view counts. */
export interface InteractionFilter {
  /** Only these check ids (default: every check). */
  include?: readonly string[];
  /** Never these check ids (e.g. a synthetic load phase). */
  exclude?: readonly string[];
}

/** Aggregates over the calls a filter selects. */
export interface InteractionView {
  /** Every selected call. */
  overall: EndpointStats;
  /** Selected calls per `METHOD /endpoint/template`, sorted by key. */
  endpoints: Map<string, EndpointStats>;
  /** Check ids that made at least one selected call. */
  checks: string[];
}

/**
 * Records every API call of a run. Lines are streamed to the sinks (the JSONL log); only
 * aggregates are kept in memory, per check and endpoint, so a 100,000-request load phase does not
 * grow the heap and a KPI can leave chosen checks out.
 */
export class InteractionLog {
  /** Every call of the run. */
  readonly overall = new EndpointStats();
  private readonly byCheck = new Map<string, Map<string, EndpointStats>>();
  private readonly sinks: InteractionSink[] = [];
  // A load phase records the same check and endpoint thousands of times: skip the lookups then.
  private last: { checkId: string; method: string; endpoint: string; stats: EndpointStats } | undefined;

  /** Adds a consumer of every recorded line. */
  pipe(sink: InteractionSink): void {
    this.sinks.push(sink);
  }

  record(entry: Interaction): void {
    const startMs = Date.parse(entry.time);
    this.overall.add(entry, startMs);
    const last = this.last;
    if (last && last.checkId === entry.checkId && last.endpoint === entry.endpoint && last.method === entry.method) last.stats.add(entry, startMs);
    else {
      let endpoints = this.byCheck.get(entry.checkId);
      if (!endpoints) {
        endpoints = new Map();
        this.byCheck.set(entry.checkId, endpoints);
      }
      const stats = statsFor(endpoints, `${entry.method} ${entry.endpoint}`);
      stats.add(entry, startMs);
      this.last = { checkId: entry.checkId, method: entry.method, endpoint: entry.endpoint, stats };
    }
    for (const sink of this.sinks) sink(entry);
  }

  /** Totals per check and `METHOD /endpoint/template`, as JSON (what a shard's report keeps for `merge`). */
  toJSON(checks?: ReadonlySet<string>): Record<string, Record<string, EndpointStatsJson>> {
    const out: Record<string, Record<string, EndpointStatsJson>> = {};
    for (const [checkId, endpoints] of [...this.byCheck].sort(([a], [b]) => a.localeCompare(b))) {
      if (checks && !checks.has(checkId)) continue;
      out[checkId] = Object.fromEntries([...endpoints].sort(([a], [b]) => a.localeCompare(b)).map(([key, stats]) => [key, stats.toJSON()]));
    }
    return out;
  }

  /**
   * Adds the totals another run kept for one check and endpoint (a shard's report), as if its
   * calls had been recorded here; nothing goes to the sinks (the lines are in that run's log).
   */
  absorb(checkId: string, key: string, stats: EndpointStats): void {
    let endpoints = this.byCheck.get(checkId);
    if (!endpoints) {
      endpoints = new Map();
      this.byCheck.set(checkId, endpoints);
    }
    statsFor(endpoints, key).merge(stats);
    this.overall.merge(stats);
    this.last = undefined;
  }

  /** Stats per `METHOD /endpoint/template` over the whole run. */
  endpoints(): ReadonlyMap<string, EndpointStats> {
    return this.view().endpoints;
  }

  /** Stats of the calls one check made. */
  forCheck(checkId: string): EndpointStats | undefined {
    const endpoints = this.byCheck.get(checkId);
    if (!endpoints) return undefined;
    const total = new EndpointStats();
    for (const stats of endpoints.values()) total.merge(stats);
    return total;
  }

  /** Aggregates over the calls of the checks `filter` selects. */
  view(filter: InteractionFilter = {}): InteractionView {
    const include = filter.include ? new Set(filter.include) : undefined;
    const exclude = new Set(filter.exclude ?? []);
    const overall = new EndpointStats();
    const endpoints = new Map<string, EndpointStats>();
    const checks: string[] = [];
    for (const [checkId, perEndpoint] of this.byCheck) {
      if ((include && !include.has(checkId)) || exclude.has(checkId)) continue;
      checks.push(checkId);
      for (const [key, stats] of perEndpoint) {
        overall.merge(stats);
        statsFor(endpoints, key).merge(stats);
      }
    }
    return { overall, endpoints: new Map([...endpoints].sort(([a], [b]) => a.localeCompare(b))), checks };
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
