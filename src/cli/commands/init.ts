import { existsSync } from 'node:fs';
import { basename, dirname, extname, relative, resolve } from 'node:path';
import type { RegisterCommand } from './index.js';
import { EXIT, type UsageError } from '../../errors.js';
import { usageError, usageText } from '../messages.js';
import { displayPath } from '../../paths.js';
import { didYouMean } from '../../text.js';
import { collect, type Io } from '../io.js';

/** How the provider's API authenticates. */
const AUTH_STYLES = ['oauth2', 'bearer', 'api-key', 'none'] as const;
type AuthStyle = (typeof AUTH_STYLES)[number];

const AUTH_WORDS: Record<AuthStyle, string> = {
  oauth2: 'OAuth 2.0 client_credentials (client id and secret)',
  bearer: 'a static API key sent as Authorization: Bearer',
  'api-key': 'an API key sent in the X-API-Key header',
  none: 'no authentication',
};

/** Providers whose real test endpoints init can point a suite at, with what their profiles need. */
const PROVIDERS = {
  stripe: {
    baseUrl: 'https://api.stripe.com',
    auth: 'bearer',
    // A read without a key: Stripe answers 401 (docs.stripe.com/api/authentication).
    unauthenticated: ['      url: ${target.baseUrl}/v1/payment_intents'],
    key: 'a Stripe test-mode secret key (sk_test_...)',
  },
  adyen: {
    baseUrl: 'https://checkout-test.adyen.com',
    auth: 'api-key',
    unauthenticated: ['      method: POST', '      url: ${target.baseUrl}/v71/payments', '      json: {}'],
    key: 'an Adyen test API key (X-API-Key) and PAYREADY_ADYEN_MERCHANT_ACCOUNT, your test merchant account',
  },
} as const satisfies Record<string, { baseUrl: string; auth: AuthStyle; unauthenticated: readonly string[]; key: string }>;
type ProviderChoice = keyof typeof PROVIDERS;
const PROVIDER_CHOICES = Object.keys(PROVIDERS) as ProviderChoice[];

/**
 * Scenarios a provider suite runs against the provider's real test endpoint (scenarioLines says
 * which are left out and why). Adyen's over-limit needs the limit an account is configured with,
 * which Adyen does not publish: a team adds it with `cap:` once it knows it.
 */
const PROVIDER_SCENARIOS: Record<ProviderChoice, readonly string[]> = {
  stripe: ['approve', 'decline', 'idempotency-replay', 'refund-partial', 'refund-full', 'refund-over', 'over-limit', 'currency-exponent', 'amount-bounds'],
  adyen: ['approve', 'decline', 'idempotency-replay', 'refund-partial', 'refund-full', 'refund-over', 'currency-exponent', 'amount-bounds'],
};

/** The answers a starter suite is written from. */
interface Answers {
  /** A real provider whose test endpoints the suite speaks to (its profile drives the payment scenarios). */
  provider?: ProviderChoice;
  /** Suite name (kebab-case). */
  name: string;
  /** Base URL of the provider's sandbox API; undefined: the built-in sandbox. */
  baseUrl?: string;
  /** OAuth token endpoint (oauth2 with a base URL). */
  tokenUrl?: string;
  /** Hosted checkout page (for the ui check); undefined: no ui check unless built-in. */
  checkoutUrl?: string;
  /** Log files, folder or glob for pan-scan (relative to the suite). */
  logs: string;
  /** Auth style. */
  auth: AuthStyle;
  /** Environment names; the first is the sandbox the suite runs by default. */
  environments: string[];
}

interface RawInitOptions {
  provider?: string;
  baseUrl?: string;
  auth?: string;
  tokenUrl?: string;
  checkoutUrl?: string;
  logs?: string;
  env: string[];
  name?: string;
  force?: boolean;
  yes?: boolean;
}

const register: RegisterCommand = (program, io, setExit) => {
  program
    .command('init')
    .description('write a starter suite for your provider (asks on a terminal; flags otherwise)')
    .argument('[file]', 'suite file to write', 'payready.yaml')
    .option('--provider <name>', `a provider whose real test API the suite speaks: ${PROVIDER_CHOICES.join(', ')} (its payment scenarios, credentials and test endpoint)`)
    .option('--base-url <url>', "your provider's sandbox API base URL (default: the built-in sandbox, or the provider's test endpoint)")
    .option('--auth <style>', `how the API authenticates: ${AUTH_STYLES.join(', ')}`)
    .option('--token-url <url>', 'OAuth 2.0 token endpoint (default: <base-url>/oauth/token)')
    .option('--checkout-url <url>', "your hosted checkout page, with --base-url: adds the mobile ui check (a suite for the built-in sandbox checks the sandbox's own page)")
    .option('--logs <paths>', 'log files, folder or glob for the card-number scan', 'logs')
    .option('--env <name>', 'an environment; repeatable; the first is the sandbox (default: sandbox, production)', collect, [])
    .option('--name <name>', 'suite name (kebab-case; default from the file name)')
    .option('-y, --yes', 'do not ask, even on a terminal: use the flags and defaults')
    .option('-f, --force', 'overwrite the file if it exists')
    .action(async (file: string, raw: RawInitOptions) => {
      const path = resolve(io.cwd, file);
      const shown = displayPath(path, io.cwd);
      if (existsSync(path) && !raw.force) throw usageError('suiteFileExists', { path: shown });
      let answers = fromFlags(raw, file);
      if (!raw.yes && io.stdin?.isTTY && io.stdout.isTTY) answers = await ask(io, answers);
      check(answers);
      const sourceDir = relative(dirname(path), io.cwd) || '.';
      const text = renderSuite(answers, sourceDir);
      await selfCheck(text, path, answers.environments);
      const { writeFileAtomic, outputProblem } = await import('../../evidence/write.js');
      try {
        await writeFileAtomic(path, text);
      } catch (err) {
        const why = outputProblem(err);
        if (why === undefined) throw err;
        throw usageError('fileUnwritable', { path: shown, why });
      }
      io.stdout.write(nextSteps(answers, shown));
      setExit(EXIT.ok);
    });
};

export default register;

function fromFlags(raw: RawInitOptions, file: string): Answers {
  let provider: ProviderChoice | undefined;
  if (raw.provider !== undefined && raw.provider !== 'payready') {
    if (!(PROVIDER_CHOICES as readonly string[]).includes(raw.provider)) throw usageError('unknownInitProvider', { provider: raw.provider, suggestion: didYouMean(raw.provider, PROVIDER_CHOICES), providers: PROVIDER_CHOICES.join(', ') });
    provider = raw.provider as ProviderChoice;
    // The provider's profile says how its API authenticates; another style would not work.
    if (raw.auth !== undefined && raw.auth !== PROVIDERS[provider].auth) throw usageError('providerAuthFixed', { provider, auth: raw.auth, expected: PROVIDERS[provider].auth });
  }
  const auth = raw.auth ?? (provider ? PROVIDERS[provider].auth : 'oauth2');
  if (!(AUTH_STYLES as readonly string[]).includes(auth)) throw usageError('unknownAuthStyle', { auth, suggestion: didYouMean(auth, AUTH_STYLES), styles: AUTH_STYLES.join(', ') });
  const name = raw.name ?? (basename(file, extname(file)).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'payments');
  const baseUrl = raw.baseUrl ?? (provider ? PROVIDERS[provider].baseUrl : undefined);
  return {
    name: name === 'payready' ? 'payments' : name,
    auth: auth as AuthStyle,
    // A provider's suite moves test money, so by default it has its test environment only.
    environments: raw.env.length > 0 ? raw.env : provider ? ['sandbox'] : ['sandbox', 'production'],
    logs: raw.logs ?? 'logs',
    ...(provider ? { provider } : {}),
    ...(baseUrl ? { baseUrl: baseUrl.replace(/\/+$/, '') } : {}),
    ...(raw.tokenUrl ? { tokenUrl: raw.tokenUrl } : {}),
    ...(raw.checkoutUrl ? { checkoutUrl: raw.checkoutUrl } : {}),
  };
}

/** Asks each question on the terminal, showing the flag's value (or the default) as the answer to keep. */
async function ask(io: Io, defaults: Answers): Promise<Answers> {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: io.stdin!, output: io.stdout, terminal: true });
  let closed = false;
  rl.once('close', () => (closed = true));
  // Ctrl-D ends the questions: what is left keeps its default.
  const question = async (text: string, fallback: string): Promise<string> => {
    if (closed) return fallback;
    const answer = await Promise.race([rl.question(`${text}${fallback ? ` [${fallback}]` : ''}: `), new Promise<string>((done) => rl.once('close', () => done('')))]);
    return answer.trim() || fallback;
  };
  try {
    io.stdout.write('Answer each question, or press Enter to keep the value in brackets.\n');
    const answers: Answers = { ...defaults };
    for (;;) {
      const url = await question("Base URL of your provider's sandbox API (empty: payready's built-in sandbox)", defaults.baseUrl ?? '');
      const problem = url ? urlProblem(url) : undefined;
      if (!problem) {
        if (url) answers.baseUrl = url.replace(/\/+$/, '');
        else delete answers.baseUrl;
        break;
      }
      io.stdout.write(`  ${problem.message}\n`);
      if (closed) break;
    }
    for (;;) {
      const auth = await question(`Authentication (${AUTH_STYLES.join(', ')})`, answers.baseUrl ? defaults.auth : 'oauth2');
      if ((AUTH_STYLES as readonly string[]).includes(auth)) {
        answers.auth = auth as AuthStyle;
        break;
      }
      io.stdout.write(`  ${usageText('unknownAuthStyle', { auth, suggestion: didYouMean(auth, AUTH_STYLES), styles: AUTH_STYLES.join(', ') }).message}; one of: ${AUTH_STYLES.map((s) => `${s} (${AUTH_WORDS[s]})`).join(', ')}\n`);
      if (closed) break;
    }
    if (answers.baseUrl && answers.auth === 'oauth2') answers.tokenUrl = await question('OAuth 2.0 token endpoint', defaults.tokenUrl ?? `${answers.baseUrl}/oauth/token`);
    if (answers.baseUrl) {
      const checkout = await question('Hosted checkout page URL (empty: no mobile UI check)', defaults.checkoutUrl ?? '');
      if (checkout) answers.checkoutUrl = checkout;
      else delete answers.checkoutUrl;
    } else delete answers.checkoutUrl; // the built-in sandbox's own page is checked
    answers.logs = await question('Where your application writes its logs (file, folder or glob)', defaults.logs);
    const environments = await question('Environments, comma-separated; the first is the sandbox', defaults.environments.join(', '));
    answers.environments = environments.split(/[\s,]+/).filter(Boolean);
    return answers;
  } finally {
    rl.close();
  }
}

/** What is wrong with a URL given to init, as the usage error it is (a terminal prints its message and asks again). */
function urlProblem(url: string): UsageError | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return usageError('notAUrl', { url });
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return usageError('notHttpUrl', { url });
  return undefined;
}

/** Rejects combinations that would not make a working suite. */
function check(answers: Answers): void {
  for (const url of [answers.baseUrl, answers.tokenUrl, answers.checkoutUrl]) {
    const problem = url ? urlProblem(url) : undefined;
    if (problem) throw problem;
  }
  // The built-in sandbox serves its own checkout page (its values win over the suite's): a URL
  // given for it would be written nowhere and checked never.
  if (!answers.baseUrl && answers.checkoutUrl) {
    throw usageError('checkoutUrlNeedsBaseUrl');
  }
  if (!answers.baseUrl && (answers.auth === 'bearer' || answers.auth === 'api-key')) {
    throw usageError('sandboxAuthIsOauth', { auth: answers.auth });
  }
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(answers.name)) throw usageError('suiteNameNotKebab', { name: answers.name });
  const bad = answers.environments.find((e) => !/^[A-Za-z][A-Za-z0-9_-]*$/.test(e));
  if (bad !== undefined) throw usageError('environmentNameInvalid', { name: bad });
  if (answers.environments.length === 0) throw usageError('noEnvironment');
  if (new Set(answers.environments).size !== answers.environments.length) throw usageError('environmentsRepeat');
}

/** `production` -> `PAYREADY_PRODUCTION_BASE_URL`. */
function envVar(environment: string, field: string): string {
  return `PAYREADY_${environment.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_${field}`;
}

function q(value: string): string {
  return JSON.stringify(value); // a JSON string is a valid YAML double-quoted scalar
}

/** The suite text: environments, secrets from the environment only, and the starter checks. */
export function renderSuite(a: Answers, sourceDir: string): string {
  const embedded = !a.baseUrl;
  const [first = 'sandbox', ...others] = a.environments;
  const lines: string[] = [
    '# yaml-language-server: $schema=./payready.schema.json   (write it: npx payready schema > payready.schema.json)',
    `# Written by \`payready init\`. Check it: npx payready validate <this file>; run it: npx payready run <this file>`,
    `suite: ${a.name}`,
    'title: Go-live readiness of the payment integration',
    '',
    'environments:',
    `  ${first}:`,
  ];
  if (embedded) {
    lines.push('    embedded: true      # payready starts its built-in sandbox and fills baseUrl, host, port, tokenUrl, checkoutUrl, requestLog, sourceDir');
  } else {
    const url = new URL(a.baseUrl!);
    lines.push(`    baseUrl: ${q(a.baseUrl!)}`, `    host: ${q(url.hostname.replace(/^\[|\]$/g, ''))}`, `    port: ${url.port || (url.protocol === 'https:' ? 443 : 80)}`);
    if (a.auth === 'oauth2') lines.push(`    tokenUrl: ${q(a.tokenUrl ?? `${a.baseUrl}/oauth/token`)}`);
    if (a.checkoutUrl) lines.push(`    checkoutUrl: ${q(a.checkoutUrl)}`);
    lines.push(`    requestLog: ${q(a.logs)}      # your application's logs (file, folder or glob; .gz too)`, `    sourceDir: ${q(sourceDir)}          # your integration's source`);
    lines.push(...providerFields(a));
  }
  lines.push('    sandbox: true       # money-moving checks may run here');
  for (const name of others) {
    lines.push(`  ${name}:`, `    baseUrl: \${env.${envVar(name, 'BASE_URL')}}`, `    host: \${env.${envVar(name, 'HOST')}}`, '    port: 443');
    if (a.auth === 'oauth2') lines.push(`    tokenUrl: \${env.${envVar(name, 'TOKEN_URL')}}`);
    if (embedded || a.checkoutUrl) lines.push(`    checkoutUrl: \${env.${envVar(name, 'CHECKOUT_URL')}}`);
    lines.push(`    requestLog: ${q(a.logs)}`, `    sourceDir: ${q(sourceDir)}`, ...providerFields(a), '    sandbox: false');
  }
  if (a.auth !== 'none') lines.push('', 'secrets:                # from environment variables (or files), never written here');
  if (a.auth === 'oauth2') lines.push('  clientId: { env: PAYREADY_CLIENT_ID }', '  clientSecret: { env: PAYREADY_CLIENT_SECRET }');
  else if (a.auth !== 'none') lines.push('  apiKey: { env: PAYREADY_API_KEY }');
  lines.push('', 'defaults:', `  environment: ${first}`, '  timeout: 15s', '  severity: major', '', 'checks:');
  lines.push(...checkLines(a, embedded));
  return `${lines.join('\n')}\n`;
}

/** An environment's lines naming the provider (its profile) and the settings the profile needs. */
function providerFields(a: Answers): string[] {
  if (!a.provider) return [];
  const lines = [`    provider: ${a.provider}          # the transaction scenarios speak its API (docs/providers.md)`];
  if (a.provider === 'adyen') lines.push('    merchantAccount: ${env.PAYREADY_ADYEN_MERCHANT_ACCOUNT}');
  return lines;
}

/** The guideline section of a scenario's check, as checks/go-live.yaml files it (the edge cases are 5.1's). */
const SCENARIO_SECTIONS: Readonly<Record<string, string>> = { 'over-limit': '3.1', approve: '5.2', 'refund-partial': '5.2', 'refund-full': '5.2' };

/** The payment scenarios of a provider suite (transaction checks, credentials from the secret apiKey). */
function scenarioLines(a: Answers): string[] {
  const lines = [
    '',
    `  # The payment scenarios, in ${a.provider}'s own API (its profile: docs/providers.md). Left out against`,
    "  # the real test endpoint: webhook (the provider cannot reach this machine's loopback receiver: run it",
    '  # against `embedded: { provider: ... }`, or forward events to it) and timeout-retry (it asks the',
    '  # provider to hold an answer with Sandbox-Delay, which only payready\'s sandbox honours).',
  ];
  for (const scenario of PROVIDER_SCENARIOS[a.provider!]) {
    lines.push(
      '',
      `  - id: transaction-${scenario}`,
      '    type: transaction',
      `    section: "${SCENARIO_SECTIONS[scenario] ?? '5.1'}"`,
      ...(scenario === 'approve' || scenario === 'idempotency-replay' ? ['    severity: blocker'] : []),
      '    with:',
      `      scenario: ${scenario}`,
      '      apiKey: ${secrets.apiKey}',
    );
  }
  return lines;
}

function checkLines(a: Answers, embedded: boolean): string[] {
  // Every environment after the first is written with sandbox: false.
  const live = a.environments.slice(1);
  const auth =
    a.auth === 'oauth2' ? 'Bearer ${checks.oauth-token.token}' : a.auth === 'bearer' ? 'Bearer ${secrets.apiKey}' : a.auth === 'api-key' ? '${secrets.apiKey}' : undefined;
  const authHeader = a.auth === 'api-key' ? 'X-API-Key' : 'Authorization';
  const lines = [
    '  - id: api-port-open',
    '    type: port',
    '    title: The API port accepts TCP connections',
    '    section: "1.2"',
    '    severity: blocker',
    '    with:',
    '      host: ${target.host}',
    '      ports: [ "${target.port}" ]',
    '',
    '  - id: api-https',
    '    type: http',
    '    title: The API is served over HTTPS',
    '    section: "1.1"',
    '    severity: blocker',
    '    needs: [api-port-open]',
    '    with:',
    // A provider's API has no health endpoint: its payments endpoint, refusing a call without a key, shows it answers over HTTPS.
    ...(a.provider ? [...PROVIDERS[a.provider].unauthenticated, '      requireHttps: true', '      expect:', '        status: [401, 403]'] : ['      url: ${target.baseUrl}/health      # any cheap endpoint of your API', '      requireHttps: true', '      expect:', '        status: "2xx"']),
  ];
  if (a.auth === 'oauth2') {
    lines.push(
      '',
      '  - id: oauth-token',
      '    type: http',
      '    title: The token endpoint issues an OAuth 2.0 client_credentials token',
      '    section: "1.1"',
      '    severity: blocker',
      '    needs: [api-port-open]',
      '    with:',
      '      method: POST',
      '      url: ${target.tokenUrl}',
      '      form:',
      '        grant_type: client_credentials',
      '        client_id: ${secrets.clientId}',
      '        client_secret: ${secrets.clientSecret}',
      '      expect:',
      '        status: 200',
      '        json:',
      '          access_token: { type: string }',
      '    capture:',
      '      token: { from: body.access_token, secret: true }',
    );
  }
  const payment = ['      json:', '        amount: { value: 1000, currency: EUR }', '        paymentMethod: { type: card, number: "4111111111111111", expiryMonth: 12, expiryYear: 2035, cvc: "737" }'];
  if (auth) {
    // A read: safe against every environment, live ones included.
    lines.push(
      '',
      '  - id: payments-require-auth',
      '    type: http',
      '    title: The payments API refuses requests without credentials',
      '    section: "1.1"',
      '    severity: blocker',
      '    needs: [api-port-open]',
      '    with:',
      ...(a.provider ? PROVIDERS[a.provider].unauthenticated : ['      url: ${target.baseUrl}/v1/payments      # your payment endpoint']),
      '      expect:',
      '        status: [401, 403]',
    );
  }
  // Writes (a payment, a card submitted on the checkout) are refused on a live environment, so
  // they are written only into a suite whose environments are all sandboxes.
  const writes = live.length === 0;
  if (auth && writes && a.provider) lines.push(...scenarioLines(a));
  else if (auth && writes) {
    lines.push(
      '',
      '  - id: payment-approve',
      '    type: http',
      '    title: A test card payment is authorised',
      '    section: "5.2"',
      '    severity: blocker',
      '    with:',
      '      method: POST',
      '      url: ${target.baseUrl}/v1/payments',
      '      headers:',
      `        ${authHeader}: ${q(auth)}`,
      ...payment,
      '        reference: payready-approve',
      '      expect:',
      '        status: "2xx"',
    );
  }
  if (!writes && (auth || embedded || a.checkoutUrl)) {
    lines.push(
      '',
      `  # Left out: a test payment (POST \${target.baseUrl}/v1/payments) and the mobile checkout check (it`,
      `  # submits a card). Both send writes, refused on a live environment (${live.join(', ')}) unless the suite says`,
      '  # allowLive: true. Keep them in a suite for your sandboxes only: npx payready init sandbox.yaml --env sandbox',
    );
  }
  lines.push(
    '',
    '  - id: no-hardcoded-credentials',
    '    type: secrets',
    "    title: No credentials are hard-coded in the integration's files",
    '    section: "2.1"',
    '    severity: blocker',
    '    with:',
    '      paths: [ "${target.sourceDir}" ]',
    '',
    '  - id: no-pan-in-logs',
    '    type: pan-scan',
    '    title: The logs hold no full card numbers',
    '    section: "2.2"',
    '    severity: blocker',
    ...(auth && writes ? [`    needs: [${a.provider ? 'transaction-approve' : 'payment-approve'}]`] : []),
    '    with:',
    '      paths: [ "${target.requestLog}" ]',
  );
  // The built-in sandbox serves a checkout page; a provider's suite checks one only when given.
  if (writes && (embedded || a.checkoutUrl)) {
    lines.push(
      '',
      '  - id: checkout-mobile',
      '    type: ui',
      '    title: The checkout works on phones and explains a declined card',
      '    section: "6.1"',
      '    tags: [ui]',
      '    timeout: 60s',
      '    with:',
      '      url: ${target.checkoutUrl}',
    );
  }
  return lines;
}

/**
 * Loads the text with the real loader before writing it, with every environment variable it
 * names set to a placeholder: a suite `init` writes must validate. A failure here is a bug.
 */
async function selfCheck(text: string, path: string, environments: readonly string[]): Promise<void> {
  const [{ parseSuite }, { SuiteError, formatSuiteError }] = await Promise.all([import('../../suite/load.js'), import('../../suite/errors.js')]);
  const env: Record<string, string> = {};
  for (const match of text.matchAll(/\$\{env\.([A-Za-z_][A-Za-z0-9_]*)\}|\{ env: ([A-Za-z_][A-Za-z0-9_]*) \}/g)) env[match[1] ?? match[2] ?? ''] = 'set-by-init';
  for (const environment of environments) {
    try {
      await parseSuite(text, path, { env, environment, cwd: dirname(path), displayName: basename(path) });
    } catch (err) {
      if (err instanceof SuiteError) throw new Error(`the suite init would write does not validate (environment ${environment}):\n${formatSuiteError(err)}`);
      throw err;
    }
  }
}

function nextSteps(a: Answers, shown: string): string {
  const [first = 'sandbox', ...others] = a.environments;
  const lines = [`Wrote ${shown} (environments: ${a.environments.join(', ')}; auth: ${AUTH_WORDS[a.auth]})`, '', 'Next:'];
  if (a.auth === 'oauth2' && a.baseUrl) lines.push('  export PAYREADY_CLIENT_ID=... PAYREADY_CLIENT_SECRET=...     # from your provider; never in the file');
  if (a.provider) lines.push(`  export PAYREADY_API_KEY=...                                  # ${PROVIDERS[a.provider].key}; never in the file`);
  else if (a.auth === 'bearer' || a.auth === 'api-key') lines.push('  export PAYREADY_API_KEY=...                                  # from your provider; never in the file');
  lines.push(`  npx payready validate ${shown}`, `  npx payready run ${shown}${a.baseUrl ? '' : '                  # against the built-in sandbox'}`);
  for (const name of others) lines.push(`  npx payready run ${shown} --env ${name}    # set ${envVar(name, 'BASE_URL')} and the other ${envVar(name, '*')} first`);
  if (first && !a.baseUrl) lines.push('', `Environment "${first}" is payready's built-in sandbox; point it at your provider with --base-url when you have one.`);
  return `${lines.join('\n')}\n`;
}
