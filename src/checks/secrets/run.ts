import type { Finding, Outcome } from '../../model/outcome.js';
import { describeScan, scanFiles, scanMeasurements, unreadableNote, where, type ScanStats } from '../../scan/files.js';
import { readLines } from '../../scan/read.js';
import { ENV_FILE_RULE as ENV_RULE, findSecrets, fingerprint, maskSecret } from '../../scan/secret-rules.js';
import { ScanPathError } from '../../scan/walk.js';
import { plural } from '../../text.js';
import { messenger } from '../shared/messages.js';
import type { CheckContext, ParamsOf } from '../types.js';
import { compileAllow } from './allow.js';
import { trackedEnvFiles } from './git.js';
import { messages } from './messages.js';
import type { meta } from './meta.js';

type Params = ParamsOf<typeof meta.schema>;

const say = messenger(messages);

/** Scans the files line by line for credentials (and asks git for tracked .env files); only masks and fingerprints leave it. */
export async function run(params: Params, ctx: CheckContext): Promise<Outcome> {
  const { paths, maxFindings } = params;
  const exclude = params.exclude ?? [];
  const allow = compileAllow(params.allow ?? []);
  const findings: Finding[] = [];
  const counts = { error: 0, warning: 0, allowed: 0 };
  let firstFailing: Finding | undefined;
  let firstWarning: Finding | undefined;
  const record = (finding: Finding, fp: string): void => {
    const reason = allow(finding, fp);
    if (reason !== undefined) {
      counts.allowed += 1;
      finding = { ...finding, level: 'note', message: say.text('allowedFinding', { finding: finding.message, reason }) };
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
  const options = { baseDir: ctx.baseDir, exclude, gunzip: false, maxFileBytes: params.maxFileBytes, signal: ctx.signal, now: () => ctx.clock.monotonic() };
  const visit = async (file: { path: string; name: string }, chunks: AsyncGenerator<Buffer>): Promise<void> => {
    scanned.add(file.path);
    for await (const { text, line } of readLines(chunks)) {
      for (const match of findSecrets(text)) {
        const fp = fingerprint(match.rule.id, match.value);
        // The value stops here: only its mask and fingerprint go into the finding.
        const message = say.text('credentialFound', { title: match.rule.title, masked: maskSecret(match.value, match.rule.visiblePrefix), fingerprint: fp });
        record({ rule: match.rule.id, level: match.rule.level, message, file: file.name, line, column: match.column, fingerprint: fp }, fp);
      }
    }
  };

  let stats: ScanStats;
  try {
    stats = await scanFiles(paths, { ...options, gitignore: params.gitignore }, visit);
    if (params.trackedEnvFiles) {
      const tracked = await trackedEnvFiles(paths, ctx.baseDir, exclude, ctx.signal);
      ctx.log.debug(tracked.reason ? `tracked .env check skipped: ${tracked.reason}` : `${tracked.files.length} tracked .env files`);
      for (const file of tracked.files) {
        const fp = fingerprint(ENV_RULE.id, file.name);
        record({ rule: ENV_RULE.id, level: 'error', message: say.text('envFileTracked', { title: ENV_RULE.title }), file: file.name, line: 1, fingerprint: fp }, fp);
        // Ignored but tracked: the walk skipped it, yet a push publishes it.
        if (!scanned.has(file.path)) {
          const extra = await scanFiles([file.name], { ...options, gitignore: false }, visit);
          stats = { ...stats, files: stats.files + extra.files, bytes: stats.bytes + extra.bytes, binary: [...stats.binary, ...extra.binary], utf16: stats.utf16 + extra.utf16, nulPadded: stats.nulPadded + extra.nulPadded, unreadable: [...stats.unreadable, ...extra.unreadable] };
        }
      }
    }
  } catch (err) {
    if (err instanceof ScanPathError) return say.outcome('error', 'badPath', { cause: err.message });
    throw err;
  }

  const measurements = [
    ...scanMeasurements(stats),
    { name: 'credentials found', value: counts.error + counts.warning, unit: 'count' },
    { name: 'allowed findings', value: counts.allowed, unit: 'count' },
  ];
  const values = { leaks: counts.error + counts.warning, allowed: counts.allowed, files: stats.files };
  const rest = { findings, measurements, values };
  const summaryOf = describeScan(stats);
  const allowed = counts.allowed > 0 ? `; ${counts.allowed} allowed` : '';
  const listed = counts.error + counts.warning + counts.allowed > findings.length ? ` (first ${findings.length} listed)` : '';
  if (firstFailing) {
    const n = counts.error;
    const what = firstFailing.message.replace(/ \(fingerprint [0-9a-f]+\)$/, '');
    return say.outcome('fail', 'leaks', { credentials: plural(n, 'hard-coded credential'), count: n, scanned: summaryOf, listed, where: where(firstFailing), what, them: n === 1 ? 'it' : 'them' }, rest);
  }
  if (firstWarning) {
    const n = counts.warning;
    return say.outcome('warn', 'testKeys', { credentials: plural(n, 'test-mode credential'), count: n, scanned: summaryOf, listed, where: where(firstWarning), them: n === 1 ? 'it' : 'them', allowed }, rest);
  }
  if (stats.files === 0 && stats.unreadable.length === 0) return say.outcome('warn', 'noFiles', { paths: paths.join(', ') }, rest);
  const unreadable = unreadableNote(stats);
  if (unreadable) return say.outcome('warn', 'notAllScanned', { scanned: summaryOf, unreadable, allowed }, rest);
  return say.outcome('pass', 'clean', { scanned: summaryOf, allowed, allowedCount: counts.allowed }, rest);
}
