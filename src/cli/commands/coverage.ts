import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { RegisterCommand } from './index.js';
import { EXIT } from '../../errors.js';
import { PACKAGE_ROOT } from '../../paths.js';

// Where a suite usually is, relative to the folder `coverage` runs in: what `payready init` writes,
// then the layout of this repository (and of a copy of its suite).
const USUAL_SUITES = ['payready.yaml', join('checks', 'go-live.yaml')];

const register: RegisterCommand = (program, io, setExit) => {
  program
    .command('coverage')
    .description('list every guideline item with the checks that prove it; exit 1 when an item is not proven')
    .argument('[suite]', `suite file (default: ${USUAL_SUITES.join(' or ')} in this folder, else the suite payready ships)`)
    .option('-e, --env <name>', 'check references against this environment (default: the suite default)')
    .option('--json', 'print the coverage as JSON (every item: id, section, text, checks)')
    .action(async (file: string | undefined, raw: { env?: string; json?: boolean }) => {
      const [{ loadSuite }, { coverageOf, registryTypeItems, renderCoverage }] = await Promise.all([import('../../suite/load.js'), import('../../suite/coverage.js')]);
      const found = file ?? USUAL_SUITES.find((name) => existsSync(join(io.cwd, name)));
      if (found === undefined) {
        // Coverage of a suite the user did not pick must say so, or it reads as theirs.
        io.stderr.write(
          `note: no suite given and no ${USUAL_SUITES.join(' or ')} in this folder: this is the coverage of the suite payready ships.\n` +
            '  Pass yours: payready coverage <suite.yaml> (payready init writes one).\n',
        );
      }
      const suite = await loadSuite(found ?? join(PACKAGE_ROOT, 'checks', 'go-live.yaml'), {
        env: io.env,
        cwd: io.cwd,
        ...(found === undefined ? { displayName: "payready's shipped checks/go-live.yaml" } : {}),
        ...(raw.env ? { environment: raw.env } : {}),
      });
      const coverage = coverageOf(suite, await registryTypeItems(suite.checks));
      io.stdout.write(raw.json ? `${JSON.stringify(coverage, null, 2)}\n` : renderCoverage(coverage));
      setExit(coverage.uncovered.length === 0 ? EXIT.ok : EXIT.notReady);
    });
};

export default register;
