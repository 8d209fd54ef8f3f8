import { assertion } from '../../model/operators.js';
import type { Assertion } from '../../model/outcome.js';
import { messenger } from '../shared/messages.js';
import { answered, metadataUrls, netMessage, type OAuthExchange } from './exchange.js';
import { messages } from './messages.js';
import type { Endpoints } from './types.js';

const say = messenger(messages);

/**
 * Authorization server metadata as found, or why none was: unreachable (`url`, `cause`), or no URL
 * answered with metadata (`tried`: each URL and what it answered).
 */
export type Discovery =
  | { ok: true; url: string; metadata: Record<string, unknown> }
  | { ok: false; unreachable: true; url: string; cause: string; message: string }
  | { ok: false; unreachable: false; issuer: string; tried: string; message: string };

const ENDPOINT_MEMBERS: Record<keyof Omit<Endpoints, 'issuer'>, string> = {
  token: 'token_endpoint',
  authorization: 'authorization_endpoint',
  introspection: 'introspection_endpoint',
  revocation: 'revocation_endpoint',
  jwks: 'jwks_uri',
};

/** Fetches RFC 8414 metadata, then OpenID Connect Discovery, for `issuer`. */
export async function discover(ex: OAuthExchange, issuer: string): Promise<Discovery> {
  const tried: string[] = [];
  for (const url of metadataUrls(issuer)) {
    try {
      const response = await ex.get(url, { accept: 'application/json' });
      if (response.status === 200 && response.json) return { ok: true, url, metadata: response.json };
      tried.push(`${url} -> ${answered(response)}`);
    } catch (error) {
      const cause = netMessage(error);
      return { ok: false, unreachable: true, url, cause, message: say.text('metadataUnreachable', { url, cause }) };
    }
  }
  const data = { issuer, tried: tried.join('; ') };
  return { ok: false, unreachable: false, ...data, message: say.text('metadataMissing', data) };
}

/** Endpoints from metadata, with the suite's explicit ones taking precedence. */
export function endpointsFrom(metadata: Record<string, unknown> | undefined, explicit: Endpoints): Endpoints {
  const out: Endpoints = { ...explicit };
  if (!metadata) return out;
  if (out.issuer === undefined && typeof metadata.issuer === 'string') out.issuer = metadata.issuer;
  for (const [key, member] of Object.entries(ENDPOINT_MEMBERS) as [keyof typeof ENDPOINT_MEMBERS, string][]) {
    const value = metadata[member];
    if (out[key] === undefined && typeof value === 'string') out[key] = value;
  }
  return out;
}

/**
 * Whether the metadata's issuer is the configured one. RFC 8414 §3.3: "The "issuer" value returned
 * MUST be identical to the authorization server's issuer identifier value into which the
 * well-known URI string was inserted to create the URL used to retrieve the metadata." OpenID
 * Connect Discovery §4 removes a terminating "/" before appending the well-known path, and §4.3
 * compares with what was used (errata set 2 wording): "The issuer value returned MUST be identical
 * to the Issuer URL that was used as the prefix to /.well-known/openid-configuration". So
 * `https://as.example/` configured and `https://as.example` returned from the OpenID URL match
 * (`prefix`); any other difference that is only a terminating "/" is the suite spelling the issuer
 * differently from the server (`slash`).
 */
export function issuerMatch(issuer: string, found: { url: string; metadata: Record<string, unknown> }): 'same' | 'prefix' | 'slash' | 'different' {
  const returned = found.metadata.issuer;
  if (returned === issuer) return 'same';
  if (typeof returned !== 'string') return 'different';
  const trimmed = issuer.replace(/\/$/, '');
  if (found.url === `${trimmed}/.well-known/openid-configuration` && returned === trimmed) return 'prefix';
  return returned.replace(/\/$/, '') === trimmed ? 'slash' : 'different';
}

/** RFC 8414 §3: the issuer matches exactly, the required members are there, every endpoint is HTTPS. */
export function discoveryAssertions(issuer: string, found: { url: string; metadata: Record<string, unknown> }): Assertion[] {
  const m = found.metadata;
  const endpoints = Object.entries(m).filter(([key, value]) => (key.endsWith('_endpoint') || key === 'jwks_uri' || key === 'issuer') && typeof value === 'string');
  const plain = endpoints.filter(([, value]) => !String(value).startsWith('https://')).map(([key, value]) => `${key} ${String(value)}`);
  const missing = ['issuer', 'response_types_supported', 'token_endpoint'].filter((key) => m[key] === undefined);
  const match = issuerMatch(issuer, found);
  const named = typeof m.issuer === 'string' ? `names issuer ${JSON.stringify(m.issuer)}` : 'names no issuer';
  return [
    // With the OpenID prefix rule the identifier compared is the one the URL was built from.
    assertion('discovery: issuer', 'eq', match === 'prefix' ? issuer.replace(/\/$/, '') : issuer, m.issuer, say.text('issuerMismatch', { url: found.url, named, issuer })),
    assertion('discovery: required members', 'eq', [], missing, say.text('metadataIncomplete', { url: found.url, missing: missing.join(', ') })),
    assertion('discovery: https endpoints', 'eq', [], plain, say.text('metadataPlainEndpoints', { plain: plain.join(', ') })),
  ];
}
