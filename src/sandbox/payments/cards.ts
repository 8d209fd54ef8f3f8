import { issuerOf } from '../../scan/cards.js';
import { TEST_CARDS, type DeclineCode } from '../../providers/test-cards.js';

export { luhnValid } from '../../scan/cards.js';
export { TEST_CARDS, type DeclineCode } from '../../providers/test-cards.js';

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
