import type { Reply } from '../respond.js';

/**
 * Adyen's error body, `ServiceError` in the Checkout API v71 OpenAPI document
 * (`{ status, errorCode, message, errorType, pspReference }`). Adyen's "Error codes and messages"
 * page shows one: `{ "status": 422, "errorCode": "101", "message": "Invalid card number",
 * "errorType": "validation", "pspReference": "F7WCWRG6JPHR8HG2" }`, and says `errorType` is "the
 * category of the error: internal, validation, security, or configuration".
 */
export interface ServiceError {
  /** HTTP status, repeated in the body. */
  status: number;
  /** Adyen's error code, a string of digits ("137"). */
  errorCode: string;
  /** Adyen's message for the code. */
  message: string;
  /** internal, validation, security or configuration. */
  errorType: 'internal' | 'validation' | 'security' | 'configuration';
  /** Adyen's reference of the request that failed. */
  pspReference?: string;
}

/**
 * The errors this dialect answers, with the code and message Adyen documents for them
 * (docs.adyen.com/development-resources/error-codes unless said otherwise).
 */
export const ADYEN_ERRORS = {
  /** "000 ... Unknown: Unauthorised: The API key or Auth credentials are incorrect." The body's wording is the one Adyen's live endpoints send for a bad key. */
  unauthorized: { status: 401, errorCode: '000', message: 'HTTP Status Response - Unauthorized', errorType: 'security' },
  /**
   * help.adyen.com "Why do I get a 901 error?": "status 403 and errorCode 901 ... 'Invalid Merchant
   * Account', errorType 'security'" — "you are using an invalid merchant account". Also answered
   * when `merchantAccount` is missing: no account is not this key's account either.
   */
  invalidMerchantAccount: { status: 403, errorCode: '901', message: 'Invalid Merchant Account', errorType: 'security' },
  /** "000 ... Unable to parse message." (the generic code). */
  unparsable: { status: 400, errorCode: '000', message: 'Unable to parse message', errorType: 'validation' },
  /** "100 - Required object 'amount' is not provided". */
  amountMissing: { status: 422, errorCode: '100', message: "Required object 'amount' is not provided.", errorType: 'validation' },
  /** "137 Invalid amount specified": zero, negative, fractional or out-of-range `amount.value`. */
  invalidAmount: { status: 422, errorCode: '137', message: 'Invalid amount specified', errorType: 'validation' },
  /** "138 Unsupported currency specified": a code that is not ISO 4217, or not the payment's currency. */
  unsupportedCurrency: { status: 422, errorCode: '138', message: 'Unsupported currency specified', errorType: 'validation' },
  /** "130 Required field 'reference' is not provided." */
  referenceMissing: { status: 422, errorCode: '130', message: "Required field 'reference' is not provided.", errorType: 'validation' },
  /** "101 - Invalid card number: Incorrect card number or length." */
  invalidCardNumber: { status: 422, errorCode: '101', message: 'Invalid card number', errorType: 'validation' },
  /** "103 - CVC is not the right length". */
  cvcLength: { status: 422, errorCode: '103', message: 'CVC is not the right length', errorType: 'validation' },
  /** "129 Expiry Date Invalid". */
  expiryInvalid: { status: 422, errorCode: '129', message: 'Expiry Date Invalid', errorType: 'validation' },
  /** Only card (`scheme`) payments are emulated; "109 Invalid variant" is Adyen's answer to a method it cannot route. */
  unsupportedMethod: { status: 422, errorCode: '109', message: 'Invalid variant', errorType: 'validation' },
  /** "167 Original pspReference required for this operation": the path names no payment of this merchant account. */
  unknownPayment: { status: 422, errorCode: '167', message: 'Original pspReference required for this operation', errorType: 'validation' },
  /** `paymentReference` of a `/cancels` request names no payment. */
  unknownReference: { status: 422, errorCode: '167', message: 'Original pspReference required for this operation', errorType: 'validation' },
  /**
   * Adyen's Java library, pull request 288 (fixing issue 284): "The response returns an HTTP 409 –
   * Conflict status with the error code 704: 'request already processed or in progress'", sent with
   * the `Transient-Error: true` header the idempotency page describes ("the request can be retried
   * at a later time using the same idempotency key").
   */
  idempotencyInProgress: { status: 409, errorCode: '704', message: 'request already processed or in progress', errorType: 'validation' },
  /** The idempotency page: "The <key> is a unique identifier for the message with a maximum of 64 characters"; a longer one is refused with the generic code. */
  idempotencyKeyTooLong: { status: 422, errorCode: '000', message: 'Idempotency-Key must be 1 to 64 characters', errorType: 'validation' },
  /** An unexpected failure (the `cap-500` fault makes one). */
  internal: { status: 500, errorCode: '000', message: 'An internal error occurred', errorType: 'internal' },
} as const satisfies Record<string, ServiceError>;

/** An Adyen error raised below a handler; the dialect's route wrapper turns it into the reply. */
export class AdyenError extends Error {
  override readonly name = 'AdyenError';

  constructor(
    /** The body to send (its `status` is the HTTP status). */
    readonly body: ServiceError,
    /** Extra response headers (`Transient-Error`, `Retry-After`). */
    readonly headers: Record<string, string> = {},
  ) {
    super(body.message);
  }
}

/** A ServiceError reply (JSON, as Adyen sends it). */
export function serviceErrorReply(body: ServiceError, headers: Record<string, string> = {}): Reply {
  return { status: body.status, headers: { 'content-type': 'application/json;charset=UTF-8', ...headers }, body: JSON.stringify(body) };
}
