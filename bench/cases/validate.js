// Budget: whole-process `payready validate` of a 1,000-check suite under 0.6 s. `node -e 0` runs
// interleaved with it as the peer: the ratio is what validating costs over starting Node at all.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, WORK, interleave, round } from '../lib.js';

export function generateSuite(checks) {
  const lines = ['suite: bench-1000', 'title: Generated suite', 'environments:', '  sandbox:', '    embedded: true', '    sandbox: true', 'checks:'];
  for (let i = 0; i < checks; i++) {
    if (i % 2 === 0) {
      lines.push(`  - id: http-${i}`, '    type: http', `    section: "1.1"`, '    with:', `      url: \${target.baseUrl}/health?i=${i}`, '      expect:', '        status: 200');
    } else {
      lines.push(`  - id: port-${i}`, '    type: port', '    section: "1.2"', `    needs: [http-${i - 1}]`, '    with:', '      host: ${target.host}', '      ports: [443]');
    }
  }
  return `${lines.join('\n')}\n`;
}

export default async function validate({ runs }) {
  const file = join(WORK, 'suite-1000.yaml');
  writeFileSync(file, generateSuite(1000));
  const [node, result] = interleave(
    [
      { command: process.execPath, args: ['-e', '0'] },
      { command: process.execPath, args: [BIN, 'validate', file] },
    ],
    runs,
  );
  return [
    { name: 'node -e 0 (peer, same run)', unit: 'ms', median: round(node.median, 1), samples: node.samples },
    {
      name: 'payready validate (1,000 checks, whole process)',
      unit: 'ms',
      median: round(result.median, 1),
      samples: result.samples,
      ratio: round(result.median / node.median),
      peer: 'node -e 0',
      budget: '< 600 ms',
      ok: result.median < 600,
    },
  ];
}
