import type { Messages } from '../../model/messages.js';

const INSTALL = 'install Chromium (Debian: sudo apt-get install chromium-headless-shell, or chromium) or set with.browser to its path';

/** Every summary, finding and assertion message the `ui` type can produce. */
export const messages = {
  // Summaries.
  fits: {
    status: 'pass',
    text: 'checkout fits {viewports}; labelled card fields with autocomplete; decline explained within {seconds} s: "{message}"',
  },
  unusable: {
    status: 'fail',
    text: '{first}{more}',
    fix: 'Fix each error finding (the summary names the first; `findings` lists them all, with the viewport each was seen at).',
  },
  awkward: {
    status: 'warn',
    text: '{first}{more}',
    fix: 'Fix each warning finding (the summary names the first; `findings` lists them all).',
  },
  noBrowserAt: { status: 'skip', text: `no browser at {browser}: ${INSTALL}` },
  noChromium: { status: 'skip', text: `Chromium is not installed: ${INSTALL}` },
  browserFailed: {
    status: 'error',
    text: 'Chromium ({executable}) did not start: {cause}',
    fix: 'Run the browser by hand (`chromium --headless --no-sandbox`) to see why it does not start, or point `browser` at another Chromium.',
  },
  notLoaded: {
    status: 'error',
    text: '{viewport}: {path} did not load: {cause}',
    fix: 'Make the checkout page reachable from where payready runs (the cause quotes the failure).',
  },
  notCheckout: {
    status: 'error',
    text: '{viewport}: GET {path} answered {status}: point url at the checkout page',
    fix: 'Point `url` at the checkout page (e.g. the environment\'s checkoutUrl).',
  },

  // Findings.
  viewportMeta: {
    status: 'fail',
    text: 'no <meta name="viewport" content="width=device-width, initial-scale=1">: phones render the page as a shrunken desktop page',
    fix: 'Add `<meta name="viewport" content="width=device-width, initial-scale=1">` to the page\'s head.',
  },
  noSubmit: {
    status: 'fail',
    text: 'no submit button in the payment form: the check could not pay',
    fix: 'Give the payment form a submit button (or point `form` at the form that has one).',
  },
  missingField: {
    status: 'fail',
    text: 'no {field} field in the payment form',
    fix: 'Give the form a card number, an expiry date and a security code field (or point `form` at the payment form).',
  },
  overflow: {
    status: 'fail',
    text: '{viewport}: the page is {scrollWidth} px wide in a {width} px viewport and scrolls sideways: use a fluid layout (max-width, %, flex) instead of fixed widths',
    fix: 'Replace fixed widths with a fluid layout (max-width, percentages, flex) so the page fits a 360 px phone.',
  },
  smallTapTargets: {
    status: ['fail', 'warn'],
    text: '{viewport}: {count} tap {targets} under {min}x{min} px, smallest {what} at {width}x{height} px: make controls at least {min} px high and wide',
    fix: 'Make every control at least `minTapTarget` CSS px high and wide (44 by default; below `warnTapTarget`, 24, it fails).',
  },
  unlabelled: {
    status: 'fail',
    text: 'the {field} field ({what}) has no label: add a <label for> (a placeholder is not a label)',
    fix: 'Give each card field a `<label for="...">`.',
  },
  autocomplete: {
    status: 'fail',
    text: 'the {field} field ({what}) has autocomplete="{value}": set autocomplete="{wanted}" so browsers can fill it',
    fix: 'Set `autocomplete` to `cc-number`, `cc-exp` and `cc-csc` on the card fields.',
  },
  inputmode: {
    status: 'fail',
    text: 'the {field} field ({what}) has no inputmode="numeric": phones show a full keyboard for digits',
    fix: 'Set `inputmode="numeric"` on the card number, expiry and security code fields.',
  },
  noDeclineMessage: {
    status: 'fail',
    text: '{viewport}: no message within {seconds} s after a declined card{console}: show the reason and what to do in a role="alert" region',
    fix: 'Show the decline on the page, in a `role="alert"` region, within `messageTimeoutMs` (not only in the console).',
  },
  declineNotSentence: {
    status: 'fail',
    text: '{viewport}: the decline message "{message}" is not a sentence a shopper can read: explain what happened in plain words',
    fix: 'Map the provider\'s decline code to a sentence, e.g. "Your bank declined this payment."',
  },
  declineNoGuidance: {
    status: 'fail',
    text: '{viewport}: the decline message "{message}" does not say what to do next: add guidance such as "use a different card or contact your bank"',
    fix: 'End the decline message with what the shopper can do, e.g. "Please use a different card or contact your bank."',
  },
  resourceFailed: {
    status: 'warn',
    text: '{request} failed: {reason}',
    fix: 'Make every resource the checkout loads reachable (scripts, styles, the payment call).',
  },

  // Assertion messages (what a failed assertion saw; the findings above say what to do).
  pageWidth: { status: 'fail', text: '{viewport}: the page is {scrollWidth} px wide', fix: 'See the `overflow` finding.' },
  tapTargetSize: { status: ['fail', 'warn'], text: '{viewport}: {what} is {width}x{height} px', fix: 'See the `smallTapTargets` finding.' },
  noMessage: { status: 'fail', text: '{viewport}: no message', fix: 'See the `noDeclineMessage` finding.' },
  noViewportMeta: { status: 'fail', text: 'no viewport meta with width=device-width', fix: 'See the `viewportMeta` finding.' },
  noLabel: { status: 'fail', text: '{what} has no label', fix: 'See the `unlabelled` finding.' },
  autocompleteIs: { status: 'fail', text: '{what} autocomplete is "{value}"', fix: 'See the `autocomplete` finding.' },
  inputmodeIs: { status: 'fail', text: '{what} inputmode is "{value}"', fix: 'See the `inputmode` finding.' },
} as const satisfies Messages;
