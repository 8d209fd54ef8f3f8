import { closest } from '../text.js';

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

// Adding a fault is one entry here; `FaultName` then lets handlers ask for it by a checked name.
const FAULT_LIST = [
  {
    name: 'broken-checkout',
    description: 'The hosted checkout page is a fixed-width desktop layout with unlabeled card fields, tiny buttons and decline errors shown only in the browser console.',
    section: '6.1',
    caughtBy: 'checkout-mobile',
  },
  {
    name: 'cap-500',
    description: 'A card payment above the per-transaction cap crashes the API: 500 instead of the documented 422 transaction_cap_exceeded.',
    section: '3.1',
    caughtBy: 'transaction-over-limit',
  },
  {
    name: 'down',
    description: 'The HTTPS API port refuses connections (the port is reserved, then closed).',
    section: '1.2',
    caughtBy: 'api-port-open',
  },
  {
    name: 'expired-cert',
    description: 'The server certificate expired 30 days ago (its chain is otherwise trusted).',
    section: '2.1',
    caughtBy: 'api-certificate',
  },
  {
    name: 'flaky',
    description: 'One authenticated payments API request in ten is answered 503 Service Unavailable (Retry-After: 1) without being processed.',
    section: '3.2',
    caughtBy: 'api-load',
    alsoFails: ['api-kpis'],
  },
  {
    name: 'hardcoded-secret',
    description: "The sample merchant integration's configuration file holds the OAuth client secret in clear text.",
    section: '2.1',
    caughtBy: 'no-hardcoded-credentials',
  },
  {
    name: 'jwt-bad-signature',
    description: 'Access tokens are signed with a key other than the one the JWKS publishes under their kid, so they cannot be verified.',
    section: '1.1',
    caughtBy: 'oauth-jwt',
  },
  {
    name: 'latin1',
    description: 'JSON responses are encoded in ISO-8859-1 and labelled charset=iso-8859-1: non-ASCII text comes back mangled.',
    section: '1.3',
    caughtBy: 'json-utf8',
  },
  {
    name: 'legacy-tls',
    description: 'The HTTPS API also accepts TLS 1.0 and TLS 1.1.',
    section: '2.1',
    caughtBy: 'api-tls',
  },
  {
    name: 'no-auth',
    description: 'Payments are accepted without a bearer token, or with any token at all.',
    section: '1.1',
    caughtBy: 'payments-require-auth',
  },
  {
    name: 'no-cap',
    description: 'The per-transaction cap is not enforced: a card payment above it is authorised.',
    section: '3.1',
    caughtBy: 'transaction-over-limit',
  },
  {
    name: 'no-idempotency',
    description: 'The Idempotency-Key header is ignored: a retried payment request charges the card again.',
    section: '5.1',
    caughtBy: 'transaction-idempotency',
    alsoFails: ['transaction-timeout-retry'],
  },
  {
    name: 'no-pkce',
    description: 'The token endpoint ignores the PKCE code_verifier: a stolen authorization code works without it.',
    section: '1.1',
    caughtBy: 'oauth-pkce',
  },
  {
    name: 'no-rate-limit',
    description: 'The rate-limited endpoint never answers 429: bursts of any size get through.',
    section: '2.3',
    caughtBy: 'rate-limit',
  },
  {
    name: 'oauth-accepts-bad-secret',
    description: 'The token endpoint accepts any client secret for a known client id.',
    section: '1.1',
    caughtBy: 'oauth-errors',
  },
  {
    name: 'opaque-errors',
    description: 'API errors are sent as a plain-text stack trace instead of problem+json with a message and a code.',
    section: '6.2',
    caughtBy: 'error-messages',
    alsoFails: ['transaction-over-limit', 'transaction-daily-cap', 'transaction-declines', 'transaction-refund-over', 'transaction-amount-bounds'],
  },
  {
    name: 'open-allowlist',
    description: 'The IP allowlist is off: requests from any source address reach the API.',
    section: '2.3',
    caughtBy: 'ip-allowlist',
  },
  {
    name: 'pan-in-logs',
    description: 'The request log records full card numbers instead of first six/last four.',
    section: '2.2',
    caughtBy: 'no-pan-in-logs',
  },
  {
    name: 'plain-http',
    description: 'The plain-HTTP port serves the API itself instead of redirecting to HTTPS.',
    section: '2.1',
    caughtBy: 'api-tls',
  },
  {
    name: 'revocation-ignored',
    description: 'The revocation endpoint answers 200 but the token stays active (introspection and the API still accept it).',
    section: '1.1',
    caughtBy: 'oauth-revocation',
  },
  {
    name: 'schema-drift',
    description: 'Payment responses drift from the OpenAPI document: amount.value is a string and createdAt is missing.',
    section: '1.3',
    caughtBy: 'payment-schema',
    alsoFails: ['payment-approve', 'transaction-currency-exponent'],
  },
  {
    name: 'slow-api',
    description: 'One payments API response in four is held back 2.5 s, so p95 latency is five times the 500 ms default threshold.',
    section: '3.2',
    caughtBy: 'api-kpis',
    alsoFails: ['api-load'],
  },
  {
    name: 'slow-network',
    description: 'The speed-test endpoints are throttled to 0.5 Mbps in both directions.',
    section: '1.2',
    caughtBy: 'network-bandwidth',
  },
  {
    name: 'token-never-expires',
    description: 'Access tokens carry no exp claim and the token response no expires_in: a leaked token works forever.',
    section: '1.1',
    caughtBy: 'oauth-token-lifetime',
  },
  {
    name: 'weak-cipher',
    description: 'Besides strong suites, TLS 1.2 also accepts NULL (no encryption) and anonymous (no authentication) cipher suites.',
    section: '2.1',
    caughtBy: 'api-tls',
  },
  {
    name: 'weak-headers',
    description: 'Responses drop HSTS and X-Content-Type-Options, allow caching and name software versions in Server and X-Powered-By.',
    section: '2.3',
    caughtBy: 'security-headers',
  },
  {
    name: 'webhook-bad-signature',
    description: 'Webhook deliveries are signed with the wrong key: their HMAC-SHA256 signature does not verify.',
    section: '5.2',
    caughtBy: 'transaction-webhook',
  },
  {
    name: 'wrong-host-cert',
    description: 'The server certificate is issued for api.example.com only, not for the address clients connect to.',
    section: '2.1',
    caughtBy: 'api-certificate',
  },
] as const satisfies readonly FaultInfo[];

/** Name of a known fault. */
export type FaultName = (typeof FAULT_LIST)[number]['name'];

/** Every fault switch, sorted by name. */
export const FAULTS: readonly FaultInfo[] = FAULT_LIST;

const FAULT_NAMES: readonly string[] = FAULT_LIST.map((fault) => fault.name);

/** A fault name that is not in `FAULTS`. */
export class UnknownFaultError extends Error {
  override readonly name = 'UnknownFaultError';
  /** The name as given. */
  readonly fault: string;
  /** Closest valid name, when one is close enough to be a typo. */
  readonly suggestion: string | undefined;
  /** Every valid fault name. */
  readonly validNames: readonly string[];

  constructor(fault: string) {
    const suggestion = closest(fault, FAULT_NAMES);
    const hint = suggestion ? ` (did you mean "${suggestion}"?)` : '';
    super(`unknown fault "${fault}"${hint}; valid faults: ${FAULT_NAMES.join(', ')}`);
    this.fault = fault;
    this.suggestion = suggestion;
    this.validNames = FAULT_NAMES;
  }
}

function isFaultName(name: string): name is FaultName {
  return FAULT_NAMES.includes(name);
}

/** Throws `UnknownFaultError` for the first name that is not a known fault. */
export function validateFaults(names: string[]): void {
  for (const name of names) {
    if (!isFaultName(name)) throw new UnknownFaultError(name);
  }
}

/** The faults switched on for one sandbox; the only way handlers learn about faults. */
export class FaultSet {
  private readonly active: ReadonlySet<FaultName>;

  /** Validates `names` (throws `UnknownFaultError`) and drops duplicates. */
  constructor(names: readonly string[] = []) {
    validateFaults([...names]);
    this.active = new Set(names.filter(isFaultName));
  }

  has(name: FaultName): boolean {
    return this.active.has(name);
  }

  /** Active fault names in `FAULTS` order. */
  list(): readonly FaultName[] {
    return FAULT_LIST.map((fault) => fault.name).filter((name) => this.active.has(name));
  }
}
