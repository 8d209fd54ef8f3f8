import { join } from 'node:path';
import type { RegisterCommand } from './index.js';
import { EXIT } from '../../errors.js';
import { PACKAGE_ROOT } from '../../paths.js';

const register: RegisterCommand = (program, io, setExit) => {
  program
    .command('coverage')
    .description('list every guideline item with the checks that prove it; exit 1 when an item is not proven')
    .argument('[suite]', 'suite file (default: the shipped checks/go-live.yaml)')
    .option('-e, --env <name>', 'check references against this environment (default: the suite default)')
    .option('--json', 'print the coverage as JSON (every item: id, section, text, checks)', false)
    .action(async (file: string | undefined, raw: { env?: string; json: boolean }) => {
      const [{ loadSuite }, { coverageOf, renderCoverage }] = await Promise.all([import('../../suite/load.js'), import('../../suite/coverage.js')]);
      const suite = await loadSuite(file ?? join(PACKAGE_ROOT, 'checks', 'go-live.yaml'), {
        env: io.env,
        cwd: io.cwd,
        ...(file ? {} : { displayName: 'checks/go-live.yaml' }),
        ...(raw.env ? { environment: raw.env } : {}),
      });
      const coverage = coverageOf(suite);
      io.stdout.write(raw.json ? `${JSON.stringify(coverage, null, 2)}\n` : renderCoverage(coverage));
      setExit(coverage.uncovered.length === 0 ? EXIT.ok : EXIT.notReady);
    });
};

export default register;
