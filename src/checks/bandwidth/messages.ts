import type { Messages } from '../../model/messages.js';

/** Every summary and assertion message the `bandwidth` type can produce. */
export const messages = {
  fast: { status: 'pass', text: '{seen}; at least {min} Mbps' },
  slow: {
    status: 'fail',
    text: '{direction} {rate} Mbps is below the {min} Mbps minimum ({what}, with {host}): the network path must carry at least {min} Mbps',
    fix: 'Raise the bandwidth of the network path to the provider (or measure from where production runs); the guidelines ask for at least 1 Mbps.',
  },
  bothSlow: {
    status: 'fail',
    text: '{rates} are below the {min} Mbps minimum with {hosts}: the network path must carry at least {min} Mbps',
    fix: 'Raise the bandwidth of the network path to the provider in both directions; the guidelines ask for at least 1 Mbps.',
  },
  unreachable: {
    status: 'error',
    text: '{direction} from {host}: {cause}',
    fix: 'Make the URL reachable and answer with a download (or accept the upload); the cause quotes the network error or the status.',
  },
  tooSmall: {
    status: 'error',
    text: '{direction} from {host} ended after {bytes}: too little to measure a rate (at least {minBytes}): point {direction}Url at a larger file',
    fix: 'Point the URL at a response of at least 64 KB (a speed-test endpoint or a large file), so the rate measures the link rather than the round trip.',
  },
} as const satisfies Messages;
