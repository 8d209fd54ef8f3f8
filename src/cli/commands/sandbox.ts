import type { RegisterCommand } from './index.js';
import { EXIT } from '../../errors.js';
import { usageError } from '../messages.js';
import { collect, nonNegativeInt, positiveInt } from '../io.js';
import { PROVIDER_NAMES, isProviderName } from '../../providers/names.js';
import type { Sandbox } from '../../sandbox/index.js';
import type { Caps, PaymentMethodType } from '../../sandbox/payments/limits.js';
import { closest } from '../../text.js';

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
    .option('--provider <name>', `whose payments API to speak: ${PROVIDER_NAMES.join(', ')}`, 'payready')
    .option('--json', 'print one JSON object on the first line of stdout (URLs, CA file, credentials, webhook secret) instead of the text')
    .option('--webhook-url <url>', 'a loopback receiver every event is sent to, signed with the printed webhookSecret (stripe); repeatable', collect, [])
    .action(async (raw: { port?: number; httpPort?: number; host: string; latency: number; allow: string[]; fault: string[]; listFaults?: boolean; provider: string; json?: boolean; webhookUrl: string[] }) => {
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
      if (!isProviderName(raw.provider)) {
        const meant = closest(raw.provider, PROVIDER_NAMES);
        throw usageError('unknownProvider', { provider: raw.provider, suggestion: meant ? ` (did you mean "${meant}"?)` : '', providers: PROVIDER_NAMES.join(', ') });
      }
      const provider = raw.provider;
      const { isLoopbackUrl } = await import('../../sandbox/webhooks/delivery.js');
      for (const url of raw.webhookUrl) if (!isLoopbackUrl(url)) throw usageError('badWebhookUrl', { url });
      if (raw.webhookUrl.length > 0 && provider !== 'stripe') throw usageError('webhookUrlNeedsStripe');
      await checkFaults(raw.fault);
      const [{ startSandbox }, { TRANSACTION_CAPS }, { Allowlist }] = await Promise.all([import('../../sandbox/index.js'), import('../../sandbox/payments/limits.js'), import('../../sandbox/transport/allowlist.js')]);
      try {
        if (raw.allow.length > 0) new Allowlist(raw.allow); // throws on an entry that is not an address or range
      } catch (err) {
        throw usageError('badAllow', { why: (err as Error).message });
      }
      const sandbox = await startSandbox({
        provider,
        webhookUrls: raw.webhookUrl,
        ...(io.env.PAYREADY_API_KEY ? { apiKey: io.env.PAYREADY_API_KEY } : {}),
        host: raw.host,
        faults: raw.fault,
        latencyMs: raw.latency,
        ...(raw.allow.length > 0 ? { allowlist: raw.allow } : {}),
        ...(raw.port ? { port: raw.port } : {}),
        ...(raw.httpPort ? { httpPort: raw.httpPort } : {}),
        ...(io.env.PAYREADY_CLIENT_ID ? { clientId: io.env.PAYREADY_CLIENT_ID } : {}),
        ...(io.env.PAYREADY_CLIENT_SECRET ? { clientSecret: io.env.PAYREADY_CLIENT_SECRET } : {}),
      });
      if (raw.json) {
        // One line, first: a script reads it with `head -n 1` and parses it; nothing else goes to stdout.
        io.stdout.write(`${JSON.stringify(describeSandbox(sandbox))}\n`);
      } else {
        io.stdout.write(humanLines(sandbox, raw.latency, TRANSACTION_CAPS));
      }
      // Ctrl-C (or SIGTERM from a supervisor) is the normal way to stop a server: close cleanly and exit 0.
      await new Promise<void>((resolve) => io.interrupt.onInterrupt(() => resolve()));
      await sandbox.close();
      (raw.json ? io.stderr : io.stdout).write('sandbox stopped\n');
      setExit(EXIT.ok, { stoppedBySignal: true });
    });
};

/**
 * What `--json` prints: everything a script or another tool needs to use the sandbox. Field names
 * are stable (docs/sandbox.md lists them); a field that does not apply to the dialect is absent.
 */
export function describeSandbox(sandbox: Sandbox): Record<string, unknown> {
  return {
    provider: sandbox.provider,
    baseUrl: sandbox.baseUrl,
    host: sandbox.host,
    port: sandbox.port,
    httpUrl: sandbox.httpUrl,
    ca: sandbox.caFile,
    ...(sandbox.apiKey === undefined ? {} : { apiKey: sandbox.apiKey }),
    ...(sandbox.provider === 'stripe' ? { webhookSecret: sandbox.webhookSecret } : {}),
    // hmacKey is set in every dialect; only Adyen's notifications are signed with it.
    ...(sandbox.provider === 'adyen' ? { hmacKey: sandbox.hmacKey, merchantAccount: sandbox.merchantAccount } : {}),
    webhooks: sandbox.webhooks,
    clientId: sandbox.clientId,
    clientSecret: sandbox.clientSecret,
    tokenUrl: `${sandbox.baseUrl}/oauth/token`,
    checkoutUrl: sandbox.checkoutUrl,
    requestLog: sandbox.requestLog,
    controlUrl: sandbox.controlUrl,
    controlToken: sandbox.controlToken,
    faults: sandbox.faults,
  };
}

function payments(sandbox: Sandbox): string {
  if (sandbox.provider === 'stripe') {
    return `${sandbox.baseUrl}/v1/payment_intents  (Stripe's API: PaymentIntents, charges, refunds, search; Idempotency-Key; webhooks: ${sandbox.webhooks.register})`;
  }
  return `${sandbox.baseUrl}/v1/payments  (authorise, capture, refund, cancel; Idempotency-Key; webhooks at /v1/webhook-endpoints)`;
}

function humanLines(sandbox: Sandbox, latency: number, TRANSACTION_CAPS: Readonly<Record<PaymentMethodType, Caps>>): string {
  return [
          `payready sandbox is running${sandbox.provider === 'payready' ? '' : ` (speaking ${sandbox.provider}'s API)`}`,
          `  API (HTTPS)     ${sandbox.baseUrl}`,
          `  plain HTTP      ${sandbox.httpUrl}  ${sandbox.faults.includes('plain-http') ? '(serves the API unencrypted: plain-http fault)' : '(redirects to HTTPS)'}`,
          `  CA certificate  ${sandbox.caFile}`,
          `  OAuth issuer    ${sandbox.baseUrl}  (metadata: /.well-known/oauth-authorization-server)`,
          `  OAuth token     POST ${sandbox.baseUrl}/oauth/token  (client_credentials, authorization_code + PKCE, refresh_token)`,
          `  authorize       GET ${sandbox.baseUrl}/oauth/authorize  (the test user approves at once: no login page)`,
          `  OpenAPI         ${sandbox.baseUrl}/openapi.json`,
          `  checkout page   ${sandbox.checkoutUrl}`,
          `  request log     ${sandbox.requestLog}`,
          `  control API     ${sandbox.controlUrl}  (Authorization: Bearer ${sandbox.controlToken}; docs/sandbox.md "Control API")`,
          `  client id       ${sandbox.clientId}`,
          `  client secret   ${sandbox.clientSecret}  (demo credential; set PAYREADY_CLIENT_SECRET to choose it)`,
          ...(sandbox.apiKey === undefined ? [] : [`  API key         ${sandbox.apiKey}  (demo credential; set PAYREADY_API_KEY to choose it)`]),
          ...(sandbox.provider === 'stripe' ? [`  webhook secret  ${sandbox.webhookSecret}  (signs deliveries to --webhook-url receivers)`] : []),
          ...sandbox.clients.filter((c) => c.id !== sandbox.clientId).map((c) => `  other client    ${c.id} / ${c.secret}  (scopes: ${c.scopes.join(' ')})`),
          `  expired token   ${sandbox.expiredToken}`,
          `  payments        ${payments(sandbox)}`,
          sandbox.provider === 'stripe' ? '  caps            amounts up to 99999999 minor units (Stripe: amount_too_large above)' : `  caps            card ${TRANSACTION_CAPS.card.perTransaction.toLocaleString('en-US')} per payment, ${TRANSACTION_CAPS.card.daily.toLocaleString('en-US')} per day; bank transfer ${TRANSACTION_CAPS.bank_transfer.perTransaction.toLocaleString('en-US')} / ${TRANSACTION_CAPS.bank_transfer.daily.toLocaleString('en-US')} (major units of the currency)`,
          `  latency         ${latency > 0 ? `+${latency} ms on every response` : 'none added'} (Sandbox-Delay: <ms> holds one response)`,
          `  IP allowlist    ${sandbox.allowlist.join(', ')}${sandbox.faults.includes('open-allowlist') ? '  (off: open-allowlist)' : ''}`,
          `  speed test      GET ${sandbox.baseUrl}/speed/down?bytes=N, POST ${sandbox.baseUrl}/speed/up`,
          `  rate limit      GET ${sandbox.baseUrl}/v1/rate-limit  (bursts of 20, then 429 with Retry-After)`,
          `  faults          ${sandbox.faults.length ? sandbox.faults.join(', ') : 'none'}`,
          '',
          `Try: curl --cacert ${sandbox.caFile} ${sandbox.baseUrl}/health`,
          'Press Ctrl-C to stop.',
          '',
        ].join('\n');
}

export default register;
