import { show } from '../../model/operators.js';
import { NetError } from '../../net/errors.js';
import { transcript } from '../../net/transcript.js';
import { messenger } from '../shared/messages.js';
import type { CheckContext } from '../types.js';
import { messages } from './messages.js';
import type { ClientCredentials, OAuthResponse } from './types.js';

const say = messenger(messages);

/** RFC 6749 §2.3.1: id and secret are form-encoded before they are joined for HTTP Basic. */
function basic(id: string, secret: string): string {
  const encode = (value: string): string => encodeURIComponent(value).replaceAll('%20', '+');
  return `Basic ${Buffer.from(`${encode(id)}:${encode(secret)}`).toString('base64')}`;
}

/** Who may receive the client's credentials: the issuer's origin, and the endpoints the suite names itself. */
export interface CredentialPolicy {
  /** Issuer identifier, when the suite gives one: endpoints on its origin are trusted. */
  issuer?: string;
  /** Endpoint URLs the suite names explicitly (tokenUrl, introspectionUrl, revocationUrl, resourceUrl). */
  named: ReadonlySet<string>;
}

/**
 * Why a credential must not be sent to `url`, or undefined when it may: a non-HTTPS endpoint never
 * gets one, and an endpoint on another origin than the issuer only when the suite names it (a
 * discovery document must not be able to send the secret to any host it likes).
 */
export function credentialRefusal(url: string, policy: CredentialPolicy): { kind: 'plain' | 'foreign'; reason: string } | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { kind: 'plain', reason: say.text('reasonInvalidUrl') };
  }
  if (parsed.protocol !== 'https:') return { kind: 'plain', reason: say.text('reasonPlain') };
  if (policy.issuer !== undefined && !policy.named.has(url)) {
    const issuerOrigin = new URL(policy.issuer).origin;
    if (parsed.origin !== issuerOrigin) return { kind: 'foreign', reason: say.text('reasonForeign', { origin: parsed.origin, issuerOrigin }) };
  }
  return undefined;
}

/** What a server answered, in words a message can quote: `400 unsupported_token_type ("...")`, `200 {"active":false}`, `502 with a text/html body`. */
export function answered(response: OAuthResponse): string {
  const { status, json } = response;
  if (typeof json?.error === 'string') {
    const description = typeof json.error_description === 'string' ? ` (${show(json.error_description)})` : '';
    return `${status} ${json.error}${description}`;
  }
  if (json) return `${status} ${show(json)}`;
  const body = response.raw.text();
  if (body.length === 0) return `${status} with an empty body`;
  return `${status} with a ${response.header('content-type') ?? 'untyped'} body that is not a JSON object`;
}

/**
 * The check's HTTP conversation with the authorization server: every exchange goes through the
 * run's client (trust, timeouts, interaction log), is kept for the transcript, and every token,
 * code or verifier that passes through is remembered so the runner redacts it everywhere.
 * Credentials (client authentication, a bearer token) only go where `credentialRefusal` allows.
 */
export class OAuthExchange {
  /** Values to redact (Outcome.secrets). */
  readonly secrets = new Set<string>();
  private readonly transcripts: string[] = [];
  /** Until discovery tells the issuer, only HTTPS is required. */
  private policy: CredentialPolicy = { named: new Set() };

  constructor(
    private readonly ctx: CheckContext,
    /** The client. */
    readonly client: ClientCredentials,
  ) {}

  /** Registers a value for redaction (ignores empty and non-string values). */
  secret(value: unknown): void {
    if (typeof value === 'string' && value.length > 0) this.secrets.add(value);
  }

  /** Sets who may receive credentials (once the issuer and the suite's own endpoints are known). */
  trust(policy: CredentialPolicy): void {
    this.policy = policy;
  }

  /** Why a credential must not go to `url` under the current policy, or undefined. */
  refusal(url: string): { kind: 'plain' | 'foreign'; reason: string } | undefined {
    return credentialRefusal(url, this.policy);
  }

  /** Throws (a NetError naming the endpoint) instead of sending a credential where it must not go. */
  private guard(url: string): void {
    const refused = this.refusal(url);
    if (refused) throw new NetError('other', say.text('credentialsGuarded', { url, reason: refused.reason }));
  }

  /** A form POST (token, introspection, revocation) with client authentication; `secret` overrides the real one (probes). */
  async post(url: string, form: Record<string, string>, options: { secret?: string; anonymous?: boolean; provokes?: readonly number[] } = {}): Promise<OAuthResponse> {
    if (!options.anonymous) this.guard(url);
    const body = { ...form };
    const headers: Record<string, string> = { accept: 'application/json' };
    const secret = options.secret ?? this.client.secret;
    if (!options.anonymous) {
      if (this.client.auth === 'client_secret_basic') headers.authorization = basic(this.client.id, secret);
      else Object.assign(body, { client_id: this.client.id, client_secret: secret });
    }
    return this.send({ method: 'POST', url, headers, form: body }, options.provokes);
  }

  /** A GET (discovery, JWKS, the resource API, the authorization endpoint without following redirects). */
  async get(url: string, headers: Record<string, string> = {}, provokes?: readonly number[]): Promise<OAuthResponse> {
    if (Object.keys(headers).some((name) => name.toLowerCase() === 'authorization')) this.guard(url);
    return this.send({ method: 'GET', url, headers }, provokes);
  }

  /** `provokes`: error statuses a negative probe asks for, logged as expected so KPIs do not count them. */
  private async send(req: { method: string; url: string; headers: Record<string, string>; form?: Record<string, string> }, provokes?: readonly number[]): Promise<OAuthResponse> {
    const raw = await this.ctx.http.request({ method: req.method, url: req.url, headers: req.headers, ...(req.form ? { form: req.form } : {}), ...(provokes ? { expected: { status: provokes } } : {}) });
    this.transcripts.push(transcript({ method: req.method, url: req.url, headers: req.headers, ...(req.form ? { body: new URLSearchParams(req.form).toString() } : {}) }, raw));
    let json: Record<string, unknown> | undefined;
    try {
      const parsed: unknown = JSON.parse(raw.text());
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) json = parsed as Record<string, unknown>;
    } catch {
      json = undefined;
    }
    // Whatever a server hands out (even to a probe that should have been refused) is a credential.
    for (const key of ['access_token', 'refresh_token', 'id_token']) this.secret(json?.[key]);
    return { status: raw.status, raw, json, header: (name) => raw.header(name) };
  }

  /** Every exchange as one HTTP transcript (masked here, redacted by the runner). */
  transcript(): string {
    return this.transcripts.join('\n');
  }
}

/** Where RFC 8414 (path-inserted) and OpenID Connect Discovery put the metadata of `issuer`. */
export function metadataUrls(issuer: string): string[] {
  const url = new URL(issuer);
  const path = url.pathname.replace(/\/$/, '');
  return [`${url.origin}/.well-known/oauth-authorization-server${path}`, `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`];
}

/** A NetError's message, or rethrows anything else (a bug). */
export function netMessage(error: unknown): string {
  if (error instanceof NetError) return error.message;
  throw error;
}
