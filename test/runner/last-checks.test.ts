import { describe, expect, it } from 'vitest';
import { runSuite } from '../../src/runner/run.js';
import { startSandbox } from '../../src/sandbox/index.js';
import { parseSuite } from '../../src/suite/load.js';
import { resolveEnvironment } from '../../src/suite/resolve.js';

const SUITE = `suite: last-checks
title: Load phases and KPIs run after the other checks
environments:
  sandbox: { embedded: true }
checks:
  - id: health
    type: http
    section: "1.1"
    with: { url: "\${target.baseUrl}/health" }
  - id: burst
    type: load
    section: "3.2"
    with: { url: "\${target.baseUrl}/health", requests: 50, connections: 2 }
  - id: kpis-with-burst
    type: kpi
    section: "3.2"
    needs: [burst]
    with: { thresholds: ["requests == 51"] }
  - id: kpis-without-burst
    type: kpi
    section: "3.2"
    with: { thresholds: ["requests == 1"], exclude: [burst] }
`;

describe('checks that run last', () => {
  it('a kpi that needs a load phase judges its calls; one that excludes it does not see them', async () => {
    const suite = await parseSuite(SUITE, 'suites/last.yaml', { env: {} });
    const sandbox = await startSandbox();
    try {
      const { target, secrets } = await resolveEnvironment(suite, 'sandbox', { env: {}, embeddedFields: sandbox.targetFields() });
      const order: string[] = [];
      const { report } = await runSuite({ suite, target, embedded: true, secrets, env: {} }, { toolVersion: 'test', listeners: [{ onCheckStart: (c) => order.push(c.id) }] });
      expect(report.results.map((r) => [r.id, r.status])).toEqual([
        ['health', 'pass'],
        ['burst', 'pass'],
        ['kpis-with-burst', 'pass'],
        ['kpis-without-burst', 'pass'],
      ]);
      expect(report.results[2]!.summary).toBe('51 calls by 2 checks: requests 51 == 51');
      expect(report.results[3]!.summary).toBe('1 call by 1 check: requests 1 == 1');
      expect(order[0]).toBe('health');
      expect(order.indexOf('kpis-with-burst')).toBeGreaterThan(order.indexOf('burst'));
    } finally {
      await sandbox.close();
    }
  });
});
