import { isIP } from 'node:net';
import { NetError } from '../../net/errors.js';
import type { CheckContext } from '../types.js';

/** What the plain-HTTP port did. */
export interface PlainHttp {
  /** `refused`, `redirects to https`, `serves plain HTTP` or `undecided`. */
  verdict: 'refused' | 'redirects to https' | 'serves plain HTTP' | 'undecided';
  /** What was seen, in words. */
  seen: string;
}

/** Asks `http://host:port/` once: an HTTPS-only service refuses it or redirects to https. */
export async function probePlainHttp(ctx: CheckContext, host: string, port: number, timeoutMs: number): Promise<PlainHttp> {
  const hostPart = isIP(host) === 6 && !host.startsWith('[') ? `[${host}]` : host;
  try {
    const response = await ctx.http.request({ url: `http://${hostPart}:${port}/`, timeoutMs, maxBodyBytes: 64 * 1024 });
    const location = response.header('location');
    if (response.status >= 300 && response.status < 400 && location && /^https:\/\//i.test(location)) return { verdict: 'redirects to https', seen: `redirects (${response.status}) to ${location}` };
    return { verdict: 'serves plain HTTP', seen: `answered ${response.status}${location ? ` with a redirect to ${location}` : ''} instead of redirecting to https` };
  } catch (err) {
    if (!(err instanceof NetError)) throw err;
    if (['refused', 'closed', 'reset'].includes(err.kind)) return { verdict: 'refused', seen: err.message };
    // A firewall that drops packets never answers: that also keeps plain HTTP out.
    if (err.kind === 'timeout') return { verdict: 'refused', seen: `no answer (${err.message})` };
    return { verdict: 'undecided', seen: err.message };
  }
}
