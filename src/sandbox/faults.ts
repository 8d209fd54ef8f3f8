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
}

// Adding a fault is one entry here; `FaultName` then lets handlers ask for it by a checked name.
const FAULT_LIST = [
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
    name: 'flaky',
    description: 'One authenticated payments API request in ten is answered 503 Service Unavailable (Retry-After: 1) without being processed.',
    section: '3.2',
    caughtBy: 'api-load',
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
  },
  {
    name: 'slow-api',
    description: 'One payments API response in four is held back 1.5 s, so p95 latency is three times the 500 ms default threshold.',
    section: '3.2',
    caughtBy: 'api-kpis',
  },
  {
    name: 'webhook-bad-signature',
    description: 'Webhook deliveries are signed with the wrong key: their HMAC-SHA256 signature does not verify.',
    section: '5.2',
    caughtBy: 'transaction-webhook',
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
