import { join } from 'node:path';
import type { RegisterCommand } from './index.js';
import { collect } from '../io.js';
import { PACKAGE_ROOT } from '../../paths.js';
import { addRunOptions, toSessionOptions, type RawRunOptions } from './run-options.js';

const register: RegisterCommand = (program, io, setExit) => {
  addRunOptions(
    program
      .command('demo')
      .description('start the built-in sandbox provider and run checks/go-live.yaml against it (no network, no account)')
      .option('--fault <name>', 'switch on a sandbox fault to see the matching check fail; repeatable (payready sandbox --list-faults)', collect, []),
  ).action(async (raw: RawRunOptions) => {
    const { runSession } = await import('../session.js');
    const options = toSessionOptions(join(PACKAGE_ROOT, 'checks', 'go-live.yaml'), { ...raw, env: 'sandbox' });
    setExit(await runSession({ ...options, suiteDisplay: 'checks/go-live.yaml' }, io));
  });
};

export default register;
