import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * AcmePay: a fictional payment provider on loopback whose API differs from payready's on purpose,
 * so a test can prove that a profile FILE (docs/providers.md walks through it) makes the
 * `transaction` scenarios speak an API no code of payready knows. Form-encoded requests, an
 * X-Acme-Key header, lower-case currencies, its own status words (HELD, SETTLED, VOIDED,
 * RETURNED, PARTLY_RETURNED, REJECTED), its own error shape ({ failure: { code, text } }),
 * declines as 402 with a `refusal`, an Acme-Request-Id idempotency header answered 409
 * REQUEST_ID_REUSED on reuse with another body, caps with their own codes, and webhooks registered
 * at /api/hooks and signed in an Acme-Signature `t=...,v1=...` header.
 */

/** A way AcmePay can be broken, each of which one scenario must catch. */
export type AcmeBreak = 'ignores-request-id' | 'wrong-decline-code' | 'bad-webhook-signature' | 'cap-crash';

/** A running AcmePay. */
export interface AcmePay {
  /** Base URL (http://127.0.0.1:port). */
  url: string;
  /** The API key it accepts in X-Acme-Key. */
  apiKey: string;
  /** The merchant id every charge must name. */
  merchant: string;
  /** Stops it, dropping held answers and open connections. */
  close(): Promise<void>;
}

/** Caps in minor units: per charge and per day for cards; bank debits (the alternate route) only per charge. */
const CAPS = { card: { single: 500_000, day: 1_000_000 }, bank: { single: 5_000_000, day: Infinity } } as const;
const MAX_MINOR = 99_999_999;
const CURRENCIES = new Set(['eur', 'usd', 'gbp', 'chf', 'sek', 'jpy', 'kwd']);
/** Test tokens that are refused, with their reason and the explanation a shopper reads. */
const REFUSALS: Record<string, { reason: string; explanation: string }> = {
  tok_refuse_funds: { reason: 'insufficient_funds', explanation: 'The card has insufficient funds for this charge.' },
  tok_refuse_stolen: { reason: 'stolen_card', explanation: 'The card was reported stolen; ask for another card.' },
};

interface Charge {
  ref: string;
  order: string;
  kind: 'card' | 'bank';
  state: 'HELD' | 'SETTLED' | 'VOIDED' | 'RETURNED' | 'PARTLY_RETURNED';
  total: number;
  currency: string;
  settled: number;
  returned: number;
}

type Answer = { status: number; body: unknown };

const failure = (status: number, code: string, text: string): Answer => ({ status, body: { failure: { code, text } } });
const id = (prefix: string): string => `${prefix}_${randomBytes(8).toString('hex')}`;
const json = (c: Charge): Record<string, unknown> => ({ ref: c.ref, order: c.order, state: c.state, total_minor: c.total, currency: c.currency, settled_minor: c.settled, returned_minor: c.returned });
/** A whole number of minor units from a form field, or undefined. */
const minor = (text: string | undefined): number | undefined => (text !== undefined && /^\d+$/.test(text) ? Number(text) : undefined);

/** Starts AcmePay on 127.0.0.1, broken in the given ways. */
export async function startAcmePay(breaks: readonly AcmeBreak[] = []): Promise<AcmePay> {
  const apiKey = `acme_test_${randomBytes(12).toString('hex')}`;
  const merchant = 'acme-test-shop';
  const charges = new Map<string, Charge>();
  const hooks = new Map<string, { target: string; key: string; topics: string[] }>();
  const requests = new Map<string, { fingerprint: string; answer: Answer }>();
  const dayTotals = new Map<string, number>();
  const held = new Set<NodeJS.Timeout>();

  const deliver = (topic: string, charge: Charge): void => {
    for (const hook of hooks.values()) {
      if (!hook.topics.includes(topic)) continue;
      const body = JSON.stringify({ event_id: id('ev'), topic, charge: json(charge) });
      const t = Math.floor(Date.now() / 1000);
      const key = breaks.includes('bad-webhook-signature') ? `${hook.key}-not` : hook.key;
      const v1 = createHmac('sha256', key).update(`${t}.${body}`).digest('hex');
      // Fire and forget, as a provider delivers: the receiver's answer changes nothing here.
      void fetch(hook.target, { method: 'POST', headers: { 'content-type': 'application/json', 'acme-signature': `t=${t},v1=${v1}` }, body }).catch(() => undefined);
    }
  };

  const createCharge = (form: URLSearchParams): Answer => {
    if (form.get('merchant') !== merchant) return failure(400, 'MERCHANT_UNKNOWN', `merchant must be ${merchant}.`);
    const total = minor(form.get('total_minor') ?? undefined);
    if (total === undefined || total < 1 || total > MAX_MINOR) return failure(400, 'AMOUNT_INVALID', `total_minor must be a whole number of minor units from 1 to ${MAX_MINOR}.`);
    const currency = form.get('currency') ?? '';
    if (!CURRENCIES.has(currency)) return failure(400, 'CURRENCY_UNSUPPORTED', `currency "${currency}" is not one AcmePay takes (lower-case ISO 4217).`);
    const kind = form.get('instrument[kind]');
    const token = form.get('instrument[token]') ?? '';
    if (kind !== 'card' && kind !== 'bank') return failure(400, 'INSTRUMENT_INVALID', 'instrument[kind] must be card or bank.');
    const caps = CAPS[kind];
    if (total > caps.single) return breaks.includes('cap-crash') ? { status: 500, body: { oops: 'cap check crashed' } } : failure(422, 'CAP_SINGLE', `A ${kind} charge may be at most ${caps.single} minor units.`);
    const day = `${kind}:${new Date().toISOString().slice(0, 10)}`;
    if ((dayTotals.get(day) ?? 0) + total > caps.day) return failure(422, 'CAP_DAY', `This charge would take today's ${kind} charges past ${caps.day} minor units.`);
    const refusal = REFUSALS[token];
    if (refusal) {
      const reason = breaks.includes('wrong-decline-code') ? 'do_not_honour' : refusal.reason;
      return { status: 402, body: { failure: { code: 'CHARGE_REJECTED', text: 'The charge was rejected.' }, refusal: { reason, explanation: refusal.explanation }, charge_ref: id('ch') } };
    }
    dayTotals.set(day, (dayTotals.get(day) ?? 0) + total);
    const charge: Charge = { ref: id('ch'), order: form.get('order') ?? '', kind, state: 'HELD', total, currency, settled: 0, returned: 0 };
    charges.set(charge.ref, charge);
    return { status: 201, body: json(charge) };
  };

  const route = (method: string, url: URL, form: URLSearchParams): Answer => {
    const path = url.pathname;
    if (method === 'POST' && path === '/api/charges') return createCharge(form);
    if (method === 'GET' && path === '/api/charges') return { status: 200, body: { charges: [...charges.values()].filter((c) => c.order === url.searchParams.get('order')).map(json) } };
    if (method === 'POST' && path === '/api/hooks') {
      const target = form.get('target');
      if (!target) return failure(400, 'TARGET_MISSING', 'target is required.');
      const topics = [...form.entries()].filter(([k]) => /^topics\[\d+\]$/.test(k)).map(([, v]) => v);
      const hook = { target, key: `whsk_${randomBytes(16).toString('hex')}`, topics };
      const ref = id('hk');
      hooks.set(ref, hook);
      return { status: 201, body: { hook_ref: ref, signing_key: hook.key } };
    }
    const hook = /^\/api\/hooks\/([\w-]+)$/.exec(path);
    if (method === 'DELETE' && hook) return hooks.delete(hook[1]!) ? { status: 200, body: { hook_ref: hook[1], removed: true } } : failure(404, 'NOT_FOUND', 'No such hook.');
    const match = /^\/api\/charges\/([\w-]+)(?:\/(settle|void|returns))?$/.exec(path);
    const charge = match ? charges.get(match[1]!) : undefined;
    if (!match || !charge) return failure(404, 'NOT_FOUND', `Nothing at ${method} ${path}.`);
    const action = match[2];
    if (method === 'GET' && !action) return { status: 200, body: json(charge) };
    if (method !== 'POST' || !action) return failure(405, 'METHOD_NOT_ALLOWED', `${method} is not allowed on ${path}.`);
    if (action === 'settle' || action === 'void') {
      if (charge.state !== 'HELD') return failure(409, 'STATE_CONFLICT', `Charge ${charge.ref} is ${charge.state}, not HELD.`);
      if (action === 'void') {
        charge.state = 'VOIDED';
        return { status: 200, body: json(charge) };
      }
      const amount = form.has('settle_minor') ? minor(form.get('settle_minor') ?? undefined) : charge.total;
      if (amount === undefined || amount < 1 || amount > charge.total) return failure(400, 'AMOUNT_INVALID', `settle_minor must be from 1 to ${charge.total}.`);
      Object.assign(charge, { state: 'SETTLED', settled: amount });
      deliver('charge.settled', charge);
      return { status: 200, body: json(charge) };
    }
    if (charge.state !== 'SETTLED' && charge.state !== 'PARTLY_RETURNED') return failure(409, 'STATE_CONFLICT', `Charge ${charge.ref} is ${charge.state}: only settled charges are returned.`);
    const amount = minor(form.get('return_minor') ?? undefined);
    if (amount === undefined || amount < 1) return failure(400, 'AMOUNT_INVALID', 'return_minor must be a whole number of minor units.');
    if (charge.returned + amount > charge.settled) return failure(422, 'RETURN_EXCEEDS', `Only ${charge.settled - charge.returned} minor units of ${charge.ref} are left to return.`);
    charge.returned += amount;
    charge.state = charge.returned === charge.settled ? 'RETURNED' : 'PARTLY_RETURNED';
    return { status: 201, body: { return_ref: id('rt'), charge_ref: charge.ref, return_minor: amount, currency: charge.currency, state: 'ACCEPTED' } };
  };

  const handle = (req: IncomingMessage, res: ServerResponse, text: string): void => {
    const send = (answer: Answer, extra: Record<string, string> = {}): void => {
      const hold = Number(req.headers['acme-hold-ms'] ?? 0);
      const write = (): void => {
        if (!res.destroyed) res.writeHead(answer.status, { 'content-type': 'application/json', ...extra }).end(JSON.stringify(answer.body));
      };
      if (!(hold > 0)) return write();
      // A slow answer to a request already done: what makes a client time out and retry.
      const timer = setTimeout(() => {
        held.delete(timer);
        write();
      }, hold);
      held.add(timer);
    };
    if (req.headers['x-acme-key'] !== apiKey) return send(failure(401, 'KEY_REJECTED', 'The X-Acme-Key header is missing or not a key of this account.'));
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://acmepay.invalid');
    const form = new URLSearchParams(text);
    const requestId = req.headers['acme-request-id'];
    if (method !== 'POST' || typeof requestId !== 'string' || breaks.includes('ignores-request-id')) return send(route(method, url, form));
    const fingerprint = `${method} ${url.pathname} ${text}`;
    const earlier = requests.get(requestId);
    if (earlier && earlier.fingerprint !== fingerprint) return send(failure(409, 'REQUEST_ID_REUSED', `Acme-Request-Id ${requestId} was used for another request.`));
    if (earlier) return send(earlier.answer, { 'acme-replayed': 'true' });
    const answer = route(method, url, form);
    if (answer.status < 500) requests.set(requestId, { fingerprint, answer });
    return send(answer);
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    apiKey,
    merchant,
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of held) clearTimeout(timer);
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
