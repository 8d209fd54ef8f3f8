import { join } from 'node:path';
import type { RegisterCommand } from './index.js';
import { collect } from '../io.js';
import { usageError } from '../messages.js';
import { PACKAGE_ROOT } from '../../paths.js';
import { PROVIDER_NAMES, isProviderName } from '../../providers/names.js';
import { didYouMean } from '../../text.js';
import { addRunOptions, toSessionOptions, type RawRunOptions } from './run-options.js';

/** The go-live suite of each provider: payready's own API, or a real provider's dialect. */
function suiteFor(provider: string): string {
  return provider === 'payready' ? 'checks/go-live.yaml' : `checks/go-live-${provider}.yaml`;
}

const register: RegisterCommand = (program, io, setExit) => {
  addRunOptions(
    program
      .command('demo')
      .description('start the built-in sandbox provider and run checks/go-live.yaml against it (no network, no account)')
      .option('--provider <name>', `the API the sandbox speaks and the suite for it: ${PROVIDER_NAMES.join(', ')} (checks/go-live-<name>.yaml)`, 'payready')
      .option('--fault <name>', 'switch on a sandbox fault to see the matching check fail; repeatable (payready sandbox --list-faults)', collect, []),
  ).action(async (raw: RawRunOptions & { provider: string }) => {
    const { provider, ...rest } = raw;
    if (!isProviderName(provider)) throw usageError('unknownDemoProvider', { provider, suggestion: didYouMean(provider, PROVIDER_NAMES), providers: PROVIDER_NAMES.join(', ') });
    const { runSession } = await import('../session.js');
    const suite = suiteFor(provider);
    const options = toSessionOptions(join(PACKAGE_ROOT, suite), { ...rest, env: 'sandbox' });
    setExit(await runSession({ ...options, suiteDisplay: suite }, io));
  });
};

export default register;
