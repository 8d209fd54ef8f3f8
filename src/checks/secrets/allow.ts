import picomatch from 'picomatch';
import type { Finding } from '../../model/outcome.js';

/** An accepted finding: what it matches and why it is fine. */
export interface AllowEntry {
  /** Rule id or glob (`generic/*`). */
  rule?: string;
  /** Glob on the file as findings show it (`test/fixtures/**`). */
  path?: string;
  /** The finding's fingerprint (stable across line moves). */
  fingerprint?: string;
  /** Why this is not a leak (shown in the report). */
  reason: string;
}

/** A function telling whether (and why) a finding is allowed. */
export function compileAllow(entries: readonly AllowEntry[]): (finding: Finding, fp: string) => string | undefined {
  const compiled = entries.map((entry) => ({
    rule: entry.rule ? picomatch(entry.rule) : undefined,
    path: entry.path ? picomatch(entry.path, { dot: true }) : undefined,
    fingerprint: entry.fingerprint,
    reason: entry.reason,
  }));
  return (finding, fp) =>
    compiled.find((e) => (!e.rule || e.rule(finding.rule)) && (!e.path || (finding.file !== undefined && e.path(finding.file))) && (!e.fingerprint || e.fingerprint === fp))?.reason;
}
