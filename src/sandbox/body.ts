import type { IncomingMessage } from 'node:http';
import { ProblemError } from './respond.js';

/** Largest request body the sandbox reads; anything bigger gets a 413. */
export const MAX_BODY_BYTES = 1024 * 1024;

function tooLarge(limit: number): ProblemError {
  return new ProblemError(
    {
      status: 413,
      code: 'payload_too_large',
      title: 'Request body too large',
      detail: `The request body exceeds ${limit} bytes; send a smaller body.`,
    },
    // The rest of the body is still on the wire; closing is cheaper than draining it.
    true,
  );
}

/** Reads the whole body, refusing (with a 413 `ProblemError`) anything over `limit` bytes. */
export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) throw tooLarge(limit);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks, size);
}

/** The media type of the request without parameters, lower-case ('' when absent). */
export function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** Parses a JSON body: 415 when not declared as JSON, 400 when it does not parse. */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  const type = mediaType(req);
  if (type !== 'application/json' && !type.endsWith('+json')) {
    throw new ProblemError({
      status: 415,
      code: 'unsupported_media_type',
      title: 'Unsupported media type',
      detail: `Send the body as JSON with "Content-Type: application/json" (got "${type || 'none'}").`,
      headers: { 'accept-post': 'application/json' },
    });
  }
  const body = await readBody(req);
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    // V8's message quotes the input, which may hold a card number: never echo it.
    throw new ProblemError({
      status: 400,
      code: 'malformed_json',
      title: 'Malformed JSON',
      detail: 'The request body is not valid JSON; check quoting, commas and brackets.',
    });
  }
}

/** Like `readJson`, but an empty body without a content type is allowed: it reads as undefined. */
export async function readOptionalJson(req: IncomingMessage): Promise<unknown> {
  if (mediaType(req) === '') {
    const body = await readBody(req);
    if (body.length === 0) return undefined;
  }
  return readJson(req);
}
