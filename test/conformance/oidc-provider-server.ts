import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import type { Target } from '../../src/checks/types.js';
import type { Outcome } from '../../src/model/outcome.js';
import { loadCheckType } from '../../src/checks/index.js';
import { expectFromTable } from '../checks/harness.js';
import { HttpTransport } from '../../src/net/http.js';
import { InteractionLog } from '../../src/model/interactions.js';
import { systemClock } from '../../src/runner/run.js';
import { mintCertificateAuthority, mintServerCertificate } from '../../src/sandbox/transport/certs.js';
import { validateParams } from '../../src/suite/schema.js';
import { sleep } from '../../src/sleep.js';

/**
 * oidc-provider (panva/node-oidc-provider, OpenID Certified) started on loopback over HTTPS with a
 * CA minted for the test, configured the way a payment provider's authorization server would be:
 * client_credentials, introspection and revocation enabled, a client owning more scopes than the
 * suite asks for, opaque or JWT access tokens. Nobody here wrote it: what it answers is the truth
 * the `oauth` check must agree with.
 */

/** The two release lines the corpus runs (package name in node_modules -> what it is). */
export const OIDC_PROVIDERS = [
  // 8.x: declares Node.js 18 LTS or later (its runtime check), so it is the pin that supports this project's Node 20.
  { pkg: 'oidc-provider', load: async () => (await import('oidc-provider')).default },
  // 9.x: answers 400 unsupported_token_type to introspection and revocation of JWT access tokens
  // (the behaviour issue 11 names); it asks for Node.js 22 LTS at start-up but runs on Node 20.18+.
  { pkg: 'oidc-provider-9', load: async () => (await import('oidc-provider-9')).default },
] as const;

/** Exact version of an installed oidc-provider release line (for row names and the table in docs/conformance.md). */
export function installedVersion(pkg: string): string {
  const require = createRequire(import.meta.url);
  const manifest = JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), 'utf8')) as { version: string };
  return manifest.version;
}

/** Scopes the client owns; the suite requests fewer. */
export const CLIENT_SCOPES = 'payments:read payments:write';
/** A scope the server knows (advertises) that the client does not own. */
export const NOT_OWNED_SCOPE = 'payments:refund';
/** The API the JWT access tokens are issued for (RFC 8707 resource indicator, their aud). */
export const RESOURCE = 'https://api.payready.test/v1';

/** A running oidc-provider. */
export interface OidcServer {
  /** Issuer identifier (https://127.0.0.1:port). */
  issuer: string;
  /** PEM of the CA that signed its certificate (the suite's `ca`). */
  caPem: string;
  /** client_id of the test client. */
  clientId: string;
  /** Its client_secret (random per start). */
  clientSecret: string;
  /** Package version running. */
  version: string;
  /** Stops the server. */
  close(): Promise<void>;
}

/** Starts one release line of oidc-provider on a free loopback port. */
export async function startOidcProvider(line: (typeof OIDC_PROVIDERS)[number], format: 'opaque' | 'jwt'): Promise<OidcServer> {
  const ca = await mintCertificateAuthority('payready conformance CA');
  const leaf = await mintServerCertificate(ca, { hostnames: ['127.0.0.1'] });
  const server: Server = createServer({ key: leaf.keyPem, cert: leaf.certPem });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const signingKey = { ...(await exportJWK(privateKey)), kid: 'conformance-es256', alg: 'ES256', use: 'sig' };
  const clientId = 'payready-conformance';
  const clientSecret = randomBytes(24).toString('base64url');
  const Provider = await line.load();
  const provider = new Provider(issuer, {
    clients: [{ client_id: clientId, client_secret: clientSecret, grant_types: ['client_credentials'], response_types: [], redirect_uris: [], scope: CLIENT_SCOPES }],
    scopes: ['payments:read', 'payments:write', NOT_OWNED_SCOPE],
    jwks: { keys: [signingKey] },
    clientDefaults: { id_token_signed_response_alg: 'ES256' },
    cookies: { keys: [randomBytes(16).toString('hex')] },
    ttl: { ClientCredentials: 600 },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: { enabled: true, allowedPolicy: ownTokensOnly },
      revocation: { enabled: true, ...(line.pkg === 'oidc-provider-9' ? { allowedPolicy: ownTokensOnly } : {}) },
      resourceIndicators:
        format === 'jwt'
          ? {
              enabled: true,
              defaultResource: () => RESOURCE,
              useGrantedResource: () => true,
              getResourceServerInfo: () => ({ scope: `${CLIENT_SCOPES} ${NOT_OWNED_SCOPE}`, audience: RESOURCE, accessTokenFormat: 'jwt' }),
            }
          : { enabled: false },
    },
  });
  server.on('request', provider.callback());
  return {
    issuer,
    caPem: ca.certPem,
    clientId,
    clientSecret,
    version: installedVersion(line.pkg),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Only the client a token was issued to may introspect or revoke it. */
async function ownTokensOnly(ctx: { oidc: { client?: { clientId: string } } }, client: { clientId: string }, token: { clientId?: string }): Promise<boolean> {
  return token.clientId === client.clientId;
}

/**
 * Runs payready's real `oauth` check type against `server`, through the same parameter validation
 * and context the runner gives it (the CA trusted as a suite's `ca:` would be).
 */
export async function runOAuthCheck(server: OidcServer, params: Record<string, unknown>): Promise<Outcome> {
  const type = await loadCheckType('oauth');
  const validated = await validateParams(type, params);
  if (!validated.ok) throw new Error(`test parameters do not validate: ${validated.message}`);
  const interactions = new InteractionLog();
  const target: Target = { name: 'oidc-provider', sandbox: true, baseUrl: server.issuer, ca: [server.caPem], insecure: false, fields: {} };
  const transport = new HttpTransport({ ca: target.ca, insecure: false }, interactions);
  const timeoutMs = 20_000;
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const outcome = await type.run(validated.params as never, {
      checkId: 'conformance-oauth',
      signal,
      timeoutMs,
      http: transport.forCheck('conformance-oauth', signal, timeoutMs),
      target,
      baseDir: process.cwd(),
      allowLive: false,
      interactions,
      clock: systemClock,
      log: { debug: () => undefined },
      wait: (ms) => sleep(ms, signal),
    });
    // The summary is an entry of the type's messages table, filled with the data the outcome carries.
    expectFromTable(type, outcome);
    return outcome;
  } finally {
    await transport.close();
  }
}
