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
