import type { FaultSet } from '../faults.js';
import { AdyenIdempotency } from './idempotency.js';
import { AdyenNotifier } from './notifications.js';
import { AdyenPaymentStore } from './store.js';

/** The merchant account the emulated Adyen company has; requests must name it in `merchantAccount`. */
export const DEFAULT_MERCHANT_ACCOUNT = 'PayreadyECOM';

/** The Adyen dialect's state for one sandbox (created only when the sandbox speaks Adyen). */
export class AdyenContext {
  /** The merchant account requests must name. */
  readonly merchantAccount: string;
  /** Payments by pspReference. */
  readonly payments = new AdyenPaymentStore();
  /** First responses per Idempotency-Key. */
  readonly idempotency: AdyenIdempotency;
  /** Webhooks registered through the Management API, and notification delivery. */
  readonly notifier: AdyenNotifier;

  constructor(faults: FaultSet, options: { merchantAccount: string; hmacKey: string }) {
    if (!/^(?:[0-9a-fA-F]{2})+$/.test(options.hmacKey)) throw new Error('the Adyen HMAC key must be hexadecimal (an even number of 0-9, A-F)');
    this.merchantAccount = options.merchantAccount;
    this.idempotency = new AdyenIdempotency(faults);
    this.notifier = new AdyenNotifier(faults, options.hmacKey);
  }

  /** Stops pending notification deliveries. */
  close(): void {
    this.notifier.close();
  }
}
