// Budgets: `payready --version` <= 1.3x `node -e 0`; `--help` <= 2x.
import { BIN, interleave, round } from '../lib.js';

export default async function startup({ runs }) {
  const [node, version, help] = interleave(
    [
      { command: process.execPath, args: ['-e', '0'] },
      { command: process.execPath, args: [BIN, '--version'] },
      { command: process.execPath, args: [BIN, '--help'] },
    ],
    runs,
  );
  return [
    { name: 'node -e 0', unit: 'ms', median: round(node.median, 1), samples: node.samples },
    { name: 'payready --version', unit: 'ms', median: round(version.median, 1), ratio: round(version.median / node.median), peer: 'node -e 0', budget: '<= 1.3x', ok: version.median / node.median <= 1.3 },
    { name: 'payready --help', unit: 'ms', median: round(help.median, 1), ratio: round(help.median / node.median), peer: 'node -e 0', budget: '<= 2x', ok: help.median / node.median <= 2 },
  ];
}
