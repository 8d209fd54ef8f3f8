import { issuerOf } from '../../scan/cards.js';

export { luhnValid } from '../../scan/cards.js';

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

/** Card scheme from the number's leading digits (IIN ranges), 'unknown' when none matches. */
export function cardBrand(digits: string): string {
  return issuerOf(digits) ?? 'unknown';
}

/** The decline reason of a test card, undefined when the card is approved. */
export function declineCodeFor(digits: string): DeclineCode | undefined {
  return TEST_CARDS.find((card) => card.number === digits)?.declineCode;
}
