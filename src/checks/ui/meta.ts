/** The viewports checked when a suite names none: two phones, a tablet and a laptop (CSS px). */
export const DEFAULT_VIEWPORTS = ['360x640', '390x844', '768x1024', '1280x800'] as const;

/** The `ui` type's metadata: everything but its behaviour (read by the registry, the docs and `payready checks`). */
export const meta = {
  name: 'ui',
  title: 'Checkout page',
  description: 'The checkout page in headless Chromium at phone, tablet and laptop sizes: viewport meta, no sideways scrolling, tap targets, labelled card fields with autocomplete and a numeric keypad, a clear message for a declined card; one screenshot per viewport.',
  // A simple checkout that works on phones (6.1), a decline message that is clear and says what
  // to do next (6.2).
  items: ['6.1.a', '6.1.b', '6.2.a', '6.2.b'],
  // It submits a card on the checkout page: against a live shop that is a real payment attempt.
  writes: (params: Readonly<Record<string, unknown>>) => [{ method: 'a card submitted on the checkout form at', url: String(params['url'] ?? ''), param: 'card' in params ? 'card' : 'url' }],
  writesWhen: 'always (it submits a card on the checkout form)',
  // A browser takes the CPU for seconds: beside the API checks it would skew their timings.
  runsLast: true,
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['url'],
    properties: {
      url: { type: 'string', minLength: 1, description: 'URL of the checkout page, e.g. ${target.checkoutUrl}.' },
      viewports: { type: 'array', minItems: 1, items: { type: 'string', pattern: '^[1-9][0-9]{1,3}x[1-9][0-9]{1,3}$' }, default: DEFAULT_VIEWPORTS, description: 'Viewports as WIDTHxHEIGHT in CSS px; below 1024 wide they are touch screens.' },
      form: { type: 'string', minLength: 1, default: 'form', description: 'CSS selector of the payment form.' },
      card: {
        type: 'object',
        additionalProperties: false,
        default: { number: '4000000000000002', cvc: '123', name: 'Ada Lovelace' },
        description: 'The declined test card the check submits (the sandbox declines 4000 0000 0000 0002).',
        properties: {
          number: { type: 'string', pattern: '^[0-9 -]{12,23}$', default: '4000000000000002', description: 'A test card the provider declines.' },
          expiry: { type: 'string', pattern: '^[0-9]{2}/[0-9]{2}$', description: 'MM/YY; default December three years ahead.' },
          cvc: { type: 'string', pattern: '^[0-9]{3,4}$', default: '123', description: 'Security code.' },
          name: { type: 'string', default: 'Ada Lovelace', description: 'Name on the card.' },
        },
      },
      messageTimeoutMs: { type: 'integer', minimum: 100, default: 3000, description: 'How long the decline message may take to appear after submitting.' },
      minTapTarget: { type: 'number', minimum: 1, default: 44, description: 'Smallest tap target (CSS px, both sides) that passes.' },
      warnTapTarget: { type: 'number', minimum: 1, default: 24, description: 'Below this a tap target fails; between this and minTapTarget it warns.' },
      browser: { type: 'string', minLength: 1, description: 'Chromium executable; default the headless shell (Debian chromium-headless-shell) or Chromium at a usual path.' },
      screenshots: { type: 'boolean', default: true, description: 'One PNG screenshot per viewport as evidence (card fields blanked).' },
    },
  },
  values: { message: 'the decline message shown (first viewport)', viewports: 'viewports checked' },
  example: { url: '${target.checkoutUrl}', viewports: DEFAULT_VIEWPORTS },
} as const;
