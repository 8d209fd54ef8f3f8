import { formatAmount } from './cards.js';

// The shopper's pages: a checkout with a "Pay" button, and the page 3-D Secure returns to. Plain
// HTML and one small script (no inline script, so the Content-Security-Policy can forbid them).

/** Test cards the checkout offers (a real shop embeds Stripe Elements instead). */
const CARDS = [
  ['pm_card_visa', 'Visa •••• 4242'],
  ['pm_card_mastercard', 'Mastercard •••• 4444'],
  ['pm_card_visa_chargeDeclined', 'Visa •••• 0002 (declined)'],
  ['pm_card_visa_chargeDeclinedInsufficientFunds', 'Visa •••• 9995 (insufficient funds)'],
];

/** Headers of every page. */
export const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; connect-src 'self'; form-action 'self'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
};

/** @param {string} text */
function escape(text) {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * @param {string} title
 * @param {string} body
 */
function page(title, body) {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)} · Example Shop</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;line-height:1.5}button{font-size:1rem;padding:.5rem 1.5rem}[role=status]{margin-top:1rem;font-weight:600}</style>
</head>
<body>
<h1>${escape(title)}</h1>
${body}
</body>
</html>
`;
}

/**
 * The checkout page of an order.
 * @param {{ orderId: string, amount: number, currency: string, paymentMethod: string | undefined }} order
 */
export function checkoutPage({ orderId, amount, currency, paymentMethod }) {
  const selected = paymentMethod ?? 'pm_card_visa';
  const options = [...CARDS, ...(CARDS.some(([id]) => id === selected) ? [] : [[selected, selected]])]
    .map(([id, label]) => `<option value="${escape(id ?? '')}"${id === selected ? ' selected' : ''}>${escape(label ?? '')}</option>`)
    .join('');
  return page(
    'Checkout',
    `<form id="checkout" data-order-id="${escape(orderId)}" data-amount="${amount}" data-currency="${escape(currency)}">
<p>Order <strong>${escape(orderId)}</strong>: <strong>${escape(formatAmount(amount, currency))}</strong></p>
<p><label for="card">Card</label> <select id="card" name="card">${options}</select></p>
<button type="submit">Pay</button>
</form>
<p id="result" role="status" aria-live="polite"></p>
<script src="/checkout.js"></script>`,
  );
}

/** The checkout page's script: pays through /api/checkout and follows a 3-D Secure redirect. */
export const CHECKOUT_SCRIPT = `'use strict';
const form = document.getElementById('checkout');
const result = document.getElementById('result');
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const button = form.querySelector('button');
  button.disabled = true;
  result.textContent = 'Paying…';
  const orderId = form.dataset.orderId;
  try {
    const response = await fetch('/api/checkout', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        orderId,
        amount: Number(form.dataset.amount),
        currency: form.dataset.currency,
        paymentMethod: form.elements.card.value,
        returnUrl: new URL('/checkout/return?orderId=' + encodeURIComponent(orderId), location.href).href,
      }),
    });
    const answer = await response.json();
    if (answer.redirectUrl) {
      result.textContent = answer.message;
      location.assign(answer.redirectUrl);
      return;
    }
    result.textContent = answer.message || 'Something went wrong. Please try again.';
  } catch {
    result.textContent = 'We could not reach the shop. Please check your connection and try again.';
  }
  button.disabled = false;
});
`;

/**
 * The page a shopper lands on after 3-D Secure: the outcome in a `role="status"` element.
 * @param {{ orderId: string, succeeded: boolean, message: string }} outcome
 */
export function returnPage({ orderId, succeeded, message }) {
  return page(
    succeeded ? 'Payment received' : 'Payment not completed',
    `<p id="result" role="status">${escape(message)}</p>
<p>Order <strong>${escape(orderId)}</strong>.</p>`,
  );
}

/**
 * A page for a bad link.
 * @param {string} message
 */
export function errorPage(message) {
  return page('Checkout', `<p role="alert">${escape(message)}</p>`);
}
