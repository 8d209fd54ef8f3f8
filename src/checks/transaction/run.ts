import { describeFailure } from '../../model/operators.js';
import type { Outcome } from '../../model/outcome.js';
import { NetError } from '../../net/errors.js';
import { messenger } from '../shared/messages.js';
import type { CheckContext, ParamsOf } from '../types.js';
import { PaymentsApi, type ApiAuth } from './api.js';
import { ScenarioError, StopScenario } from './errors.js';
import { SCENARIOS } from './library.js';
import { messages } from './messages.js';
import type { meta } from './meta.js';
import { ScenarioRun, type ScenarioPass } from './scenario.js';

type Params = ParamsOf<typeof meta.schema>;

const say = messenger(messages);

/** Runs the named scenario against the payments API, undoes what it did, and judges it by its assertions. */
export async function run(params: Params, ctx: CheckContext): Promise<Outcome> {
  const scenario = SCENARIOS[params.scenario];
  const baseUrl = (params.baseUrl ?? ctx.target.baseUrl)?.replace(/\/+$/, '');
  if (!baseUrl) return say.outcome('error', 'noBaseUrl', { scenario: params.scenario });
  const tokenUrl = params.tokenUrl ?? (typeof ctx.target.fields['tokenUrl'] === 'string' ? ctx.target.fields['tokenUrl'] : `${baseUrl}/oauth/token`);
  const auth: ApiAuth = params.token
    ? { kind: 'token', token: params.token }
    : params.clientId && params.clientSecret
      ? { kind: 'client', tokenUrl, clientId: params.clientId, clientSecret: params.clientSecret }
      : { kind: 'none' };
  const api = new PaymentsApi(ctx, baseUrl, auth, params.retries);
  const steps = new ScenarioRun(api, params, ctx);
  const started = performance.now();
  let passed: ScenarioPass | undefined;
  let error: (ScenarioPass & { setup: boolean }) | undefined;
  try {
    passed = await scenario.run(steps);
  } catch (err) {
    if (err instanceof ScenarioError) error = { id: err.id, data: err.data, setup: err.setup };
    else if (err instanceof NetError) error = { id: 'netError', data: { cause: err.message }, setup: false };
    else if (!(err instanceof StopScenario)) throw err;
  } finally {
    await steps.cleanup();
  }
  const failed = steps.assertions.filter((a) => !a.passed);
  const rest = {
    ...(error?.setup ? { cause: 'setup' as const } : {}),
    assertions: steps.assertions,
    measurements: [
      { name: 'API calls', value: api.calls, unit: 'count' },
      { name: 'scenario time', value: performance.now() - started, unit: 'ms' },
    ],
    artifacts: api.transcript.length > 0 ? [{ name: 'transcript.http', mediaType: 'message/http', description: `${scenario.name}: every API exchange of the scenario, in order`, data: api.transcript.join('\n') }] : [],
    values: { scenario: scenario.name, calls: api.calls, ...steps.values },
    secrets: [...api.secrets, ...steps.secrets],
  };
  const named = { scenario: scenario.name };
  if (error) return say.outcome('error', error.id, { ...named, ...error.data }, rest);
  if (failed.length > 0) return say.outcome('fail', 'failed', { ...named, first: describeFailure(failed[0]!), firstId: steps.messageOf(failed[0]!) ?? '', more: failed.length > 1 ? ` (and ${failed.length - 1} more)` : '' }, rest);
  // A scenario stops only after a failed assertion, so one that neither failed nor passed is a bug.
  if (!passed) throw new Error(`scenario ${scenario.name} stopped without a failed assertion`);
  return say.outcome('pass', passed.id, { ...named, ...passed.data }, rest);
}
