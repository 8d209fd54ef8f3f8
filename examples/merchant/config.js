// The shop's configuration, read ONLY from its environment (twelve-factor style), checked once at
// start so a typo fails loudly instead of half-working.

/** Every BREAK switch, each breaking exactly one thing (README.md lists what). */
export const BREAKS = Object.freeze([
  'no-idempotency-key',
  'retry-hard-decline',
  'ignore-retry-after',
  '500-on-decline',
  'bare-decline-message',
  'no-cap-fallback',
  'unsigned-webhooks',
  'apply-duplicates',
  'tls-off',
  'raw-card',
  'log-pan',
  'skip-3ds',
  'token-per-request',
  'credential-in-url',
]);

/** Switches that only mean something for one provider. */
const PROVIDER_ONLY = Object.freeze({ 'token-per-request': 'payready', 'credential-in-url': 'payready' });

/**
 * @typedef {object} StripeSettings
 * @property {string} secretKey
 * @property {URL} apiBase
 * @property {string | undefined} caFile
 * @property {string | undefined} webhookSecret
 * @property {number} timeoutMs
 *
 * @typedef {object} PayreadySettings
 * @property {URL} apiBase
 * @property {string | undefined} caFile
 * @property {string} clientId
 * @property {string} clientSecret
 * @property {URL} tokenUrl
 * @property {number} timeoutMs
 *
 * @typedef {object} Config
 * @property {number} port
 * @property {string} host
 * @property {'stripe' | 'payready'} provider
 * @property {StripeSettings} stripe
 * @property {PayreadySettings | undefined} payready
 * @property {string | undefined} logFile
 * @property {number} splitMax  largest part, in minor units, of an order split over the provider's cap (0: never split)
 * @property {ReadonlySet<string>} breaks
 */

/** Thrown for a configuration the shop cannot start with; the message says what to fix. */
export class ConfigError extends Error {}

/**
 * Reads and checks the configuration.
 * @param {Record<string, string | undefined>} env
 * @returns {Config}
 */
export function readConfig(env) {
  const provider = env.PROVIDER ?? 'stripe';
  if (provider !== 'stripe' && provider !== 'payready') throw new ConfigError(`PROVIDER must be stripe or payready, not "${provider}".`);
  const breaks = readBreaks(env.BREAK ?? '', provider);
  const timeoutMs = integer(env, 'STRIPE_TIMEOUT_MS', 2000, 1);
  return {
    port: integer(env, 'PORT', 3000, 0),
    host: env.HOST || '127.0.0.1',
    provider,
    stripe: {
      // Only the Stripe provider needs the key; the payready one ignores this block.
      secretKey: provider === 'stripe' ? required(env, 'STRIPE_SECRET_KEY') : env.STRIPE_SECRET_KEY ?? '',
      apiBase: url(env, 'STRIPE_API_BASE', 'https://api.stripe.com'),
      caFile: env.STRIPE_CA_FILE || undefined,
      webhookSecret: env.STRIPE_WEBHOOK_SECRET || undefined,
      timeoutMs,
    },
    payready:
      provider === 'payready'
        ? {
            apiBase: url(env, 'PAYREADY_API_BASE'),
            caFile: env.PAYREADY_CA_FILE || undefined,
            clientId: required(env, 'PAYREADY_CLIENT_ID'),
            clientSecret: required(env, 'PAYREADY_CLIENT_SECRET'),
            tokenUrl: url(env, 'PAYREADY_TOKEN_URL'),
            timeoutMs,
          }
        : undefined,
    logFile: env.MERCHANT_LOG || undefined,
    splitMax: integer(env, 'MERCHANT_SPLIT_MAX', 50000, 0),
    breaks,
  };
}

/**
 * @param {string} list  comma-separated switch names
 * @param {string} provider
 * @returns {ReadonlySet<string>}
 */
function readBreaks(list, provider) {
  const names = list.split(',').map((name) => name.trim()).filter(Boolean);
  for (const name of names) {
    if (!BREAKS.includes(name)) throw new ConfigError(`BREAK has an unknown switch "${name}"; known: ${BREAKS.join(', ')}.`);
    const only = PROVIDER_ONLY[/** @type {keyof typeof PROVIDER_ONLY} */ (name)];
    if (only && only !== provider) throw new ConfigError(`BREAK=${name} only applies with PROVIDER=${only}.`);
  }
  return new Set(names);
}

/**
 * @param {Record<string, string | undefined>} env
 * @param {string} name
 */
function required(env, name) {
  const value = env[name];
  if (!value) throw new ConfigError(`${name} is not set.`);
  return value;
}

/**
 * @param {Record<string, string | undefined>} env
 * @param {string} name
 * @param {string} [fallback]
 */
function url(env, name, fallback) {
  const text = env[name] || fallback;
  if (!text) throw new ConfigError(`${name} is not set.`);
  try {
    const parsed = new URL(text);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new Error('not http(s)');
    return parsed;
  } catch {
    throw new ConfigError(`${name} must be an http(s) URL, not "${text}".`);
  }
}

/**
 * @param {Record<string, string | undefined>} env
 * @param {string} name
 * @param {number} fallback
 * @param {number} min
 */
function integer(env, name, fallback, min) {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) throw new ConfigError(`${name} must be a whole number of at least ${min}, not "${text}".`);
  return value;
}
