import type { Scenario, ScenarioName } from './scenario.js';
import { amountBounds, currencyExponentScenario } from './scenarios/amounts.js';
import { approve, decline } from './scenarios/approve.js';
import { dailyCap, overLimit } from './scenarios/caps.js';
import { idempotencyReplay, timeoutRetry } from './scenarios/idempotency.js';
import { refundFull, refundOver, refundPartial } from './scenarios/refunds.js';
import { webhook } from './scenarios/webhook.js';

/** The scenario library of the `transaction` check type, by name. */
export const SCENARIOS: Readonly<Record<ScenarioName, Scenario>> = {
  approve,
  decline,
  'over-limit': overLimit,
  'daily-cap': dailyCap,
  'idempotency-replay': idempotencyReplay,
  'timeout-retry': timeoutRetry,
  'refund-partial': refundPartial,
  'refund-full': refundFull,
  'refund-over': refundOver,
  'currency-exponent': currencyExponentScenario,
  'amount-bounds': amountBounds,
  webhook,
};
