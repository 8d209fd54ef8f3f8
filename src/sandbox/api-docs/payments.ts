import { DECLINE_MESSAGES, TEST_CARDS } from '../cards.js';
import { CURRENCY_DECIMALS } from '../currencies.js';
import { jsonResponse, responseRef, type ApiArea } from './types.js';

const declineCodes = Object.keys(DECLINE_MESSAGES);
const testCards = TEST_CARDS.map((card) => `${card.number}: ${card.declineCode ?? 'approved'}`).join('; ');

const security = (scope: string): unknown[] => [{ oauth2: [scope] }];

/** Create and read payments. */
export const paymentsArea: ApiArea = {
  tag: { name: 'payments', description: `Card payments. Test cards: ${testCards}; any other Luhn-valid number is approved.` },
  paths: {
    '/v1/payments': {
      post: {
        operationId: 'createPayment',
        tags: ['payments'],
        summary: 'Authorise a card payment',
        security: security('payments:write'),
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
    },
    '/v1/payments/{id}': {
      parameters: [{ name: 'id', in: 'path', required: true, schema: { $ref: '#/components/schemas/PaymentId' } }],
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
    PaymentMethod: {
      oneOf: [{ $ref: '#/components/schemas/CardPaymentMethod' }],
      discriminator: { propertyName: 'type', mapping: { card: '#/components/schemas/CardPaymentMethod' } },
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
      required: ['id', 'status', 'amount', 'reference', 'createdAt', 'card', 'paymentMethod'],
      additionalProperties: false,
      properties: {
        id: { $ref: '#/components/schemas/PaymentId', readOnly: true },
        status: { enum: ['authorised', 'declined'], readOnly: true },
        amount: { $ref: '#/components/schemas/Amount' },
        reference: { type: 'string', minLength: 1, maxLength: 128, description: "The merchant's reference, echoed exactly (any Unicode text)." },
        createdAt: { type: 'string', format: 'date-time', readOnly: true },
        card: { $ref: '#/components/schemas/MaskedCard', readOnly: true },
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
