import type { Messages } from '../../model/messages.js';

const INSTALL = 'install Chromium (Debian: sudo apt-get install chromium-headless-shell, or chromium) or set with.browser to its path';

/** Every summary the `integration` type can produce. */
export const messages = {
  passed: { status: 'pass', text: '{scenario}: {story}' },
  failed: {
    status: 'fail',
    text: '{scenario}: {first}{more}',
    fix: "Fix the merchant's code as the summary says (it names the order, what the shopper was told and what reached the provider; `assertions` lists every finding, the orders artifact holds every exchange).",
  },
  noIntegration: {
    status: 'error',
    text: "{scenario}: the suite has no integration: section, so there is no merchant system to pay through",
    fix: "Add an `integration:` section naming the merchant's URL (and how to start it); docs/integration.md.",
  },
  noControl: {
    status: 'error',
    text: "{scenario}: no sandbox control API: run against an embedded environment, or give integration.sandbox.controlUrl and controlToken of a running `payready sandbox`",
    fix: 'Use an environment with `embedded: { provider: ... }`, or point integration.sandbox at the control API `payready sandbox --json` prints.',
  },
  startFailed: {
    status: 'error',
    text: '{scenario}: {cause}',
    fix: "Make `integration.start.command` start the merchant and answer on its ready URL (the cause quotes its last output).",
  },
  controlFailed: {
    status: 'error',
    text: '{scenario}: {cause}',
    fix: 'Make the sandbox control API reachable with its token (the cause says what it answered).',
  },
  needsSetting: {
    status: 'error',
    text: '{scenario}: {what}',
    fix: 'Give the setting the message names (docs/integration.md lists them).',
  },
  noChromium: {
    status: 'error',
    text: `{scenario}: Chromium is not installed (it plays the shopper at the checkout page): ${INSTALL}`,
    fix: 'Install Chromium where payready runs, or give `browser` the path of a Chromium executable.',
  },
  noBrowserAt: {
    status: 'error',
    text: `{scenario}: no browser at {browser}: ${INSTALL}`,
    fix: 'Install Chromium where payready runs, or give `browser` the path of a Chromium executable.',
  },
  browserFailed: {
    status: 'error',
    text: '{scenario}: Chromium ({executable}) did not start: {cause}',
    fix: 'Run the browser by hand (`chromium --headless --no-sandbox`) to see why it does not start, or point `browser` at another Chromium.',
  },
  payPathWrong: {
    status: 'error',
    text: '{scenario}: the shop answered {method} {url} with {status} (order {order}): integration.pay.path does not name its checkout API',
    fix: "Point `integration.pay.path` (and `pay.method`) at the endpoint the shop's checkout page calls to pay.",
  },
  statusPointerWrong: {
    status: 'error',
    text: '{scenario}: the shop\'s answer for order {order} has nothing at integration.pay.status ({pointer}): {body}',
    fix: "Point `integration.pay.status` (a JSON Pointer, e.g. /status) at the order status in the shop's answer; `pay.message` and `pay.paymentId` likewise.",
  },
  checkoutPathWrong: {
    status: 'error',
    text: '{scenario}: the checkout page {url} answered 404 (order {order}): set integration.checkout.path to the page where a shopper pays, or leave this check out if the shop has no browser checkout',
    fix: "Point `integration.checkout.path` at the shop's checkout page, or remove the three-d-secure check.",
  },
  unsupported: {
    status: 'skip',
    text: '{scenario}: not available for {provider} yet: {reason}',
  },
} as const satisfies Messages;
