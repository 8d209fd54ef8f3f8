import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The test files that take longest (vitest's JSON report, summed test durations, heaviest first).
 * They start first so that no long file starts last, with the other worker idle at the end.
 * vitest's own order puts files it has timed before by duration, but a clean clone (CI) has no
 * timings and it orders by file size: the two fault-demo files, four lines each, would start last.
 */
const SLOW_FIRST = [
  'test/e2e/integration.test.ts',
  'test/e2e/provider-demos.test.ts',
  'test/e2e/isolation.test.ts',
  'test/e2e/demo-faults-1.test.ts',
  'test/e2e/shards.test.ts',
  'test/hardening/interrupt.test.ts',
  'test/checks/fault-matrix.test.ts',
  'test/checks/ui.test.ts',
  'test/hardening/loader-fuzz.test.ts',
  'test/examples/merchant.test.ts',
  'test/checks/kpi.test.ts',
  'test/e2e/demo-faults-2.test.ts',
  'test/sandbox/adyen/modifications.test.ts',
  'test/hardening/fault-matrix.test.ts',
  'test/e2e/signals.test.ts',
  'test/runner/run.test.ts',
  'test/conformance/prism-adyen.test.ts',
  'test/e2e/compliance.test.ts',
  'test/checks/load.test.ts',
  'test/e2e/demo.test.ts',
  'test/checks/integration-3ds.test.ts',
  'test/hardening/canary.test.ts',
];

/** vitest's order, but the files known to be slowest first, slowest of them first. */
export default class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (spec: TestSpecification): number => {
      const index = SLOW_FIRST.findIndex((path) => spec.moduleId.endsWith(`/${path}`));
      return index === -1 ? SLOW_FIRST.length : index;
    };
    // Array.prototype.sort is stable: the rest keep vitest's order.
    return sorted.sort((a, b) => rank(a) - rank(b));
  }
}
