import { issuerOf, luhnValid } from '../../scan/cards.js';

/**
 * Some of Adyen's documented test cards (docs.adyen.com/development-resources/test-cards-and-credentials/test-card-numbers):
 * "To test your integration before accepting live payments, use the card details that are provided
 * on this page", with expiry 03/2030 and security code 737 (7373 for American Express). The
 * emulator authorises every Luhn-valid number, these included; the list is what the docs and the
 * tests name.
 */
export const ADYEN_TEST_CARDS: readonly { number: string; brand: string }[] = [
  { number: '4111111145551142', brand: 'visa' },
  { number: '4111111111111111', brand: 'visa' },
  { number: '4988438843884305', brand: 'visa' },
  { number: '5555341244441115', brand: 'mc' },
  { number: '2222400070000005', brand: 'mc' },
  { number: '5555555555554444', brand: 'mc' },
  { number: '370000000000002', brand: 'amex' },
];

/**
 * The page on encrypted card details: "To test API calls from your server when your client-side
 * integration is not ready yet, add a prefix of test_ to the test card credentials", e.g.
 * `"encryptedCardNumber": "test_5555555555554444", "encryptedExpiryMonth": "test_03",
 * "encryptedExpiryYear": "test_2030", "encryptedSecurityCode": "test_737"`.
 */
export const TEST_ENCRYPTION_PREFIX = 'test_';

// Adyen's payment method variants (`paymentMethod.brand` in responses, `paymentMethod` in notifications).
const ADYEN_BRANDS: Readonly<Record<string, string>> = {
  visa: 'visa',
  mastercard: 'mc',
  amex: 'amex',
  maestro: 'maestro',
  discover: 'discover',
  jcb: 'jcb',
  diners: 'diners',
  unionpay: 'cup',
  mir: 'mir',
};

/** Adyen's variant for a card number ('visa', 'mc', 'amex', ...), 'card' when the IIN is unknown. */
export function adyenBrand(digits: string): string {
  return ADYEN_BRANDS[issuerOf(digits) ?? ''] ?? 'card';
}

export { luhnValid };
