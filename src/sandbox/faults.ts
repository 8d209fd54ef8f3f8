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
    name: 'no-rate-limit',
    description: 'The rate-limited endpoint never answers 429: bursts of any size get through.',
    section: '2.3',
    caughtBy: 'rate-limit',
  },
  {
    name: 'open-allowlist',
    description: 'The IP allowlist is off: requests from any source address reach the API.',
    section: '2.3',
    caughtBy: 'ip-allowlist',
  },
  {
    name: 'plain-http',
    description: 'The plain-HTTP port serves the API itself instead of redirecting to HTTPS.',
    section: '2.1',
    caughtBy: 'api-tls',
  },
  {
    name: 'slow-network',
    description: 'The speed-test endpoints are throttled to 0.5 Mbps in both directions.',
    section: '1.2',
    caughtBy: 'network-bandwidth',
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
