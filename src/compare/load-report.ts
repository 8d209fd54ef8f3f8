import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { FILE_LIMITS, FileReadError, readRegularFile } from '../files.js';
import { REPORT_SCHEMA_VERSION, type Report } from '../model/report.js';

/** Reads a report.json written by `payready run` (or `merge`); a clear usage error for anything else. */
export async function loadReport(file: string, cwd: string): Promise<Report> {
  let text: string;
  try {
    text = (await readRegularFile(resolve(cwd, file), FILE_LIMITS.report)).toString('utf8');
  } catch (err) {
    if (err instanceof FileReadError) throw new UsageError(`cannot read ${file}: ${err.message}`);
    throw err;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UsageError(`${file} is not JSON`, 'give the report.json that payready run writes (--out DIR)');
  }
  const report = value as Partial<Report> | null;
  if (report === null || typeof report !== 'object' || typeof report.schemaVersion !== 'number' || !Array.isArray(report.results) || typeof report.verdict !== 'string') {
    throw new UsageError(`${file} is not a payready report`, 'give the report.json that payready run writes (--out DIR)');
  }
  if (report.schemaVersion > REPORT_SCHEMA_VERSION) {
    throw new UsageError(`${file} has report schema ${report.schemaVersion}, newer than this payready reads (${REPORT_SCHEMA_VERSION})`, 'upgrade payready');
  }
  return report as Report;
}
