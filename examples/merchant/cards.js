// What the shop's card form collected. The shopper's browser tokenizes the card with the provider
// (Stripe.js / Elements) and the backend only gets a PaymentMethod id; for the documented test
// PaymentMethods the card behind it is known (https://docs.stripe.com/testing), which lets this
// example log a card the way a shop does (masked) and lets BREAK=raw-card and BREAK=log-pan show
// what a shop that handles raw numbers does wrong.

/** Stripe's test PaymentMethods and the card number each stands for. */
const TEST_CARDS = Object.freeze({
  pm_card_visa: '4242424242424242',
  pm_card_visa_debit: '4000056655665556',
  pm_card_mastercard: '5555555555554444',
  pm_card_mastercard_debit: '5200828282828210',
  pm_card_amex: '378282246310005',
  pm_card_discover: '6011111111111117',
  pm_card_chargeDeclined: '4000000000000002',
  pm_card_visa_chargeDeclined: '4000000000000002',
  pm_card_chargeDeclinedInsufficientFunds: '4000000000009995',
  pm_card_visa_chargeDeclinedInsufficientFunds: '4000000000009995',
  pm_card_chargeDeclinedLostCard: '4000000000009987',
  pm_card_visa_chargeDeclinedLostCard: '4000000000009987',
  pm_card_chargeDeclinedStolenCard: '4000000000009979',
  pm_card_visa_chargeDeclinedStolenCard: '4000000000009979',
  pm_card_chargeDeclinedExpiredCard: '4000000000000069',
  pm_card_chargeDeclinedIncorrectCvc: '4000000000000127',
  pm_card_chargeDeclinedProcessingError: '4000000000000119',
  pm_card_chargeDeclinedFraudulent: '4100000000000019',
  pm_card_radarBlock: '4100000000000019',
});

/**
 * The card number behind a test PaymentMethod id, undefined for any other id.
 * @param {string} paymentMethod
 * @returns {string | undefined}
 */
export function cardNumberOf(paymentMethod) {
  return Object.hasOwn(TEST_CARDS, paymentMethod) ? TEST_CARDS[/** @type {keyof typeof TEST_CARDS} */ (paymentMethod)] : undefined;
}

/**
 * How a log line names the card: the last four digits only (PCI DSS 3.4), or the PaymentMethod id
 * when the number is unknown. `whole` is BREAK=log-pan: the full number, a PCI violation.
 * @param {string} paymentMethod
 * @param {boolean} whole
 */
export function cardForLog(paymentMethod, whole) {
  const number = cardNumberOf(paymentMethod);
  if (!number) return paymentMethod;
  return whole ? number : `****${number.slice(-4)}`;
}

/** Currencies Stripe takes in whole units (https://docs.stripe.com/currencies#zero-decimal). */
const ZERO_DECIMAL = new Set(['bif', 'clp', 'djf', 'gnf', 'jpy', 'kmf', 'krw', 'mga', 'pyg', 'rwf', 'ugx', 'vnd', 'vuv', 'xaf', 'xof', 'xpf']);
/** Currencies with three decimals, whose amounts must end in 0 (https://docs.stripe.com/currencies#three-decimal). */
const THREE_DECIMAL = new Set(['bhd', 'jod', 'kwd', 'omr', 'tnd']);

/**
 * Digits after the decimal point in a currency's minor units.
 * @param {string} currency
 */
export function decimalsOf(currency) {
  const code = currency.toLowerCase();
  return ZERO_DECIMAL.has(code) ? 0 : THREE_DECIMAL.has(code) ? 3 : 2;
}

/**
 * An amount in minor units for people, e.g. 1050 usd → "$10.50".
 * @param {number} amount
 * @param {string} currency
 */
export function formatAmount(amount, currency) {
  const decimals = decimalsOf(currency);
  const value = amount / 10 ** decimals;
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency: currency.toUpperCase(), minimumFractionDigits: decimals, maximumFractionDigits: decimals }).format(value);
  } catch {
    return `${value.toFixed(decimals)} ${currency.toUpperCase()}`;
  }
}
