import { readJson } from '../body.js';
import type { SandboxContext } from '../context.js';
import type { Reply } from '../respond.js';
import type { Router } from '../router.js';
import { registerManagementRoutes } from './management.js';
import { ADYEN_CHECKOUT_BASE, registerModificationRoutes } from './modifications.js';
import { admitOrder, noteReply, referenceOf } from './orders.js';
import { authorise } from './payments.js';
import { adyenEndpoint, authenticate } from './respond.js';
import { validatePayment } from './validation.js';

export { ADYEN_CHECKOUT_BASE } from './modifications.js';
export { ADYEN_MANAGEMENT_BASE } from './management.js';

/** Adyen's Checkout API v71 (payments and their modifications) and the Management API's webhooks. */
export function registerAdyenRoutes(router: Router, ctx: SandboxContext): void {
  router.post(
    `${ADYEN_CHECKOUT_BASE}/payments`,
    adyenEndpoint(ctx, async ({ req }, adyen): Promise<Reply> => {
      authenticate(req, ctx);
      const body = await readJson(req);
      admitOrder(req, ctx, 'create', referenceOf(body), body);
      const reply = await adyen.idempotency.run(req, 'company', () => authorise(req, validatePayment(body, adyen.merchantAccount), adyen, ctx));
      noteReply(req, reply, ctx, 'create');
      return reply;
    }),
  );
  registerModificationRoutes(router, ctx);
  registerManagementRoutes(router, ctx);
}
