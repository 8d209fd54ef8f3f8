import type { FaultSet } from './faults.js';
import type { Reply } from './respond.js';

/** Changes a finished reply the way a fault asks; the identity when no such fault is on. */
export type ReplyTransform = (reply: Reply) => Reply;

// What an unhandled exception looks like when a framework's default error page leaks it.
const STACK_TRACE = [
  'Error: request failed',
  '    at PaymentController.handle (/srv/payments/src/controllers/payment.js:88:13)',
  '    at Layer.handle [as handle_request] (/srv/payments/node_modules/express/lib/router/layer.js:95:5)',
  '    at next (/srv/payments/node_modules/express/lib/router/route.js:149:13)',
  '',
].join('\n');

function contentType(reply: Reply): string {
  return (reply.headers?.['content-type'] ?? '').toLowerCase();
}

/** `opaque-errors`: a problem+json error becomes a plain-text stack trace (status and other headers kept). */
function opaqueErrors(reply: Reply): Reply {
  if (!contentType(reply).startsWith('application/problem+json')) return reply;
  return { ...reply, headers: { ...reply.headers, 'content-type': 'text/plain; charset=utf-8' }, body: STACK_TRACE };
}

/** `latin1`: JSON text re-encoded as ISO-8859-1; characters it cannot hold become "?". */
function latin1(reply: Reply): Reply {
  const type = contentType(reply);
  if (!/^application\/(?:[\w.+-]+\+)?json/.test(type) || reply.body === undefined) return reply;
  const text = typeof reply.body === 'string' ? reply.body : reply.body.toString('utf8');
  const body = Buffer.from(text.replace(/[^\u0000-\u00ff]/gu, '?'), 'latin1');
  return { ...reply, headers: { ...reply.headers, 'content-type': `${type.split(';')[0] ?? type}; charset=iso-8859-1` }, body };
}

/** The reply-level faults that are on, applied in a fixed order. */
export function replyTransform(faults: FaultSet): ReplyTransform {
  const steps: ReplyTransform[] = [];
  if (faults.has('opaque-errors')) steps.push(opaqueErrors);
  if (faults.has('latin1')) steps.push(latin1);
  return (reply) => steps.reduce((current, step) => step(current), reply);
}
