// The example shop's entry point: `node server.js`, configured from the environment (README.md).
import { createServer } from 'node:http';
import { createApp } from './app.js';
import { createCheckout } from './checkout.js';
import { ConfigError, readConfig } from './config.js';
import { createLogger } from './log.js';
import { Orders } from './orders.js';
import { createStripeClient, stripeProvider, verifiedEvent } from './stripe-provider.js';
import { createStripeWebhookHandler } from './webhooks.js';

/** @type {import('./config.js').Config} */
let config;
try {
  config = readConfig(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`merchant: ${error.message}\n`);
  process.exit(2);
}

const log = createLogger(config.logFile);
const orders = new Orders();
const stripe = config.provider === 'stripe' ? createStripeClient(config.stripe, config.breaks) : undefined;
const provider =
  config.provider === 'payready' && config.payready
    ? (await import('./payready-provider.js')).payreadyProvider(config.payready, config.breaks, log)
    : stripeProvider(/** @type {NonNullable<typeof stripe>} */ (stripe), config.breaks);

const webhookSecret = config.stripe.webhookSecret;
if (stripe && !webhookSecret && !config.breaks.has('unsigned-webhooks')) log.warn('STRIPE_WEBHOOK_SECRET is not set: every webhook will be refused');
const stripeWebhook = stripe
  ? createStripeWebhookHandler({
      verify: (rawBody, signature) => {
        if (!webhookSecret) throw new Error('STRIPE_WEBHOOK_SECRET is not set');
        return verifiedEvent(stripe, rawBody, signature, webhookSecret);
      },
      orders,
      log,
      breaks: config.breaks,
    })
  : undefined;

const checkout = createCheckout({ provider, orders, log, breaks: config.breaks, splitMax: config.splitMax });
const server = createServer(createApp({ checkout, stripeWebhook, provider, orders, log }));

server.listen(config.port, config.host, () => {
  const address = server.address();
  const port = address && typeof address === 'object' ? address.port : config.port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const breaks = [...config.breaks];
  if (breaks.length > 0) log.warn('running with BREAK switches: this shop is broken on purpose', { break: breaks.join(',') });
  process.stdout.write(`listening on http://${host}:${port}\n`);
});

/** Stops taking requests, lets the running ones finish, then exits. */
function shutdown() {
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  // Whatever is still open after a few seconds is cut.
  setTimeout(() => process.exit(0), 5000).unref();
}
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
