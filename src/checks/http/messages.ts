import type { Messages } from '../../model/messages.js';

/** Every summary and assertion message the `http` type writes (error-body assertions word themselves: shared/error-body.ts). */
export const messages = {
  answered: { status: 'pass', text: '{label} -> {status} in {ms} ms{withheld}' },
  plainRefused: { status: 'pass', text: '{label}: plain HTTP refused ({cause})' },
  failed: {
    status: 'fail',
    text: '{label}: {first}{more}{withheld}',
    fix: 'Make the response meet each failed assertion (the summary names the first, `assertion` is its name; the assertions list them all), or correct the expectation.',
  },
  noSuchPath: {
    status: 'error',
    text: '{label}: {detail}{withheld}',
    fix: 'Check the URL (its base, e.g. the environment\'s baseUrl, and its path) and the method: the API answered 404 or 405, so the check judged nothing.',
  },
  unreachable: {
    status: 'error',
    text: '{label}: {cause}',
    fix: 'Make the URL reachable from where payready runs (the cause quotes the network error: refused, timed out, TLS, a body over `maxBodyBytes`).',
  },
  downgraded: {
    status: 'fail',
    text: '{label}: {status} redirect to {location} not followed: {reason}',
    fix: 'Redirect only to https:// URLs: a redirect to plain HTTP sends the request and its credentials unencrypted.',
  },
  offOrigin: {
    status: 'error',
    text: '{label}: {status} redirect to {location} not followed: {reason}',
    fix: 'Point the check at the URL the redirect leads to: payready does not re-send a request body to another origin.',
  },
  redirectRefused: {
    status: ['fail', 'error'],
    text: '{status} redirect to {location} not followed: {reason}',
    fix: 'Redirect to https:// on the same origin, or point the check at the final URL.',
  },
  plainHttp: {
    status: 'fail',
    text: '{url} is served over plain HTTP: serve it over HTTPS only (refuse or redirect)',
    fix: 'Serve the URL over HTTPS only: refuse plain-HTTP connections or redirect them to https://.',
  },
  notJson: {
    status: 'fail',
    text: 'response body is not JSON ({error})',
    fix: 'Answer with a JSON body (and `Content-Type: application/json`), or assert on `body` instead of `json`.',
  },
} as const satisfies Messages;
