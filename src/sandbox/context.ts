import type { ProviderName } from '../providers/names.js';
import type { AdyenContext } from './adyen/context.js';
import type { OrderPlans } from './control/orders.js';
import type { FaultSet } from './faults.js';
import type { GrantStore } from './oauth/grants.js';
import type { TokenIssuer } from './oauth/tokens.js';
import type { IdempotencyStore } from './payments/idempotency.js';
import type { PaymentStore } from './payments/store.js';
import type { RequestLog } from './request-log.js';
import type { Pacing } from './transport/pacing.js';
import type { Webhooks } from './webhooks/delivery.js';

/** An OAuth client the sandbox knows about. */
export interface DemoClient {
  /** `client_id`. */
  id: string;
  /** `client_secret` (compared in constant time). */
  secret: string;
  /** Scopes the client may request; a request without `scope` gets all of them. */
  scopes: readonly string[];
}

/** The user the authorization endpoint approves without a browser (there is no login page). */
export interface TestUser {
  /** `sub` of the tokens issued for this user. */
  id: string;
  /** Display name (non-ASCII on purpose). */
  name: string;
}

/** Everything route handlers share for one running sandbox; passed in, never global. */
export interface SandboxContext {
  /** `https://host:port`, no trailing slash: the OAuth issuer and the base of every URL served. */
  baseUrl: string;
  /** The provider whose payments API the sandbox speaks (its dialect: src/sandbox/<provider>/). */
  provider: ProviderName;
  /** The API key the dialect accepts (`sk_test_...` for Stripe); undefined for payready, which takes OAuth bearer tokens. */
  apiKey: string | undefined;
  /** The signing secret of webhook endpoints registered without the API (Stripe: `whsec_...`, see `webhookUrls`). */
  webhookSecret: string;
  /** Receivers registered at start (`--webhook-url`), signed with `webhookSecret`. */
  webhookUrls: readonly string[];
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
  /** The demo OAuth client (full payments scopes); also the first entry of `clients`. */
  client: DemoClient;
  /** Every registered client, each with its own scopes. */
  clients: readonly DemoClient[];
  /** Authorization codes and refresh tokens. */
  grants: GrantStore;
  /** The user the authorization endpoint approves. */
  user: TestUser;
  /** The access log handlers note charged cards in (masked unless `pan-in-logs`). */
  requestLog: RequestLog;
  /** Per-order plans and request records (the control API). */
  orders: OrderPlans;
  /** The Adyen dialect's state; present when `provider` is 'adyen'. */
  adyen?: AdyenContext;
}
