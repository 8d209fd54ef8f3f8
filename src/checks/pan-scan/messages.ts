import type { Messages } from '../../model/messages.js';

const MASK_FIX = 'Mask card numbers to the first six and last four digits at most before they are logged or stored (PCI DSS 3.4), then purge or rotate away the logs that hold full numbers.';

/** Every summary, part of a summary and finding the `pan-scan` type can produce. */
export const messages = {
  clean: { status: 'pass', text: 'no card numbers in {scanned}' },
  realPans: {
    status: 'fail',
    text: '{cards} in {scanned}{listed}, first {where} ({what}): mask PANs to first six/last four at most before they are logged or stored',
    fix: MASK_FIX,
  },
  testPans: {
    status: 'warn',
    text: '{cards} in {scanned}{listed}, first {where}: the code path logs full card numbers; mask them before real cards reach it',
    fix: 'Mask card numbers where the integration logs them: the test cards show the path that would log real ones.',
  },
  noFiles: {
    status: 'warn',
    text: "no files matched {paths}: point paths at the integration's logs",
    fix: "Point `paths` at the folders or globs where the integration's logs are written.",
  },
  notAllScanned: {
    status: 'warn',
    text: 'no card numbers in {scanned}, but {gaps}',
    fix: 'Make every log readable as text (or leave the files out with `exclude`): a file not scanned may be the one holding card numbers.',
  },
  binarySkipped: {
    status: 'warn',
    text: '{files} skipped as binary and not scanned ({names}): decompress or convert {them} to text, or leave {them} out with exclude',
    fix: 'Decompress or convert the files to text, or leave them out with `exclude` when they are not logs.',
  },
  badPath: {
    status: 'error',
    text: "{cause}: point paths at the integration's log files or folders",
    fix: 'Point `paths` at files or folders that exist (relative to the suite file).',
  },
  panFound: {
    status: 'fail',
    text: 'unmasked {brand} card number {masked}',
    fix: MASK_FIX,
  },
  testPanFound: {
    status: ['warn', 'fail'],
    text: 'unmasked test {brand} card number {masked}',
    fix: 'Mask card numbers where the integration logs them (`testCards: fail` makes test numbers failures, `ignore` leaves them out).',
  },
} as const satisfies Messages;
