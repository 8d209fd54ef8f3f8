import type { Messages } from '../../model/messages.js';

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
  unsupported: {
    status: 'skip',
    text: '{scenario}: not available for {provider} yet: {reason}',
  },
} as const satisfies Messages;
