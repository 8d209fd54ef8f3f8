import type { AdyenPaymentResponse } from './adyen/payments.js';
import type { CheckoutPage } from './checkout/page.js';
import type { PaymentView } from './payments/store.js';
import type { Problem, Reply } from './respond.js';
import type { ApiPolicy } from './server.js';
import type { CertificatePlan, SandboxTlsOptions } from './transport/tls-config.js';

/**
 * A change a fault makes to one value the sandbox computes: it receives the value (as earlier
 * faults' steps left it, in `FAULTS` order) and returns the value to use.
 */
export type Step<T, Context extends unknown[] = []> = (value: T, ...context: Context) => T;

/**
 * The places where a fault can change what the sandbox does, each consulted in one place (named
 * below). A flag (`true`) switches a safeguard off; a step changes a value. Handlers never ask
 * which fault is on: they consult these, so a fault is declared once, beside the concern it breaks.
 */
export interface FaultHooks {
  /** The HTTPS port is bound (so its number is reserved), then closed: connects are refused (index.ts). */
  apiPortClosed?: true;
  /** The plain-HTTP port serves the API itself instead of redirecting to HTTPS (index.ts). */
  plainHttpServesApi?: true;
  /** Protocol versions and cipher suites of the HTTPS API (transport/tls-config.ts). */
  tls?: Step<SandboxTlsOptions>;
  /** Names and validity of the server certificate (transport/tls-config.ts). */
  certificate?: Step<CertificatePlan>;
  /** Headers set on every API response and the IP allowlist applied before routing (index.ts). */
  apiPolicy?: Step<ApiPolicy>;
  /** Every finished API reply, just before it is sent (index.ts). */
  reply?: Step<Reply>;
  /** Milliseconds a response to `pathname` is held after it was handled (transport/pacing.ts). */
  responseDelay?: Step<number, [pathname: string]>;
  /** Refusal of an authenticated payments API request before anything is done; undefined admits it (transport/pacing.ts, stripe/api.ts). */
  paymentRefusal?: Step<Problem | undefined>;
  /** The rate-limited endpoint lets every request through (transport/rate-limit.ts). */
  rateLimitOff?: true;
  /** Rate of a speed-test transfer in Mbps; undefined is unthrottled (transport/speed.ts). */
  speedMbps?: Step<number | undefined>;
  /** Requests to the payments API need no bearer token (or API key), and any is taken (oauth/bearer.ts, stripe/api.ts). */
  bearerAuthOff?: true;
  /** A known client id authenticates whatever secret comes with it (oauth/client-auth.ts). */
  anyClientSecret?: true;
  /** The token endpoint does not check the PKCE code_verifier (oauth/routes.ts). */
  pkceOff?: true;
  /** The revocation endpoint answers 200 and revokes nothing (oauth/routes.ts). */
  revocationOff?: true;
  /** Access tokens carry no `exp` and token responses no `expires_in` (index.ts, oauth/tokens.ts). */
  tokensNeverExpire?: true;
  /** The JWKS publishes another key under the signing key's `kid` (index.ts, oauth/tokens.ts). */
  jwksDecoyKey?: true;
  /** The sample integration's configuration file holds the client secret (oauth/integration.ts). */
  secretInSampleConfig?: true;
  /** The per-transaction cap is not enforced (payments/routes.ts; stripe/intents.ts: amount_too_large). */
  capOff?: true;
  /** The refusal of a payment above the per-transaction cap: payready's 422, Stripe's 400 amount_too_large (payments/routes.ts, stripe/intents.ts). */
  overCapRefusal?: Step<Reply>;
  /** A payment as the API shows it in a response (payments/routes.ts). */
  paymentView?: Step<PaymentView>;
  /** A Stripe PaymentIntent as the stripe dialect shows it, in responses and events (stripe/state.ts). */
  stripeIntentView?: Step<Record<string, unknown>>;
  /** A Stripe error reply (`{ error: { type, message, ... } }`) before it is sent (stripe/api.ts). */
  stripeErrorReply?: Step<Reply>;
  /** The Idempotency-Key header is ignored (payments/idempotency.ts, stripe/idempotency.ts). */
  idempotencyOff?: true;
  /** The request log keeps whole card numbers instead of first six/last four (request-log.ts). */
  fullPanInLog?: true;
  /** The secret a webhook delivery is signed with (webhooks/delivery.ts, stripe/events.ts). */
  webhookSecret?: Step<string>;
  /** The hosted checkout page, its style sheet and its script (checkout/routes.ts). */
  checkoutPage?: Step<CheckoutPage>;
  /** Adyen dialect: a ServiceError reply, just before it is sent (adyen/respond.ts). */
  adyenErrorReply?: Step<Reply>;
  /** Adyen dialect: the body of a /payments response (adyen/payments.ts). */
  adyenPaymentResponse?: Step<AdyenPaymentResponse>;
  /** Adyen dialect: the HMAC key (hex) a notification is signed with (adyen/notifications.ts). */
  adyenHmacKey?: Step<string>;
}

/** One fault switch: a way to make the sandbox break a guideline on purpose. */
export interface FaultInfo {
  /** Name used on the command line and in `SandboxOptions.faults`, kebab-case. */
  name: string;
  /** One sentence saying what the sandbox does differently while the fault is on. */
  description: string;
  /** Guideline section the fault breaks, e.g. '1.1'. */
  section: string;
  /** Id of the check in checks/go-live.yaml that fails while the fault is on. */
  caughtBy: string;
  /**
   * Other go-live checks that fail while the fault is on, because they depend on the broken
   * behaviour too. Every other check passes, or is skipped because it needs a failing one.
   */
  alsoFails?: readonly string[];
}

/** A fault as its concern declares it: what it breaks, and the hooks that break it. */
export interface Fault extends FaultInfo {
  /** What the sandbox does differently; a function when the behaviour keeps state (a counter), called once per sandbox. */
  hooks: FaultHooks | (() => FaultHooks);
}

/** Names of the flag hooks. */
export type FlagHook = { [K in keyof FaultHooks]-?: FaultHooks[K] extends true | undefined ? K : never }[keyof FaultHooks];

/** Names of the step hooks. */
export type StepHook = Exclude<keyof FaultHooks, FlagHook>;

/** The function type of a step hook. */
export type StepOf<K extends StepHook> = NonNullable<FaultHooks[K]>;
