import { assertion } from '../../model/operators.js';
import type { Outcome } from '../../model/outcome.js';
import { NetError } from '../../net/errors.js';
import { pathLabel } from '../../net/url.js';
import { messenger } from '../shared/messages.js';
import type { CheckContext, ParamsOf } from '../types.js';
import { messages } from './messages.js';
import type { meta } from './meta.js';

type Params = ParamsOf<typeof meta.schema>;

/** How one probe ended. */
type Probe = { kind: 'status'; status: number } | { kind: 'network'; error: NetError };

// A firewall refuses (RST), closes, or drops (no answer): all keep the outside source out.
const REFUSING_ERRORS = new Set(['refused', 'closed', 'reset', 'timeout']);
const say = messenger(messages);

/** Sends the same request from outside the allowlist and from inside it, side by side. */
export async function run(params: Params, ctx: CheckContext): Promise<Outcome> {
  const label = `${params.method} ${pathLabel(params.url)}`;
  const refused: readonly number[] = params.refusedStatus;
  const [outside, allowed] = await Promise.all([probe(ctx, params, params.sourceAddress), probe(ctx, params, params.allowedSourceAddress)]);
  const from = (address: string | undefined): string => (address ? `from ${address}` : 'from the default address');

  if (outside.kind === 'network' && outside.error.kind === 'unreachable') {
    return say.outcome('error', 'cannotSend', { label, from: from(params.sourceAddress), cause: outside.error.message });
  }
  if (allowed.kind === 'network') return say.outcome('error', 'allowedFailed', { label, from: from(params.allowedSourceAddress), cause: allowed.error.message });
  if (refused.includes(allowed.status)) return say.outcome('error', 'allowedRefused', { label, from: from(params.allowedSourceAddress), status: allowed.status });
  if (outside.kind === 'network' && !REFUSING_ERRORS.has(outside.error.kind)) {
    return say.outcome('error', 'outsideFailed', { label, from: from(params.sourceAddress), cause: outside.error.message });
  }

  const got = outside.kind === 'status' ? outside.status : `no connection (${outside.error.kind})`;
  const isRefused = outside.kind === 'network' || refused.includes(outside.status);
  const openData = { label, from: from(params.sourceAddress), got };
  const assertions = [
    assertion(`outside ${params.sourceAddress} refused`, 'eq', true, isRefused, say.text('open', openData)),
    assertion(`allowlisted ${params.allowedSourceAddress ?? 'default address'} status`, 'notIn', refused, allowed.status),
  ];
  const values = { ...(outside.kind === 'status' ? { outsideStatus: outside.status } : {}), allowedStatus: allowed.status };
  if (!isRefused) return say.outcome('fail', 'open', openData, { assertions, values });
  const how = outside.kind === 'status' ? `${outside.status}` : outside.error.kind === 'timeout' ? 'dropped (no answer)' : `refused at connection level (${outside.error.kind})`;
  return say.outcome('pass', 'refused', { label, source: params.sourceAddress, how, allowed: params.allowedSourceAddress ?? 'allowlisted source', status: allowed.status }, { assertions, values });
}

async function probe(ctx: CheckContext, params: Params, localAddress: string | undefined): Promise<Probe> {
  try {
    const response = await ctx.http.request({
      method: params.method,
      url: params.url,
      headers: params.headers,
      timeoutMs: params.requestTimeoutMs,
      maxBodyBytes: 256 * 1024,
      // From outside the allowlist a refusal is the point of the probe, not an API error.
      ...(localAddress ? { localAddress, expected: { status: [401, 403], error: 'closed' } } : {}),
    });
    return { kind: 'status', status: response.status };
  } catch (err) {
    if (err instanceof NetError) return { kind: 'network', error: err };
    throw err;
  }
}
