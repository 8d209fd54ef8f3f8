import { describeFailure } from '../../model/operators.js';
import type { Outcome } from '../../model/outcome.js';
import { NetError } from '../../net/errors.js';
import { messenger } from '../shared/messages.js';
import type { CheckContext, ParamsOf } from '../types.js';
import { loadProfile, ProfileError, type Profile } from '../../providers/profiles.js';
import { PaymentsApi, type ApiAuth } from './api.js';
import { ScenarioError, ScenarioSkip, StopScenario } from './errors.js';
import { ProviderClient } from './provider.js';
import { TemplateError } from '../shared/templates.js';
import { SCENARIOS } from './library.js';
import { messages } from './messages.js';
import type { meta } from './meta.js';
import { ScenarioRun, type ScenarioPass } from './scenario.js';
import { unsupportedBy } from './support.js';

type Params = ParamsOf<typeof meta.schema>;

const say = messenger(messages);

/** Runs the named scenario against the payments API, undoes what it did, and judges it by its assertions. */
export async function run(params: Params, ctx: CheckContext): Promise<Outcome> {
  const scenario = SCENARIOS[params.scenario];
  const named = { scenario: scenario.name };
  const baseUrl = (params.baseUrl ?? ctx.target.baseUrl)?.replace(/\/+$/, '');
  if (!baseUrl) return say.outcome('error', 'noBaseUrl', named);
  const field = (name: string): string | undefined => (typeof ctx.target.fields[name] === 'string' ? (ctx.target.fields[name] as string) : undefined);
  const providerRef = params.provider ?? field('provider') ?? 'payready';
  let profile: Profile;
  try {
    profile = loadProfile(providerRef, ctx.baseDir);
  } catch (err) {
    if (err instanceof ProfileError) return say.outcome('error', 'profileInvalid', { ...named, provider: providerRef, problem: err.message }, { cause: 'setup' });
    throw err;
  }
  const provider = { ...named, provider: profile.provider };
  const skipped = unsupportedBy(profile, scenario);
  if (skipped !== undefined) return say.outcome('skip', 'unsupported', { ...provider, ...skipped }, { values: { scenario: scenario.name, provider: profile.provider } });

  const settings: Record<string, string> = {};
  for (const [name, setting] of Object.entries(profile.settings ?? {})) {
    const value = params.settings?.[name] ?? field(name);
    if (value !== undefined) settings[name] = value;
    else if (setting.required) return say.outcome('error', 'settingMissing', { ...provider, setting: name, description: setting.description }, { cause: 'setup' });
  }
  let auth: ApiAuth;
  const { scheme } = profile.auth;
  if (scheme === 'oauth-client-credentials') {
    const tokenUrl = params.tokenUrl ?? field('tokenUrl') ?? `${baseUrl}/oauth/token`;
    auth = params.token
      ? { kind: 'token', token: params.token }
      : params.clientId && params.clientSecret
        ? { kind: 'client', tokenUrl, clientId: params.clientId, clientSecret: params.clientSecret }
        : { kind: 'none' };
  } else {
    // An API key, never an OAuth token: the check's own, else the environment's (the embedded
    // sandbox fills it, as a secret). A `token:` given for an OAuth provider is not a key.
    const key = params.apiKey ?? field('apiKey');
    if (!key) return say.outcome('error', 'noApiKey', { ...provider, scheme: scheme === 'header' ? `the ${profile.auth.header ?? 'API key'} header` : 'a bearer API key' }, { cause: 'setup' });
    auth = scheme === 'header' ? { kind: 'header', header: profile.auth.header ?? 'x-api-key', key } : { kind: 'token', token: key };
  }
  const api = new PaymentsApi(ctx, baseUrl, auth, params.retries, profile.idempotency.header.toLowerCase());
  const client = new ProviderClient(profile, api, settings);
  // A live key or a live endpoint moves real money whatever the environment calls itself.
  if (client.isLive(params.apiKey ?? field('apiKey'), baseUrl)) {
    if (!ctx.allowLive) return say.outcome('error', 'liveKey', { ...provider, baseUrl }, { cause: 'setup' });
    api.live = true;
  }
  const steps = new ScenarioRun(client, params, ctx);
  const started = performance.now();
  let passed: ScenarioPass | undefined;
  let error: (ScenarioPass & { setup: boolean }) | undefined;
  let skip: ScenarioSkip | undefined;
  try {
    passed = await scenario.run(steps);
  } catch (err) {
    if (err instanceof ScenarioError) error = { id: err.id, data: err.data, setup: err.setup };
    else if (err instanceof ScenarioSkip) skip = err;
    else if (err instanceof TemplateError) error = { id: 'profileTemplate', data: { provider: profile.provider, problem: err.message }, setup: true };
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
    values: { scenario: scenario.name, provider: profile.provider, calls: api.calls, ...steps.values },
    secrets: [...api.secrets, ...steps.secrets],
  };
  if (skip) return say.outcome('skip', 'unsupported', { ...provider, ...skip.data }, rest);
  if (error) return say.outcome('error', error.id, { ...named, ...error.data }, rest);
  if (failed.length > 0) return say.outcome('fail', 'failed', { ...named, first: describeFailure(failed[0]!), firstId: steps.messageOf(failed[0]!) ?? '', more: failed.length > 1 ? ` (and ${failed.length - 1} more)` : '' }, rest);
  // A scenario stops only after a failed assertion, so one that neither failed nor passed is a bug.
  if (!passed) throw new Error(`scenario ${scenario.name} stopped without a failed assertion`);
  return say.outcome('pass', passed.id, { ...named, ...passed.data }, rest);
}
