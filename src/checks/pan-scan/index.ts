import { legacyCheck } from '../types.js';
import type { Finding, Outcome } from '../../model/outcome.js';
import { isTestPan, maskPan } from '../../scan/cards.js';
import { binaryFindings, describeScan, listNames, scanFiles, scanMeasurements, unreadableNote, where, type ScanStats } from '../../scan/files.js';
import { PAN_RULES, PanScanner } from '../../scan/pan.js';
import { ScanPathError } from '../../scan/walk.js';

/** Parameters of the `pan-scan` check type. */
export interface PanScanParams {
  /** Log files, folders and globs (relative to the suite's folder); `.gz` files are read through gunzip. */
  paths: string[];
  /** Globs of paths to leave out. */
  exclude?: string[];
  /** What a documented test card number counts as. */
  testCards: 'warn' | 'fail' | 'ignore';
  /** Skip what `.gitignore` ignores inside the folders walked (logs usually are ignored, hence off). */
  gitignore: boolean;
  /** Findings listed in the report at most (all are counted). */
  maxFindings: number;
}

export default legacyCheck<PanScanParams>({
  name: 'pan-scan',
  description: 'No unmasked card numbers (Luhn-valid PANs in known IIN ranges) in logs or files, plain or gzipped, UTF-8 or UTF-16; reported masked as first six/last four.',
  // Full card numbers kept out of logs and files is PCI DSS (2.2.a). GDPR (2.2.b) is about
  // personal data, which a card-number scan does not look for.
  items: ['2.2.a'],
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['paths'],
    properties: {
      paths: {
        type: 'array',
        minItems: 1,
        items: { type: 'string', minLength: 1 },
        description: 'Log files, folders and globs (logs/**/*.log), relative to the suite file; .gz files are decompressed while read.',
      },
      exclude: { type: 'array', items: { type: 'string', minLength: 1 }, description: 'Globs of paths to leave out.' },
      testCards: {
        enum: ['warn', 'fail', 'ignore'],
        default: 'warn',
        description: 'What a documented test card number (4111 1111 1111 1111...) counts as; any other valid PAN always fails.',
      },
      gitignore: { type: 'boolean', default: false, description: 'Skip what .gitignore ignores inside the folders walked.' },
      maxFindings: { type: 'integer', minimum: 1, default: 100, description: 'Findings listed in the report at most (all are counted).' },
    },
  },
  values: { realPans: 'unmasked real-looking card numbers found', testPans: 'unmasked test card numbers found', files: 'files scanned' },
  example: { paths: ['logs/**/*.log', 'logs/**/*.log.gz'], testCards: 'warn' },

  async run(params, ctx): Promise<Outcome> {
    const testCards = params.testCards ?? 'warn';
    const maxFindings = params.maxFindings ?? 100;
    const findings: Finding[] = [];
    let realPans = 0;
    let testPans = 0;
    const first: { real?: Finding; test?: Finding } = {};

    let stats: ScanStats;
    try {
      stats = await scanFiles(
        params.paths,
        { baseDir: ctx.baseDir, gitignore: params.gitignore ?? false, exclude: params.exclude ?? [], gunzip: true, signal: ctx.signal, now: () => ctx.clock.monotonic() },
        async (file, chunks) => {
          const scanner = new PanScanner((hit) => {
            const test = isTestPan(hit.digits);
            if (test && testCards === 'ignore') return;
            const level = test && testCards === 'warn' ? 'warning' : 'error';
            // The digits stop here: only the mask goes into the finding.
            const finding: Finding = {
              rule: test ? PAN_RULES.testCard.id : PAN_RULES.unmasked.id,
              level,
              message: `unmasked ${test ? 'test ' : ''}${hit.brand} card number ${maskPan(hit.digits)}`,
              file: file.name,
              line: hit.line,
              column: hit.column,
            };
            if (test) testPans += 1;
            else realPans += 1;
            if (level === 'error') first.real ??= finding;
            else first.test ??= finding;
            if (findings.length < maxFindings) findings.push(finding);
          });
          for await (const chunk of chunks) scanner.feed(chunk);
          scanner.end();
        },
      );
    } catch (err) {
      if (err instanceof ScanPathError) return { status: 'error', summary: `${err.message}: point paths at the integration's log files or folders` };
      throw err;
    }

    const measurements = [
      ...scanMeasurements(stats),
      { name: 'real-looking card numbers', value: realPans, unit: 'count' },
      { name: 'test card numbers', value: testPans, unit: 'count' },
    ];
    const values = { realPans, testPans, files: stats.files };
    const scanned = describeScan(stats, 'name');
    const unreadable = unreadableNote(stats);
    const listed = findings.length;
    // Every file that was not scanned is named: a skipped file may be the one holding card numbers.
    findings.push(...binaryFindings(stats));
    const failing = first.real;
    const testFailing = testCards === 'fail' ? testPans : 0;
    const errors = realPans + testFailing;
    const truncated = realPans + testPans > listed ? ` (first ${listed} listed)` : '';
    if (failing) {
      return {
        status: 'fail',
        summary: `${errors} unmasked card ${errors === 1 ? 'number' : 'numbers'} in ${scanned}${truncated}, first ${where(failing)} (${failing.message.replace(/^unmasked /, '')}): mask PANs to first six/last four at most before they are logged or stored`,
        findings,
        measurements,
        values,
      };
    }
    if (first.test) {
      return {
        status: 'warn',
        summary: `${testPans} unmasked test card ${testPans === 1 ? 'number' : 'numbers'} in ${scanned}${truncated}, first ${where(first.test)}: the code path logs full card numbers; mask them before real cards reach it`,
        findings,
        measurements,
        values,
      };
    }
    if (stats.files === 0 && stats.unreadable.length === 0 && stats.binary.length === 0) {
      return { status: 'warn', summary: `no files matched ${params.paths.join(', ')}: point paths at the integration's logs`, measurements, values };
    }
    const gaps = [binaryNote(stats), unreadable].filter(Boolean).join('; ');
    if (gaps) return { status: 'warn', summary: `no card numbers in ${describeScan(stats, 'omit')}, but ${gaps}`, findings, measurements, values };
    return { status: 'pass', summary: `no card numbers in ${scanned}`, measurements, values };
  },
});

/** The files skipped as binary, for a summary; empty when there were none. */
function binaryNote(stats: ScanStats): string {
  const n = stats.binary.length;
  if (n === 0) return '';
  const it = n === 1 ? 'it' : 'them';
  return `${n} ${n === 1 ? 'file was' : 'files were'} skipped as binary and not scanned (${listNames(stats.binary)}): decompress or convert ${it} to text, or leave ${it} out with exclude`;
}
