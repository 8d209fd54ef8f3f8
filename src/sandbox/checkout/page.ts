/**
 * The hosted checkout page the sandbox serves, in two versions: the one a payment page should be
 * (mobile-first, labelled card fields with autocomplete and a numeric keypad, 48 px tap targets, a
 * declined card explained in an alert region), and the `broken-checkout` one (a fixed-width
 * desktop table, unlabeled fields, a tiny button, errors only in the console). Scripts and styles
 * are separate files so the page's CSP can forbid inline code.
 */

/** What the page shows and charges. */
export interface Order {
  /** Amount in minor units. */
  value: number;
  /** ISO 4217 code. */
  currency: string;
  /** The amount as shown, e.g. `24.90 EUR`. */
  display: string;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The checkout page that passes the `ui` check. */
export function goodPage(order: Order): string {
  const amount = escapeHtml(order.display);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Checkout · payready sandbox store</title>
<link rel="stylesheet" href="/checkout/checkout.css">
<script src="/checkout/checkout.js" defer></script>
</head>
<body>
<main class="checkout">
  <h1>Pay ${amount}</h1>
  <p class="order">Order 1042 · payready sandbox store</p>
  <form id="payment-form" data-amount="${order.value}" data-currency="${escapeHtml(order.currency)}" novalidate>
    <label for="cc-name">Name on card</label>
    <input id="cc-name" name="name" autocomplete="cc-name" autocapitalize="words" spellcheck="false">
    <label for="cc-number">Card number</label>
    <input id="cc-number" name="number" inputmode="numeric" autocomplete="cc-number" spellcheck="false" aria-describedby="payment-error">
    <div class="row">
      <div>
        <label for="cc-exp">Expiry date (MM/YY)</label>
        <input id="cc-exp" name="expiry" inputmode="numeric" autocomplete="cc-exp" placeholder="MM/YY" aria-describedby="payment-error">
      </div>
      <div>
        <label for="cc-csc">Security code</label>
        <input id="cc-csc" name="cvc" inputmode="numeric" autocomplete="cc-csc" maxlength="4" aria-describedby="payment-error">
      </div>
    </div>
    <div id="payment-error" class="error" role="alert"></div>
    <button type="submit" id="pay">Pay ${amount}</button>
    <p id="payment-status" class="status" role="status" aria-live="polite"></p>
  </form>
  <p class="secure">Card details go straight to the payment provider over HTTPS.</p>
</main>
</body>
</html>
`;
}

/** Mobile first: one column, full-width 48 px controls, 16 px text (no zoom on focus in iOS). */
export const GOOD_CSS = `*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;background:#f6f7f9}
.checkout{max-width:28rem;margin:0 auto;padding:1.25rem 1rem 2rem}
h1{font-size:1.5rem;margin:.25rem 0}
.order,.secure{color:#555;font-size:.9rem}
label{display:block;margin:1rem 0 .25rem;font-weight:600}
input{display:block;width:100%;min-height:48px;padding:.6rem .75rem;font:inherit;border:1px solid #8a8f98;border-radius:8px;background:#fff}
input:focus{outline:3px solid #2563eb;outline-offset:1px}
input[aria-invalid="true"]{border-color:#b00020}
.row{display:flex;gap:.75rem}
.row>div{flex:1;min-width:0}
.error{margin:1rem 0 0;color:#b00020;font-weight:600}
.error:empty{display:none}
button{display:block;width:100%;min-height:48px;margin-top:1.25rem;border:0;border-radius:8px;background:#1d4ed8;color:#fff;font:inherit;font-weight:700;cursor:pointer}
button[disabled]{opacity:.6}
.status{min-height:1.5rem;margin:.75rem 0 0}
`;

/** Submits to /checkout/pay; every outcome the shopper must act on lands in the alert region. */
export const GOOD_JS = `'use strict';
const form = document.getElementById('payment-form');
const alertBox = document.getElementById('payment-error');
const statusLine = document.getElementById('payment-status');
const button = document.getElementById('pay');
const REQUIRED = [
  ['number', 'Enter your card number: the 13 to 19 digits on the front of your card.'],
  ['expiry', 'Enter the expiry date as MM/YY, for example 08/29.'],
  ['cvc', 'Enter the 3 or 4 digit security code from the back of your card.'],
];
function show(message, field) {
  for (const input of form.querySelectorAll('input')) input.removeAttribute('aria-invalid');
  alertBox.textContent = message;
  if (field && form.elements[field]) {
    form.elements[field].setAttribute('aria-invalid', 'true');
    form.elements[field].focus();
  }
}
function messageOf(body) {
  if (body && Array.isArray(body.errors) && body.errors.length > 0) return { text: body.errors.map((e) => e.detail).join(' '), field: body.errors[0].field };
  if (body && typeof body.detail === 'string') return { text: body.detail };
  return { text: 'The payment did not go through. Please try again or use a different card.' };
}
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  statusLine.textContent = '';
  const data = Object.fromEntries(new FormData(form));
  const missing = REQUIRED.find(([name]) => !String(data[name] || '').trim());
  if (missing) return show(missing[1], missing[0]);
  show('');
  button.disabled = true;
  statusLine.textContent = 'Processing your payment…';
  try {
    const response = await fetch('/checkout/pay', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...data, amount: { value: Number(form.dataset.amount), currency: form.dataset.currency } }),
    });
    const body = await response.json().catch(() => ({}));
    statusLine.textContent = '';
    if (response.ok) {
      statusLine.textContent = 'Payment authorised. Thank you! Your payment reference is ' + body.id + '.';
      form.reset();
    } else {
      const message = messageOf(body);
      show(message.text, message.field);
    }
  } catch {
    statusLine.textContent = '';
    show('We could not reach the payment service. Check your connection and try again.');
  } finally {
    button.disabled = false;
  }
});
`;

/** The `broken-checkout` page: what the `ui` check must fail. */
export function brokenPage(order: Order): string {
  const amount = escapeHtml(order.display);
  return `<!doctype html>
<html>
<head>
<meta charset="utf-8">
<title>Checkout</title>
<link rel="stylesheet" href="/checkout/checkout.css">
<script src="/checkout/checkout.js" defer></script>
</head>
<body>
<table class="layout"><tr>
<td class="side">payready sandbox store · Order 1042</td>
<td class="main">
  <b>Total: ${amount}</b>
  <form id="payment-form" data-amount="${order.value}" data-currency="${escapeHtml(order.currency)}">
    <input name="name" placeholder="Name" autocomplete="off">
    <input name="number" placeholder="Card number" autocomplete="off">
    <input name="expiry" placeholder="MM/YY" autocomplete="off" size="5">
    <input name="cvc" placeholder="CVC" autocomplete="off" size="4">
    <input type="submit" value="Pay" class="pay">
  </form>
  <div id="ok"></div>
</td>
</tr></table>
</body>
</html>
`;
}

/** A 980 px desktop layout with 11 px controls. */
export const BROKEN_CSS = `body{width:980px;margin:0 auto;font:12px Verdana,sans-serif}
.layout{width:980px}
.side{width:300px;background:#eee}
input{font-size:11px;padding:1px 2px;margin:2px}
.pay{padding:0 4px;font-size:10px}
`;

/** Errors go to the console only: the shopper sees nothing happen. */
export const BROKEN_JS = `document.getElementById('payment-form').addEventListener('submit', async function (event) {
  event.preventDefault();
  var form = event.target;
  var data = Object.fromEntries(new FormData(form));
  data.amount = { value: Number(form.dataset.amount), currency: form.dataset.currency };
  var response = await fetch('/checkout/pay', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(data) });
  var body = await response.json();
  if (!response.ok) { console.error('payment failed', response.status, body.code); return; }
  document.getElementById('ok').textContent = 'OK ' + body.id;
});
`;

/** One version of the hosted checkout: the page, its style sheet and its script. */
export interface CheckoutPage {
  /** The HTML page for an order. */
  html: (order: Order) => string;
  /** The style sheet (`/checkout/checkout.css`). */
  css: string;
  /** The script (`/checkout/checkout.js`). */
  js: string;
}

/** The checkout that passes the `ui` check. */
export const GOOD_CHECKOUT: CheckoutPage = { html: goodPage, css: GOOD_CSS, js: GOOD_JS };

/** The `broken-checkout` version. */
export const BROKEN_CHECKOUT: CheckoutPage = { html: brokenPage, css: BROKEN_CSS, js: BROKEN_JS };
