/** Why an issuer declined a test card. */
export type DeclineCode = 'do_not_honor' | 'insufficient_funds' | 'expired_card' | 'stolen_card';

/** A card number with a known outcome. */
export interface TestCard {
  /** The PAN (Luhn-valid, test range). */
  number: string;
  /** Decline reason; absent for a card that is approved. */
  declineCode?: DeclineCode;
}

/** Card numbers the sandbox answers predictably; any other Luhn-valid number is approved. */
export const TEST_CARDS: readonly TestCard[] = [
  { number: '4111111111111111' },
  { number: '4000000000000002', declineCode: 'do_not_honor' },
  { number: '4000000000009995', declineCode: 'insufficient_funds' },
  { number: '4000000000000069', declineCode: 'expired_card' },
  { number: '4000000000009979', declineCode: 'stolen_card' },
];

/**
 * What to tell the shopper for each decline. A stolen card gets the generic sentence on purpose:
 * naming the reason would tip off someone using a stolen card.
 */
export const DECLINE_MESSAGES: Readonly<Record<DeclineCode, string>> = {
  do_not_honor: 'Your bank declined this payment. Please use a different card or contact your bank.',
  insufficient_funds: 'The card does not have enough funds for this payment. Please use a different card or payment method.',
  expired_card: 'This card has expired. Please check the expiry date or use a different card.',
  stolen_card: 'Your bank declined this payment. Please use a different card or contact your bank.',
};

/** Luhn (mod 10) check of a digit string. */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** Card scheme from the number's leading digits (IIN ranges), 'unknown' when none matches. */
export function cardBrand(digits: string): string {
  if (/^4/.test(digits)) return 'visa';
  if (/^(5[1-5]|222[1-9]|22[3-9]\d|2[3-6]\d\d|27[01]\d|2720)/.test(digits)) return 'mastercard';
  if (/^3[47]/.test(digits)) return 'amex';
  if (/^(6011|65|64[4-9])/.test(digits)) return 'discover';
  return 'unknown';
}

/** The decline reason of a test card, undefined when the card is approved. */
export function declineCodeFor(digits: string): DeclineCode | undefined {
  return TEST_CARDS.find((card) => card.number === digits)?.declineCode;
}
