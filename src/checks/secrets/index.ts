import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import picomatch from 'picomatch';
import { legacyCheck } from '../types.js';
import type { Finding, Outcome } from '../../model/outcome.js';
import { describeScan, scanFiles, scanMeasurements, unreadableNote, where, type ScanStats } from '../../scan/files.js';
import { isEnvFile, trackedFiles } from '../../scan/git.js';
import { readLines } from '../../scan/read.js';
import { ENV_FILE_RULE as ENV_RULE, findSecrets, fingerprint, maskSecret } from '../../scan/secret-rules.js';
import { ScanPathError } from '../../scan/walk.js';

/** An accepted finding: what it matches and why it is fine. */
interface AllowEntry {
  /** Rule id or glob (`generic/*`). */
  rule?: string;
  /** Glob on the file as findings show it (`test/fixtures/**`). */
  path?: string;
  /** The finding's fingerprint (stable across line moves). */
  fingerprint?: string;
  /** Why this is not a leak (shown in the report). */
  reason: string;
}

/** Parameters of the `secrets` check type. */
export interface SecretsParams {
  /** Files, folders and globs to scan, relative to the suite's folder. */
  paths: string[];
  /** Globs of paths to leave out. */
  exclude?: string[];
  /** Accepted findings, each with a reason. */
  allow?: AllowEntry[];
  /** Skip what `.gitignore` ignores. */
  gitignore: boolean;
  /** Report `.env` files tracked by git (needs git; skipped outside a work tree). */
  trackedEnvFiles: boolean;
  /** Skip files larger than this (bytes). */
  maxFileBytes: number;
  /** Findings listed in the report at most. */
  maxFindings: number;
}



export default legacyCheck<SecretsParams>({
  name: 'secrets',
  description: "No hard-coded credentials in the integration's files (provider and cloud key formats, PEM private keys, high-entropy credential assignments, .env files tracked by git); values reported masked.",
  // Credentials kept out of files, in the environment or a vault (2.1.b). A file scan proves
  // nothing about TLS (2.1.a).
  items: ['2.1.b'],
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      paths: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 }, default: ['.'], description: 'Files, folders and globs to scan, relative to the suite file.' },
      exclude: { type: 'array', items: { type: 'string', minLength: 1 }, description: 'Globs of paths to leave out (matched against the path as findings show it).' },
      allow: {
        type: 'array',
        description: 'Accepted findings: { rule, path, fingerprint } (any of them) and a reason; they are listed as notes, not failures.',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['reason'],
          // reason plus at least one of rule, path, fingerprint: an entry must say what it allows.
          minProperties: 2,
          properties: {
            rule: { type: 'string', minLength: 1, description: 'Rule id or glob, e.g. payment/test-secret-key or generic/*.' },
            path: { type: 'string', minLength: 1, description: 'Glob on the file as findings show it.' },
            fingerprint: { type: 'string', pattern: '^[0-9a-f]{16}$', description: 'A finding’s fingerprint (shown in its message).' },
            reason: { type: 'string', minLength: 3, description: 'Why this is not a leak.' },
          },
        },
      },
      gitignore: { type: 'boolean', default: true, description: 'Skip what .gitignore ignores (a path named in paths is always scanned).' },
      trackedEnvFiles: { type: 'boolean', default: true, description: 'Report .env files tracked by git (needs git; skipped outside a work tree).' },
      maxFileBytes: { type: 'integer', minimum: 1, default: 5_000_000, description: 'Skip files larger than this many bytes (bundles, data dumps).' },
      maxFindings: { type: 'integer', minimum: 1, default: 100, description: 'Findings listed in the report at most (all are counted).' },
    },
  },
  values: { leaks: 'hard-coded credentials found (not allowed)', allowed: 'findings excused by allow entries', files: 'files scanned' },
  example: { paths: ['..'], exclude: ['test/fixtures/**'], allow: [{ rule: 'payment/test-secret-key', path: 'docs/**', reason: 'documented test key from the provider' }] },

  async run(params, ctx): Promise<Outcome> {
    const paths = params.paths ?? ['.'];
    const maxFindings = params.maxFindings ?? 100;
    const allow = compileAllow(params.allow ?? []);
    const findings: Finding[] = [];
    const counts = { error: 0, warning: 0, allowed: 0 };
    let firstFailing: Finding | undefined;
    let firstWarning: Finding | undefined;
    const record = (finding: Finding, fp: string): void => {
      const reason = allow(finding, fp);
      if (reason !== undefined) {
        counts.allowed += 1;
        finding = { ...finding, level: 'note', message: `${finding.message}; allowed: ${reason}` };
      } else if (finding.level === 'error') {
        counts.error += 1;
        firstFailing ??= finding;
      } else {
        counts.warning += 1;
        firstWarning ??= finding;
      }
      if (findings.length < maxFindings) findings.push(finding);
    };

    const scanned = new Set<string>();
    const options = {
      baseDir: ctx.baseDir,
      exclude: params.exclude ?? [],
      gunzip: false,
      maxFileBytes: params.maxFileBytes ?? 5_000_000,
      signal: ctx.signal,
      now: () => ctx.clock.monotonic(),
    };
    const visit = async (file: { path: string; name: string }, chunks: AsyncGenerator<Buffer>): Promise<void> => {
      scanned.add(file.path);
      for await (const { text, line } of readLines(chunks)) {
        for (const match of findSecrets(text)) {
          const fp = fingerprint(match.rule.id, match.value);
          // The value stops here: only its mask and fingerprint go into the finding.
          record(
            { rule: match.rule.id, level: match.rule.level, message: `${match.rule.title} ${maskSecret(match.value, match.rule.visiblePrefix)} (fingerprint ${fp})`, file: file.name, line, column: match.column, fingerprint: fp },
            fp,
          );
        }
      }
    };

    let stats: ScanStats;
    try {
      stats = await scanFiles(paths, { ...options, gitignore: params.gitignore ?? true }, visit);
      if (params.trackedEnvFiles ?? true) {
        const tracked = await trackedEnvFiles(paths, ctx.baseDir, params.exclude ?? [], ctx.signal);
        ctx.log.debug(tracked.reason ? `tracked .env check skipped: ${tracked.reason}` : `${tracked.files.length} tracked .env files`);
        for (const file of tracked.files) {
          const fp = fingerprint(ENV_RULE.id, file.name);
          record({ rule: ENV_RULE.id, level: 'error', message: `${ENV_RULE.title}: its values are published with every clone; remove it with git rm --cached and add it to .gitignore`, file: file.name, line: 1, fingerprint: fp }, fp);
          // Ignored but tracked: the walk skipped it, yet a push publishes it.
          if (!scanned.has(file.path)) {
            const extra = await scanFiles([file.name], { ...options, gitignore: false }, visit);
            stats = { ...stats, files: stats.files + extra.files, bytes: stats.bytes + extra.bytes, binary: [...stats.binary, ...extra.binary], utf16: stats.utf16 + extra.utf16, nulPadded: stats.nulPadded + extra.nulPadded, unreadable: [...stats.unreadable, ...extra.unreadable] };
          }
        }
      }
    } catch (err) {
      if (err instanceof ScanPathError) return { status: 'error', summary: `${err.message}: point paths at the integration's source folders` };
      throw err;
    }

    const measurements = [
      ...scanMeasurements(stats),
      { name: 'credentials found', value: counts.error + counts.warning, unit: 'count' },
      { name: 'allowed findings', value: counts.allowed, unit: 'count' },
    ];
    const values = { leaks: counts.error + counts.warning, allowed: counts.allowed, files: stats.files };
    const summaryOf = describeScan(stats);
    const allowedNote = counts.allowed > 0 ? `; ${counts.allowed} allowed` : '';
    const listed = counts.error + counts.warning + counts.allowed > findings.length ? ` (first ${findings.length} listed)` : '';
    if (firstFailing) {
      const n = counts.error;
      return {
        status: 'fail',
        summary: `${n} hard-coded ${n === 1 ? 'credential' : 'credentials'} in ${summaryOf}${listed}, first ${where(firstFailing)} (${firstFailing.message.replace(/ \(fingerprint [0-9a-f]+\)$/, '')}): move ${n === 1 ? 'it' : 'them'} to environment variables or a vault, and rotate ${n === 1 ? 'it' : 'them'}`,
        findings,
        measurements,
        values,
      };
    }
    if (firstWarning) {
      const n = counts.warning;
      return {
        status: 'warn',
        summary: `${n} test-mode ${n === 1 ? 'credential' : 'credentials'} in ${summaryOf}${listed}, first ${where(firstWarning)}: read ${n === 1 ? 'it' : 'them'} from the environment too${allowedNote}`,
        findings,
        measurements,
        values,
      };
    }
    if (stats.files === 0 && stats.unreadable.length === 0) {
      return { status: 'warn', summary: `no files matched ${paths.join(', ')}: point paths at the integration's source`, findings, measurements, values };
    }
    const unreadable = unreadableNote(stats);
    if (unreadable) return { status: 'warn', summary: `no hard-coded credentials in ${summaryOf}, but ${unreadable}${allowedNote}`, findings, measurements, values };
    return { status: 'pass', summary: `no hard-coded credentials in ${summaryOf}${allowedNote}`, findings, measurements, values };
  },
});

/** A function telling whether (and why) a finding is allowed. */
function compileAllow(entries: readonly AllowEntry[]): (finding: Finding, fp: string) => string | undefined {
  const compiled = entries.map((entry) => ({
    rule: entry.rule ? picomatch(entry.rule) : undefined,
    path: entry.path ? picomatch(entry.path, { dot: true }) : undefined,
    fingerprint: entry.fingerprint,
    reason: entry.reason,
  }));
  return (finding, fp) =>
    compiled.find((e) => (!e.rule || e.rule(finding.rule)) && (!e.path || (finding.file !== undefined && e.path(finding.file))) && (!e.fingerprint || e.fingerprint === fp))?.reason;
}

/** `.env` files git tracks below the folders named in `paths`. */
async function trackedEnvFiles(paths: readonly string[], baseDir: string, exclude: readonly string[], signal: AbortSignal): Promise<{ files: { name: string; path: string }[]; reason?: string }> {
  const excluded = exclude.length > 0 ? picomatch([...exclude], { dot: true }) : () => false;
  const files: { name: string; path: string }[] = [];
  const seen = new Set<string>();
  let reason: string | undefined;
  for (const pattern of paths) {
    const scanned = picomatch.scan(pattern);
    const base = scanned.isGlob ? scanned.base || '.' : pattern;
    const dir = resolve(baseDir, base);
    const info = await stat(dir).catch(() => undefined);
    if (!info?.isDirectory()) continue;
    const tracked = await trackedFiles(dir, signal);
    if (!tracked.ok) {
      reason ??= tracked.reason;
      continue;
    }
    for (const rel of tracked.files.filter(isEnvFile)) {
      const path = resolve(dir, rel);
      const name = base === '.' ? rel : `${base.replace(/\/+$/, '')}/${rel}`;
      if (seen.has(path) || excluded(name) || excluded(rel)) continue;
      seen.add(path);
      files.push({ name, path });
    }
  }
  return { files, ...(reason ? { reason } : {}) };
}
