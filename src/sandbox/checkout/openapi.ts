import { jsonResponse, responseRef, type ApiArea, type Doc } from '../openapi/types.js';

function asset(operationId: string, summary: string, mediaType: string): Doc {
  return { get: { operationId, tags: ['checkout'], summary, responses: { '200': { description: summary, content: { [mediaType]: { schema: { type: 'string' } } } } } } };
}

/** The hosted checkout page (what the `ui` check drives) and the endpoint its form submits to. */
export const checkoutArea: ApiArea = {
  tag: { name: 'checkout', description: 'The hosted checkout page a shopper pays on.' },
  paths: {
    '/checkout': asset('getCheckoutPage', 'The hosted checkout page (HTML)', 'text/html'),
    '/checkout/checkout.css': asset('getCheckoutStyle', 'The checkout page style sheet', 'text/css'),
    '/checkout/checkout.js': asset('getCheckoutScript', 'The checkout page script', 'text/javascript'),
    '/checkout/pay': {
      post: {
        operationId: 'payFromCheckout',
        tags: ['checkout'],
        summary: 'Pay with the card the shopper typed (as typed: spaces in the number, MM/YY expiry)',
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/CheckoutPayment' } } },
        },
        responses: {
          '201': jsonResponse('The payment was authorised.', 'Payment'),
          '402': jsonResponse('The issuer declined the card; `detail` is a message to show the shopper.', 'DeclineProblem', 'application/problem+json'),
          '422': responseRef('ValidationFailed'),
          default: responseRef('Problem'),
        },
      },
    },
  },
  schemas: {
    CheckoutPayment: {
      type: 'object',
      properties: {
        number: { type: 'string', description: 'Card number as typed.' },
        expiry: { type: 'string', description: 'MM/YY or MM/YYYY.' },
        cvc: { type: 'string' },
        name: { type: 'string', description: 'Name on the card.' },
        amount: { $ref: '#/components/schemas/Amount' },
      },
    },
  },
};
