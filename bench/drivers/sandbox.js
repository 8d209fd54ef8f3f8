// Bench driver: starts the built sandbox (dist/) in its own process so the measured client does
// not share a CPU thread with the server. Prints one JSON line with its fields, then serves until
// SIGTERM. Usage: node bench/drivers/sandbox.js [fault...]
import { startSandbox } from '../../dist/sandbox/index.js';

const sandbox = await startSandbox({ faults: process.argv.slice(2) });
process.stdout.write(`${JSON.stringify(sandbox.targetFields())}\n`);
const stop = async () => {
  await sandbox.close();
  process.exit(0);
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
