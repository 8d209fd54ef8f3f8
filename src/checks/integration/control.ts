import { request } from 'undici';
import type { Behaviour, RequestRecord, TlsMode } from '../../providers/control-api.js';

/**
 * A client of the sandbox's control API (docs/sandbox.md, "Control API"): per-order provider
 * behaviour, the TLS mode, and what reached the provider for an order. Plain HTTP on loopback,
 * bearer `controlToken`. Works against the embedded sandbox and a `payready sandbox` in a team's
 * docker-compose stack alike.
 */

/** One provider request of an order, as the sandbox recorded it. */
export type ProviderRequest = RequestRecord;

export type { Behaviour, TlsMode };

/** How long a cleanup call may take once the check itself has stopped. */
const CLEANUP_MS = 5000;

function cleanupSignal(): AbortSignal {
  return AbortSignal.timeout(CLEANUP_MS);
}

/** The control API answered something other than what was asked: the setup, not the merchant. */
export class ControlError extends Error {
  override readonly name = 'ControlError';
}

/** Talks to one sandbox's control API. */
export class SandboxControl {
  constructor(
    private readonly url: string,
    private readonly token: string,
    private readonly signal: AbortSignal,
  ) {}

  /** Plans `behaviour` for the provider requests of `orderRef`. */
  async plan(orderRef: string, behaviour: Behaviour): Promise<void> {
    await this.call('PUT', `/orders/${encodeURIComponent(orderRef)}`, { behaviour });
  }

  /**
   * Forgets the plan of `orderRef`. Cleanup: sent even when the check's signal has aborted (a
   * timed-out check must not leave its order's misbehaviour behind).
   */
  async clear(orderRef: string): Promise<void> {
    await this.call('DELETE', `/orders/${encodeURIComponent(orderRef)}`, undefined, cleanupSignal());
  }

  /** Provider requests of `orderRef`, in arrival order. */
  async requests(orderRef: string): Promise<ProviderRequest[]> {
    const body = (await this.call('GET', `/orders/${encodeURIComponent(orderRef)}/requests`)) as { requests?: ProviderRequest[] };
    return body.requests ?? [];
  }

  /** Access tokens the sandbox's token endpoint has issued since it started. */
  async tokensIssued(): Promise<number> {
    const body = (await this.call('GET', '/tokens')) as { issued?: number };
    return body.issued ?? 0;
  }

  /**
   * Sets the TLS mode of new connections to the provider API. `normal` is cleanup, sent even when
   * the check's signal has aborted: a timed-out check must not leave a bad certificate behind for
   * every later check.
   */
  async tls(mode: TlsMode): Promise<void> {
    await this.call('PUT', '/tls', { mode }, mode === 'normal' ? cleanupSignal() : this.signal);
  }

  private async call(method: 'GET' | 'PUT' | 'DELETE', path: string, body?: unknown, signal: AbortSignal = this.signal): Promise<unknown> {
    let res;
    try {
      res = await request(this.url + path, {
        method,
        headers: { authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal,
      });
    } catch (error) {
      throw new ControlError(`the sandbox control API at ${this.url} cannot be reached: ${error instanceof Error ? error.message : String(error)}`);
    }
    const text = await res.body.text();
    if (res.statusCode === 401) throw new ControlError(`the sandbox control API at ${this.url} refused the control token (401): give integration.sandbox.controlToken the sandbox's controlToken`);
    if (res.statusCode >= 300) throw new ControlError(`the sandbox control API answered ${method} ${path} with ${res.statusCode}: ${text.slice(0, 200)}`);
    try {
      return text === '' ? {} : (JSON.parse(text) as unknown);
    } catch {
      throw new ControlError(`the sandbox control API answered ${method} ${path} with something that is not JSON`);
    }
  }
}
