import type { CheckResult, Report } from '../../src/model/report.js';
import { FIXED_REPORT } from './fixed-run.js';

/**
 * The fixed run plus the results of the file scanners (`secrets`, `pan-scan`) and a `ui` check,
 * whose findings the SARIF reporter turns into code-scanning results. Kept apart from
 * FIXED_REPORT so the other reporters' expected files stay as they are.
 */
const scanners: CheckResult[] = [
  {
    id: 'no-hardcoded-credentials', type: 'secrets', title: 'No hard-coded credentials in the integration', section: '2.1', severity: 'blocker', tags: ['compliance'],
    status: 'fail', summary: '2 hard-coded credentials in 12 files, 48.2 KB, first ../src/config.js:3 (live secret API key sk_live_********p7dc): move them to environment variables or a vault, and rotate them',
    startedAt: '2026-11-29T10:00:00.070Z', durationMs: 21.5, attempts: 1,
    measurements: [{ name: 'files scanned', value: 12, unit: 'count' }],
    assertions: [],
    findings: [
      { rule: 'payment/live-secret-key', level: 'error', message: 'live secret API key (sk_live_/rk_live_: Stripe, Paystack and others) sk_live_********p7dc (fingerprint 0123456789abcdef)', file: '../src/config.js', line: 3, column: 15, fingerprint: '0123456789abcdef' },
      { rule: 'env-file/tracked', level: 'error', message: '.env file tracked by git: its values are published with every clone; remove it with git rm --cached and add it to .gitignore', file: '../.env', line: 1, fingerprint: 'fedcba9876543210' },
      { rule: 'payment/test-secret-key', level: 'note', message: 'test-mode secret API key (sk_test_/rk_test_) sk_test_********p7dc (fingerprint 00112233aabbccdd); allowed: documented provider example', file: '../docs/setup guide.md', line: 40, column: 9, fingerprint: '00112233aabbccdd' },
    ],
    artifacts: [], waived: false,
  },
  {
    id: 'no-pan-in-logs', type: 'pan-scan', title: 'No unmasked card numbers in logs', section: '2.2', severity: 'blocker', tags: ['compliance'],
    status: 'fail', summary: '1 unmasked card number in 3 files, 1.2 MB, first /var/log/shop/app.log:1042 (visa card number 453201******0366): mask PANs to first six/last four at most before they are logged or stored',
    startedAt: '2026-11-29T10:00:00.080Z', durationMs: 9.1, attempts: 1,
    measurements: [{ name: 'throughput', value: 312.5, unit: 'MB/s' }],
    assertions: [],
    findings: [
      { rule: 'pan/unmasked', level: 'error', message: 'unmasked visa card number 453201******0366', file: '/var/log/shop/app.log', line: 1042, column: 57 },
      { rule: 'pan/test-card', level: 'warning', message: 'unmasked test visa card number 411111******1111', file: 'logs/app.log', line: 7, column: 12 },
    ],
    artifacts: [], waived: false,
  },
  {
    id: 'checkout-mobile', type: 'ui', title: 'The hosted checkout works on phones', section: '6.1', severity: 'major', tags: ['ui'],
    status: 'fail', summary: '360x640: the page is 980 px wide in a 360 px viewport and scrolls sideways: use a fluid layout (max-width, %, flex) instead of fixed widths',
    startedAt: '2026-11-29T10:00:00.090Z', durationMs: 2400, attempts: 1,
    measurements: [], assertions: [],
    findings: [{ rule: 'ui/overflow', level: 'error', message: '360x640: the page is 980 px wide in a 360 px viewport and scrolls sideways' }],
    artifacts: [{ name: 'checkout-360x640.png', mediaType: 'image/png', bytes: 3950, description: 'the checkout at 360x640 after a declined card (card fields blanked)' }],
    waived: false,
  },
];

export const FIXED_REPORT_WITH_FINDINGS: Report = {
  ...FIXED_REPORT,
  summary: { ...FIXED_REPORT.summary, fail: FIXED_REPORT.summary.fail + scanners.length },
  results: [...FIXED_REPORT.results, ...scanners],
};
