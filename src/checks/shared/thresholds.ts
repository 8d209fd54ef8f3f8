import { THRESHOLD } from '../../model/patterns.js';
import type { EndpointStats } from '../../model/interactions.js';
import { assertion } from '../../model/operators.js';
import type { JsonSchema } from '../types.js';
import type { Assertion, Measurement, Operator } from '../../model/outcome.js';
import { plural } from '../../text.js';

/**
 * KPI thresholds, k6-style: `p95 < 300ms`, `errorRate < 1%`, `successRate > 99%`. One grammar
 * (the THRESHOLD pattern, so a bad expression is a located suite error at load time) shared by
 * the `kpi` and `load` check types.
 */

/** What a threshold measures. */
export type MetricKind = 'latency' | 'rate' | 'count' | 'throughput';

/** A parsed threshold. */
export interface Threshold {
  /** The expression as written. */
  source: string;
  /** Metric name as written, normalised: `p95`, `p99.9`, `avg`, `errorRate`, `rps`... */
  metric: string;
  /** Kind of metric (decides the unit). */
  kind: MetricKind;
  /** Comparison. */
  operator: Operator;
  /** The limit in the metric's unit: ms, percent, count, requests per second. */
  limit: number;
}

/**
 * Thresholds `kpi` and `load` apply when a suite gives none: a payments API should fail almost
 * never, answer nearly every call as intended, and keep p95 under half a second (the `slow-api`
 * fault puts it at 2.5 s).
 */
export const DEFAULT_THRESHOLDS: readonly string[] = ['errorRate < 1%', 'successRate > 99%', 'p95 < 500ms'];

/** JSON Schema of one threshold expression (`as const`, so a type's params can be typed from it). */
export const thresholdSchema = {
  type: 'string',
  pattern: THRESHOLD,
  description: 'A k6-style threshold: "p95 < 300ms", "p(99) <= 1s", "errorRate < 1%", "successRate > 99%", "requests >= 100", "rps > 500".',
} as const satisfies JsonSchema;

/** JSON Schema of a list of thresholds. */
export const thresholdListSchema = { type: 'array', minItems: 1, items: thresholdSchema } as const satisfies JsonSchema;

const OPERATORS: Record<string, Operator> = { '<': 'lt', '<=': 'le', '>': 'gt', '>=': 'ge', '==': 'eq', '!=': 'ne' };
const WORDS: Partial<Record<Operator, string>> = { lt: 'below', le: 'at most', gt: 'above', ge: 'at least', eq: 'equal to', ne: 'different from' };
const SYMBOL: Record<string, string> = { lt: '<', le: '<=', gt: '>', ge: '>=', eq: '==', ne: '!=' };
const THRESHOLD_RE = new RegExp(THRESHOLD, 'u');

/** Parses one expression; throws with a sentence when it does not follow the grammar. */
export function parseThreshold(source: string): Threshold {
  if (!THRESHOLD_RE.test(source)) throw new Error(`invalid threshold "${source}": expected e.g. "p95 < 300ms" or "errorRate < 1%"`);
  const [, rawMetric = '', op = '', number = '', unit = ''] = /^\s*([A-Za-z]+\(?[0-9.]*\)?)\s*(<=|>=|==|!=|<|>)\s*([0-9.]+)\s*(%|us|ms|s|\/s)?\s*$/u.exec(source) ?? [];
  const metric = rawMetric.replace(/^p\(([0-9.]+)\)$/, 'p$1');
  const value = Number(number);
  const operator = OPERATORS[op] ?? 'lt';
  if (metric === 'errorRate' || metric === 'successRate') return { source, metric, kind: 'rate', operator, limit: unit === '%' ? value : value * 100 };
  if (metric === 'requests' || metric === 'errors') return { source, metric, kind: 'count', operator, limit: value };
  if (metric === 'rps') return { source, metric, kind: 'throughput', operator, limit: value };
  const ms = unit === 's' ? value * 1000 : unit === 'us' ? value / 1000 : value;
  return { source, metric: metric === 'mean' ? 'avg' : metric, kind: 'latency', operator, limit: ms };
}

/** The value of `metric` over `stats`, in the metric's unit; `spanMs` is the phase length for rps. */
export function metricValue(stats: EndpointStats, metric: string, spanMs = stats.spanMs): number {
  const total = stats.requests;
  switch (metric) {
    case 'errorRate':
      return total === 0 ? 0 : (stats.errors / total) * 100;
    case 'successRate':
      return total === 0 ? 0 : (stats.successes / total) * 100;
    case 'requests':
      return total;
    case 'errors':
      return stats.errors;
    case 'rps':
      return spanMs > 0 ? total / (spanMs / 1000) : 0;
    case 'avg':
      return stats.latency.mean;
    case 'min':
      return stats.latency.min;
    case 'max':
      return stats.latency.max;
    case 'med':
      return stats.latency.percentile(50);
    default:
      return stats.latency.percentile(Number(metric.slice(1)));
  }
}

/** "12.3 ms", "0.75%", "1,234 req/s", "42". */
export function formatMetric(kind: MetricKind, value: number): string {
  if (kind === 'latency') return value >= 1000 ? `${Number((value / 1000).toFixed(2))} s` : `${Number(value.toFixed(value >= 100 ? 0 : value >= 1 ? 1 : 3))} ms`;
  if (kind === 'rate') return `${Number(value.toFixed(2))}%`;
  if (kind === 'throughput') return `${Math.round(value).toLocaleString('en-US')} req/s`;
  return Math.round(value).toLocaleString('en-US');
}

/** One assertion per threshold over `stats`, named `<scope> <metric>`, with a sentence on failure. */
export function evaluateThresholds(thresholds: readonly Threshold[], stats: EndpointStats, scope: string, spanMs?: number): Assertion[] {
  return thresholds.map((t) => {
    const actual = round(metricValue(stats, t.metric, spanMs));
    const message = `${scope} ${t.metric} is ${formatMetric(t.kind, actual)}, not ${WORDS[t.operator] ?? t.operator} ${formatMetric(t.kind, t.limit)}${t.kind === 'rate' || t.metric === 'errors' ? errorDetail(stats) : ''}`;
    return assertion(`${scope} ${t.metric}`, t.operator, t.limit, actual, message);
  });
}

/** "p95 12.3 ms < 300 ms": a passed threshold, for a summary line. */
export function describePassed(t: Threshold, stats: EndpointStats, spanMs?: number): string {
  return `${t.metric} ${formatMetric(t.kind, metricValue(stats, t.metric, spanMs))} ${SYMBOL[t.operator] ?? ''} ${formatMetric(t.kind, t.limit)}`;
}

/** The usual numbers of a set of calls, as measurements named `<scope> <metric>`. */
export function statsMeasurements(stats: EndpointStats, scope: string, spanMs?: number): Measurement[] {
  const prefix = scope ? `${scope} ` : '';
  const out: Measurement[] = [
    { name: `${prefix}requests`, value: stats.requests, unit: 'count' },
    { name: `${prefix}successRate`, value: round(metricValue(stats, 'successRate')), unit: '%' },
    { name: `${prefix}errorRate`, value: round(metricValue(stats, 'errorRate')), unit: '%' },
  ];
  for (const metric of ['p50', 'p90', 'p95', 'p99', 'max', 'avg']) out.push({ name: `${prefix}${metric}`, value: round(metricValue(stats, metric)), unit: 'ms' });
  if (spanMs !== undefined) out.push({ name: `${prefix}rps`, value: round(metricValue(stats, 'rps', spanMs)), unit: 'req/s' });
  return out;
}

/** " (12 of 130 calls failed: 503 x10, timeout x2)". */
function errorDetail(stats: EndpointStats): string {
  if (stats.errors === 0) return '';
  const kinds = [...stats.errorCounts].sort(([, a], [, b]) => b - a).map(([kind, n]) => `${kind} x${n}`);
  return ` (${stats.errors} of ${plural(stats.requests, 'call')} failed: ${kinds.join(', ')})`;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
