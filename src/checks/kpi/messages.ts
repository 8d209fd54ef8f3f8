import type { Messages } from '../../model/messages.js';

/** Every summary the `kpi` type can produce (each broken threshold's sentence comes from shared/thresholds.ts). */
export const messages = {
  met: { status: 'pass', text: '{calls}: {met}{endpoints}' },
  missed: {
    status: 'fail',
    text: '{first}{more}',
    fix: 'Find why the calls are slow or failing (the kpis.json artifact breaks them down per endpoint, the interaction log lists each call), fix it, and run again; relax a threshold only if the provider\'s own guidance allows it.',
  },
  invalidThreshold: {
    status: 'error',
    text: '{cause}',
    fix: 'Write the threshold as the grammar asks, e.g. "p95 < 300ms", "errorRate < 1%" or "successRate > 99%".',
  },
  tooFewCalls: {
    status: 'error',
    text: 'only {calls} recorded{by}, at least {min} needed to judge KPIs',
    fix: 'Run the checks that call the API before this one (`checks:` names them), or lower `minRequests`.',
  },
  endpointNotCalled: {
    status: 'error',
    text: 'no call to {endpoint} was recorded{suggestion} (recorded endpoints: {recorded})',
    fix: 'Name the endpoint as the interaction log records it (METHOD /path, ids written {id}), or run a check that calls it.',
  },
} as const satisfies Messages;
