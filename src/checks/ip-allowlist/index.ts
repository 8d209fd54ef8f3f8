import { assertion } from '../../model/operators.js';
import { legacyCheck, type CheckContext } from '../types.js';
import type { Outcome } from '../../model/outcome.js';
import { METHOD_WRITES_WHEN, methodWrites } from '../shared/writes.js';
import { NetError } from '../../net/errors.js';
import { pathLabel } from '../../net/url.js';

/** Parameters of the `ip-allowlist` check type (mirrors `schema`). */
export interface IpAllowlistParams {
  /** Endpoint probed from both source addresses. */
  url: string;
  /** HTTP method. */
  method: 'GET' | 'HEAD' | 'POST';
  /** Request headers. */
  headers?: Record<string, string>;
  /** A local address outside the allowlist: its request must be refused. */
  sourceAddress: string;
  /** A local address on the allowlist (default: the system's choice). */
  allowedSourceAddress?: string;
  /** Statuses that count as a refusal. */
  refusedStatus: number[];
  /** Timeout of each request; a silent drop counts as refused. */
  requestTimeoutMs: number;
}

/** How one probe ended. */
type Probe = { kind: 'status'; status: number } | { kind: 'network'; error: NetError };

// A firewall refuses (RST), closes, or drops (no answer): all keep the outside source out.
const REFUSING_ERRORS = new Set(['refused', 'closed', 'reset', 'timeout']);

export default legacyCheck<IpAllowlistParams>({
  name: 'ip-allowlist',
  description: 'A request from a source address outside the IP allowlist must be refused (403 or no connection) while one from an allowlisted address gets through.',
  // Only the allowlist: it says nothing about rate limits or patching.
  items: ['2.3.c'],
  writes: methodWrites,
  writesWhen: METHOD_WRITES_WHEN,
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['url', 'sourceAddress'],
    properties: {
      url: { type: 'string', minLength: 1, description: 'Endpoint probed from both addresses.' },
      method: { enum: ['GET', 'HEAD', 'POST'], default: 'GET', description: 'HTTP method.' },
      headers: { type: 'object', additionalProperties: { type: 'string' }, description: 'Request headers (credentials from secrets or captures).' },
      sourceAddress: { type: 'string', minLength: 1, description: 'An address of this machine that is NOT on the allowlist (e.g. 127.0.0.2 on loopback, or a second interface).' },
      allowedSourceAddress: { type: 'string', minLength: 1, description: 'An address of this machine that IS on the allowlist (default: the system picks).' },
      refusedStatus: { type: 'array', items: { type: 'integer', minimum: 400, maximum: 599 }, minItems: 1, default: [403], description: 'Statuses that count as refusing the outside address.' },
      requestTimeoutMs: { type: 'integer', minimum: 1, default: 5000, description: 'Timeout of each request; no answer from the outside address counts as refused (dropped).' },
    },
  },
  values: { outsideStatus: 'status the outside address got (absent when refused at connection level)', allowedStatus: 'status the allowlisted address got' },
  example: { url: '${target.baseUrl}/health', sourceAddress: '${target.outsideAddress}' },

  async run(params, ctx): Promise<Outcome> {
    const method = params.method ?? 'GET';
    const label = `${method} ${pathLabel(params.url)}`;
    const refused = params.refusedStatus ?? [403];
    const [outside, allowed] = await Promise.all([probe(ctx, params, params.sourceAddress), probe(ctx, params, params.allowedSourceAddress)]);
    const from = (address: string | undefined): string => (address ? `from ${address}` : 'from the default address');

    if (outside.kind === 'network' && outside.error.kind === 'unreachable') {
      return { status: 'error', summary: `${label}: cannot send ${from(params.sourceAddress)}: ${outside.error.message} (is it an address of this machine?)` };
    }
    if (allowed.kind === 'network') return { status: 'error', summary: `${label} ${from(params.allowedSourceAddress)} (allowlisted) failed: ${allowed.error.message}` };
    if (refused.includes(allowed.status)) {
      return { status: 'error', summary: `${label}: the allowlisted source ${from(params.allowedSourceAddress)} was refused too (${allowed.status}): run this check from an allowlisted address` };
    }
    if (outside.kind === 'network' && !REFUSING_ERRORS.has(outside.error.kind)) {
      return { status: 'error', summary: `${label} ${from(params.sourceAddress)}: ${outside.error.message}` };
    }

    const outsideSeen = outside.kind === 'status' ? outside.status : `no connection (${outside.error.kind})`;
    const isRefused = outside.kind === 'network' || refused.includes(outside.status);
    const message = `${label} ${from(params.sourceAddress)} (outside the allowlist) got ${outsideSeen}: restrict API access to allowlisted source addresses`;
    const assertions = [
      assertion(`outside ${params.sourceAddress} refused`, 'eq', true, isRefused, message),
      assertion(`allowlisted ${params.allowedSourceAddress ?? 'default address'} status`, 'notIn', refused, allowed.status),
    ];
    const values = { ...(outside.kind === 'status' ? { outsideStatus: outside.status } : {}), allowedStatus: allowed.status };
    if (!isRefused) return { status: 'fail', summary: message, assertions, values };
    const how = outside.kind === 'status' ? `${outside.status}` : outside.error.kind === 'timeout' ? 'dropped (no answer)' : `refused at connection level (${outside.error.kind})`;
    return { status: 'pass', summary: `${label}: ${params.sourceAddress} ${how}, ${params.allowedSourceAddress ?? 'allowlisted source'} ${allowed.status}`, assertions, values };
  },
});

async function probe(ctx: CheckContext, params: IpAllowlistParams, localAddress: string | undefined): Promise<Probe> {
  try {
    const response = await ctx.http.request({
      method: params.method ?? 'GET',
      url: params.url,
      headers: params.headers,
      timeoutMs: params.requestTimeoutMs ?? 5000,
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
