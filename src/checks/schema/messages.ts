import type { Messages } from '../../model/messages.js';

/** Every summary and assertion message the `schema` type can produce (error-body messages come from shared/error-body.ts). */
export const messages = {
  // Summaries.
  conforms: { status: 'pass', text: '{label} -> {status}: {proven}' },
  violations: {
    status: 'fail',
    text: '{label} -> {status}: {count}: {list}{more}',
    fix: 'Make the response follow the schema (each violation names its JSON pointer and rule), or correct the document if the API is right.',
  },
  failed: {
    status: 'fail',
    text: '{label} -> {status}: {first}{more}',
    fix: 'Fix what the first failed assertion names (`assertions` lists them all): the status, the JSON Content-Type and UTF-8, the round trip, the error body or the schema.',
  },
  sourceError: {
    status: 'error',
    text: '{label}: {detail}',
    fix: 'Make the OpenAPI document or JSON Schema loadable and valid, and name an operation it has (operationId, or method and path).',
  },
  requestBreaks: {
    status: 'error',
    text: '{label}: the request body the suite sends breaks {where}: {violations}: fix the suite',
    fix: "Make the suite's `json` follow the operation's requestBody schema (or set `validateRequest: false` to send it anyway).",
  },
  refusedBody: {
    status: 'error',
    text: '{label} -> {status}{said}: the provider refused a request body that {where} rejects too: {violations}: fix the suite',
    fix: "Make the suite's `json` follow the operation's requestBody schema; the provider refused it for the same reason.",
  },
  noSuchPath: {
    status: 'error',
    text: '{label}: {detail}',
    fix: "Check the URL: its base (the environment's baseUrl) and its path and method, against the document's operation.",
  },
  unreachable: {
    status: 'error',
    text: '{label}: {cause}',
    fix: 'Make the URL reachable from where payready runs (the cause quotes the network error).',
  },

  // Assertion messages.
  notJson: {
    status: 'fail',
    text: 'the response body is not JSON ({error})',
    fix: 'Answer with a JSON body.',
  },
  undocumentedStatus: {
    status: 'fail',
    text: 'status {status} is not documented for {operation} (documented: {documented})',
    fix: 'Answer with a status the document lists for the operation, or document this one.',
  },
  undocumentedMediaType: {
    status: 'fail',
    text: '{where} is documented as {documented}, not {actual}',
    fix: 'Answer with the media type the document lists, or document this one.',
  },
  notJsonType: {
    status: 'fail',
    text: '{prefix}Content-Type is {type}, not JSON (application/json or application/*+json)',
    fix: 'Send `Content-Type: application/json; charset=utf-8` (or another application/*+json type).',
  },
  notUtf8Charset: {
    status: 'fail',
    text: '{prefix}charset is {charset}, not UTF-8: send "Content-Type: application/json; charset=utf-8" (or no charset, which means UTF-8)',
    fix: 'Encode JSON in UTF-8 and say so (or say no charset: JSON is UTF-8 by default, RFC 8259 §8.1).',
  },
  invalidUtf8: {
    status: 'fail',
    text: '{prefix}the body is not valid UTF-8 ({where})',
    fix: 'Encode the body in UTF-8 (the message names the first bad byte).',
  },
  violation: {
    status: 'fail',
    text: '{side}{message} ({rule})',
    fix: 'Make the body follow the schema at the pointer named.',
  },
  unlisted: {
    status: 'fail',
    text: '{count} more violations not listed (maxViolations {max})',
    fix: 'Fix the violations listed first, or raise `maxViolations` to see them all.',
  },
  mangled: {
    status: 'fail',
    text: 'non-ASCII text did not survive {where}: sent {sent} (UTF-8 {sentBytes}) at {path}, got {got}{gotBytes}',
    fix: 'Decode requests and encode responses (and store text) as UTF-8 end to end; the bytes show where it was converted.',
  },
  noLocation: {
    status: 'fail',
    text: 'the response has no Location header to read the text back from',
    fix: 'Send a Location header naming the created resource (or drop `readBack`).',
  },
  readBackRefused: {
    status: 'fail',
    text: 'the Location {url} was not read back: {reason}',
    fix: 'Send a Location on the same origin over https.',
  },
  readBackFailed: {
    status: 'fail',
    text: 'could not read the text back from {url}: {cause}',
    fix: 'Make the Location reachable with the same credentials.',
  },
} as const satisfies Messages;
