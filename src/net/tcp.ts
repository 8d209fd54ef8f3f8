import { connect, isIP, type LookupFunction } from 'node:net';
import { lookup as dnsLookup } from 'node:dns';
import { NetError, toNetError } from './errors.js';

/** One resolved address of a host name. */
export interface ResolvedAddress {
  /** IPv4 or IPv6 address. */
  address: string;
  /** 4 or 6. */
  family: number;
}

/**
 * Every address a name resolves to (IPv4 and IPv6), through `lookup` when one is injected (tests
 * use that so no real DNS query is made). IP literals resolve to themselves.
 */
export function resolveAll(host: string, lookup: LookupFunction = dnsLookup as LookupFunction, signal?: AbortSignal): Promise<ResolvedAddress[]> {
  const bare = host.replace(/^\[|\]$/g, '');
  const family = isIP(bare);
  if (family !== 0) return Promise.resolve([{ address: bare, family }]);
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(new NetError('aborted', `aborted while resolving ${host}`));
    signal?.addEventListener('abort', onAbort, { once: true });
    lookup(bare, { all: true }, (err, addresses) => {
      signal?.removeEventListener('abort', onAbort);
      if (err) return reject(toNetError(Object.assign(err, { hostname: bare }), host));
      const list = (Array.isArray(addresses) ? addresses : [{ address: String(addresses), family: isIP(String(addresses)) }]).map((a) => ({ address: a.address, family: a.family }));
      if (list.length === 0) return reject(new NetError('dns', `name not resolved: ${host} (no addresses)`));
      resolve(list);
    });
  });
}

/** Opens a TCP connection and closes it again; returns the connect latency in milliseconds. */
export function probeTcp(address: string, port: number, options: { timeoutMs: number; signal?: AbortSignal; localAddress?: string }): Promise<number> {
  const where = `${address.includes(':') ? `[${address}]` : address}:${port}`;
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = connect({ host: address, port, ...(options.localAddress ? { localAddress: options.localAddress } : {}) });
    const finish = (err?: NetError): void => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      if (err) reject(err);
      else resolve(performance.now() - started);
    };
    const onAbort = (): void => finish(new NetError('aborted', `aborted while connecting to ${where}`));
    const timer = setTimeout(() => finish(new NetError('timeout', `timed out after ${options.timeoutMs} ms connecting to ${where}`)), options.timeoutMs);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => finish());
    socket.once('error', (err) => finish(toNetError(err, where)));
  });
}
