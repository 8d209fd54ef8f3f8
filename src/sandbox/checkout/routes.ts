import { randomBytes } from 'node:crypto';
import { readJson } from '../body.js';
import type { SandboxContext } from '../context.js';
import { currencyDecimals } from '../payments/currencies.js';
import { chargeReply } from '../payments/routes.js';
import { validatePaymentRequest } from '../payments/validation.js';
import { problem, type FieldError, type Reply } from '../respond.js';
import type { Router, RouteRequest } from '../router.js';
import { GOOD_CHECKOUT, type Order } from './page.js';

/** Where the hosted checkout page lives. */
export const CHECKOUT_PATH = '/checkout';

const DEFAULT_ORDER = { value: 2490, currency: 'EUR' } as const;

// The page loads its own script and style and talks only to its own origin; nothing inline.
const PAGE_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/** `?amount=1000&currency=JPY` lets a suite choose the order; anything invalid falls back to 24.90 EUR. */
function orderFrom(url: URL): Order {
  const currency = url.searchParams.get('currency') ?? DEFAULT_ORDER.currency;
  const value = Number(url.searchParams.get('amount') ?? DEFAULT_ORDER.value);
  const decimals = currencyDecimals(currency);
  if (decimals === undefined || !Number.isSafeInteger(value) || value <= 0) return order(DEFAULT_ORDER.value, DEFAULT_ORDER.currency, 2);
  return order(value, currency, decimals);
}

function order(value: number, currency: string, decimals: number): Order {
  return { value, currency, display: `${(value / 10 ** decimals).toFixed(decimals)} ${currency}` };
}

function asset(body: string, type: string): Reply {
  return { status: 200, headers: { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-store' }, body };
}

/** What a shopper reads for each invalid field of the API's validation (the API's wording is for developers). */
function shopperMessage(error: FieldError): { field: string; detail: string } {
  if (error.pointer.endsWith('/number')) return { field: 'number', detail: 'Check the card number: it is the 13 to 19 digits on the front of your card.' };
  if (error.pointer.endsWith('/cvc')) return { field: 'cvc', detail: 'Enter the 3 or 4 digit security code from the back of your card.' };
  if (error.pointer.includes('/expiry')) {
    return /past/.test(error.detail)
      ? { field: 'expiry', detail: 'This card has expired. Check the expiry date or use a different card.' }
      : { field: 'expiry', detail: 'Enter the expiry date as MM/YY, for example 08/29.' };
  }
  return { field: '', detail: 'Something in the payment details is not right. Check them and try again.' };
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** `08/29`, `8/2029`, `08 / 29` -> month and four-digit year; undefined when unreadable. */
function parseExpiry(value: string): { month: number; year: number } | undefined {
  const match = /^\s*(\d{1,2})\s*\/\s*(\d{2}|\d{4})\s*$/.exec(value);
  if (!match) return undefined;
  const year = Number(match[2]);
  return { month: Number(match[1]), year: year < 100 ? 2000 + year : year };
}

async function pay({ req }: RouteRequest, ctx: SandboxContext): Promise<Reply> {
  const body = await readJson(req);
  const form = body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const amount = form.amount !== null && typeof form.amount === 'object' ? form.amount : DEFAULT_ORDER;
  const expiry = parseExpiry(text(form.expiry));
  const validation = validatePaymentRequest({
    amount,
    paymentMethod: {
      type: 'card',
      // Shoppers type spaces and dashes; the API wants digits.
      number: text(form.number).replace(/[\s-]/g, ''),
      expiryMonth: expiry?.month ?? 0,
      expiryYear: expiry?.year ?? 0,
      cvc: text(form.cvc).trim(),
    },
    reference: `checkout-${randomBytes(6).toString('hex')}`,
  });
  if (!validation.ok) {
    const errors = validation.errors.map(shopperMessage).filter((e, i, all) => all.findIndex((x) => x.detail === e.detail) === i);
    return problem({ status: 422, code: 'validation_failed', title: 'Check your payment details', detail: errors.map((e) => e.detail).join(' '), extra: { errors } });
  }
  return chargeReply(req, validation.request, ctx);
}

/** The hosted checkout: the page, its script and style, and the endpoint it submits to. */
export function registerCheckoutRoutes(router: Router, ctx: SandboxContext): void {
  const page = ctx.faults.apply('checkoutPage', GOOD_CHECKOUT);
  router.get(CHECKOUT_PATH, ({ url }) => {
    return { status: 200, headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': PAGE_CSP }, body: page.html(orderFrom(url)) };
  });
  router.get(`${CHECKOUT_PATH}/checkout.css`, () => asset(page.css, 'text/css'));
  router.get(`${CHECKOUT_PATH}/checkout.js`, () => asset(page.js, 'text/javascript'));
  router.post(`${CHECKOUT_PATH}/pay`, (request) => pay(request, ctx));
}
