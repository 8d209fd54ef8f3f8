import { DEFAULT_THRESHOLDS, thresholdListSchema } from '../shared/thresholds.js';

const checkIds = { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', minLength: 1, 'x-check-id': true } } as const;

/** The `kpi` type's metadata: everything but its behaviour (read by the registry, the docs and `payready checks`). */
export const meta = {
  name: 'kpi',
  title: 'API KPIs',
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
} as const;
