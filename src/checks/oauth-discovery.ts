import { assertion } from './assert.js';
import type { Assertion } from './types.js';
import { metadataUrls, netMessage, type Endpoints, type OAuthExchange } from './oauth-exchange.js';

/** Authorization server metadata as found, or why none was. */
export type Discovery = { ok: true; url: string; metadata: Record<string, unknown> } | { ok: false; unreachable: boolean; message: string };

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
      tried.push(`${url} -> ${response.status}`);
    } catch (error) {
      return { ok: false, unreachable: true, message: `could not fetch ${url}: ${netMessage(error)}` };
    }
  }
  return { ok: false, unreachable: false, message: `no authorization server metadata for ${issuer} (${tried.join('; ')})` };
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

/** RFC 8414 §3: the issuer matches exactly, the required members are there, every endpoint is HTTPS. */
export function discoveryAssertions(issuer: string, found: { url: string; metadata: Record<string, unknown> }): Assertion[] {
  const m = found.metadata;
  const endpoints = Object.entries(m).filter(([key, value]) => (key.endsWith('_endpoint') || key === 'jwks_uri' || key === 'issuer') && typeof value === 'string');
  const plain = endpoints.filter(([, value]) => !String(value).startsWith('https://')).map(([key, value]) => `${key} ${String(value)}`);
  const missing = ['issuer', 'response_types_supported', 'token_endpoint'].filter((key) => m[key] === undefined);
  return [
    assertion('discovery: issuer', 'eq', issuer, m.issuer, `the metadata at ${found.url} names issuer ${JSON.stringify(m.issuer)}, not ${issuer}: clients must refuse it (RFC 8414 §3.3)`),
    assertion('discovery: required members', 'eq', [], missing, `the metadata at ${found.url} lacks ${missing.join(', ')} (RFC 8414 §2)`),
    assertion('discovery: https endpoints', 'eq', [], plain, `the metadata lists endpoints that are not HTTPS: ${plain.join(', ')}`),
  ];
}
