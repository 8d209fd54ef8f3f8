import { jsonResponse, responseRef, type ApiArea, type Doc } from '../openapi/types.js';
import { DECLINE_MESSAGES, TEST_CARDS } from './cards.js';
import { CURRENCY_DECIMALS } from './currencies.js';
import { TRANSACTION_CAPS } from './limits.js';

const declineCodes = Object.keys(DECLINE_MESSAGES);
const testCards = TEST_CARDS.map((card) => `${card.number}: ${card.declineCode ?? 'approved'}`).join('; ');

const security = (scope: string): unknown[] => [{ oauth2: [scope] }];

const caps = Object.entries(TRANSACTION_CAPS)
  .map(([method, cap]) => `${method}: ${cap.perTransaction.toLocaleString('en-US')} per payment, ${cap.daily.toLocaleString('en-US')} per day`)
  .join('; ');

/** `Idempotency-Key`: the same key and body get the stored answer again; another body is refused. */
const idempotencyKey: Doc = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description: 'Processed once per key for 24 hours: the same key and body get the stored answer again (Idempotent-Replayed: true); the same key with another body gets 422 idempotency_key_reused.',
  schema: { type: 'string', minLength: 1, maxLength: 255 },
};

const paymentId: Doc = { name: 'id', in: 'path', required: true, schema: { $ref: '#/components/schemas/PaymentId' } };

/** Responses every authenticated write shares. */
const writeErrors: Doc = {
  '400': responseRef('BadRequest'),
  '401': responseRef('Unauthorized'),
  '403': responseRef('Forbidden'),
  '413': responseRef('PayloadTooLarge'),
  '415': responseRef('UnsupportedMediaType'),
  '422': responseRef('ValidationFailed'),
  default: responseRef('Problem'),
};

/** Capture, refund or cancel: an optional `{ amount }`, then the payment (or the refund). */
function action(operationId: string, summary: string, ok: Doc): Doc {
  return {
    parameters: [paymentId],
    post: {
      operationId,
      tags: ['payments'],
      summary,
      security: security('payments:write'),
      parameters: [idempotencyKey],
      requestBody: { required: false, content: { 'application/json': { schema: { $ref: '#/components/schemas/AmountRequest' } } } },
      responses: {
        ...ok,
        '404': responseRef('NotFound'),
        '409': jsonResponse('The payment is not in a state that allows this.', 'Problem', 'application/problem+json'),
        ...writeErrors,
      },
    },
  };
}

/** Create, list, read, capture, refund and cancel payments. */
export const paymentsArea: ApiArea = {
  tag: { name: 'payments', description: `Card payments and bank transfers. Test cards: ${testCards}; any other Luhn-valid number is approved. Caps (major units of the currency): ${caps}; over a cap: 422 transaction_cap_exceeded or daily_cap_exceeded.` },
  paths: {
    '/v1/payments': {
      post: {
        operationId: 'createPayment',
        tags: ['payments'],
        summary: 'Authorise a card payment or a bank transfer',
        security: security('payments:write'),
        parameters: [idempotencyKey],
        requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Payment' } } } },
        responses: {
          '201': jsonResponse('The payment was authorised.', 'Payment', 'application/json', {
            Location: { description: 'URL of the new payment.', schema: { type: 'string', format: 'uri' } },
          }),
          '400': responseRef('BadRequest'),
          '401': responseRef('Unauthorized'),
          '402': jsonResponse('The issuer declined the card; `detail` is a message to show the shopper.', 'DeclineProblem', 'application/problem+json'),
          '403': responseRef('Forbidden'),
          '413': responseRef('PayloadTooLarge'),
          '415': responseRef('UnsupportedMediaType'),
          '422': responseRef('ValidationFailed'),
          default: responseRef('Problem'),
        },
      },
      get: {
        operationId: 'listPayments',
        tags: ['payments'],
        summary: 'The payments of one merchant reference, newest first',
        security: security('payments:read'),
        parameters: [{ name: 'reference', in: 'query', required: true, schema: { type: 'string', minLength: 1 } }],
        responses: {
          '200': jsonResponse('The payments (at most 100).', 'PaymentList'),
          '400': responseRef('BadRequest'),
          '401': responseRef('Unauthorized'),
          '403': responseRef('Forbidden'),
          default: responseRef('Problem'),
        },
      },
    },
    '/v1/payments/{id}/capture': action('capturePayment', 'Capture all of an authorisation, or { amount } of it (the rest is released)', { '200': jsonResponse('The captured payment.', 'Payment') }),
    '/v1/payments/{id}/refunds': action('refundPayment', 'Refund all that is left, or { amount }; never more than captured', { '201': jsonResponse('The refund, with the payment after it.', 'RefundResult') }),
    '/v1/payments/{id}/cancel': action('cancelPayment', 'Release an authorisation that will not be captured', { '200': jsonResponse('The cancelled payment.', 'Payment') }),
    '/v1/payments/{id}': {
      parameters: [paymentId],
      get: {
        operationId: 'getPayment',
        tags: ['payments'],
        summary: 'Read a payment',
        security: security('payments:read'),
        responses: {
          '200': jsonResponse('The payment.', 'Payment'),
          '401': responseRef('Unauthorized'),
          '403': responseRef('Forbidden'),
          '404': responseRef('NotFound'),
          default: responseRef('Problem'),
        },
      },
    },
  },
  schemas: {
    PaymentId: { type: 'string', pattern: '^pay_[0-9a-f]{24}$' },
    Amount: {
      type: 'object',
      required: ['value', 'currency'],
      additionalProperties: false,
      properties: {
        value: { type: 'integer', minimum: 1, description: 'Minor units of the currency: 1050 is 10.50 EUR, 1050 JPY, 1.050 KWD.' },
        currency: { enum: Object.keys(CURRENCY_DECIMALS), description: 'ISO 4217 code.' },
      },
    },
    CardPaymentMethod: {
      type: 'object',
      required: ['type', 'number', 'expiryMonth', 'expiryYear', 'cvc'],
      properties: {
        type: { const: 'card' },
        number: { type: 'string', pattern: '^[0-9]{12,19}$', description: 'Card number (Luhn-valid); never stored or echoed.' },
        expiryMonth: { type: 'integer', minimum: 1, maximum: 12 },
        expiryYear: { type: 'integer', minimum: 1000, maximum: 9999 },
        cvc: { type: 'string', pattern: '^[0-9]{3,4}$' },
      },
    },
    BankTransferPaymentMethod: {
      type: 'object',
      required: ['type', 'iban'],
      properties: {
        type: { const: 'bank_transfer' },
        iban: { type: 'string', pattern: '^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$', description: 'IBAN, upper case, no spaces (ISO 13616 check digits); never echoed in full.' },
      },
    },
    PaymentMethod: {
      oneOf: [{ $ref: '#/components/schemas/CardPaymentMethod' }, { $ref: '#/components/schemas/BankTransferPaymentMethod' }],
      discriminator: { propertyName: 'type', mapping: { card: '#/components/schemas/CardPaymentMethod', bank_transfer: '#/components/schemas/BankTransferPaymentMethod' } },
    },
    MoneySoFar: {
      type: 'object',
      required: ['value', 'currency'],
      additionalProperties: false,
      properties: { value: { type: 'integer', minimum: 0 }, currency: { enum: Object.keys(CURRENCY_DECIMALS) } },
    },
    MaskedBankAccount: {
      type: 'object',
      required: ['last4', 'country'],
      additionalProperties: false,
      properties: { last4: { type: 'string', minLength: 4, maxLength: 4 }, country: { type: 'string', pattern: '^[A-Z]{2}$' } },
    },
    Refund: {
      type: 'object',
      required: ['id', 'paymentId', 'amount', 'status', 'createdAt'],
      additionalProperties: false,
      properties: {
        id: { type: 'string', pattern: '^re_[0-9a-f]{24}$' },
        paymentId: { $ref: '#/components/schemas/PaymentId' },
        amount: { $ref: '#/components/schemas/Amount' },
        status: { const: 'succeeded' },
        createdAt: { type: 'string', format: 'date-time' },
      },
    },
    RefundResult: {
      allOf: [{ $ref: '#/components/schemas/Refund' }],
      type: 'object',
      required: ['payment'],
      properties: { payment: { $ref: '#/components/schemas/Payment' } },
    },
    AmountRequest: {
      type: 'object',
      additionalProperties: false,
      properties: { amount: { $ref: '#/components/schemas/Amount' } },
    },
    PaymentList: {
      type: 'object',
      required: ['data'],
      additionalProperties: false,
      properties: { data: { type: 'array', maxItems: 100, items: { $ref: '#/components/schemas/Payment' } } },
    },
    MaskedCard: {
      type: 'object',
      required: ['last4', 'brand'],
      additionalProperties: false,
      properties: {
        last4: { type: 'string', pattern: '^[0-9]{4}$' },
        brand: { enum: ['visa', 'mastercard', 'amex', 'discover', 'unknown'] },
      },
    },
    Payment: {
      type: 'object',
      description: 'Sent without the readOnly members; returned without the writeOnly ones.',
      required: ['id', 'status', 'method', 'amount', 'capturedAmount', 'refundedAmount', 'reference', 'createdAt', 'refunds', 'paymentMethod'],
      additionalProperties: false,
      properties: {
        id: { $ref: '#/components/schemas/PaymentId', readOnly: true },
        status: { enum: ['authorised', 'declined', 'captured', 'partially_refunded', 'refunded', 'cancelled'], readOnly: true },
        method: { enum: Object.keys(TRANSACTION_CAPS), readOnly: true },
        amount: { $ref: '#/components/schemas/Amount' },
        capturedAmount: { $ref: '#/components/schemas/MoneySoFar', readOnly: true },
        refundedAmount: { $ref: '#/components/schemas/MoneySoFar', readOnly: true },
        reference: { type: 'string', minLength: 1, maxLength: 128, description: "The merchant's reference, echoed exactly (any Unicode text)." },
        createdAt: { type: 'string', format: 'date-time', readOnly: true },
        card: { $ref: '#/components/schemas/MaskedCard', readOnly: true },
        bankAccount: { $ref: '#/components/schemas/MaskedBankAccount', readOnly: true },
        refunds: { type: 'array', items: { $ref: '#/components/schemas/Refund' }, readOnly: true },
        declineCode: { enum: declineCodes, readOnly: true },
        paymentMethod: { $ref: '#/components/schemas/PaymentMethod', writeOnly: true },
      },
    },
    DeclineProblem: {
      allOf: [
        { $ref: '#/components/schemas/Problem' },
        {
          type: 'object',
          required: ['declineCode', 'paymentId'],
          properties: { code: { const: 'card_declined' }, declineCode: { enum: declineCodes }, paymentId: { $ref: '#/components/schemas/PaymentId' } },
        },
      ],
    },
  },
};
