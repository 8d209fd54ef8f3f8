import { registerAdyenRoutes } from './adyen/routes.js';
import { registerCheckoutRoutes } from './checkout/routes.js';
import type { SandboxContext } from './context.js';
import { registerOAuthRoutes } from './oauth/routes.js';
import { openApiDocument } from './openapi/index.js';
import { registerPaymentRoutes } from './payments/routes.js';
import { json } from './respond.js';
import { Router } from './router.js';
import { registerStripeRoutes } from './stripe/routes.js';
import { registerRateLimitRoutes } from './transport/rate-limit.js';
import { registerSpeedRoutes } from './transport/speed.js';
import { registerWebhookRoutes } from './webhooks/routes.js';

/**
 * The payments and webhook endpoints of each dialect: payready's own API, or a provider's
 * (src/sandbox/<provider>/). Everything else (OAuth, checkout, transport) is the same for all.
 */
const DIALECTS: Record<SandboxContext['provider'], (router: Router, ctx: SandboxContext) => void> = {
  payready: (router, ctx) => {
    registerPaymentRoutes(router, ctx);
    registerWebhookRoutes(router, ctx);
  },
  stripe: registerStripeRoutes,
  adyen: registerAdyenRoutes,
};

/** Every endpoint of the sandbox; one line per area, each area in its own file. */
export function buildRouter(ctx: SandboxContext): Router {
  const router = new Router();
  router.get('/health', () => json(200, { status: 'ok' }));
  const document = JSON.stringify(openApiDocument(ctx.baseUrl, [...new Set(ctx.clients.flatMap((client) => client.scopes))]));
  router.get('/openapi.json', () => ({ status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: document }));
  registerOAuthRoutes(router, ctx);
  DIALECTS[ctx.provider](router, ctx);
  registerCheckoutRoutes(router, ctx);
  registerRateLimitRoutes(router, ctx);
  registerSpeedRoutes(router, ctx);
  return router;
}
