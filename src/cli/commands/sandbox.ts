import type { RegisterCommand } from './index.js';
import { EXIT } from '../../errors.js';
import { usageError } from '../messages.js';
import { collect, nonNegativeInt, positiveInt } from '../io.js';

const register: RegisterCommand = (program, io, setExit) => {
  program
    .command('sandbox')
    .description('serve the emulated payment provider on loopback for your own tests (until Ctrl-C)')
    .option('-p, --port <n>', 'HTTPS API port (default: a free port)', positiveInt('--port'))
    .option('--http-port <n>', 'plain-HTTP port that redirects to HTTPS (default: a free port)', positiveInt('--http-port'))
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--latency <ms>', 'add this many milliseconds to every API response (a distant provider)', nonNegativeInt('--latency'), 0)
    .option('--allow <address>', 'source address or CIDR range allowed to use the API (IP allowlist); repeatable (default: 127.0.0.1 and ::1)', collect, [])
    .option('--fault <name>', 'switch on a fault so a guideline breaks on purpose; repeatable', collect, [])
    .option('--list-faults', 'list the faults and which check catches each')
    .action(async (raw: { port?: number; httpPort?: number; host: string; latency: number; allow: string[]; fault: string[]; listFaults?: boolean }) => {
      const [{ FAULTS }, { checkFaults }] = await Promise.all([import('../../sandbox/faults.js'), import('../session.js')]);
      if (raw.listFaults) {
        const width = Math.max(...FAULTS.map((f) => f.name.length));
        const caughtWidth = Math.max(...FAULTS.map((f) => f.caughtBy.length));
        io.stdout.write(`Faults (${FAULTS.length}): name, guideline section, check in checks/go-live.yaml that fails, what breaks\n`);
        for (const f of FAULTS) {
          const also = f.alsoFails?.length ? ` (also: ${f.alsoFails.join(', ')})` : '';
          io.stdout.write(`  ${f.name.padEnd(width)}  ${f.section.padEnd(4)}  ${f.caughtBy.padEnd(caughtWidth)}  ${f.description}${also}\n`);
        }
        setExit(EXIT.ok);
        return;
      }
      await checkFaults(raw.fault);
      const [{ startSandbox }, { TRANSACTION_CAPS }, { Allowlist }] = await Promise.all([import('../../sandbox/index.js'), import('../../sandbox/payments/limits.js'), import('../../sandbox/transport/allowlist.js')]);
      try {
        if (raw.allow.length > 0) new Allowlist(raw.allow); // throws on an entry that is not an address or range
      } catch (err) {
        throw usageError('badAllow', { why: (err as Error).message });
      }
      const sandbox = await startSandbox({
        host: raw.host,
        faults: raw.fault,
        latencyMs: raw.latency,
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
          `  OAuth issuer    ${sandbox.baseUrl}  (metadata: /.well-known/oauth-authorization-server)`,
          `  OAuth token     POST ${sandbox.baseUrl}/oauth/token  (client_credentials, authorization_code + PKCE, refresh_token)`,
          `  authorize       GET ${sandbox.baseUrl}/oauth/authorize  (the test user approves at once: no login page)`,
          `  OpenAPI         ${sandbox.baseUrl}/openapi.json`,
          `  checkout page   ${sandbox.checkoutUrl}`,
          `  request log     ${sandbox.requestLog}`,
          `  client id       ${sandbox.clientId}`,
          `  client secret   ${sandbox.clientSecret}  (demo credential; set PAYREADY_CLIENT_SECRET to choose it)`,
          ...sandbox.clients.filter((c) => c.id !== sandbox.clientId).map((c) => `  other client    ${c.id} / ${c.secret}  (scopes: ${c.scopes.join(' ')})`),
          `  expired token   ${sandbox.expiredToken}`,
          `  payments        ${sandbox.baseUrl}/v1/payments  (authorise, capture, refund, cancel; Idempotency-Key; webhooks at /v1/webhook-endpoints)`,
          `  caps            card ${TRANSACTION_CAPS.card.perTransaction.toLocaleString('en-US')} per payment, ${TRANSACTION_CAPS.card.daily.toLocaleString('en-US')} per day; bank transfer ${TRANSACTION_CAPS.bank_transfer.perTransaction.toLocaleString('en-US')} / ${TRANSACTION_CAPS.bank_transfer.daily.toLocaleString('en-US')} (major units of the currency)`,
          `  latency         ${raw.latency > 0 ? `+${raw.latency} ms on every response` : 'none added'} (Sandbox-Delay: <ms> holds one response)`,
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
      // Ctrl-C (or SIGTERM from a supervisor) is the normal way to stop a server: close cleanly and exit 0.
      await new Promise<void>((resolve) => io.interrupt.onInterrupt(() => resolve()));
      await sandbox.close();
      io.stdout.write('sandbox stopped\n');
      setExit(EXIT.ok, { stoppedBySignal: true });
    });
};

export default register;
