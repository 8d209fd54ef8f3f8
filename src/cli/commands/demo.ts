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

/** The suite that drives the reference shop (examples/merchant/) against the sandbox speaking Stripe. */
const INTEGRATION_SUITE = 'checks/integration-stripe.yaml';

/** A free loopback port for the reference shop (the suite reads it as ${env.SHOP_PORT}). */
async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

const register: RegisterCommand = (program, io, setExit) => {
  addRunOptions(
    program
      .command('demo')
      .description('start the built-in sandbox provider and run checks/go-live.yaml against it (no network, no account)')
      .option('--provider <name>', `the API the sandbox speaks and the suite for it: ${PROVIDER_NAMES.join(', ')} (checks/go-live-<name>.yaml)`, 'payready')
      .option('--fault <name>', 'switch on a sandbox fault to see the matching check fail; repeatable (payready sandbox --list-faults)', collect, [])
      .option('--integration', `drive the reference shop (examples/merchant/, Stripe SDK) against the sandbox speaking Stripe: ${INTEGRATION_SUITE}`, false)
      .option('--break <switch>', 'with --integration: break the reference shop one way (examples/merchant/README.md lists the switches); repeatable', collect, []),
  ).action(async (raw: RawRunOptions & { provider: string; integration: boolean; break: string[] }) => {
    const { provider, integration, break: breaks, ...rest } = raw;
    if (!isProviderName(provider)) throw usageError('unknownDemoProvider', { provider, suggestion: didYouMean(provider, PROVIDER_NAMES), providers: PROVIDER_NAMES.join(', ') });
    const { runSession } = await import('../session.js');
    if (breaks.length > 0 && !integration) throw usageError('breakWithoutIntegration', {});
    if (integration) {
      if (provider !== 'payready' && provider !== 'stripe') throw usageError('integrationProvider', { provider });
      const env = { ...io.env, SHOP_PORT: io.env.SHOP_PORT ?? String(await freePort()), ...(breaks.length > 0 ? { BREAK: breaks.join(',') } : {}) };
      const options = toSessionOptions(join(PACKAGE_ROOT, INTEGRATION_SUITE), { ...rest, env: 'sandbox' });
      setExit(await runSession({ ...options, suiteDisplay: INTEGRATION_SUITE }, { ...io, env }));
      return;
    }
    const suite = suiteFor(provider);
    const options = toSessionOptions(join(PACKAGE_ROOT, suite), { ...rest, env: 'sandbox' });
    setExit(await runSession({ ...options, suiteDisplay: suite }, io));
  });
};

export default register;
