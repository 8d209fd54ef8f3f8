import { Agent, request } from 'undici';
import type { Sandbox } from '../../../src/sandbox/index.js';
import type { RequestRecord } from '../../../src/sandbox/control/orders.js';
import { afterFile } from '../../support/after-file.js';

/** A control API call's answer. */
export interface ControlAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
}

/** Calls the sandbox's control API (plain HTTP, JSON); `token` defaults to the sandbox's own. */
export async function control(sandbox: Sandbox, method: string, path: string, body?: unknown, token: string | null = sandbox.controlToken): Promise<ControlAnswer> {
  const headers: Record<string, string> = {};
  if (token !== null) headers['authorization'] = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${sandbox.controlUrl}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: response.status, headers: Object.fromEntries(response.headers), body: (await response.json()) as Record<string, unknown> };
}

/** Plans `behaviour` for `orderRef` (fails the test unless the control API accepts it). */
export async function plan(sandbox: Sandbox, orderRef: string, behaviour: Record<string, unknown>): Promise<void> {
  const answer = await control(sandbox, 'PUT', `/orders/${encodeURIComponent(orderRef)}`, { behaviour });
  if (answer.status !== 200) throw new Error(`plan refused: ${answer.status} ${JSON.stringify(answer.body)}`);
}

/** The records of one order. */
export async function recordsOf(sandbox: Sandbox, orderRef: string): Promise<RequestRecord[]> {
  const answer = await control(sandbox, 'GET', `/orders/${encodeURIComponent(orderRef)}/requests`);
  return answer.body['requests'] as RequestRecord[];
}

const agents: Agent[] = [];
afterFile(async () => {
  await Promise.all(agents.splice(0).map((agent) => agent.close()));
});

/** An HTTPS request to the sandbox's API trusting its CA (no redirects followed). */
export async function https(sandbox: Sandbox, method: string, path: string, form?: Record<string, string>): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  const dispatcher = new Agent({ connect: { ca: sandbox.caPem } });
  agents.push(dispatcher);
  const response = await request(`${sandbox.baseUrl}${path}`, {
    method: method as 'GET' | 'POST',
    dispatcher,
    ...(form ? { body: new URLSearchParams(form).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } } : {}),
  });
  return { status: response.statusCode, headers: response.headers, text: await response.body.text() };
}

/** A unique order id for a test. */
export function orderId(name: string): string {
  return `${name}-${Math.random().toString(36).slice(2, 10)}`;
}
