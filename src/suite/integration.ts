import { isAbsolute, resolve } from 'node:path';
import type { Target } from '../checks/types.js';
import type { IntegrationConfig, IntegrationSection } from '../checks/integration/config.js';
import { parseDuration } from '../model/duration.js';
import { SuiteError } from './errors.js';
import { interpolate, InterpolationError } from './interpolate.js';
import type { Suite } from './types.js';

/** How long the merchant's command has to answer on its ready URL, unless `start.timeout` says. */
export const DEFAULT_START_TIMEOUT_MS = 60_000;

/** What `${...}` in the `integration:` section may name. */
export interface IntegrationScope {
  env: Record<string, string | undefined>;
  secrets: Record<string, string>;
  target: Target;
}

/**
 * The `integration:` section with `${...}` resolved, defaults applied and paths made absolute.
 * A reference that does not resolve is a SuiteError naming the section (exit 2).
 */
export function resolveIntegration(suite: Suite, scope: IntegrationScope): IntegrationConfig | undefined {
  const section = suite.integration;
  if (!section) return undefined;
  let resolved: IntegrationSection;
  try {
    resolved = interpolate(section, { env: scope.env, vars: suite.variables, secrets: scope.secrets, target: scope.target.fields, checks: {} }) as IntegrationSection;
  } catch (error) {
    if (!(error instanceof InterpolationError)) throw error;
    throw new SuiteError([{ message: `integration: ${error.message}` }]);
  }
  return withDefaults(resolved, suite.dir, scope.target);
}

/**
 * The webhook URL the embedded sandbox must deliver to, known before the sandbox starts: only
 * `${env.X}` and `${vars.x}` may appear in it.
 */
export function integrationWebhookUrl(suite: Suite, env: Record<string, string | undefined>): string | undefined {
  const url = suite.integration?.webhooks?.url;
  if (url === undefined) return undefined;
  try {
    return String(interpolate(url, { env, vars: suite.variables, secrets: {}, target: {}, checks: {} }));
  } catch (error) {
    if (!(error instanceof InterpolationError)) throw error;
    const env = /^\$\{env\.(\w+)\}$/.exec(error.reference);
    const hint = env ? `set ${env[1]} before running, e.g. ${env[1]}=4242 payready run ...` : 'the sandbox delivers webhooks to this URL from its start: write it out, or use ${env.X} or ${vars.x}';
    throw new SuiteError([{ message: `integration.webhooks.url: ${error.message}`, hint }]);
  }
}

function withDefaults(section: IntegrationSection, suiteDir: string, target: Target): IntegrationConfig {
  const url = section.url.replace(/\/+$/, '');
  // FromSchema marks members with a default as present; as written they may be absent.
  const pay: Partial<NonNullable<IntegrationSection['pay']>> = section.pay ?? {};
  const config: IntegrationConfig = {
    url,
    pay: {
      method: pay.method ?? 'POST',
      path: pay.path ?? '/api/checkout',
      headers: { ...(pay.headers ?? {}) },
      body: pay.body ?? { orderId: '{orderId}', amount: '{amount}', currency: '{currency}', paymentMethod: '{paymentMethod}' },
      status: pay.status ?? '/status',
      paymentId: pay.paymentId ?? '/paymentId',
      message: pay.message ?? '/message',
      redirect: pay.redirect ?? '/redirectUrl',
      succeeded: [...(pay.succeeded ?? ['paid', 'succeeded', 'split'])],
      actionRequired: [...(pay.actionRequired ?? ['requires_action'])],
    },
    checkout: {
      path: section.checkout?.path ?? '/checkout?orderId={orderId}&amount={amount}&currency={currency}&paymentMethod={paymentMethod}',
      payButton: section.checkout?.payButton ?? 'Pay',
      resultRole: section.checkout?.resultRole ?? 'status',
    },
    logs: (section.logs ?? []).map((file) => (isAbsolute(file) ? file : resolve(suiteDir, file))),
    paymentMethod: section.paymentMethod ?? 'pm_card_visa',
    currency: section.currency ?? 'EUR',
    sandbox: {
      ...optional('controlUrl', section.sandbox?.controlUrl ?? target.fields.controlUrl),
      ...optional('controlToken', section.sandbox?.controlToken ?? target.fields.controlToken),
    },
  };
  if (section.start) {
    const start = section.start;
    const env: Record<string, string> = {};
    for (const [name, value] of Object.entries(start.env ?? {})) env[name] = String(value);
    const ready = start.ready ?? url;
    config.start = {
      command: start.command,
      cwd: start.cwd === undefined ? suiteDir : resolve(suiteDir, start.cwd),
      env,
      ready: /^https?:\/\//i.test(ready) ? ready : url + (ready.startsWith('/') ? ready : `/${ready}`),
      timeoutMs: start.timeout === undefined ? DEFAULT_START_TIMEOUT_MS : (parseDuration(start.timeout) ?? DEFAULT_START_TIMEOUT_MS),
      reuseExisting: start.reuseExisting === true,
    };
  }
  if (section.order) config.order = { path: section.order.path ?? '/api/orders/{orderId}', status: section.order.status ?? '/status', ...(section.order.appliedEvents === undefined ? {} : { appliedEvents: section.order.appliedEvents }) };
  if (section.webhooks) config.webhooks = { url: section.webhooks.url };
  return config;
}

function optional(key: string, value: unknown): Record<string, string> {
  return typeof value === 'string' && value !== '' ? { [key]: value } : {};
}
