import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createHmac } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { verifySignature } from '../../src/net/webhook-signature.js';
import { paymentBody, useSandbox } from '../support/sandbox.js';

interface Delivery {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A loopback receiver that keeps every delivery and answers with `status`. */
class Receiver {
  readonly deliveries: Delivery[] = [];
  status = 200;
  private readonly server: Server;
  private waiters: (() => void)[] = [];

  constructor() {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        this.deliveries.push({ path: req.url ?? '/', headers: req.headers, body });
        res.writeHead(this.status).end();
        for (const wake of this.waiters.splice(0)) wake();
      });
    });
  }

  /** Starts listening; returns the base URL (each test registers its own path under it). */
  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
  }

  /** Deliveries to `path` matching `test`. */
  matching(path: string, test: (event: Record<string, unknown>) => boolean): Delivery[] {
    return this.deliveries.filter((d) => d.path === path && test(JSON.parse(d.body) as Record<string, unknown>));
  }

  /** Resolves once `count` deliveries to `path` match `test`. */
  async waitFor(path: string, test: (event: Record<string, unknown>) => boolean, count = 1): Promise<Delivery> {
    for (;;) {
      const found = this.matching(path, test)[count - 1];
      if (found) return found;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

function eventFor(paymentId: string, type: string) {
  return (event: Record<string, unknown>): boolean => event['type'] === type && (event['data'] as { payment: { id: string } }).payment.id === paymentId;
}

describe('webhooks', async () => {
  const { client } = await useSandbox();
  const token = await client.token();
  const receiver = new Receiver();
  const url = await receiver.listen();

  afterAll(() => receiver.close());

  it('registers a loopback receiver and returns its signing secret once', async () => {
    const response = await client.send('/v1/webhook-endpoints', { json: { url: `${url}/register` }, token });
    expect(response.status).toBe(201);
    expect(response.json()).toMatchObject({ id: expect.stringMatching(/^we_/), url: `${url}/register`, events: ['*'], secret: expect.stringMatching(/^whsec_/) });
    await client.send(`/v1/webhook-endpoints/${String(response.json()['id'])}`, { method: 'DELETE', token });
  });

  it('refuses a receiver outside loopback and unknown event types', async () => {
    const response = await client.send('/v1/webhook-endpoints', { json: { url: 'https://example.com/hooks', events: ['payment.exploded'] }, token });
    expect(response.status).toBe(422);
    expect((response.json()['errors'] as { pointer: string }[]).map((e) => e.pointer)).toEqual(['/url', '/events']);
  });

  it('delivers payment events signed with HMAC-SHA256 over "<t>.<body>"', async () => {
    const registered = await client.send('/v1/webhook-endpoints', { json: { url: `${url}/signed`, events: ['payment.captured'] }, token });
    const secret = String(registered.json()['secret']);
    const created = await client.send('/v1/payments', { json: paymentBody(), token });
    const id = String(created.json()['id']);
    await client.send(`/v1/payments/${id}/capture`, { method: 'POST', token });
    const delivery = await receiver.waitFor('/signed', eventFor(id, 'payment.captured'));
    const header = String(delivery.headers['payready-signature']);
    const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header) ?? [];
    // Independent of the shared helper: the scheme is what docs/sandbox.md documents.
    expect(createHmac('sha256', secret).update(`${t}.${delivery.body}`).digest('hex')).toBe(v1);
    expect(Math.abs(Number(t) - Date.now() / 1000)).toBeLessThan(60);
    expect(verifySignature(header, delivery.body, secret)).toEqual({ ok: true, timestamp: Number(t) });
    expect(JSON.parse(delivery.body)).toMatchObject({ id: expect.stringMatching(/^evt_/), type: 'payment.captured', data: { payment: { id, status: 'captured' } } });
    expect(delivery.body).not.toContain('4111111111111111');
    await client.send(`/v1/webhook-endpoints/${String(registered.json()['id'])}`, { method: 'DELETE', token });
  });

  it('retries a delivery the receiver refused', async () => {
    const registered = await client.send('/v1/webhook-endpoints', { json: { url: `${url}/retried`, events: ['payment.cancelled'] }, token });
    receiver.status = 500;
    const id = String((await client.send('/v1/payments', { json: paymentBody(), token })).json()['id']);
    await client.send(`/v1/payments/${id}/cancel`, { method: 'POST', token });
    await receiver.waitFor('/retried', eventFor(id, 'payment.cancelled'));
    receiver.status = 200;
    await receiver.waitFor('/retried', eventFor(id, 'payment.cancelled'), 2);
    const attempts = receiver.matching('/retried', eventFor(id, 'payment.cancelled'));
    expect(attempts.length).toBe(2);
    expect(JSON.parse(attempts[0]!.body).id).toBe(JSON.parse(attempts[1]!.body).id);
    await client.send(`/v1/webhook-endpoints/${String(registered.json()['id'])}`, { method: 'DELETE', token });
  });

  it('removing an endpoint twice answers 404', async () => {
    const registered = await client.send('/v1/webhook-endpoints', { json: { url: `${url}/removed` }, token });
    const path = `/v1/webhook-endpoints/${String(registered.json()['id'])}`;
    expect((await client.send(path, { method: 'DELETE', token })).status).toBe(204);
    expect((await client.send(path, { method: 'DELETE', token })).status).toBe(404);
  });
});

describe('fault webhook-bad-signature', () => {
  it('signs deliveries with a key the receiver does not have', async () => {
    const { client } = await useSandbox(['webhook-bad-signature']);
    const receiver = new Receiver();
    try {
      const token = await client.token();
      const registered = await client.send('/v1/webhook-endpoints', { json: { url: `${await receiver.listen()}/bad` }, token });
      const id = String((await client.send('/v1/payments', { json: paymentBody(), token })).json()['id']);
      const delivery = await receiver.waitFor('/bad', eventFor(id, 'payment.authorised'));
      const check = verifySignature(String(delivery.headers['payready-signature']), delivery.body, String(registered.json()['secret']));
      expect(check).toMatchObject({ ok: false, problem: 'mismatch' });
    } finally {
      await receiver.close();
    }
  });
});
