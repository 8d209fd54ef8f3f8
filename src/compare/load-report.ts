import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { REPORT_SCHEMA_VERSION, type Report } from '../model/report.js';

/** Reads a report.json written by `payready run` (or `merge`); a clear usage error for anything else. */
export async function loadReport(file: string, cwd: string): Promise<Report> {
  let text: string;
  try {
    text = await readFile(resolve(cwd, file), 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (code ?? 'unreadable')}`);
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
