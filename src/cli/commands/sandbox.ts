import type { RegisterCommand } from './index.js';
import { EXIT, UsageError } from '../../errors.js';
import { collect, positiveInt } from '../io.js';

const register: RegisterCommand = (program, io, setExit) => {
  program
    .command('sandbox')
    .description('serve the emulated payment provider on loopback for your own tests (until Ctrl-C)')
    .option('-p, --port <n>', 'HTTPS API port (default: a free port)', positiveInt('--port'))
    .option('--http-port <n>', 'plain-HTTP port that redirects to HTTPS (default: a free port)', positiveInt('--http-port'))
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--allow <address>', 'source address or CIDR range allowed to use the API (IP allowlist); repeatable (default: 127.0.0.1 and ::1)', collect, [])
    .option('--fault <name>', 'switch on a fault so a guideline breaks on purpose; repeatable', collect, [])
    .option('--list-faults', 'list the faults and which check catches each')
    .action(async (raw: { port?: number; httpPort?: number; host: string; allow: string[]; fault: string[]; listFaults?: boolean }) => {
      const { FAULTS, validateFaults } = await import('../../sandbox/faults.js');
      if (raw.listFaults) {
        const width = Math.max(...FAULTS.map((f) => f.name.length));
        const caughtWidth = Math.max(...FAULTS.map((f) => f.caughtBy.length));
        io.stdout.write(`Faults (${FAULTS.length}): name, guideline section, check in checks/go-live.yaml that fails, what breaks\n`);
        for (const f of FAULTS) io.stdout.write(`  ${f.name.padEnd(width)}  ${f.section.padEnd(4)}  ${f.caughtBy.padEnd(caughtWidth)}  ${f.description}\n`);
        setExit(EXIT.ok);
        return;
      }
      validateFaults(raw.fault);
      const [{ startSandbox }, { Allowlist }] = await Promise.all([import('../../sandbox/index.js'), import('../../sandbox/allowlist.js')]);
      try {
        if (raw.allow.length > 0) new Allowlist(raw.allow); // throws on an entry that is not an address or range
      } catch (err) {
        throw new UsageError(`--allow ${(err as Error).message}`);
      }
      const sandbox = await startSandbox({
        host: raw.host,
        faults: raw.fault,
        ...(raw.allow.length > 0 ? { allowlist: raw.allow } : {}),
        ...(raw.port ? { port: raw.port } : {}),
        ...(raw.httpPort ? { httpPort: raw.httpPort } : {}),
        ...(io.env.PAYREADY_CLIENT_ID ? { clientId: io.env.PAYREADY_CLIENT_ID } : {}),
        ...(io.env.PAYREADY_CLIENT_SECRET ? { clientSecret: io.env.PAYREADY_CLIENT_SECRET } : {}),
      });
      io.stdout.write(
        [
          'payready sandbox is running',
          `  API (HTTPS)     ${sandbox.baseUrl}`,
          `  plain HTTP      ${sandbox.httpUrl}  ${sandbox.faults.includes('plain-http') ? '(serves the API unencrypted: plain-http fault)' : '(redirects to HTTPS)'}`,
          `  CA certificate  ${sandbox.caFile}`,
          `  OAuth token     POST ${sandbox.baseUrl}/oauth/token  (client_credentials)`,
          `  client id       ${sandbox.clientId}`,
          `  client secret   ${sandbox.clientSecret}  (demo credential; set PAYREADY_CLIENT_SECRET to choose it)`,
          `  IP allowlist    ${sandbox.allowlist.join(', ')}${sandbox.faults.includes('open-allowlist') ? '  (off: open-allowlist)' : ''}`,
          `  speed test      GET ${sandbox.baseUrl}/speed/down?bytes=N, POST ${sandbox.baseUrl}/speed/up`,
          `  rate limit      GET ${sandbox.baseUrl}/v1/rate-limit  (bursts of 20, then 429 with Retry-After)`,
          `  faults          ${sandbox.faults.length ? sandbox.faults.join(', ') : 'none'}`,
          '',
          `Try: curl --cacert ${sandbox.caFile} ${sandbox.baseUrl}/health`,
          'Press Ctrl-C to stop.',
          '',
        ].join('\n'),
      );
      await new Promise<void>((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      });
      await sandbox.close();
      io.stdout.write('sandbox stopped\n');
      setExit(EXIT.ok);
    });
};

export default register;
