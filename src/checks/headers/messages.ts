import type { Messages } from '../../model/messages.js';

/** Every summary and finding the `headers` type can produce. */
export const messages = {
  secure: { status: 'pass', text: '{label} -> {status}: {parts}' },
  weak: {
    status: 'fail',
    text: '{label}: {first}{more}',
    fix: 'Fix each finding on the response (the summary names the first; `findings` lists them all).',
  },
  hstsMissing: {
    status: 'fail',
    text: 'no Strict-Transport-Security header: send Strict-Transport-Security: max-age=31536000 (at least {min})',
    fix: 'Send `Strict-Transport-Security: max-age=31536000` on every HTTPS response.',
  },
  hstsShort: {
    status: 'fail',
    text: 'Strict-Transport-Security "{value}" has a max-age below {min} s: send max-age=31536000',
    fix: 'Raise the HSTS max-age to at least `minHstsMaxAge` (180 days by default; one year is usual).',
  },
  cacheable: {
    status: 'fail',
    text: 'Cache-Control is {value}: send Cache-Control: no-store so payment data is never cached',
    fix: 'Send `Cache-Control: no-store` on payment responses (or set `requireNoStore: false` for a page that is not one).',
  },
  sniffable: {
    status: 'fail',
    text: 'X-Content-Type-Options is {value}: send X-Content-Type-Options: nosniff',
    fix: 'Send `X-Content-Type-Options: nosniff`.',
  },
  versionDisclosed: {
    status: 'fail',
    text: '{header} discloses software versions ("{value}"): remove the version{orHeader}',
    fix: 'Configure the server not to name its version (nginx `server_tokens off`, Express `app.disable("x-powered-by")`).',
  },
  unreachable: {
    status: 'error',
    text: '{label}: {cause}',
    fix: 'Make the URL reachable from where payready runs (the cause quotes the network error).',
  },
} as const satisfies Messages;
