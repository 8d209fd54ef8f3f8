import { assertion } from '../../model/operators.js';
import type { Assertion, Measurement, Outcome } from '../../model/outcome.js';
import { NetError } from '../../net/errors.js';
import { probeTcp, resolveAll, type ResolvedAddress } from '../../net/tcp.js';
import { messenger } from '../shared/messages.js';
import type { CheckContext, ParamsOf } from '../types.js';
import { messages } from './messages.js';
import type { meta } from './meta.js';

type Params = ParamsOf<typeof meta.schema>;

/** One port to probe and whether it must accept connections. */
interface PortSpec {
  /** TCP port. */
  port: number;
  /** `open`: must accept a connection; `closed`: must refuse or drop it. */
  expect: 'open' | 'closed';
}

const say = messenger(messages);

/** Resolves the host and connects to every port on every address it resolves to. */
export async function run(params: Params, ctx: CheckContext): Promise<Outcome> {
  const { host } = params;
  // A bare number must be open; `expect` is optional in the object form (ajv fills no defaults inside anyOf).
  const ports: PortSpec[] = params.ports.map((p) => (typeof p === 'number' ? { port: p, expect: 'open' } : { port: p.port, expect: p.expect ?? 'open' }));
  let resolved: ResolvedAddress[];
  try {
    resolved = await resolveAll(host, ctx.http.transport.lookup, ctx.signal);
  } catch (err) {
    if (err instanceof NetError) return say.outcome('error', 'unresolved', { host, cause: err.message });
    throw err;
  }
  const addresses = resolved.map((a) => a.address).join(', ');
  ctx.log.debug(`${host} resolves to ${addresses}`);

  const assertions: Assertion[] = [];
  const measurements: Measurement[] = [];
  const problems: string[] = [];
  const partial: string[] = [];
  const open: number[] = [];
  for (const spec of ports) {
    const attempts = await Promise.all(
      resolved.map(async (a) => {
        try {
          return { address: a.address, ms: await probeTcp(a.address, spec.port, { timeoutMs: params.connectTimeoutMs, signal: ctx.signal }) };
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
    const port = spec.port;
    assertions.push(assertion(`port ${port}`, 'eq', spec.expect, isOpen ? 'open' : 'closed', spec.expect === 'open' ? say.text('expectedOpen', { port, cause }) : say.text('expectedClosed', { port })));
    if (isOpen !== (spec.expect === 'open')) problems.push(spec.expect === 'open' ? say.text('portRefused', { port, cause }) : say.text('portOpen', { port }));
    else if (spec.expect === 'open' && failedAttempts.length > 0) partial.push(say.text('portPartly', { port, addresses: failedAttempts.map((f) => f.address).join(', '), cause }));
  }

  const values = { addresses: resolved.map((a) => a.address), open };
  const rest = { assertions, measurements, values };
  if (problems.length > 0) return say.outcome('fail', 'wrong', { host, problems: problems.join('; '), count: problems.length }, rest);
  if (partial.length > 0) return say.outcome('warn', 'partly', { host, addresses, partial: partial.join('; ') }, rest);
  const fastest = measurements.length > 0 ? Math.min(...measurements.map((m) => m.value)) : 0;
  const described = ports.map((p) => `${p.port} ${p.expect}`).join(', ');
  return say.outcome('pass', 'asExpected', { host, addresses, ports: described, connect: open.length ? `, connect ${fastest.toFixed(1)} ms` : '' }, rest);
}
