import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { mediaType, readBody } from '../body.js';
import type { DemoClient, SandboxContext } from '../context.js';
import { json, type Reply } from '../respond.js';

const REALM = 'payready-sandbox';
const FORM_TYPE = 'application/x-www-form-urlencoded';

/** Client authentication methods of the token, introspection and revocation endpoints. */
export const CLIENT_AUTH_METHODS = ['client_secret_basic', 'client_secret_post'];

// RFC 6749 §5.1: token responses (and their errors) must not be cached.
export const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

/** An RFC 6749 §5.2 error response. */
export function oauthError(status: number, error: string, description: string, headers: Record<string, string> = {}): Reply {
  return json(status, { error, error_description: description }, { ...NO_STORE, ...headers });
}

function invalidClient(description: string): Reply {
  return oauthError(401, 'invalid_client', description, { 'www-authenticate': `Basic realm="${REALM}"` });
}

function sameSecret(given: string, expected: string): boolean {
  // Hash first so the comparison takes the same time whatever the lengths.
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** Undoes the form-encoding RFC 6749 §2.3.1 applies to Basic credentials; undefined if malformed. */
function formDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value.replaceAll('+', ' '));
  } catch {
    return undefined;
  }
}

interface ClientCredentials {
  id: string;
  secret: string;
}

type CredentialsResult = { kind: 'none' } | { kind: 'found'; credentials: ClientCredentials } | { kind: 'error'; reply: Reply };

function basicCredentials(req: IncomingMessage): CredentialsResult {
  const header = req.headers.authorization ?? '';
  const match = /^Basic\s+(\S+)\s*$/i.exec(header);
  if (!match?.[1]) return { kind: 'none' };
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const id = colon >= 0 ? formDecode(decoded.slice(0, colon)) : undefined;
  const secret = colon >= 0 ? formDecode(decoded.slice(colon + 1)) : undefined;
  if (id === undefined || secret === undefined) {
    return { kind: 'error', reply: invalidClient('The Basic credentials are not "client_id:client_secret" in base64.') };
  }
  return { kind: 'found', credentials: { id, secret } };
}

function clientCredentials(req: IncomingMessage, form: URLSearchParams): CredentialsResult {
  const basic = basicCredentials(req);
  const id = form.get('client_id');
  const secret = form.get('client_secret');
  if (basic.kind !== 'none' && (id !== null || secret !== null)) {
    if (basic.kind === 'error') return basic;
    // RFC 6749 §2.3: a client must use only one authentication method per request.
    return {
      kind: 'error',
      reply: oauthError(400, 'invalid_request', 'Authenticate with either HTTP Basic or client_id/client_secret in the body, not both.'),
    };
  }
  if (basic.kind !== 'none') return basic;
  if (id === null && secret === null) return { kind: 'none' };
  return { kind: 'found', credentials: { id: id ?? '', secret: secret ?? '' } };
}

function findClient(ctx: SandboxContext, credentials: ClientCredentials): DemoClient | undefined {
  let found: DemoClient | undefined;
  // Compare against every client, id and secret both, so timing reveals nothing.
  for (const client of ctx.clients) {
    const idMatches = sameSecret(credentials.id, client.id);
    const secretMatches = sameSecret(credentials.secret, client.secret);
    // Under `oauth-accepts-bad-secret` a known client id is enough.
    if (idMatches && (secretMatches || ctx.faults.on('anyClientSecret'))) found = client;
  }
  return found;
}

/** A parsed form request from an authenticated client, or the error reply to send. */
export type ClientRequest = { ok: true; client: DemoClient; form: URLSearchParams } | { ok: false; reply: Reply };

/**
 * Reads an `application/x-www-form-urlencoded` body and authenticates the client
 * (client_secret_basic or client_secret_post), answering RFC 6749 §5.2 errors.
 */
export async function authenticatedForm(req: IncomingMessage, ctx: SandboxContext): Promise<ClientRequest> {
  if (mediaType(req) !== FORM_TYPE) {
    return { ok: false, reply: oauthError(400, 'invalid_request', `Send the request as "${FORM_TYPE}".`) };
  }
  const form = new URLSearchParams((await readBody(req)).toString('utf8'));
  const repeated = [...new Set(form.keys())].filter((name) => form.getAll(name).length > 1);
  if (repeated.length > 0) {
    return { ok: false, reply: oauthError(400, 'invalid_request', `Parameter "${repeated[0]}" is repeated; send each parameter once.`) };
  }
  const found = clientCredentials(req, form);
  if (found.kind === 'error') return { ok: false, reply: found.reply };
  if (found.kind === 'none') {
    return {
      ok: false,
      reply: invalidClient('Client authentication is required: use HTTP Basic (client_secret_basic) or client_id and client_secret in the body (client_secret_post).'),
    };
  }
  const client = findClient(ctx, found.credentials);
  if (!client) return { ok: false, reply: invalidClient('Unknown client or wrong client secret.') };
  return { ok: true, client, form };
}
