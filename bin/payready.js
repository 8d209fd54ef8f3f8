#!/usr/bin/env node
// Thin entry: `--version` answers without loading anything; everything else is the built CLI.
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`${pkg.version}\n`);
} else {
  let interrupt;
  let cli;
  let endProcess;
  try {
    // Listen for Ctrl-C before anything else loads, so an early interrupt still ends cleanly.
    const signals = await import('../dist/cli/interrupt.js');
    endProcess = signals.endProcess;
    interrupt = signals.listenForInterrupt();
    cli = await import('../dist/cli/main.js');
  } catch (err) {
    if (err?.code !== 'ERR_MODULE_NOT_FOUND') throw err;
    process.stderr.write('error: payready is not built (dist/ is missing). Run `npm ci` (or `npm run build`) in the payready folder.\n');
    process.exit(2);
  }
  const code = await cli.main(args, cli.processIo(interrupt));
  interrupt.dispose();
  // After a signal, exit in a way no blocked read can hold up (see endProcess).
  if (interrupt.received) await endProcess(interrupt.received, code);
  else process.exit(code);
}
