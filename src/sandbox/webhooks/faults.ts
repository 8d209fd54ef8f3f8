import { randomBytes } from 'node:crypto';
import type { Fault } from '../fault.js';

/** Faults of webhook delivery. */
export const WEBHOOK_FAULTS: readonly Fault[] = [
  {
    name: 'webhook-bad-signature',
    description: 'Webhook deliveries are signed with the wrong key: their HMAC-SHA256 signature does not verify.',
    section: '5.2',
    caughtBy: 'transaction-webhook',
    // A key nobody else has, new for every delivery, so no receiver can verify it.
    // Adyen dialect: a random hex HMAC key in place of the webhook's.
    hooks: { webhookSecret: () => randomBytes(24).toString('base64url'), adyenHmacKey: () => randomBytes(32).toString('hex') },
  },
];
