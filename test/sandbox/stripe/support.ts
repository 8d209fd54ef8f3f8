import { createServer, type IncomingMessage, type Server } from 'node:http';
import { Agent } from 'node:https';
import Stripe from 'stripe';
import { afterFile } from '../../support/after-file.js';
import type { Sandbox, SandboxOptions } from '../../../src/sandbox/index.js';
import { freshSandbox, sandboxWith } from '../../support/sandbox.js';

/**
 * The official stripe-node SDK pointed at a Stripe-dialect sandbox: its host, port and protocol,
 * an HTTPS agent that trusts only the sandbox's CA (verification stays on), no retries (so a
 * failure shows as the failure it is).
 */
export function stripeFor(sandbox: { host: string; port: number; caPem: string; apiKey: string | undefined }, apiKey = sandbox.apiKey ?? ''): Stripe {
  const agent = new Agent({ ca: sandbox.caPem, keepAlive: false });
  agents.push(agent);
  return new Stripe(apiKey, { host: sandbox.host, port: sandbox.port, protocol: 'https', httpAgent: agent, maxNetworkRetries: 0 });
}

const agents: Agent[] = [];
const receivers: Receiver[] = [];

// After every test file (test/support/after-file.ts: one worker runs many files and keeps this
// module loaded, so an afterAll here would hook the first file only).
afterFile(async () => {
  for (const agent of agents.splice(0)) agent.destroy();
  await Promise.all(receivers.splice(0).map((r) => r.close()));
  // freshSandbox closes the file's sandboxes: the next file starts its own.
  shared.clear();
});

/** A Stripe-dialect sandbox of its own (fresh state), closed after the test file. */
export function freshStripe(options: SandboxOptions = {}): Promise<Sandbox> {
  return freshSandbox({ provider: 'stripe', ...options });
}

/** The file's shared Stripe-dialect sandbox with these faults (started once per fault set). */
const shared = new Map<string, Promise<Sandbox>>();
export function stripeWith(faults: string[] = []): Promise<Sandbox> {
  const key = [...faults].sort().join(',');
  let sandbox = shared.get(key);
  if (!sandbox) {
    sandbox = freshStripe({ faults });
    shared.set(key, sandbox);
  }
  return sandbox;
}

// `sandboxWith` starts payready-dialect sandboxes; re-exported for tests that compare dialects.
export { sandboxWith };

/** One delivery a receiver got. */
export interface Delivery {
  headers: IncomingMessage['headers'];
  body: string;
}

/** A loopback webhook receiver keeping every delivery (answers 200). */
export class Receiver {
  readonly deliveries: Delivery[] = [];
  private readonly server: Server;
  private waiters: (() => void)[] = [];

  constructor() {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        this.deliveries.push({ headers: req.headers, body });
        res.writeHead(200).end();
        for (const wake of this.waiters.splice(0)) wake();
      });
    });
    receivers.push(this);
  }

  /** Starts listening; resolves with the receiver's URL. */
  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as { port: number }).port}/hooks`;
  }

  /** Waits until a delivery satisfies `test` (or fails after `ms`). */
  async waitFor(test: (delivery: Delivery) => boolean, ms = 5_000): Promise<Delivery> {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = this.deliveries.find(test);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching delivery in ${ms} ms; got ${this.deliveries.map((d) => (JSON.parse(d.body) as { type: string }).type).join(', ')}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Deliveries whose event has this type. */
  ofType(type: string): Delivery[] {
    return this.deliveries.filter((d) => (JSON.parse(d.body) as { type: string }).type === type);
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }
}

/** Resolves with the error a promise rejects with (fails when it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<Stripe.errors.StripeError> {
  try {
    await promise;
  } catch (error) {
    return error as Stripe.errors.StripeError;
  }
  throw new Error('expected the request to fail');
}

/** The error's `message` as the API sent it (stripe-node prefixes its own `message` with the request id). */
export function apiMessage(error: Stripe.errors.StripeError): string {
  return String((error.raw as { message?: unknown }).message);
}
