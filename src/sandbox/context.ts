import type { FaultSet } from './faults.js';
import type { IdempotencyStore } from './idempotency.js';
import type { Pacing } from './pacing.js';
import type { PaymentStore } from './payment-store.js';
import type { TokenIssuer } from './tokens.js';
import type { Webhooks } from './webhooks.js';

/** The demo OAuth client the sandbox knows about. */
export interface DemoClient {
  /** `client_id`. */
  id: string;
  /** `client_secret` (compared in constant time). */
  secret: string;
  /** Scopes the client may request; a request without `scope` gets all of them. */
  scopes: readonly string[];
}

/** Everything route handlers share for one running sandbox; passed in, never global. */
export interface SandboxContext {
  /** `https://host:port`, no trailing slash: the OAuth issuer and the base of every URL served. */
  baseUrl: string;
  /** Active fault switches. */
  faults: FaultSet;
  /** Issues and verifies access tokens. */
  tokens: TokenIssuer;
  /** In-memory payments. */
  payments: PaymentStore;
  /** Responses remembered per `Idempotency-Key`. */
  idempotency: IdempotencyStore;
  /** Registered webhook receivers and event delivery. */
  webhooks: Webhooks;
  /** Latency emulation and the `flaky` fault. */
  pacing: Pacing;
  /** The one registered OAuth client. */
  client: DemoClient;
}
