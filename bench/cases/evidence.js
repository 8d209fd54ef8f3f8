// The cost of certification evidence: `payready demo` with and without `--evidence` (the signed
// bundle with every report format), side by side, and `payready verify` of that bundle against
// `tar tzf` listing the same file. The demo budget (docs/performance.md: under 5 s for every check type but
// `ui`) applies to both runs, so both skip the browser check.
import { join } from 'node:path';
import { BIN, WORK, interleave, round } from '../lib.js';

export default async function evidence({ runs }) {
  const bundle = join(WORK, 'evidence.tar.gz');
  const n = Math.max(3, Math.ceil(runs / 2));
  const [plain, withBundle] = interleave(
    [
      { command: process.execPath, args: [BIN, 'demo', '-q', '--skip', 'checkout-mobile', '--out', join(WORK, 'demo-plain')] },
      { command: process.execPath, args: [BIN, 'demo', '-q', '--skip', 'checkout-mobile', '--out', join(WORK, 'demo-evidence'), '--evidence', bundle] },
    ],
    n,
  );
  const [verify, tar] = interleave(
    [
      { command: process.execPath, args: [BIN, 'verify', bundle] },
      { command: 'tar', args: ['tzf', bundle] },
    ],
    runs,
  );
  return [
    { name: 'demo --skip checkout-mobile', unit: 'ms', median: round(plain.median, 1), samples: plain.samples, budget: '< 5000 ms', ok: plain.median < 5000 },
    { name: 'demo --skip checkout-mobile --evidence', unit: 'ms', median: round(withBundle.median, 1), samples: withBundle.samples, ratio: round(withBundle.median / plain.median), peer: 'demo', budget: '< 5000 ms', ok: withBundle.median < 5000 },
    { name: 'verify bundle', unit: 'ms', median: round(verify.median, 1), samples: verify.samples, ratio: round(verify.median / tar.median), peer: 'tar tzf' },
  ];
}
