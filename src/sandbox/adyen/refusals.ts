/**
 * How Adyen's test platform answers a card payment, keyed by the card holder name. Adyen,
 * "Testing result codes and refusal reasons" (docs.adyen.com/development-resources/testing/result-codes):
 * "To get a specific result code and refusal reason in the /payments response, you need to include
 * a specific value either in the holderName or RequestedTestAcquirerResponseCode field", e.g. "to
 * test a scenario where the shopper has insufficient funds, make a /payments request with
 * NOT_ENOUGH_BALANCE as the holderName". The table below is that page's "Values for testing
 * refusal reasons" (refusalReason | resultCode | holderName | RequestedTestAcquirerResponseCode);
 * the code is also what the response's `refusalReasonCode` carries.
 */

/** One row of the table. */
export interface TestOutcome {
  /** `resultCode` of the /payments response. */
  resultCode: 'Authorised' | 'Refused' | 'Error' | 'Received';
  /** `refusalReason`; absent when the payment is not refused. */
  refusalReason?: string;
  /** `RequestedTestAcquirerResponseCode`, also sent back as `refusalReasonCode`. */
  code: number;
}

/** holderName -> outcome. Rows 0-16 are quoted from the page above; 17-29 from the same page's continuation. */
export const HOLDER_NAME_OUTCOMES: Readonly<Record<string, TestOutcome>> = {
  UNKNOWN: { resultCode: 'Error', refusalReason: 'Unknown', code: 0 },
  APPROVED: { resultCode: 'Authorised', code: 1 },
  DECLINED: { resultCode: 'Refused', refusalReason: 'Refused', code: 2 },
  REFERRAL: { resultCode: 'Refused', refusalReason: 'Referral', code: 3 },
  ERROR: { resultCode: 'Error', refusalReason: 'Acquirer Error', code: 4 },
  BLOCK_CARD: { resultCode: 'Refused', refusalReason: 'Blocked Card', code: 5 },
  CARD_EXPIRED: { resultCode: 'Refused', refusalReason: 'Expired Card', code: 6 },
  INVALID_AMOUNT: { resultCode: 'Refused', refusalReason: 'Invalid Amount', code: 7 },
  INVALID_CARD_NUMBER: { resultCode: 'Refused', refusalReason: 'Invalid Card Number', code: 8 },
  ISSUER_UNAVAILABLE: { resultCode: 'Refused', refusalReason: 'Issuer Unavailable', code: 9 },
  NOT_SUPPORTED: { resultCode: 'Refused', refusalReason: 'Not supported', code: 10 },
  NOT_3D_AUTHENTICATED: { resultCode: 'Refused', refusalReason: '3D Not Authenticated', code: 11 },
  NOT_ENOUGH_BALANCE: { resultCode: 'Refused', refusalReason: 'Not enough balance', code: 12 },
  PENDING: { resultCode: 'Received', code: 13 },
  ACQUIRER_FRAUD: { resultCode: 'Refused', refusalReason: 'Acquirer Fraud', code: 14 },
  CANCELLED: { resultCode: 'Refused', refusalReason: 'Cancelled', code: 15 },
  SHOPPER_CANCELLED: { resultCode: 'Refused', refusalReason: 'Shopper Cancelled', code: 16 },
  INVALID_PIN: { resultCode: 'Refused', refusalReason: 'Invalid Pin', code: 17 },
  PIN_TRIES_EXCEEDED: { resultCode: 'Refused', refusalReason: 'Pin tries exceeded', code: 18 },
  PIN_VALIDATION_NOT_POSSIBLE: { resultCode: 'Refused', refusalReason: 'Pin validation not possible', code: 19 },
  FRAUD: { resultCode: 'Refused', refusalReason: 'FRAUD', code: 20 },
  NOT_SUBMITTED: { resultCode: 'Refused', refusalReason: 'Not Submitted', code: 21 },
  'FRAUD-CANCELLED': { resultCode: 'Refused', refusalReason: 'FRAUD-CANCELLED', code: 22 },
  TRANSACTION_NOT_PERMITTED: { resultCode: 'Refused', refusalReason: 'Transaction Not Permitted', code: 23 },
  CVC_DECLINED: { resultCode: 'Refused', refusalReason: 'CVC Declined', code: 24 },
  RESTRICTED_CARD: { resultCode: 'Refused', refusalReason: 'Restricted Card', code: 25 },
  REVOCATION_OF_AUTH: { resultCode: 'Refused', refusalReason: 'Revocation Of Auth', code: 26 },
  DECLINED_NON_GENERIC: { resultCode: 'Refused', refusalReason: 'Declined Non Generic', code: 27 },
  WITHDRAWAL_AMOUNT_EXCEEDED: { resultCode: 'Refused', refusalReason: 'Withdrawal amount exceeded', code: 28 },
  WITHDRAWAL_COUNT_EXCEEDED: { resultCode: 'Refused', refusalReason: 'Withdrawal count exceeded', code: 29 },
};

/** What a payment with any other holder name gets. */
export const AUTHORISED: TestOutcome = { resultCode: 'Authorised', code: 1 };

/**
 * Adyen, "Testing with card holder name": "Test failed modifications. In rare cases, a modification
 * might fail after we have processed the modification. To test this scenario, make a /payments
 * request choosing a holderName from the list below ...: capture failed — We simulate a failed
 * capture ...; refund failed — ...". The payment is authorised; the later modification's
 * notification says `success: "false"`.
 */
export const FAILING_MODIFICATIONS: Readonly<Record<string, 'capture' | 'refund'>> = {
  'capture failed': 'capture',
  'refund failed': 'refund',
};

/**
 * The holder name's outcome. The page also allows "[Adyen Response code] : [Scheme Response code
 * and Refusal reason raw String]" (e.g. "DECLINED : 06 : ERROR"): the part before the first colon
 * decides.
 */
export function outcomeFor(holderName: string | undefined): TestOutcome {
  if (holderName === undefined) return AUTHORISED;
  const key = (holderName.split(':')[0] ?? '').trim();
  return Object.hasOwn(HOLDER_NAME_OUTCOMES, key) ? (HOLDER_NAME_OUTCOMES[key] ?? AUTHORISED) : AUTHORISED;
}
