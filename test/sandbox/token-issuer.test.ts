import { afterEach, describe, expect, it, vi } from 'vitest';
import { InvalidTokenError, TokenIssuer, generateSigningKey } from '../../src/sandbox/oauth/tokens.js';

/**
 * TokenIssuer.verify remembers the tokens whose signature verified (a client sends the same token
 * with every call): what can change about such a token, its expiry and its revocation, must still
 * be judged on every call.
 */
describe('TokenIssuer.verify of a token it verified before', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  const issuer = async (): Promise<TokenIssuer> => new TokenIssuer(await generateSigningKey(), { issuer: 'https://as.example', audience: 'payments', ttlSeconds: 60 });

  it('refuses it once it has expired (exp <= now, RFC 7519 4.1.4)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-07T12:00:00Z'));
    const tokens = await issuer();
    const { accessToken } = await tokens.issue('client', ['payments']);
    expect((await tokens.verify(accessToken)).clientId).toBe('client');
    vi.setSystemTime(new Date('2026-12-07T12:00:59Z'));
    expect((await tokens.verify(accessToken)).scopes).toEqual(['payments']);
    // exp is issued-at + 60 s: at that very second the token is no longer valid.
    vi.setSystemTime(new Date('2026-12-07T12:01:00Z'));
    await expect(tokens.verify(accessToken)).rejects.toThrow(new InvalidTokenError('The access token has expired; request a new one from the token endpoint.'));
    await expect(tokens.verify(accessToken)).rejects.toThrow(/has expired/);
  });

  it('refuses it once revoked', async () => {
    const tokens = await issuer();
    const { accessToken } = await tokens.issue('client', ['payments']);
    const verified = await tokens.verify(accessToken);
    tokens.revoke(verified);
    await expect(tokens.verify(accessToken)).rejects.toThrow(/has been revoked/);
  });

  it('does not take a changed copy for the token it remembers', async () => {
    const tokens = await issuer();
    const { accessToken } = await tokens.issue('client', ['payments']);
    await tokens.verify(accessToken);
    const [header, payload, signature] = accessToken.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8')) as Record<string, unknown>;
    const forged = [header, Buffer.from(JSON.stringify({ ...claims, scope: 'payments admin' })).toString('base64url'), signature].join('.');
    await expect(tokens.verify(forged)).rejects.toThrow(/signature does not verify/);
    // Another issuer's token (its own key) is refused too, however often this one's was verified.
    const other = await (await issuer()).issue('client', ['payments']);
    await expect(tokens.verify(other.accessToken)).rejects.toThrow(/signature does not verify/);
  });
});
