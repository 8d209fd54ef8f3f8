import type { Messages } from '../../model/messages.js';

/** Every summary the `ip-allowlist` type can produce. */
export const messages = {
  refused: { status: 'pass', text: '{label}: {source} {how}, {allowed} {status}' },
  open: {
    status: 'fail',
    text: '{label} {from} (outside the allowlist) got {got}: restrict API access to allowlisted source addresses',
    fix: 'Restrict API access to the allowlisted source addresses (firewall, load balancer or API gateway), answering 403 or refusing the connection from any other.',
  },
  cannotSend: {
    status: 'error',
    text: '{label}: cannot send {from}: {cause} (is it an address of this machine?)',
    fix: 'Set `sourceAddress` to an address of the machine payready runs on that is not on the allowlist (127.0.0.2 on loopback, or a second interface).',
  },
  allowedFailed: {
    status: 'error',
    text: '{label} {from} (allowlisted) failed: {cause}',
    fix: 'Make the endpoint reachable from the allowlisted address (the cause quotes the network error).',
  },
  allowedRefused: {
    status: 'error',
    text: '{label}: the allowlisted source {from} was refused too ({status}): run this check from an allowlisted address',
    fix: 'Run the check from an address on the allowlist (or set `allowedSourceAddress` to one): a refusal proves nothing when every address is refused.',
  },
  outsideFailed: {
    status: 'error',
    text: '{label} {from}: {cause}',
    fix: 'The request from the outside address failed in a way that is not a refusal (the cause quotes it): fix that, then run again.',
  },
} as const satisfies Messages;
