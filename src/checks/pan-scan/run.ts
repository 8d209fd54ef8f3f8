import type { Finding, Outcome } from '../../model/outcome.js';
import { isTestPan, maskPan } from '../../scan/cards.js';
import { binaryFindings, describeScan, listNames, scanMeasurements, unreadableNote, where, type ScanStats } from '../../scan/files.js';
import { PAN_RULES } from '../../scan/pan.js';
import { scanPanFiles } from '../../scan/pan-pool.js';
import { ScanPathError } from '../../scan/walk.js';
import { plural } from '../../text.js';
import { messenger } from '../shared/messages.js';
import type { CheckContext, ParamsOf } from '../types.js';
import { messages } from './messages.js';
import type { meta } from './meta.js';

type Params = ParamsOf<typeof meta.schema>;

const say = messenger(messages);

/** Scans the files for Luhn-valid card numbers; only their masks leave the scanner. */
export async function run(params: Params, ctx: CheckContext): Promise<Outcome> {
  const { testCards, maxFindings } = params;
  const findings: Finding[] = [];
  let realPans = 0;
  let testPans = 0;
  const first: { real?: Finding; test?: Finding } = {};

  let stats: ScanStats;
  try {
    // Big plain files are cut at line breaks and scanned by worker threads (src/scan/pan-pool.ts);
    // hits still arrive in file order with their line numbers, so findings read as one pass would.
    stats = await scanPanFiles(
      params.paths,
      { baseDir: ctx.baseDir, gitignore: params.gitignore, exclude: params.exclude ?? [], gunzip: true, signal: ctx.signal, now: () => ctx.clock.monotonic() },
      (file, hit) => {
        const test = isTestPan(hit.digits);
        if (test && testCards === 'ignore') return;
        const level = test && testCards === 'warn' ? 'warning' : 'error';
        // The digits stop here: only the mask goes into the finding.
        const finding: Finding = {
          rule: test ? PAN_RULES.testCard.id : PAN_RULES.unmasked.id,
          level,
          message: say.text(test ? 'testPanFound' : 'panFound', { brand: hit.brand, masked: maskPan(hit.digits) }),
          file: file.name,
          line: hit.line,
          column: hit.column,
        };
        if (test) testPans += 1;
        else realPans += 1;
        if (level === 'error') first.real ??= finding;
        else first.test ??= finding;
        if (findings.length < maxFindings) findings.push(finding);
      },
    );
  } catch (err) {
    if (err instanceof ScanPathError) return say.outcome('error', 'badPath', { cause: err.message });
    throw err;
  }

  const measurements = [
    ...scanMeasurements(stats),
    { name: 'real-looking card numbers', value: realPans, unit: 'count' },
    { name: 'test card numbers', value: testPans, unit: 'count' },
  ];
  const values = { realPans, testPans, files: stats.files };
  const scanned = describeScan(stats, 'name');
  const listedCount = findings.length;
  // Every file that was not scanned is named: a skipped file may be the one holding card numbers.
  findings.push(...binaryFindings(stats));
  const listed = realPans + testPans > listedCount ? ` (first ${listedCount} listed)` : '';
  if (first.real) {
    const count = realPans + (testCards === 'fail' ? testPans : 0);
    const what = first.real.message.replace(/^unmasked /, '');
    return say.outcome('fail', 'realPans', { cards: plural(count, 'unmasked card number'), count, scanned, listed, where: where(first.real), what }, { findings, measurements, values });
  }
  if (first.test) {
    return say.outcome('warn', 'testPans', { cards: plural(testPans, 'unmasked test card number'), count: testPans, scanned, listed, where: where(first.test) }, { findings, measurements, values });
  }
  if (stats.files === 0 && stats.unreadable.length === 0 && stats.binary.length === 0) {
    return say.outcome('warn', 'noFiles', { paths: params.paths.join(', ') }, { measurements, values });
  }
  const gaps = [binaryNote(stats), unreadableNote(stats)].filter(Boolean).join('; ');
  if (gaps) return say.outcome('warn', 'notAllScanned', { scanned: describeScan(stats, 'omit'), gaps }, { findings, measurements, values });
  return say.outcome('pass', 'clean', { scanned }, { measurements, values });
}

/** The files skipped as binary, for a summary; empty when there were none. */
function binaryNote(stats: ScanStats): string {
  const n = stats.binary.length;
  if (n === 0) return '';
  return say.text('binarySkipped', { files: plural(n, 'file was', 'files were'), names: listNames(stats.binary), them: n === 1 ? 'it' : 'them' });
}
