// Budget: `payready demo` (every check type but `ui`) under 5 s wall on a 2-core machine; the `ui`
// check (headless Chromium, four viewports) is measured on top, so its cost is visible.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, WORK, interleave, round } from '../lib.js';

export default async function demoUi({ runs }) {
  const out = join(WORK, 'demo-report');
  const n = Math.min(runs, 5);
  const commands = [{ command: process.execPath, args: [BIN, 'demo', '--skip', 'checkout-mobile', '--out', out, '--quiet'] }];
  const chromium = existsSync('/usr/bin/chromium');
  if (chromium) commands.push({ command: process.execPath, args: [BIN, 'demo', '--out', out, '--quiet'] });
  const [without, withUi] = interleave(commands, n);
  const rows = [{ name: 'payready demo --skip checkout-mobile (wall)', unit: 'ms', median: round(without.median, 1), samples: without.samples, budget: '< 5000 ms', ok: without.median < 5000 }];
  if (withUi) rows.push({ name: 'payready demo, with the ui check (wall)', unit: 'ms', median: round(withUi.median, 1), samples: withUi.samples, ratio: round(withUi.median / without.median), peer: 'demo without ui' });
  else rows.push({ name: 'payready demo, with the ui check', error: 'Chromium not installed (/usr/bin/chromium)' });
  return rows;
}
