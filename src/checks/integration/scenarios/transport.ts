import type { TlsMode } from '../control.js';
import type { Params } from '../params.js';
import { summarizeRequests, told, type Trial } from '../trial.js';

const TLS_LABELS: Readonly<Record<Exclude<TlsMode, 'normal'>, string>> = {
  untrusted: 'a certificate from an authority nobody trusts',
  'wrong-host': 'a certificate for another host name',
  'tls1.1': 'TLS 1.1 at most',
};

/**
 * TLS on every call (2.1): for one order at a time the provider's endpoint presents an untrusted
 * certificate, a certificate for another name, or TLS 1.1 only. The merchant must refuse to talk:
 * nothing of the order reaches the provider, and the shopper is not told it worked. The mode is
 * server-wide (the order is not known before the handshake), so it is set for that order only and
 * always restored.
 */
export async function tls(trial: Trial, params: Params): Promise<void> {
  for (const mode of params.modes) {
    const order = trial.shop.order(`tls-${mode}`, params.amount);
    const record = await trial.place(TLS_LABELS[mode], order, { kind: 'normal' }, {
      refusalExpected: true,
      around: async (pay) => {
        await trial.control.tls(mode);
        try {
          return await pay();
        } finally {
          await trial.control.tls('normal');
        }
      },
    });
    const reached = record.requests.length;
    trial.expect(record, 'provider.reached', reached === 0, 'nothing sent', reached, `the merchant sent the payment to a provider endpoint presenting ${TLS_LABELS[mode]}${summarizeRequests(record.requests)}: keep certificate and host name verification on, and TLS 1.2 or later`);
    trial.expect(record, 'shopper.status', !trial.shop.succeeded(record.answer), 'not succeeded', record.answer.status, `the shopper was told ${told(record.answer)} although no payment could be made safely`);
    trial.expectNoServerError(record);
    trial.expectClearMessage(record);
  }
}

/**
 * Credentials: none in a URL (query strings end up in logs); with OAuth (the payready profile),
 * one access token reused across payments until it expires, and a new one fetched after the
 * provider answers 401 invalid_token.
 */
export async function credentials(trial: Trial, params: Params): Promise<void> {
  const provider = String(params.provider ?? trial.ctx.target.fields.provider ?? 'payready');
  const oauth = provider === 'payready';
  const tokensBefore = oauth ? await trial.control.tokensIssued() : 0;
  const orders = [];
  for (let i = 0; i < params.orders; i++) orders.push(await trial.place(`payment ${i + 1} of ${params.orders}`, trial.shop.order('credentials', params.amount), { kind: 'normal' }));
  for (const record of orders) {
    trial.expectSucceeded(record);
    const inUrl = record.requests.filter((r) => r.credentialInUrl);
    trial.expect(record, 'provider.credentialInUrl', inUrl.length === 0, 'none', inUrl.length, `a credential reached the provider in a URL (${inUrl.map((r) => `${r.method} ${r.path}`).join(', ')}): send it in the Authorization header, never the query (URLs are logged)`);
  }
  if (!oauth) {
    trial.notes.push(`${provider} authenticates with a secret API key: token reuse does not apply`);
    return;
  }
  const issued = (await trial.control.tokensIssued()) - tokensBefore;
  trial.expect(orders[0], 'oauth.tokensIssued', issued <= 1, `<= 1 token for ${params.orders} payments`, issued, `the merchant fetched ${issued} access tokens for ${params.orders} payments: reuse one until it expires (every token request costs a round trip and counts against the token endpoint's limits)`);
  const beforeRevoked = await trial.control.tokensIssued();
  const record = await trial.place('the provider answers 401 invalid_token', trial.shop.order('token-refresh', params.amount), { kind: 'invalid-token' });
  const refreshed = (await trial.control.tokensIssued()) - beforeRevoked;
  trial.expectSucceeded(record);
  trial.expect(record, 'oauth.refreshed', refreshed >= 1, 'a new token after 401', refreshed, `after a 401 invalid_token the merchant fetched no new access token${summarizeRequests(record.requests)}: drop the token, get a new one and retry once`);
  trial.expectCharged(record, 1);
}
