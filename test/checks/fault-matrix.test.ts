import { describe, expect, it } from 'vitest';
import { STATUSES } from '../../src/model/outcome.js';
import { FAULTS } from '../../src/sandbox/faults.js';
import { runCheck } from './harness.js';

/**
 * Every transport check type meets every sandbox fault: it must end with a status and a summary
 * within its timeout (no throw, no hang), and fail only where its own fault is on.
 */
const TYPES: Record<string, Record<string, unknown>> = {
  tls: { host: '${target.host}', port: '${target.port}', httpsOnly: true, httpPort: '${target.httpPort}' },
  bandwidth: { downloadUrl: '${target.downloadUrl}', uploadUrl: '${target.uploadUrl}', maxBytes: 2_000_000, maxSeconds: 2 },
  headers: { url: '${target.baseUrl}/health' },
  ratelimit: { url: '${target.rateLimitUrl}', expectLimit: '${target.rateLimit}', checkRecovery: false },
  'ip-allowlist': { url: '${target.baseUrl}/health', sourceAddress: '${target.outsideAddress}' },
};

// Faults each type must fail (or error on, for `down`); under every other fault it passes.
const FAILS_UNDER: Record<string, string[]> = {
  tls: ['down', 'expired-cert', 'legacy-tls', 'plain-http', 'weak-cipher', 'wrong-host-cert'],
  bandwidth: ['down', 'slow-network', 'expired-cert', 'wrong-host-cert'],
  headers: ['down', 'weak-headers', 'expired-cert', 'wrong-host-cert'],
  ratelimit: ['down', 'no-rate-limit', 'expired-cert', 'wrong-host-cert'],
  'ip-allowlist': ['down', 'open-allowlist', 'expired-cert', 'wrong-host-cert'],
};

describe('transport check types against every sandbox fault', () => {
  for (const [type, params] of Object.entries(TYPES)) {
    for (const fault of FAULTS) {
      it(`${type} under ${fault.name}`, async () => {
        const { outcome } = await runCheck(type, params, { faults: [fault.name], timeoutMs: 8_000 });
        expect(STATUSES).toContain(outcome.status);
        expect(outcome.summary.length).toBeGreaterThan(10);
        const expected = FAILS_UNDER[type]!.includes(fault.name) ? ['fail', 'error'] : ['pass'];
        expect(expected, outcome.summary).toContain(outcome.status);
        // A certificate the client cannot trust is reported as what it is, never as a crash.
        if (type !== 'tls' && ['expired-cert', 'wrong-host-cert'].includes(fault.name)) {
          expect(outcome.summary).toMatch(/TLS: the (server certificate has expired|certificate does not match the host name)/);
        }
      });
    }
  }
});
