import { describe, expect, it } from 'vitest';
import json from '../../src/reporters/json.js';
import { FIXED_REPORT } from './fixed-run.js';
import { expectMatchesFile } from './expected.js';

describe('json reporter', () => {
  it('renders the versioned report model (expected output) and round-trips', () => {
    const text = json.render(FIXED_REPORT, {});
    expectMatchesFile(text, 'report.json');
    expect(JSON.parse(text)).toEqual(FIXED_REPORT);
  });
});
