// Issue 8: memory stays flat as work grows. Peak RSS of a 100-check and a 1,000-check suite run
// against the embedded sandbox (10x more checks), and the growth ratio.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, WORK, peakRssOf, round } from '../lib.js';

function suite(checks) {
  const lines = ['suite: rss', 'title: Resource growth', 'environments:', '  sandbox: { embedded: true, sandbox: true }', 'checks:'];
  for (let i = 0; i < checks; i++) lines.push(`  - { id: c-${i}, type: http, section: "1.1", with: { url: "\${target.baseUrl}/health?i=${i}", expect: { status: 200 } } }`);
  return `${lines.join('\n')}\n`;
}

async function peakOfRun(checks) {
  const file = join(WORK, `rss-${checks}.yaml`);
  writeFileSync(file, suite(checks));
  const result = await peakRssOf(process.execPath, [BIN, 'run', file, '--quiet', '--out', join(WORK, `rss-${checks}-out`)]);
  if (result.code !== 0) throw new Error(`run of ${checks} checks exited ${result.code}: ${result.stderr.slice(0, 300)}`);
  return result.peakMb;
}

export default async function resources() {
  const small = await peakOfRun(100);
  const large = await peakOfRun(1000);
  const growth = large / small;
  return [
    { name: 'peak RSS, 100-check suite run', unit: 'MB', median: round(small, 1) },
    { name: 'peak RSS, 1,000-check suite run', unit: 'MB', median: round(large, 1), ratio: round(growth), peer: '100-check run (10x the work)', budget: 'flat (< 1.5x for 10x the work)', ok: growth < 1.5 },
  ];
}
