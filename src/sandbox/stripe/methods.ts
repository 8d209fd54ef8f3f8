import { issuerOf } from '../../scan/cards.js';

/**
 * Stripe's documented test payment methods and card numbers (https://docs.stripe.com/testing):
 * "When writing test code, use a PaymentMethod such as pm_card_visa instead of a card number."
 * The "Declined payments" table gives, for each, the error `code` and the `decline_code`:
 *
 *   Generic decline      4000000000000002  pm_card_visa_chargeDeclined                  card_declined     generic_decline
 *   Insufficient funds   4000000000009995  pm_card_visa_chargeDeclinedInsufficientFunds card_declined     insufficient_funds
 *   Lost card            4000000000009987  pm_card_visa_chargeDeclinedLostCard          card_declined     lost_card
 *   Stolen card          4000000000009979  pm_card_visa_chargeDeclinedStolenCard        card_declined     stolen_card
 *   Expired card         4000000000000069  pm_card_chargeDeclinedExpiredCard            expired_card      n/a
 *   Incorrect CVC        4000000000000127  pm_card_chargeDeclinedIncorrectCvc           incorrect_cvc     n/a
 *   Processing error     4000000000000119  pm_card_chargeDeclinedProcessingError        processing_error  n/a
 *   Always blocked       4100000000000019  pm_card_radarBlock                           card_declined     fraudulent
 *
 * The `pm_card_chargeDeclined...` spellings without `visa_` are accepted too (older docs and most
 * integrations use them). The messages are the ones the API sends for these codes.
 */
export interface Decline {
  /** The error's `code`. */
  code: 'card_declined' | 'expired_card' | 'incorrect_cvc' | 'processing_error';
  /** The `decline_code`; Stripe sends none for expired_card, incorrect_cvc and processing_error. */
  declineCode?: string;
  /** The error's `message` (shown to customers). */
  message: string;
  /** The charge outcome's `type`: `issuer_declined`, `blocked` (Radar) or `invalid`. */
  outcome: 'issuer_declined' | 'blocked' | 'invalid';
}

/** A test card: what the payment method shows, and how a charge on it ends. */
export interface TestCard {
  /** `brand` as Stripe names it. */
  brand: 'visa' | 'mastercard' | 'amex' | 'discover' | 'unknown';
  /** Last four digits. */
  last4: string;
  /** `funding`. */
  funding: 'credit' | 'debit' | 'prepaid' | 'unknown';
  /** Issuing country. */
  country: string;
  /** Why a charge fails; absent when it succeeds. */
  decline?: Decline;
}

const DECLINED = 'Your card was declined.';
const declined = (declineCode: string, outcome: Decline['outcome'] = 'issuer_declined', message = DECLINED): Decline => ({ code: 'card_declined', declineCode, message, outcome });

const DECLINES_BY_NUMBER: Readonly<Record<string, Decline>> = {
  '4000000000000002': declined('generic_decline'),
  '4000000000009995': declined('insufficient_funds', 'issuer_declined', 'Your card has insufficient funds.'),
  '4000000000009987': declined('lost_card'),
  '4000000000009979': declined('stolen_card'),
  '4000000000000069': { code: 'expired_card', message: 'Your card has expired.', outcome: 'issuer_declined' },
  '4000000000000127': { code: 'incorrect_cvc', message: "Your card's security code is incorrect.", outcome: 'issuer_declined' },
  '4000000000000119': { code: 'processing_error', message: 'An error occurred while processing your card. Try again in a little while.', outcome: 'issuer_declined' },
  '4100000000000019': declined('fraudulent', 'blocked'),
};

/** Test PaymentMethod ids and the card number each stands for. */
const NUMBERS_BY_METHOD: Readonly<Record<string, string>> = {
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
};

/** Every test PaymentMethod id the emulator knows. */
export const TEST_PAYMENT_METHODS: readonly string[] = Object.keys(NUMBERS_BY_METHOD);

const FUNDING: Readonly<Record<string, TestCard['funding']>> = { '4000056655665556': 'debit', '5200828282828210': 'debit' };

function brandOf(number: string): TestCard['brand'] {
  const issuer = issuerOf(number);
  return issuer === 'visa' || issuer === 'mastercard' || issuer === 'amex' || issuer === 'discover' ? issuer : 'unknown';
}

/** The card behind a raw number (any Luhn-valid number; the documented ones decline as documented). */
export function cardForNumber(number: string): TestCard {
  const decline = DECLINES_BY_NUMBER[number];
  return { brand: brandOf(number), last4: number.slice(-4), funding: FUNDING[number] ?? 'credit', country: 'US', ...(decline ? { decline } : {}) };
}

/** The card behind a test PaymentMethod id, undefined for an id the emulator does not know. */
export function cardForMethod(id: string): TestCard | undefined {
  const number = Object.hasOwn(NUMBERS_BY_METHOD, id) ? NUMBERS_BY_METHOD[id] : undefined;
  return number === undefined ? undefined : cardForNumber(number);
}
