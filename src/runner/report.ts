import { REPORT_SCHEMA_VERSION, computeVerdict, countStatuses, scoreSections, type CheckResult, type FailOn, type Report } from '../model/report.js';
import type { RunPlan } from './types.js';

/** When the run ran and how it is judged: what the report states besides its results. */
export interface ReportFrame {
  /** The run's plan. */
  plan: RunPlan;
  /** Version written into the report. */
  toolVersion: string;
  /** Gate for the verdict. */
  failOn: FailOn;
  /** When the run started. */
  startedAt: Date;
  /** When it finished. */
  finishedAt: Date;
  /** How long it took, in milliseconds. */
  durationMs: number;
}

/**
 * Stage 5, build report: the report model from the results in suite order, with the verdict
 * under `failOn` (never READY when `incomplete`), counts, section scores and warnings about the
 * environment. What it returns has not left the run yet: the caller hands it to the exit.
 */
export function buildReport(frame: ReportFrame, results: CheckResult[], incomplete: boolean): Report {
  const { plan, failOn } = frame;
  const warnings: string[] = [];
  if (plan.target.insecure) warnings.push(`TLS certificate verification is turned off for environment "${plan.target.name}" (insecure: true): results do not prove the certificate is valid.`);
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'payready', version: frame.toolVersion },
    suite: { name: plan.suite.name, title: plan.suite.title, file: plan.suite.file, sha256: plan.suite.sha256 },
    environment: {
      name: plan.target.name,
      sandbox: plan.target.sandbox,
      embedded: plan.embedded,
      insecure: plan.target.insecure,
      ...(plan.target.baseUrl ? { baseUrl: plan.target.baseUrl } : {}),
      ...(plan.faults?.length ? { faults: plan.faults } : {}),
    },
    startedAt: frame.startedAt.toISOString(),
    finishedAt: frame.finishedAt.toISOString(),
    durationMs: frame.durationMs,
    verdict: computeVerdict(results, failOn, incomplete),
    failOn,
    summary: countStatuses(results),
    sections: scoreSections(results),
    results,
    warnings,
    incomplete,
  };
}
