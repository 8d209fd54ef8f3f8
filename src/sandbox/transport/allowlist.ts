import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';

/** Source addresses the sandbox serves by default: the loopback addresses a local client uses. */
export const DEFAULT_ALLOWLIST: readonly string[] = ['127.0.0.1', '::1'];

/** The client's address, with IPv4-mapped IPv6 (`::ffff:127.0.0.1`) unwrapped. */
export function clientAddress(req: IncomingMessage): string {
  const address = req.socket.remoteAddress ?? '';
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

/** An IP allowlist of addresses and CIDR ranges (`10.0.0.0/8`, `2001:db8::/32`). */
export class Allowlist {
  private readonly list = new BlockList();

  /** Throws a readable error for an entry that is neither an address nor a CIDR range. */
  constructor(
    /** The entries as given. */
    readonly entries: readonly string[],
  ) {
    for (const entry of entries) {
      const [address = '', prefix] = entry.split('/');
      const family = isIP(address);
      const bits = prefix === undefined ? undefined : Number(prefix);
      const max = family === 6 ? 128 : 32;
      if (family === 0 || (bits !== undefined && !(Number.isInteger(bits) && bits >= 0 && bits <= max))) {
        throw new Error(`"${entry}" is not an IP address or CIDR range (e.g. 10.0.0.5 or 10.0.0.0/24)`);
      }
      const type = family === 6 ? 'ipv6' : 'ipv4';
      if (bits === undefined) this.list.addAddress(address, type);
      else this.list.addSubnet(address, bits, type);
    }
  }

  /** Whether a client address may use the API. */
  allows(address: string): boolean {
    const family = isIP(address);
    return family !== 0 && this.list.check(address, family === 6 ? 'ipv6' : 'ipv4');
  }
}
