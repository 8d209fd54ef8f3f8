// Issue 8: memory stays flat as work grows. Peak RSS of a 100-check and a 1,000-check suite run,
// and of a 10,000-request and a 100,000-request load phase, against the embedded sandbox (10x
// the work each time), and the growth ratios.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, WORK, peakRssOf, round } from '../lib.js';

function suite(checks) {
  const lines = ['suite: rss', 'title: Resource growth', 'environments:', '  sandbox: { embedded: true, sandbox: true }', 'checks:'];
  for (let i = 0; i < checks; i++) lines.push(`  - { id: c-${i}, type: http, section: "1.1", with: { url: "\${target.baseUrl}/health?i=${i}", expect: { status: 200 } } }`);
  return `${lines.join('\n')}\n`;
}

function loadSuite(requests) {
  return [
    'suite: rss-load',
    'title: Resource growth of a load phase',
    'environments:',
    '  sandbox: { embedded: true, sandbox: true }',
    'checks:',
    `  - { id: load, type: load, section: "3.2", timeout: 10m, with: { url: "\${target.baseUrl}/health", requests: ${requests}, connections: 16, thresholds: ["errorRate < 1%"] } }`,
    '',
  ].join('\n');
}

async function peakOf(name, source) {
  const file = join(WORK, `${name}.yaml`);
  writeFileSync(file, source);
  const result = await peakRssOf(process.execPath, [BIN, 'run', file, '--quiet', '--out', join(WORK, `${name}-out`)]);
  if (result.code !== 0) throw new Error(`${name} exited ${result.code}: ${result.stderr.slice(0, 300)}`);
  return result.peakMb;
}

const peakOfRun = (checks) => peakOf(`rss-${checks}-checks`, suite(checks));
const peakOfLoad = (requests) => peakOf(`rss-${requests}-requests`, loadSuite(requests));

export default async function resources() {
  const small = await peakOfRun(100);
  const large = await peakOfRun(1000);
  const growth = large / small;
  const lighter = await peakOfLoad(10_000);
  const heavier = await peakOfLoad(100_000);
  const loadGrowth = heavier / lighter;
  return [
    { name: 'peak RSS, 10,000-request load run', unit: 'MB', median: round(lighter, 1) },
    { name: 'peak RSS, 100,000-request load run', unit: 'MB', median: round(heavier, 1), ratio: round(loadGrowth), peer: '10,000-request run (10x the work)', budget: 'flat (< 1.5x for 10x the work)', ok: loadGrowth < 1.5 },
    { name: 'peak RSS, 100-check suite run', unit: 'MB', median: round(small, 1) },
    { name: 'peak RSS, 1,000-check suite run', unit: 'MB', median: round(large, 1), ratio: round(growth), peer: '100-check run (10x the work)', budget: 'flat (< 1.5x for 10x the work)', ok: growth < 1.5 },
  ];
}
