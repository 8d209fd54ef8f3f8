import type { Messages } from '../../model/messages.js';

/** Every summary and assertion message the `ratelimit` type can produce. */
export const messages = {
  recovered: { status: 'pass', text: '{label}: 429 at request {limitedAt} of {sent} ({elapsed}), Retry-After {retryAfter} s, {status} again after waiting' },
  limited: { status: 'pass', text: '{label}: 429 at request {limitedAt} of {sent} ({elapsed}), Retry-After {retryAfter}' },
  noLimit: {
    status: 'fail',
    text: '{label}: {sent} requests in {elapsed} got no 429{declared}: rate-limit this endpoint and answer 429 with Retry-After',
    fix: 'Rate-limit the endpoint (per client or API key) and answer requests over the limit with 429 Too Many Requests and a Retry-After header.',
  },
  otherStatus: {
    status: 'fail',
    text: '{label}: {sent} requests in {elapsed} got no 429 ({declared}answers: {tally}): if {statuses} is the limit, answer 429 Too Many Requests with Retry-After instead (RFC 6585 §4)',
    fix: 'If the other status is the limit at work, make it answer 429 (nginx: `limit_req_status 429;`) with a Retry-After header.',
  },
  late: {
    status: 'fail',
    text: '{label}: first 429 at request {limitedAt}, past the declared limit {expectLimit} (+{tolerance}): enforce the declared limit{more}',
    fix: 'Make the limit the API enforces the one its documentation declares (or correct `expectLimit` if the declared limit changed).',
  },
  unreadableRetryAfter: {
    status: 'fail',
    text: '{label}: the 429 at request {limitedAt} has an unreadable Retry-After "{retryAfter}" (RFC 9110 §10.2.3: seconds or an HTTP-date): send Retry-After (seconds) so clients know when to retry',
    fix: 'Send Retry-After as a number of seconds (or an HTTP-date), e.g. `Retry-After: 1`.',
  },
  noRetryAfter: {
    status: 'warn',
    text: '{label}: 429 at request {limitedAt} of {sent} ({elapsed}) without Retry-After (optional in RFC 6585 §4, so clients must guess when to retry): send Retry-After (seconds)',
    fix: 'Add a Retry-After header (seconds) to the 429 so clients know when to retry.',
  },
  noTimeToRecover: {
    status: 'warn',
    text: "{label}: 429 at request {limitedAt} of {sent} ({elapsed}), Retry-After {retryAfter} s is longer than the time left; the request after waiting was not tried (raise the check's timeout)",
    fix: "Raise the check's `timeout` above Retry-After plus the burst, or lower Retry-After if it is longer than the limit's window.",
  },
  stuck: {
    status: 'fail',
    text: '{label}: {status} after waiting Retry-After {retryAfter} s{before}: let clients back in once Retry-After has passed',
    fix: 'Lift the limit when the Retry-After sent has passed (or send the Retry-After the limit really needs).',
  },
  recoveryFailed: {
    status: 'error',
    text: '{label}: 429 at request {limitedAt} of {sent} ({elapsed}); the request after Retry-After failed: {cause}',
    fix: 'Make the endpoint reachable after the limit (the cause quotes the network error).',
  },
  burstStopped: {
    status: 'error',
    text: '{label}: burst stopped after {requests}: {cause}',
    fix: 'Make the URL reachable from where payready runs (the cause quotes the network error).',
  },
  noResponse: {
    status: 'error',
    text: '{label}: no response in {elapsed}',
    fix: "Make the endpoint answer within the check's timeout and maxSeconds.",
  },
} as const satisfies Messages;
