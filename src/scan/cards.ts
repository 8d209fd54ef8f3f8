import type { IinRow } from './pan-kernel.js';

/**
 * Card-number facts shared by the sandbox (which validates what it is sent) and the `pan-scan`
 * check (which looks for numbers that should never have been written down): Luhn, issuer ranges,
 * documented test numbers, and the first-six/last-four mask.
 */

/** One issuer identification number (IIN) range of a card scheme. */
interface IinRange {
  /** Scheme, e.g. `visa`. */
  brand: string;
  /** Lowest and highest prefix of the range, as digit strings of equal length. */
  from: string;
  to: string;
  /** Valid PAN lengths in this range. */
  lengths: readonly number[];
}

const SIXTEEN_TO_NINETEEN = [16, 17, 18, 19];

function range(brand: string, from: string, to: string, lengths: readonly number[]): IinRange {
  return { brand, from, to, lengths };
}

// First match wins: narrow ranges (Maestro's, Mir) come before the broad ones they sit inside.
// Sources: the schemes' published IIN tables (ISO/IEC 7812), as summarised by every PSP's docs.
const IIN_RANGES: readonly IinRange[] = [
  range('maestro', '5018', '5018', [12, 13, 14, 15, 16, 17, 18, 19]),
  range('maestro', '5020', '5020', [12, 13, 14, 15, 16, 17, 18, 19]),
  range('maestro', '5038', '5038', [12, 13, 14, 15, 16, 17, 18, 19]),
  range('maestro', '5893', '5893', [12, 13, 14, 15, 16, 17, 18, 19]),
  range('maestro', '6304', '6304', [12, 13, 14, 15, 16, 17, 18, 19]),
  range('maestro', '6759', '6759', [12, 13, 14, 15, 16, 17, 18, 19]),
  range('maestro', '6761', '6763', [12, 13, 14, 15, 16, 17, 18, 19]),
  range('maestro', '6799', '6799', [12, 13, 14, 15, 16, 17, 18, 19]),
  range('mir', '2200', '2204', SIXTEEN_TO_NINETEEN),
  range('visa', '4', '4', [13, 16, 19]),
  range('mastercard', '51', '55', [16]),
  range('mastercard', '2221', '2720', [16]),
  range('amex', '34', '34', [15]),
  range('amex', '37', '37', [15]),
  range('discover', '6011', '6011', SIXTEEN_TO_NINETEEN),
  range('discover', '644', '649', SIXTEEN_TO_NINETEEN),
  range('discover', '65', '65', SIXTEEN_TO_NINETEEN),
  range('jcb', '3528', '3589', SIXTEEN_TO_NINETEEN),
  range('diners', '300', '305', [14, 15, 16, 17, 18, 19]),
  range('diners', '3095', '3095', [14, 15, 16, 17, 18, 19]),
  range('diners', '36', '36', [14, 15, 16, 17, 18, 19]),
  range('diners', '38', '39', [14, 15, 16, 17, 18, 19]),
  range('unionpay', '62', '62', SIXTEEN_TO_NINETEEN),
];

/** The IIN table in numbers, for the PAN scanner's kernel (same rows, same order: first match wins). */
export const IIN_ROWS: readonly IinRow[] = IIN_RANGES.map((r) => ({
  brand: r.brand,
  prefixLength: r.from.length,
  low: Number(r.from),
  high: Number(r.to),
  lengths: r.lengths.reduce((bits, n) => bits | (1 << n), 0),
}));

/**
 * Test card numbers published by the schemes and the major payment providers (Stripe, Adyen,
 * Braintree, PayPal, Checkout.com, Worldpay): finding one in a log is a warning, not a breach.
 */
const DOCUMENTED_TEST_PANS: ReadonlySet<string> = new Set([
  '4111111111111111', '4242424242424242', '4012888888881881', '4222222222222', '4000056655665556',
  '4917610000000000', '4988438843884305', '4035501000000008', '4444333322221111', '4462030000000000',
  '4917300800000000', '4484070000000000', '4005519200000004', '4009348888881881', '4012000033330026',
  '5555555555554444', '5105105105105100', '5200828282828210', '2223003122003222', '5454545454545454',
  '2222400010000008', '5101180000000007', '2223000048400011', '5200000000000007', '5500000000000004',
  '378282246310005', '371449635398431', '378734493671000', '340000000000009', '370000000000002',
  '6011111111111117', '6011000990139424', '6011000000000004', '6011601160116611', '6445644564456445',
  '30569309025904', '38520000023237', '36227206271667', '3056930009020004', '36006666333344',
  '3530111333300000', '3566002020360505', '3566111111111113', '3569990010095841',
  '6200000000000005', '6205500000000000004', '6250941006528599', '6759649826438453', '6799990100000000019',
  '2201382000000013',
]);

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

function inRange(digits: string, r: IinRange): boolean {
  const prefix = digits.slice(0, r.from.length);
  return prefix.length === r.from.length && prefix >= r.from && prefix <= r.to;
}

/** The scheme whose IIN range holds the number's leading digits (any length), or undefined. */
export function issuerOf(digits: string): string | undefined {
  return IIN_RANGES.find((r) => inRange(digits, r))?.brand;
}

/** The scheme of a plausible PAN: a known IIN range with one of that range's lengths. */
export function panBrand(digits: string): string | undefined {
  return IIN_RANGES.find((r) => inRange(digits, r) && r.lengths.includes(digits.length))?.brand;
}

/**
 * True for documented test numbers and the "4000 0000 00xx xxxx" family PSP sandboxes use for
 * scripted outcomes (declines, 3-D Secure), which no issuer hands out.
 */
export function isTestPan(digits: string): boolean {
  return DOCUMENTED_TEST_PANS.has(digits) || /^40{9}/.test(digits);
}

/** First six and last four digits, the rest starred: the most PCI DSS allows to be shown. */
export function maskPan(digits: string): string {
  return `${digits.slice(0, 6)}${'*'.repeat(Math.max(0, digits.length - 10))}${digits.slice(-4)}`;
}
