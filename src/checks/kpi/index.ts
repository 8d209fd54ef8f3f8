import { describeFailure } from '../../model/operators.js';
import { DEFAULT_THRESHOLDS, describePassed, evaluateThresholds, metricValue, parseThreshold, statsMeasurements, thresholdListSchema, type Threshold } from '../shared/thresholds.js';
import { legacyCheck } from '../types.js';
import type { Assertion, Measurement, Outcome } from '../../model/outcome.js';
import type { EndpointStats } from '../../model/interactions.js';
import { closest, plural } from '../../text.js';

/** Parameters of the `kpi` check type. */
export interface KpiParams {
  /** Thresholds over every selected call. */
  thresholds?: string[];
  /** Thresholds every endpoint must meet on its own. */
  perEndpoint?: string[];
  /** Thresholds for named endpoints (`METHOD /path/{id}`). */
  endpoints?: Record<string, string[]>;
  /** Only the calls of these checks count (default: every check). */
  checks?: string[];
  /** The calls of these checks do not count (e.g. a synthetic load phase). */
  exclude?: string[];
  /** Fewer calls than this cannot be judged: the check ends as error. */
  minRequests: number;
}

const checkIds = { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', minLength: 1, 'x-check-id': true } } as const;

export default legacyCheck<KpiParams>({
  name: 'kpi',
  description: 'KPIs over the run\'s logged API interactions, after every other check: success rate, error frequency and p50/p95/p99 latency against k6-style thresholds, overall and per endpoint.',
  // KPIs measured over the run's calls. Whether the team's own system logs every API call (3.2.a)
  // is not visible from here: payready's interaction log is its own.
  items: ['3.2.b'],
  runsLast: true,
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      thresholds: { ...thresholdListSchema, default: [...DEFAULT_THRESHOLDS], description: 'Thresholds over all selected calls, e.g. ["p95 < 300ms", "errorRate < 1%"].' },
      perEndpoint: { ...thresholdListSchema, description: 'Thresholds each endpoint (METHOD /path/{id}) must meet on its own.' },
      endpoints: {
        type: 'object',
        propertyNames: { type: 'string', pattern: '^[A-Z]+ /\\S*$' },
        additionalProperties: thresholdListSchema,
        description: 'Thresholds for named endpoints, e.g. "POST /v1/payments": ["p99 < 1s"]; ids in paths are written {id}.',
      },
      checks: { ...checkIds, description: 'Only the calls these checks made count (default: every check of the run).' },
      exclude: { ...checkIds, description: 'The calls these checks made do not count, e.g. a load phase (load checks run last too: to count one, put it under needs: instead).' },
      minRequests: { type: 'integer', minimum: 1, default: 1, description: 'Fewer selected calls than this: error (nothing to judge).' },
    },
  },
  values: {
    requests: 'number of calls judged',
    successRate: 'share of calls answered below 400 or as the check intended, in %',
    errorRate: 'share of calls that got a 5xx or no response, in %',
    p95: 'overall p95 latency in ms',
    endpoints: 'per endpoint: requests, successRate, errorRate, p50, p95, p99 (ms)',
  },
  example: { thresholds: ['p95 < 300ms', 'errorRate < 1%', 'successRate > 99%'], perEndpoint: ['p99 < 1s'], exclude: ['api-load'] },

  async run(params, ctx): Promise<Outcome> {
    let overallThresholds: Threshold[];
    let perEndpoint: Threshold[];
    let named: [string, Threshold[]][];
    try {
      overallThresholds = (params.thresholds ?? DEFAULT_THRESHOLDS).map(parseThreshold);
      perEndpoint = (params.perEndpoint ?? []).map(parseThreshold);
      named = Object.entries(params.endpoints ?? {}).map(([endpoint, list]) => [endpoint, list.map(parseThreshold)]);
    } catch (err) {
      return { status: 'error', summary: (err as Error).message };
    }
    const view = ctx.interactions.view({ ...(params.checks ? { include: params.checks } : {}), exclude: [...(params.exclude ?? []), ctx.checkId] });
    const minRequests = params.minRequests ?? 1;
    if (view.overall.requests < minRequests) {
      return {
        status: 'error',
        summary: `only ${plural(view.overall.requests, 'API call')} recorded${params.checks ? ` by ${params.checks.join(', ')}` : ''}, at least ${minRequests} needed to judge KPIs`,
      };
    }

    const assertions: Assertion[] = evaluateThresholds(overallThresholds, view.overall, 'overall');
    for (const [endpoint, stats] of view.endpoints) assertions.push(...evaluateThresholds(perEndpoint, stats, endpoint));
    for (const [endpoint, list] of named) {
      const stats = view.endpoints.get(endpoint);
      if (!stats) {
        return {
          status: 'error',
          summary: `no call to ${endpoint} was recorded${suggest(endpoint, [...view.endpoints.keys()])} (recorded endpoints: ${[...view.endpoints.keys()].join(', ') || 'none'})`,
          measurements: statsMeasurements(view.overall, 'overall'),
        };
      }
      assertions.push(...evaluateThresholds(list, stats, endpoint));
    }

    const measurements: Measurement[] = statsMeasurements(view.overall, 'overall');
    for (const [endpoint, stats] of view.endpoints) {
      measurements.push({ name: `${endpoint} requests`, value: stats.requests, unit: 'count' }, { name: `${endpoint} p95`, value: metricValue(stats, 'p95'), unit: 'ms' });
    }
    const table = endpointTable(view.endpoints);
    const failed = assertions.filter((a) => !a.passed);
    const calls = `${plural(view.overall.requests, 'call')} by ${plural(view.checks.length, 'check')}`;
    return {
      status: failed.length === 0 ? 'pass' : 'fail',
      summary:
        failed.length === 0
          ? `${calls}: ${overallThresholds.map((t) => describePassed(t, view.overall)).join(', ')}${perEndpoint.length + named.length > 0 ? `; ${plural(view.endpoints.size, 'endpoint')} within their thresholds` : ''}`
          : `${describeFailure(failed[0]!)}${failed.length > 1 ? ` (and ${failed.length - 1} more)` : ''}`,
      assertions,
      measurements,
      artifacts: [{ name: 'kpis.json', mediaType: 'application/json', description: `KPIs over ${calls}, overall and per endpoint`, data: `${JSON.stringify({ overall: row(view.overall), checks: view.checks, endpoints: table }, null, 2)}\n` }],
      values: {
        requests: view.overall.requests,
        successRate: metricValue(view.overall, 'successRate'),
        errorRate: metricValue(view.overall, 'errorRate'),
        p95: metricValue(view.overall, 'p95'),
        endpoints: table,
      },
    };
  },
});

function suggest(endpoint: string, known: string[]): string {
  const near = closest(endpoint, known);
  return near ? `: did you mean "${near}"?` : '';
}

function row(stats: EndpointStats): Record<string, number> {
  const out: Record<string, number> = { requests: stats.requests };
  for (const metric of ['successRate', 'errorRate', 'p50', 'p95', 'p99', 'max']) out[metric] = Math.round(metricValue(stats, metric) * 1000) / 1000;
  return out;
}

function endpointTable(endpoints: ReadonlyMap<string, EndpointStats>): Record<string, Record<string, number>> {
  return Object.fromEntries([...endpoints].map(([endpoint, stats]) => [endpoint, row(stats)]));
}
