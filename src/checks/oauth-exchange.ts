import type { CheckContext } from './types.js';
import { NetError } from '../net/errors.js';
import type { HttpResponse } from '../net/http.js';
import { transcript } from '../net/transcript.js';

/** How the client authenticates at the token, introspection and revocation endpoints. */
export type ClientAuth = 'client_secret_basic' | 'client_secret_post';

/** The client's credentials. */
export interface ClientCredentials {
  /** `client_id`. */
  id: string;
  /** `client_secret`. */
  secret: string;
  /** Authentication method. */
  auth: ClientAuth;
}

/** A response read to its end, with the JSON body when there is one. */
export interface OAuthResponse {
  /** HTTP status. */
  status: number;
  /** The raw response. */
  raw: HttpResponse;
  /** The body parsed as a JSON object, or undefined. */
  json: Record<string, unknown> | undefined;
  /** First value of a header. */
  header(name: string): string | undefined;
}

/** The endpoints the check talks to, from discovery and/or parameters. */
export interface Endpoints {
  /** Issuer identifier (discovery), when known. */
  issuer?: string;
  /** Token endpoint. */
  token?: string;
  /** Authorization endpoint. */
  authorization?: string;
  /** Introspection endpoint (RFC 7662). */
  introspection?: string;
  /** Revocation endpoint (RFC 7009). */
  revocation?: string;
  /** JWK Set. */
  jwks?: string;
}

/** RFC 6749 §2.3.1: id and secret are form-encoded before they are joined for HTTP Basic. */
function basic(id: string, secret: string): string {
  const encode = (value: string): string => encodeURIComponent(value).replaceAll('%20', '+');
  return `Basic ${Buffer.from(`${encode(id)}:${encode(secret)}`).toString('base64')}`;
}

/**
 * The check's HTTP conversation with the authorization server: every exchange goes through the
 * run's client (trust, timeouts, interaction log), is kept for the transcript, and every token,
 * code or verifier that passes through is remembered so the runner redacts it everywhere.
 */
export class OAuthExchange {
  /** Values to redact (Outcome.secrets). */
  readonly secrets = new Set<string>();
  private readonly transcripts: string[] = [];

  constructor(
    private readonly ctx: CheckContext,
    /** The client. */
    readonly client: ClientCredentials,
  ) {}

  /** Registers a value for redaction (ignores empty and non-string values). */
  secret(value: unknown): void {
    if (typeof value === 'string' && value.length > 0) this.secrets.add(value);
  }

  /** A form POST (token, introspection, revocation) with client authentication; `secret` overrides the real one (probes). */
  async post(url: string, form: Record<string, string>, options: { secret?: string; anonymous?: boolean; provokes?: readonly number[] } = {}): Promise<OAuthResponse> {
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
