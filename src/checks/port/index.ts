import { legacyCheck } from '../types.js';
import type { Assertion, Measurement, Outcome } from '../../model/outcome.js';
import { assertion } from '../../model/operators.js';
import { NetError } from '../../net/errors.js';
import { probeTcp, resolveAll, type ResolvedAddress } from '../../net/tcp.js';

/** One port to probe and whether it must accept connections. */
interface PortSpec {
  /** TCP port. */
  port: number;
  /** `open`: must accept a connection; `closed`: must refuse or drop it. */
  expect: 'open' | 'closed';
}

/** Parameters of the `port` check type. */
export interface PortParams {
  /** Host name or IP address. */
  host: string;
  /** Ports to probe: numbers (must be open) or `{ port, expect }`. */
  ports: (number | { port: number; expect?: 'open' | 'closed' })[];
  /** Connect timeout per attempt in milliseconds. */
  connectTimeoutMs: number;
}

export default legacyCheck<PortParams>({
  name: 'port',
  description: 'Name resolution (all addresses), TCP reachability and connect latency of 443 and every declared port.',
  // Reachability of 443 and the declared ports; a TCP connect measures no bandwidth (1.2.a).
  items: ['1.2.b'],
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['host'],
    properties: {
      host: { type: 'string', minLength: 1, description: 'Host name or IP address.' },
      ports: {
        type: 'array',
        minItems: 1,
        default: [443],
        description: 'Ports to probe: a number must be open; { port, expect: closed } must not accept connections.',
        items: {
          anyOf: [
            { type: 'integer', minimum: 1, maximum: 65535 },
            {
              type: 'object',
              additionalProperties: false,
              required: ['port'],
              properties: { port: { type: 'integer', minimum: 1, maximum: 65535 }, expect: { enum: ['open', 'closed'], description: 'open (default) or closed' } },
            },
          ],
        },
      },
      connectTimeoutMs: { type: 'integer', minimum: 1, default: 5000, description: 'Connect timeout per address in milliseconds.' },
    },
  },
  values: { addresses: 'resolved addresses', open: 'ports that accepted a connection' },
  example: { host: '${target.host}', ports: [443, { port: 8443, expect: 'open' }] },

  async run(params, ctx): Promise<Outcome> {
    const ports: PortSpec[] = (params.ports ?? [443]).map((p) => (typeof p === 'number' ? { port: p, expect: 'open' } : { port: p.port, expect: p.expect ?? 'open' }));
    let addresses: ResolvedAddress[];
    try {
      addresses = await resolveAll(params.host, ctx.http.transport.lookup, ctx.signal);
    } catch (err) {
      if (err instanceof NetError) return { status: 'error', summary: `${params.host}: ${err.message}` };
      throw err;
    }
    const listed = addresses.map((a) => a.address).join(', ');
    ctx.log.debug(`${params.host} resolves to ${listed}`);

    const assertions: Assertion[] = [];
    const measurements: Measurement[] = [];
    const problems: string[] = [];
    const partial: string[] = [];
    const open: number[] = [];
    for (const spec of ports) {
      const attempts = await Promise.all(
        addresses.map(async (a) => {
          try {
            return { address: a.address, ms: await probeTcp(a.address, spec.port, { timeoutMs: params.connectTimeoutMs ?? 5000, signal: ctx.signal }) };
          } catch (err) {
            if (err instanceof NetError) return { address: a.address, error: err };
            throw err;
          }
        }),
      );
      const connected = attempts.filter((a): a is { address: string; ms: number } => 'ms' in a);
      const failedAttempts = attempts.filter((a): a is { address: string; error: NetError } => 'error' in a);
      const isOpen = connected.length > 0;
      if (isOpen) open.push(spec.port);
      for (const c of connected) measurements.push({ name: `connect ${c.address}:${spec.port}`, value: c.ms, unit: 'ms' });
      const cause = failedAttempts[0]?.error.message ?? 'connected';
      assertions.push(
        assertion(
          `port ${spec.port}`,
          'eq',
          spec.expect,
          isOpen ? 'open' : 'closed',
          spec.expect === 'open' ? `port ${spec.port} is not reachable: ${cause}` : `port ${spec.port} accepts connections but must be closed`,
        ),
      );
      if (isOpen !== (spec.expect === 'open')) problems.push(spec.expect === 'open' ? `port ${spec.port}: ${cause}` : `port ${spec.port} is open but must be closed`);
      else if (spec.expect === 'open' && failedAttempts.length > 0) partial.push(`port ${spec.port} unreachable on ${failedAttempts.map((f) => f.address).join(', ')} (${cause})`);
    }

    const values = { addresses: addresses.map((a) => a.address), open };
    if (problems.length > 0) {
      return { status: 'fail', summary: `${params.host}: ${problems.join('; ')}`, assertions, measurements, values };
    }
    const fastest = measurements.length > 0 ? Math.min(...measurements.map((m) => m.value)) : 0;
    const described = ports.map((p) => `${p.port} ${p.expect}`).join(', ');
    if (partial.length > 0) {
      return { status: 'warn', summary: `${params.host} (${listed}): ${partial.join('; ')}`, assertions, measurements, values };
    }
    return {
      status: 'pass',
      summary: `${params.host} (${listed}): ${described} as expected${open.length ? `, connect ${fastest.toFixed(1)} ms` : ''}`,
      assertions,
      measurements,
      values,
    };
  },
});
