import { describeFailure } from '../../model/operators.js';
import { legacyCheck } from '../types.js';
import type { Outcome } from '../../model/outcome.js';
import { NetError } from '../../net/errors.js';
import { LiveAmountError, NoSuchPathError, PaymentsApi, TokenError, type ApiAuth } from './api.js';
import { SCENARIOS } from './library.js';
import { SCENARIO_NAMES, ScenarioError, ScenarioRun, StopScenario, type TransactionParams } from './scenario.js';
import { DEFAULT_TOLERANCE_SECONDS } from '../../net/webhook-signature.js';

const minorUnits = { type: 'integer', minimum: 1 } as const;

export default legacyCheck<TransactionParams>({
  name: 'transaction',
  description: 'Sandbox payment scenarios by name: approve, declines, over-limit with a split or alternate fallback, daily cap, idempotency replay, timeout with safe retry, refunds, currency exponents, amount bounds, signed webhooks.',
  // Caps and the over-limit fallback (3.1), sandbox scenarios standard and edge-case (5.1), key
  // flows validated with test transactions (5.2.b). Certification (5.2.a) is a provider's process:
  // an attestation.
  items: ['3.1.a', '3.1.b', '5.1.a', '5.1.b', '5.2.b'],
  movesMoney: true,
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['scenario'],
    properties: {
      scenario: { enum: [...SCENARIO_NAMES], description: 'Which scenario of the library to run; what each proves: README, "Payment scenarios".' },
      baseUrl: { type: 'string', minLength: 1, description: "Base URL of the payments API (default: the environment's baseUrl)." },
      token: { type: 'string', minLength: 1, 'x-secret': true, description: 'Bearer access token, e.g. ${checks.oauth-token.token} (a capture marked secret: true).' },
      clientId: { type: 'string', minLength: 1, description: 'OAuth client id: without a token, the check gets its own with client_credentials.' },
      clientSecret: { type: 'string', minLength: 1, 'x-secret': true, description: 'OAuth client secret, e.g. ${secrets.clientSecret}.' },
      tokenUrl: { type: 'string', minLength: 1, description: "Token endpoint for client credentials (default: the environment's tokenUrl, else <baseUrl>/oauth/token)." },
      amount: { ...minorUnits, description: 'Amount in minor units (default 1000; over-limit: 1.5 x cap; daily-cap: the per-transaction cap).' },
      currency: { type: 'string', pattern: '^[A-Z]{3}$', default: 'EUR', description: 'ISO 4217 currency of the amounts.' },
      card: { type: 'string', pattern: '^[0-9]{12,19}$', default: '4111111111111111', description: 'Card number that is approved (a test card).' },
      declines: {
        type: 'array',
        minItems: 1,
        description: 'decline: test cards and the decline code each must get (default: the sandbox test cards).',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['card', 'code'],
          properties: { card: { type: 'string', pattern: '^[0-9]{12,19}$' }, code: { type: 'string', minLength: 1 } },
        },
      },
      cap: { ...minorUnits, description: 'over-limit (required) and daily-cap: the per-transaction cap in minor units, e.g. ${target.transactionCap}.' },
      dailyCap: { ...minorUnits, description: 'daily-cap (required): the daily cap in minor units, e.g. ${target.dailyCap}.' },
      fallback: { enum: ['split', 'alternate', 'none'], description: 'over-limit (default split) and daily-cap (default alternate): how the refused order is completed.' },
      alternateMethod: {
        type: 'object',
        default: { type: 'bank_transfer', iban: 'DE89370400440532013000' },
        description: 'The paymentMethod of the alternate route (default: a bank transfer, which has higher caps).',
      },
      capErrorCode: { type: 'string', minLength: 1, default: 'transaction_cap_exceeded', description: 'Documented code of the refusal over the per-transaction cap.' },
      dailyCapErrorCode: { type: 'string', minLength: 1, default: 'daily_cap_exceeded', description: 'Documented code of the refusal over the daily cap.' },
      refundAmount: { ...minorUnits, description: 'refund-partial: amount refunded (default 40% of the amount).' },
      currencies: { type: 'array', minItems: 1, items: { type: 'string', pattern: '^[A-Z]{3}$' }, default: ['JPY', 'EUR', 'KWD'], description: 'currency-exponent: currencies round-tripped (0, 2 and 3 decimals).' },
      maxAmount: { type: 'integer', minimum: 1, default: 100_000_000_000, description: 'amount-bounds: the largest amount the provider accepts (minor units); one more must be refused.' },
      firstAttemptTimeoutMs: { type: 'integer', minimum: 1, default: 500, description: 'timeout-retry: our timeout for the first attempt (ms).' },
      delayMs: { type: 'integer', minimum: 1, maximum: 30_000, default: 3000, description: 'timeout-retry: how long the provider is asked to hold its first answer (ms).' },
      delayHeader: { type: 'string', minLength: 1, default: 'Sandbox-Delay', description: 'timeout-retry: request header asking the provider to hold an answer (the sandbox honours Sandbox-Delay).' },
      toleranceSeconds: { type: 'integer', minimum: 1, default: DEFAULT_TOLERANCE_SECONDS, description: 'webhook: allowed age of a signed timestamp (s).' },
      webhookTimeoutMs: { type: 'integer', minimum: 1, default: 5000, description: 'webhook: how long to wait for the event (ms).' },
      reference: { type: 'string', minLength: 1, maxLength: 80, default: 'payready', description: 'Order reference prefix; each run adds the scenario and a random suffix.' },
      cleanup: { type: 'boolean', default: true, description: 'Cancel authorisations and refund captures the scenario made, once it is judged.' },
      retries: { type: 'integer', minimum: 0, maximum: 10, default: 3, description: 'Retries of a 503/429 answer, with the same Idempotency-Key (Retry-After honoured up to 2 s).' },
    },
    allOf: [
      { if: { properties: { scenario: { const: 'over-limit' } } }, then: { required: ['cap'], properties: { cap: true } } },
      { if: { properties: { scenario: { const: 'daily-cap' } } }, then: { required: ['dailyCap'], properties: { dailyCap: true } } },
    ],
  },
  values: {
    scenario: 'the scenario run',
    paymentId: 'the payment the scenario made (approve, idempotency, refunds, webhook)',
    paymentIds: 'over-limit: the payments of the fallback',
    authorised: 'daily-cap: minor units authorised before the refusal',
    status: 'approve: the status read back',
    calls: 'API calls made',
  },
  example: { scenario: 'approve', token: '${checks.oauth-token.token}', amount: 1000, currency: 'EUR' },

  async run(params, ctx): Promise<Outcome> {
    const scenario = SCENARIOS[params.scenario];
    const baseUrl = (params.baseUrl ?? ctx.target.baseUrl)?.replace(/\/+$/, '');
    if (!baseUrl) return { status: 'error', summary: `${params.scenario}: no baseUrl: give baseUrl or declare it in the environment` };
    const tokenUrl = params.tokenUrl ?? (typeof ctx.target.fields['tokenUrl'] === 'string' ? ctx.target.fields['tokenUrl'] : `${baseUrl}/oauth/token`);
    const auth: ApiAuth = params.token
      ? { kind: 'token', token: params.token }
      : params.clientId && params.clientSecret
        ? { kind: 'client', tokenUrl, clientId: params.clientId, clientSecret: params.clientSecret }
        : { kind: 'none' };
    const api = new PaymentsApi(ctx, baseUrl, auth, params.retries ?? 3);
    const run = new ScenarioRun(api, params, ctx);
    const started = performance.now();
    let summary = '';
    let error: string | undefined;
    let setup = false;
    try {
      summary = await scenario.run(run);
    } catch (err) {
      if (err instanceof NoSuchPathError || (err instanceof TokenError && err.setup)) {
        error = err.message;
        setup = true;
      } else if (err instanceof ScenarioError || err instanceof TokenError || err instanceof LiveAmountError || err instanceof NetError) error = err.message;
      else if (!(err instanceof StopScenario)) throw err;
    } finally {
      await run.cleanup();
    }
    const failed = run.assertions.filter((a) => !a.passed);
    const status = error ? 'error' : failed.length > 0 ? 'fail' : 'pass';
    return {
      status,
      ...(setup ? { cause: 'setup' as const } : {}),
      summary: `${scenario.name}: ${error ?? (failed.length > 0 ? `${describeFailure(failed[0]!)}${failed.length > 1 ? ` (and ${failed.length - 1} more)` : ''}` : summary)}`,
      assertions: run.assertions,
      measurements: [
        { name: 'API calls', value: api.calls, unit: 'count' },
        { name: 'scenario time', value: performance.now() - started, unit: 'ms' },
      ],
      artifacts: api.transcript.length > 0 ? [{ name: 'transcript.http', mediaType: 'message/http', description: `${scenario.name}: every API exchange of the scenario, in order`, data: api.transcript.join('\n') }] : [],
      values: { scenario: scenario.name, calls: api.calls, ...run.values },
      secrets: [...api.secrets, ...run.secrets],
    };
  },
});
