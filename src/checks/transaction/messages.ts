import type { Messages } from '../../model/messages.js';
import { apiMessages } from './api.js';
import { stepMessages } from './scenario.js';
import { amountsMessages } from './scenarios/amounts.js';
import { approveMessages } from './scenarios/approve.js';
import { capsMessages } from './scenarios/caps.js';
import { idempotencyMessages } from './scenarios/idempotency.js';
import { refundsMessages } from './scenarios/refunds.js';
import { webhookMessages } from './scenarios/webhook.js';

/** What the run itself can end with, whatever the scenario. */
export const runMessages = {
  // data.firstId is the message id of the first failed assertion (its text is data.first).
  failed: {
    status: 'fail',
    text: '{scenario}: {first}{more}',
    fix: 'Fix each failed assertion (the summary names the first; `assertions` lists them all, the transcript artifact holds every exchange).',
  },
  noBaseUrl: {
    status: 'error',
    text: '{scenario}: no baseUrl: give baseUrl or declare it in the environment',
    fix: "Give the check baseUrl, or declare baseUrl in the suite's environment.",
  },
  unsupported: {
    status: 'skip',
    text: '{scenario}: {provider} has no {what}: {reason}',
  },
  profileInvalid: {
    status: 'error',
    text: '{scenario}: provider "{provider}": {problem}',
    fix: 'Name a shipped provider (payready, stripe, adyen) or fix the profile file at the place the message gives (docs/providers.md describes the format).',
  },
  profileTemplate: {
    status: 'error',
    text: '{scenario}: the {provider} profile cannot build a request: {problem}',
    fix: "Fix the profile's template: every {name} in a path must be a value the step has (amount, currency, method, reference, id, a setting or a captured value).",
  },
  settingMissing: {
    status: 'error',
    text: '{scenario}: the {provider} profile needs the setting {setting} ({description}): give it under settings: or in the environment',
    fix: "Give the setting the provider's profile requires under the check's `settings:`, or as a field of the same name in the environment.",
  },
  noApiKey: {
    status: 'error',
    text: '{scenario}: {provider} authenticates with {scheme}: give the check apiKey (e.g. apiKey: ${secrets.apiKey})',
    fix: 'Give the check the API key of a test account as a secret: `apiKey: ${secrets.<name>}`, the secret read from the environment or a file.',
  },
  liveKey: {
    status: 'error',
    text: "{scenario}: refused: the API key or base URL ({baseUrl}) is {provider}'s live mode, and the suite does not set allowLive",
    fix: 'Use a test-mode key and the test endpoint (sk_test_..., checkout-test.adyen.com); a suite that must move real money says allowLive: true and liveMaxAmount.',
  },
  netError: {
    status: 'error',
    text: '{scenario}: {cause}',
    fix: 'Make the payments API reachable from where payready runs (the cause quotes the network error).',
  },
} as const satisfies Messages;

/**
 * Every summary, assertion and finding text the `transaction` type can produce. The run's, the API
 * layer's and the shared steps' entries, then each scenario file's table (kept next to the steps
 * that say them); ids are unique across them (test/checks/transaction.test.ts checks it).
 */
export const messages = {
  ...runMessages,
  ...apiMessages,
  ...stepMessages,
  ...approveMessages,
  ...capsMessages,
  ...idempotencyMessages,
  ...refundsMessages,
  ...amountsMessages,
  ...webhookMessages,
} as const satisfies Messages;

/** An id of the type's messages table. */
export type TransactionMessageId = keyof typeof messages;

/** The tables spread into `messages`, by where they live (for the uniqueness test). */
export const messageTables: Readonly<Record<string, Messages>> = {
  run: runMessages,
  api: apiMessages,
  steps: stepMessages,
  approve: approveMessages,
  caps: capsMessages,
  idempotency: idempotencyMessages,
  refunds: refundsMessages,
  amounts: amountsMessages,
  webhook: webhookMessages,
};
