import type { Messages } from '../../model/messages.js';

/** Every summary and assertion message the `load` type can produce (threshold misses are worded by shared/thresholds.ts). */
export const messages = {
  met: {
    status: 'pass',
    text: '{label}: {requests} in {seconds} s over {connections}{offered}: {rps}, p50 {p50}, p99 {p99}; {thresholds}',
  },
  missed: {
    status: 'fail',
    text: '{first}{more}; {requests} in {seconds} s over {connections}{offered}',
    fix: 'Make the endpoint meet each threshold under this load (the summary names the first miss, `assertions` all of them), or correct a threshold the API was never meant to meet.',
  },
  redirected: {
    status: 'fail',
    text: '{label}: {count} of {requests} responses were redirects ({status}{location}): load-test the final URL, not a redirect',
    fix: 'Point `url` at the URL the redirect leads to (its Location).',
  },
  allFailed: {
    status: 'error',
    text: '{label}: every request failed ({cause}){stopped}',
    fix: 'Make the endpoint reachable from where payready runs (the cause quotes the first network error).',
  },
  nothingCompleted: {
    status: 'error',
    text: '{label}: no request completed{stopped}',
    fix: "Give the check a timeout long enough for at least one request (or find what stopped the run).",
  },
  notHttp: {
    status: 'error',
    text: 'not an http(s) URL: {url}',
    fix: 'Give `url` as an absolute http:// or https:// URL.',
  },
  badThreshold: {
    status: 'error',
    text: '{detail}',
    fix: 'Write each threshold as `<metric> <operator> <limit>`, e.g. "p95 < 300ms" or "errorRate < 1%".',
  },
} as const satisfies Messages;
