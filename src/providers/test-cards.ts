/**
 * The provider's documented test cards: numbers its sandbox answers predictably (Stripe documents
 * the same ones). Provider facts, shared by the emulated provider (`src/sandbox`), which answers
 * them, and the `transaction` check's scenarios, which expect those answers by default.
 */

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
