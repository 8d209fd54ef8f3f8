import type { FaultSet } from './faults.js';
import type { PaymentStore } from './payment-store.js';
import type { RequestLog } from './request-log.js';
import type { TokenIssuer } from './tokens.js';

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
  /** The one registered OAuth client. */
  client: DemoClient;
  /** The access log handlers note charged cards in (masked unless `pan-in-logs`). */
  requestLog: RequestLog;
}
