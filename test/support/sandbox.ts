import type { ProviderName } from '../../src/providers/names.js';
import { Agent, request } from 'undici';
import { afterFile } from './after-file.js';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/index.js';

/**
 * Real sandboxes for a test file, and an HTTPS client for each. Everything started here is closed
 * after each test file (afterFile, from after-file.ts).
 *
 *   const { sandbox, client } = await useSandbox();            // the file's sandbox, no faults
 *   const { client } = await useSandbox(['no-auth']);           // the one with these faults
 *   const own = await freshSandbox({ latencyMs: 200 });         // a sandbox of its own (fresh state)
 */
const shared = new Map<string, Promise<Sandbox>>();
const started: Promise<Sandbox>[] = [];
const clients = new Map<Sandbox, SandboxClient>();

afterFile(async () => {
  await Promise.all([...clients.values()].map((c) => c.close()));
  clients.clear();
  shared.clear();
  const sandboxes = await Promise.allSettled(started.splice(0));
  await Promise.all(sandboxes.map((s) => (s.status === 'fulfilled' ? s.value.close() : undefined)));
});

/** A sandbox of its own, with fresh state, closed after the test file. */
export function freshSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const sandbox = startSandbox(options);
  started.push(sandbox);
  return sandbox;
}

/**
 * The sandbox with exactly these faults, started on first use and shared by every test of the
 * file that asks for the same faults (state such as payments and tokens carries over).
 */
export function sandboxWith(faults: string[] = [], provider: ProviderName = 'payready'): Promise<Sandbox> {
  const key = `${provider}:${[...new Set(faults)].sort().join(',')}`;
  let sandbox = shared.get(key);
  if (!sandbox) {
    sandbox = freshSandbox({ faults, provider });
    shared.set(key, sandbox);
  }
  return sandbox;
}

/** The client for `sandbox` (one per sandbox, closed after the test file). */
export function clientFor(sandbox: Sandbox): SandboxClient {
  let client = clients.get(sandbox);
  if (!client) {
    client = new SandboxClient(sandbox);
    clients.set(sandbox, client);
  }
  return client;
}

/** The shared sandbox with these faults (see sandboxWith) and its client. */
export async function useSandbox(faults: string[] = []): Promise<{ sandbox: Sandbox; client: SandboxClient }> {
  const sandbox = await sandboxWith(faults);
  return { sandbox, client: clientFor(sandbox) };
}

/** A response read to its end. */
export interface TestResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
  /** The body parsed as JSON (throws when it is not). */
  json(): Record<string, unknown>;
}

/** Request options the tests need. */
export interface TestRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'HEAD';
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Sent as JSON with `content-type: application/json`. */
  json?: unknown;
  /** Sent form-encoded. */
  form?: Record<string, string>;
  /** Bearer token for `Authorization`. */
  token?: string;
  /** Aborts the request (client-side timeouts). */
  signal?: AbortSignal;
}

function flatHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

/** An HTTPS client for one sandbox that trusts only its CA, with verification on. */
export class SandboxClient {
  readonly agent: Agent;

  constructor(readonly sandbox: Sandbox) {
    this.agent = new Agent({ connect: { ca: sandbox.caPem } });
  }

  async send(path: string, options: TestRequest = {}): Promise<TestResponse> {
    const headers: Record<string, string> = { ...options.headers };
    let body = options.body;
    if (options.json !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = JSON.stringify(options.json);
    }
    if (options.form !== undefined) {
      headers['content-type'] ??= 'application/x-www-form-urlencoded';
      body = new URLSearchParams(options.form).toString();
    }
    if (options.token !== undefined) headers['authorization'] = `Bearer ${options.token}`;
    const url = path.startsWith('http') ? path : this.sandbox.baseUrl + path;
    const response = await request(url, {
      method: options.method ?? (body === undefined ? 'GET' : 'POST'),
      headers,
      body,
      dispatcher: this.agent,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const text = await response.body.text();
    return {
      status: response.statusCode,
      headers: flatHeaders(response.headers),
      text,
      json: () => JSON.parse(text) as Record<string, unknown>,
    };
  }

  /** Client credentials for HTTP Basic, form-encoded first as RFC 6749 §2.3.1 asks. */
  basicAuth(id = this.sandbox.clientId, secret = this.sandbox.clientSecret): string {
    const encode = (value: string): string => encodeURIComponent(value).replaceAll('%20', '+');
    return `Basic ${Buffer.from(`${encode(id)}:${encode(secret)}`).toString('base64')}`;
  }

  /** A fresh access token (client_secret_basic), optionally narrowed to `scope`. */
  async token(scope?: string): Promise<string> {
    const form: Record<string, string> = { grant_type: 'client_credentials' };
    if (scope !== undefined) form['scope'] = scope;
    const response = await this.send('/oauth/token', { form, headers: { authorization: this.basicAuth() } });
    if (response.status !== 200) throw new Error(`token request failed: ${response.status} ${response.text}`);
    const token = response.json()['access_token'];
    if (typeof token !== 'string') throw new Error('token response has no access_token');
    return token;
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}

/** A valid payment body; `overrides` replace top-level members. */
export function paymentBody(cardNumber = '4111111111111111', overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    amount: { value: 1050, currency: 'EUR' },
    paymentMethod: {
      type: 'card',
      number: cardNumber,
      expiryMonth: 12,
      expiryYear: new Date().getUTCFullYear() + 3,
      cvc: '737',
    },
    reference: 'order-1001',
    ...overrides,
  };
}
