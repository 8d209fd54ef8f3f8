import { resolve } from 'node:path';
import { FILE_LIMITS, FileReadError, readRegularFile } from '../files.js';
import { REPORT_SCHEMA_VERSION, type Report } from '../model/report.js';
import { reportError } from './messages.js';

/** Reads a report.json written by `payready run` (or `merge`); a clear usage error for anything else. */
export async function loadReport(file: string, cwd: string): Promise<Report> {
  let text: string;
  try {
    text = (await readRegularFile(resolve(cwd, file), FILE_LIMITS.report)).toString('utf8');
  } catch (err) {
    if (err instanceof FileReadError) throw reportError('reportUnreadable', { file, why: err.message });
    throw err;
  }
  return parseReport(text, file);
}

/** A report.json's text as a report (`file` names it in errors): a clear usage error for anything else. */
export function parseReport(text: string, file: string): Report {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw reportError('reportNotJson', { file });
  }
  const report = value as Partial<Report> | null;
  if (report === null || typeof report !== 'object' || typeof report.schemaVersion !== 'number' || !Array.isArray(report.results) || typeof report.verdict !== 'string') {
    throw reportError('notAReport', { file });
  }
  if (report.schemaVersion > REPORT_SCHEMA_VERSION) {
    throw reportError('reportTooNew', { file, version: report.schemaVersion, supported: REPORT_SCHEMA_VERSION });
  }
  return report as Report;
}
