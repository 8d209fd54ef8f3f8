import { describe, expect, it } from 'vitest';
import { formatSuiteError, SuiteError } from '../../src/suite/errors.js';

const file = 'checks/go-live.yaml';

describe('formatSuiteError', () => {
  it('draws a rustc-style frame with the hint under the caret', () => {
    const source = `${'x\n'.repeat(13)}    tls:\n      minVersoin: TLSv1.2\n`;
    const error = new SuiteError(
      [{ message: 'unknown parameter "minVersoin" for check type "tls"', location: { file, line: 15, column: 7 }, hint: 'did you mean "minVersion"? expected one of: host, port, minVersion, minDaysToExpiry' }],
      source,
    );
    expect(formatSuiteError(error)).toBe(
      [
        'error: unknown parameter "minVersoin" for check type "tls"',
        '  --> checks/go-live.yaml:15:7',
        '   |',
        '15 |       minVersoin: TLSv1.2',
        '   |       ^ did you mean "minVersion"? expected one of: host, port, minVersion, minDaysToExpiry',
        '',
      ].join('\n'),
    );
  });

  it('sorts problems by position, shows file-level ones first, and works without the source', () => {
    const error = new SuiteError([
      { message: 'second', location: { file, line: 9, column: 3 } },
      { message: 'whole file', hint: 'fix it' },
      { message: 'first', location: { file, line: 2, column: 1 }, hint: 'here' },
    ]);
    expect(formatSuiteError(error)).toBe('error: whole file\n  = help: fix it\n\nerror: first\n --> checks/go-live.yaml:2:1\n  = help: here\n\nerror: second\n --> checks/go-live.yaml:9:3\n');
  });

  it('masks concealed credentials, keeps tabs under the caret and cuts long lines around it', () => {
    const source = 'a:\n\tkey: hunter2-secret # note\n' + `${'y'.repeat(200)}Z${'y'.repeat(200)}\n`;
    const error = new SuiteError(
      [
        { message: 'literal', location: { file, line: 2, column: 7 }, conceal: { start: 7, end: 21 } },
        { message: 'long', location: { file, line: 3, column: 201 } },
      ],
      source,
    );
    const lines = formatSuiteError(error).split('\n');
    expect(lines.slice(0, 5)).toEqual(['error: literal', ' --> checks/go-live.yaml:2:7', '  |', '2 | \tkey: ******** # note', '  | \t     ^']);
    const frame = lines.slice(6);
    expect(frame[3]).toBe(`3 | ...${'y'.repeat(60)}Z${'y'.repeat(59)}...`);
    expect(frame[4]?.indexOf('^')).toBe(frame[3]?.indexOf('Z'));
  });
});
