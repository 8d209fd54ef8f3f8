import type { RegisterCommand } from './index.js';
import { EXIT } from '../../errors.js';
import { plural } from '../../text.js';

const register: RegisterCommand = (program, io, setExit) => {
  program
    .command('validate')
    .description('check suite files without running them: schema, references, secrets, needs; exit 0 or 2')
    .argument('<suite...>', 'suite files')
    .option('-e, --env <name>', 'check references against this environment (default: the suite default)')
    .action(async (files: string[], raw: { env?: string }) => {
      const [{ loadSuite }, { SuiteError, formatSuiteError }] = await Promise.all([import('../../suite/load.js'), import('../../suite/errors.js')]);
      let code: number = EXIT.ok;
      for (const file of files) {
        try {
          const suite = await loadSuite(file, { env: io.env, cwd: io.cwd, ...(raw.env ? { environment: raw.env } : {}) });
          io.stdout.write(`ok  ${suite.file}  (${plural(suite.checks.length, 'check')}, suite ${suite.name})\n`);
        } catch (err) {
          if (!(err instanceof SuiteError)) throw err;
          io.stderr.write(formatSuiteError(err));
          code = EXIT.usage;
        }
      }
      setExit(code);
    });
};

export default register;
