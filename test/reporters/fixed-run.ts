import type { Report } from '../../src/model/report.js';

/**
 * One fixed run result (frozen clock) every reporter test renders: a mix of statuses, a waived
 * failure, a failure whose waiver expired, a blocking failure, and server-supplied text with HTML, XML and ANSI escapes.
 */
export const FIXED_REPORT: Report = {
  schemaVersion: 1,
  tool: { name: 'payready', version: '0.0.0-test' },
  suite: { name: 'go-live', title: 'Go-live readiness', file: 'checks/go-live.yaml', sha256: 'a'.repeat(64) },
  environment: { name: 'sandbox', sandbox: true, embedded: true, insecure: false, baseUrl: 'https://127.0.0.1:8443', faults: ['no-auth'] },
  startedAt: '2026-11-29T10:00:00.000Z',
  finishedAt: '2026-11-29T10:00:01.250Z',
  durationMs: 1250,
  verdict: 'NOT READY',
  failOn: 'major',
  summary: { pass: 2, fail: 3, warn: 1, skip: 1, error: 1 },
  // json-utf8 (1.3) warned: a warning is not a pass, so 1.3 stands at 0/1 (1 warn).
  sections: {
    '1.1': { passed: 1, warned: 0, total: 3 },
    '1.2': { passed: 1, warned: 0, total: 1 },
    '1.3': { passed: 0, warned: 1, total: 1 },
    '2.3': { passed: 0, warned: 0, total: 1 },
    '5.2': { passed: 1, warned: 0, total: 2 },
  },
  results: [
    {
      id: 'api-port-open', type: 'port', title: 'The API port accepts TCP connections', section: '1.2', severity: 'blocker', tags: ['smoke'],
      status: 'pass', summary: '127.0.0.1 (127.0.0.1): 8443 open as expected, connect 0.4 ms', startedAt: '2026-11-29T10:00:00.010Z', durationMs: 3.2, attempts: 1,
      measurements: [{ name: 'connect 127.0.0.1:8443', value: 0.41, unit: 'ms' }],
      assertions: [{ name: 'port 8443', operator: 'eq', expected: 'open', actual: 'open', passed: true }], findings: [], artifacts: [], waived: false,
    },
    {
      id: 'payments-require-auth', type: 'http', title: 'The payments API refuses requests without an access token', section: '1.1', severity: 'blocker', tags: ['oauth'],
      status: 'fail', summary: 'POST /v1/payments: expected status to equal 401, got 201', startedAt: '2026-11-29T10:00:00.020Z', durationMs: 12.5, attempts: 1,
      measurements: [{ name: 'response time', value: 12.01, unit: 'ms' }],
      assertions: [{ name: 'status', operator: 'eq', expected: 401, actual: 201, passed: false }], findings: [],
      artifacts: [{ name: 'transcript.http', mediaType: 'message/http', bytes: 512, description: 'POST /v1/payments request and response' }, { name: 'checkout.png', mediaType: 'image/png', bytes: 70 }], waived: false,
    },
    {
      id: 'hostile-server', type: 'http', title: 'Server text <script>alert(1)</script>', section: '1.1', severity: 'major', tags: [],
      status: 'error', summary: 'GET /x: \u001b[2J\u001b[31mred\u001b[0m <b>&amp;</b> ]]> \u0007bell', startedAt: '2026-11-29T10:00:00.030Z', durationMs: 1500, attempts: 2,
      measurements: [], assertions: [], findings: [], artifacts: [], waived: false,
    },
    {
      id: 'oauth-rejects-bad-secret', type: 'http', title: 'A wrong client secret is refused', section: '1.1', severity: 'major', tags: ['oauth'],
      status: 'pass', summary: 'POST /oauth/token -> 401 in 3.1 ms', startedAt: '2026-11-29T10:00:00.040Z', durationMs: 3.4, attempts: 1,
      measurements: [], assertions: [{ name: 'status', operator: 'eq', expected: 401, actual: 401, passed: true }], findings: [], artifacts: [], waived: false,
    },
    {
      id: 'json-utf8', type: 'http', title: 'API responses are JSON in UTF-8', section: '1.3', severity: 'minor', tags: [],
      status: 'warn', summary: 'charset not declared; UTF-8 assumed', startedAt: '2026-11-29T10:00:00.050Z', durationMs: 2, attempts: 1,
      measurements: [], assertions: [], findings: [], artifacts: [], waived: false,
    },
    {
      id: 'payment-approve', type: 'http', title: 'A test card payment is authorised', section: '5.2', severity: 'blocker', tags: [],
      status: 'fail', summary: 'POST /v1/payments: expected body.status to equal "authorised", got "pending"', startedAt: '2026-11-29T10:00:00.060Z', durationMs: 8, attempts: 1,
      measurements: [], assertions: [{ name: 'body.status', operator: 'eq', expected: 'authorised', actual: 'pending', passed: false }], findings: [], artifacts: [],
      waiver: { reason: 'PSP fixes async authorisation in release 42', approvedBy: 'jane.doe@example.com', expires: '2027-01-31', active: true }, waived: true,
    },
    {
      id: 'rate-limit-burst', type: 'http', title: 'A burst is met with 429 and Retry-After', section: '2.3', severity: 'major', tags: [],
      status: 'fail', summary: 'GET /v1/payments x50: expected status to equal 429, got 200 (waiver expired on 2026-10-31: it no longer counts)', startedAt: '2026-11-29T10:00:00.055Z', durationMs: 310, attempts: 1,
      measurements: [{ name: 'requests before 429', value: 50, unit: 'count' }], assertions: [{ name: 'status', operator: 'eq', expected: 429, actual: 200, passed: false }], findings: [], artifacts: [],
      waiver: { reason: 'Rate limiting ships with the new gateway', approvedBy: 'cto@example.com', expires: '2026-10-31', active: false }, waived: false,
    },
    {
      id: 'refund-full', type: 'http', title: 'A full refund', section: '5.2', severity: 'major', tags: [],
      status: 'skip', summary: 'skipped: needs "payment-approve", which failed', durationMs: 0, attempts: 0,
      measurements: [], assertions: [], findings: [], artifacts: [], waived: false, skippedBy: 'dependency',
    },
  ],
  warnings: [],
  incomplete: false,
};
