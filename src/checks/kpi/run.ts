import type { EndpointStats } from '../../model/interactions.js';
import { describeFailure } from '../../model/operators.js';
import type { Assertion, Measurement, Outcome } from '../../model/outcome.js';
import { closest, plural } from '../../text.js';
import { messenger } from '../shared/messages.js';
import { describePassed, evaluateThresholds, metricValue, parseThreshold, statsMeasurements, type Threshold } from '../shared/thresholds.js';
import type { CheckContext, ParamsOf } from '../types.js';
import { messages } from './messages.js';
import type { meta } from './meta.js';

type Params = ParamsOf<typeof meta.schema>;

const say = messenger(messages);

/** Judges the calls the run's other checks made (as the interaction log recorded them) against the thresholds. */
export async function run(params: Params, ctx: CheckContext): Promise<Outcome> {
  let overallThresholds: Threshold[];
  let perEndpoint: Threshold[];
  let named: [string, Threshold[]][];
  try {
    overallThresholds = params.thresholds.map(parseThreshold);
    perEndpoint = (params.perEndpoint ?? []).map(parseThreshold);
    named = Object.entries(params.endpoints ?? {}).map(([endpoint, list]) => [endpoint, list.map(parseThreshold)]);
  } catch (err) {
    return say.outcome('error', 'invalidThreshold', { cause: (err as Error).message });
  }
  const view = ctx.interactions.view({ ...(params.checks ? { include: params.checks } : {}), exclude: [...(params.exclude ?? []), ctx.checkId] });
  if (view.overall.requests < params.minRequests) {
    return say.outcome('error', 'tooFewCalls', { calls: plural(view.overall.requests, 'API call'), requests: view.overall.requests, by: params.checks ? ` by ${params.checks.join(', ')}` : '', min: params.minRequests });
  }

  const assertions: Assertion[] = evaluateThresholds(overallThresholds, view.overall, 'overall');
  for (const [endpoint, stats] of view.endpoints) assertions.push(...evaluateThresholds(perEndpoint, stats, endpoint));
  for (const [endpoint, list] of named) {
    const stats = view.endpoints.get(endpoint);
    if (!stats) {
      const recorded = [...view.endpoints.keys()];
      return say.outcome('error', 'endpointNotCalled', { endpoint, suggestion: suggest(endpoint, recorded), recorded: recorded.join(', ') || 'none' }, { measurements: statsMeasurements(view.overall, 'overall') });
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
  const rest = {
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
  if (failed.length > 0) {
    return say.outcome('fail', 'missed', { first: describeFailure(failed[0]!), more: failed.length > 1 ? ` (and ${failed.length - 1} more)` : '', threshold: failed[0]!.name, broken: failed.length }, rest);
  }
  const met = overallThresholds.map((t) => describePassed(t, view.overall)).join(', ');
  const endpoints = perEndpoint.length + named.length > 0 ? `; ${plural(view.endpoints.size, 'endpoint')} within their thresholds` : '';
  return say.outcome('pass', 'met', { calls, met, endpoints, requests: view.overall.requests }, rest);
}

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
