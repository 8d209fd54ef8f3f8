import type { Fault } from '../fault.js';
import { BROKEN_CHECKOUT } from './page.js';

/** Faults of the hosted checkout page. */
export const CHECKOUT_FAULTS: readonly Fault[] = [
  {
    name: 'broken-checkout',
    description: 'The hosted checkout page is a fixed-width desktop layout with unlabeled card fields, tiny buttons and decline errors shown only in the browser console.',
    section: '6.1',
    caughtBy: 'checkout-mobile',
    hooks: { checkoutPage: () => BROKEN_CHECKOUT },
  },
];
