import type { Fault } from '../fault.js';
import type { Problem } from '../respond.js';
import { SERVER_NAME } from '../server.js';

/** The only name the certificate carries under `wrong-host-cert`. */
export const WRONG_HOSTNAME = 'api.example.com';

// Suites `weak-cipher` adds after the strong ones (the sandbox key is ECDSA). OpenSSL 3 cannot
// serve EXPORT, RC4, DES or 3DES at all; NULL and anonymous suites are what it can still be
// talked into, at security level 0.
const WEAK_SUITES = ['ECDHE-ECDSA-NULL-SHA', 'AECDH-AES128-SHA', 'AECDH-NULL-SHA'];

// `weak-headers`: what a default framework setup sends: no HSTS, no nosniff, cacheable responses,
// and the exact software versions an attacker would look up.
const WEAK_HEADERS: Readonly<Record<string, string>> = {
  'cache-control': 'public, max-age=3600',
  'x-frame-options': 'DENY',
  server: `${SERVER_NAME}/0.1.0 Node.js/${process.versions.node}`,
  'x-powered-by': 'Express/4.17.1',
};

/**
 * TLS 1.0 and 1.1 enabled, at security level 0: OpenSSL 3 refuses TLS 1.0/1.1 handshakes (SHA-1
 * signatures) at its default level even when the version is enabled. Used by `legacy-tls` and by
 * the control API's `tls1.1` mode.
 */
export const LEGACY_TLS = { minVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' } as const;

/** `slow-api`: one payments API response in this many is held back... */
export const SLOW_API_EVERY = 4;
/**
 * ...by this many milliseconds: five times the 500 ms p95 default threshold of `kpi` and `load`,
 * and well above the 1.5 s the go-live suite allows (which a busy machine must not reach).
 */
export const SLOW_API_DELAY_MS = 2_500;
/** `flaky`: one authenticated payments API request in this many is answered 503. */
export const FLAKY_EVERY = 10;

/** Rate of both directions under `slow-network`: 0.5 Mbps, half the guidelines' minimum. */
export const SLOW_NETWORK_MBPS = 0.5;

/** Where the payments APIs live: the paths `slow-api` holds back (the payready dialect, Adyen's Checkout v71). */
const API_PREFIXES: readonly string[] = ['/v1/', '/v71/'];

const UNAVAILABLE: Problem = {
  status: 503,
  code: 'service_unavailable',
  title: 'Service unavailable',
  detail: 'The payments API is temporarily unavailable; nothing was processed. Retry after the Retry-After delay (with the same Idempotency-Key).',
  headers: { 'retry-after': '1' },
};

/** Faults of the transport: the port, TLS, certificates, headers, allowlist, rate limit, speed and pacing. */
export const TRANSPORT_FAULTS: readonly Fault[] = [
  {
    name: 'down',
    description: 'The HTTPS API port refuses connections (the port is reserved, then closed).',
    section: '1.2',
    caughtBy: 'api-port-open',
    // The port was bound only to learn a number nobody else holds; closing it makes connects fail
    // with ECONNREFUSED, as a firewalled or crashed API would.
    hooks: { apiPortClosed: true },
  },
  {
    name: 'expired-cert',
    description: 'The server certificate expired 30 days ago (its chain is otherwise trusted).',
    section: '2.1',
    caughtBy: 'api-certificate',
    // Expired 30 days ago after a 90-day life: the chain stays trusted, only the dates are wrong.
    hooks: { certificate: (plan) => ({ ...plan, daysBefore: 120, daysAfter: -30 }) },
  },
  {
    name: 'flaky',
    description: 'One authenticated payments API request in ten is answered 503 Service Unavailable (Retry-After: 1) without being processed.',
    section: '3.2',
    caughtBy: 'api-load',
    alsoFails: ['api-kpis'],
    // A counter, not chance: the same sequence of requests meets the same failed answers.
    hooks: () => {
      let count = 0;
      return {
        paymentRefusal: (refusal) => {
          count += 1;
          return refusal ?? (count % FLAKY_EVERY === 0 ? UNAVAILABLE : undefined);
        },
      };
    },
  },
  {
    name: 'legacy-tls',
    description: 'The HTTPS API also accepts TLS 1.0 and TLS 1.1.',
    section: '2.1',
    caughtBy: 'api-tls',
    hooks: { tls: (options) => ({ ...options, ...LEGACY_TLS }) },
  },
  {
    name: 'no-rate-limit',
    description: 'The rate-limited endpoint never answers 429: bursts of any size get through.',
    section: '2.3',
    caughtBy: 'rate-limit',
    hooks: { rateLimitOff: true },
  },
  {
    name: 'open-allowlist',
    description: 'The IP allowlist is off: requests from any source address reach the API.',
    section: '2.3',
    caughtBy: 'ip-allowlist',
    hooks: { apiPolicy: ({ allowlist: _off, ...policy }) => policy },
  },
  {
    name: 'plain-http',
    description: 'The plain-HTTP port serves the API itself instead of redirecting to HTTPS.',
    section: '2.1',
    caughtBy: 'api-tls',
    hooks: { plainHttpServesApi: true },
  },
  {
    name: 'slow-api',
    description: 'One payments API response in four is held back 2.5 s, so p95 latency is five times the 500 ms default threshold.',
    section: '3.2',
    caughtBy: 'api-kpis',
    alsoFails: ['api-load'],
    hooks: () => {
      let count = 0;
      return {
        responseDelay: (ms, pathname) => {
          if (!API_PREFIXES.some((prefix) => pathname.startsWith(prefix))) return ms;
          count += 1;
          return count % SLOW_API_EVERY === 0 ? ms + SLOW_API_DELAY_MS : ms;
        },
      };
    },
  },
  {
    name: 'slow-network',
    description: 'The speed-test endpoints are throttled to 0.5 Mbps in both directions.',
    section: '1.2',
    caughtBy: 'network-bandwidth',
    hooks: { speedMbps: (mbps) => Math.min(mbps ?? Infinity, SLOW_NETWORK_MBPS) },
  },
  {
    name: 'weak-cipher',
    description: 'Besides strong suites, TLS 1.2 also accepts NULL (no encryption) and anonymous (no authentication) cipher suites.',
    section: '2.1',
    caughtBy: 'api-tls',
    hooks: {
      tls: (options) => {
        // A default list ends in exclusions (!aNULL:!eNULL...) that no later entry can undo.
        const kept = options.ciphers.split(':').filter((entry) => !entry.startsWith('!'));
        return { ...options, ciphers: `${[...kept, ...WEAK_SUITES].join(':')}@SECLEVEL=0` };
      },
    },
  },
  {
    name: 'weak-headers',
    description: 'Responses drop HSTS and X-Content-Type-Options, allow caching and name software versions in Server and X-Powered-By.',
    section: '2.3',
    caughtBy: 'security-headers',
    hooks: { apiPolicy: (policy) => ({ ...policy, headers: WEAK_HEADERS }) },
  },
  {
    name: 'wrong-host-cert',
    description: 'The server certificate is issued for api.example.com only, not for the address clients connect to.',
    section: '2.1',
    caughtBy: 'api-certificate',
    hooks: { certificate: (plan) => ({ ...plan, hostnames: [WRONG_HOSTNAME] }) },
  },
];
