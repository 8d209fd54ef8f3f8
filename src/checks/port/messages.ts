import type { Messages } from '../../model/messages.js';

/** Every summary, part of a summary and assertion message the `port` type can produce. */
export const messages = {
  asExpected: { status: 'pass', text: '{host} ({addresses}): {ports} as expected{connect}' },
  wrong: {
    status: 'fail',
    text: '{host}: {problems}',
    fix: 'Open each port that must be reachable (firewall, security group, listener) and close each that must not be; the summary names them.',
  },
  portRefused: {
    status: 'fail',
    text: 'port {port}: {cause}',
    fix: 'Make the port accept connections on every address the name resolves to (the cause quotes the network error).',
  },
  portOpen: {
    status: 'fail',
    text: 'port {port} is open but must be closed',
    fix: 'Close the port in the firewall or stop the service listening on it.',
  },
  expectedOpen: {
    status: 'fail',
    text: 'port {port} is not reachable: {cause}',
    fix: 'Make the port accept connections on every address the name resolves to.',
  },
  expectedClosed: {
    status: 'fail',
    text: 'port {port} accepts connections but must be closed',
    fix: 'Close the port in the firewall or stop the service listening on it.',
  },
  partly: {
    status: 'warn',
    text: '{host} ({addresses}): {partial}',
    fix: 'Make every address the name resolves to accept the port, or stop publishing the addresses that do not (a client may pick any of them).',
  },
  portPartly: {
    status: 'warn',
    text: 'port {port} unreachable on {addresses} ({cause})',
    fix: 'Make the port reachable on these addresses too, or remove them from DNS.',
  },
  unresolved: {
    status: 'error',
    text: '{host}: {cause}',
    fix: 'Check the host name (the cause quotes the resolver error), or use an IP address.',
  },
} as const satisfies Messages;
