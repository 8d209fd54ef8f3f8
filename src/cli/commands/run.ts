import type { RegisterCommand } from './index.js';
import { collect } from '../io.js';
import { addRunOptions, toSessionOptions, type RawRunOptions } from './run-options.js';

const register: RegisterCommand = (program, io, setExit) => {
  addRunOptions(
    program
      .command('run')
      .description('run a suite against an environment and write the go-live report')
      .argument('<suite>', 'suite file (YAML)')
      .option('-e, --env <name>', 'environment from the suite (default: defaults.environment or the first)')
      .option('--fault <name>', 'switch on a sandbox fault (embedded environments only); repeatable', collect, []),
  ).action(async (suite: string, raw: RawRunOptions) => {
    const { runSession } = await import('../session.js');
    setExit(await runSession(toSessionOptions(suite, raw), io));
  });
};

export default register;
