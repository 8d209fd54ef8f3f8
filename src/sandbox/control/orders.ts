import type { IncomingMessage } from 'node:http';
import type { Reply } from '../respond.js';
import { DEFAULT_DECLINE_CODE, ERROR_STATUSES, type Behaviour, type ErrorStatus, type RequestRecord } from '../../providers/control-api.js';

/**
 * Per-order plans and request records (the control API, docs/sandbox.md "Control API"): the
 * runner tells the sandbox how to misbehave for ONE order, then reads back what reached the
 * provider for that order. Global faults (faults.ts) stay a separate concern: a plan only touches
 * provider API requests the dialect tagged with its order.
 */

export type { Behaviour, ErrorStatus, Operation, Outcome, RequestRecord } from '../../providers/control-api.js';

/** A reply's JSON body as an object, for its request's record; `{}` when it is not one. */
export function replyObject(reply: Reply): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(typeof reply.body === 'string' ? reply.body : (reply.body?.toString('utf8') ?? ''));
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // not JSON: nothing to learn
  }
  return {};
}

/** What a plan decides about a tagged request before the dialect handles it. */
export type Admission = { kind: 'proceed' } | { kind: 'refuse'; status: ErrorStatus; retryAfter?: number };

/** A behaviour the control API could not accept; its message is a sentence for the caller. */
export class BehaviourError extends Error {
  override readonly name = 'BehaviourError';
}

interface Plan {
  behaviour: Behaviour;
  /** Requests of the order that `times` has counted. */
  used: number;
  /** Until when (epoch ms) an earlier refusal's Retry-After runs. */
  retryUntil?: number;
  /** The invalid-token refusal has been given. */
  spent?: boolean;
}

/** Query parameters whose presence means a credential travelled in the URL. */
const CREDENTIAL_PARAMS = /^(?:key|api[-_]?key|apikey|token|access[-_]?token|secret|client[-_]?secret|password|passwd|pwd)$/i;
/**
 * Most records kept; the oldest go first, so a long load test neither grows memory (a 100,000-request
 * run kept 100,000 records, 60 MB more peak RSS) nor pays for shifting a long array per request.
 * An order's records are read right after its payment, long before 10,000 requests more.
 */
const CAPACITY = 10_000;

function isInteger(value: unknown, min: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min;
}

/** Checks a behaviour from the control API's JSON; throws BehaviourError with what is wrong. */
export function parseBehaviour(raw: unknown): Behaviour {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new BehaviourError('The body must be { "behaviour": { "kind": ... } }.');
  const b = raw as Record<string, unknown>;
  const times = (): { times?: number } => {
    if (b['times'] === undefined) return {};
    if (!isInteger(b['times'], 1)) throw new BehaviourError('"times" must be an integer of at least 1.');
    return { times: b['times'] };
  };
  switch (b['kind']) {
    case 'normal':
    case '3ds':
    case 'invalid-token':
      return { kind: b['kind'] };
    case 'decline':
      if (b['code'] !== undefined && (typeof b['code'] !== 'string' || !/^[a-z_]{1,64}$/.test(b['code']))) throw new BehaviourError('"code" must be a decline code such as do_not_honor (lowercase letters and underscores).');
      return { kind: 'decline', ...(typeof b['code'] === 'string' ? { code: b['code'] } : {}) };
    case 'timeout':
      if (!isInteger(b['delayMs'], 1) || b['delayMs'] > 600_000) throw new BehaviourError('"delayMs" must be an integer from 1 to 600000.');
      return { kind: 'timeout', delayMs: b['delayMs'], ...times() };
    case 'error': {
      if (!ERROR_STATUSES.includes(b['status'] as number)) throw new BehaviourError(`"status" must be one of ${ERROR_STATUSES.join(', ')}.`);
      if (b['retryAfter'] !== undefined && (!isInteger(b['retryAfter'], 0) || b['retryAfter'] > 3600)) throw new BehaviourError('"retryAfter" must be a whole number of seconds from 0 to 3600.');
      return { kind: 'error', status: b['status'] as ErrorStatus, ...times(), ...(b['retryAfter'] === undefined ? {} : { retryAfter: b['retryAfter'] as number }) };
    }
    case 'cap':
      if (!isInteger(b['max'], 1)) throw new BehaviourError('"max" must be a positive integer (minor units).');
      return { kind: 'cap', max: b['max'] };
    default:
      throw new BehaviourError('"kind" must be one of normal, decline, timeout, error, cap, 3ds, invalid-token.');
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const raw = req.headers[name];
  return Array.isArray(raw) ? raw[0] : raw;
}

/** How the request authenticated, from its headers. */
function authOf(req: IncomingMessage): RequestRecord['auth'] {
  const authorization = header(req, 'authorization') ?? '';
  if (/^Bearer\s/i.test(authorization)) return 'bearer';
  if (/^Basic\s/i.test(authorization)) return 'basic';
  if (header(req, 'x-api-key') !== undefined) return 'api-key';
  return 'none';
}

/** The `jti` of a JWT bearer token, read without verifying (the dialect verifies). */
function tokenIdOf(req: IncomingMessage): string | undefined {
  const token = /^Bearer\s+(\S+)$/i.exec(header(req, 'authorization') ?? '')?.[1];
  const payload = token?.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { jti?: unknown };
    return typeof claims.jti === 'string' ? claims.jti : undefined;
  } catch {
    return undefined;
  }
}

function credentialInUrl(target: string): boolean {
  // Absolute-form targets can carry userinfo (`https://user:pass@host/...`).
  if (/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*@/i.test(target)) return true;
  const query = target.indexOf('?');
  if (query === -1) return false;
  for (const name of new URLSearchParams(target.slice(query + 1)).keys()) if (CREDENTIAL_PARAMS.test(name)) return true;
  return false;
}

/** The per-order plans of one sandbox and the records of every provider API request. */
export class OrderPlans {
  private readonly plans = new Map<string, Plan>();
  private records: RequestRecord[] = [];
  private readonly byRequest = new WeakMap<IncomingMessage, RequestRecord>();
  /** Which order a payment belongs to (later requests on it inherit the order). */
  private readonly payments = new Map<string, string>();
  /** Access tokens the OAuth token endpoint issued (client_credentials grants). */
  tokensIssued = 0;

  /** Replaces the plan of `orderRef`. */
  set(orderRef: string, behaviour: Behaviour): void {
    this.plans.set(orderRef, { behaviour, used: 0 });
  }

  /** Forgets the plan of `orderRef` (its records stay). */
  clear(orderRef: string): void {
    this.plans.delete(orderRef);
  }

  /** The behaviour planned for `orderRef`, if any. */
  behaviour(orderRef: string | undefined): Behaviour | undefined {
    return orderRef === undefined ? undefined : this.plans.get(orderRef)?.behaviour;
  }

  /** Starts the record of an API request (call when it arrives). */
  begin(req: IncomingMessage): void {
    const target = req.url ?? '/';
    const query = target.indexOf('?');
    let path = query === -1 ? target : target.slice(0, query);
    if (!path.startsWith('/')) {
      try {
        path = new URL(path).pathname;
      } catch {
        // keep the target as it came
      }
    }
    const tokenId = tokenIdOf(req);
    const record: RequestRecord = {
      time: new Date().toISOString(),
      method: req.method ?? 'GET',
      path,
      status: 0,
      operation: 'other',
      rawCard: false,
      credentialInUrl: credentialInUrl(target),
      auth: authOf(req),
      ...(tokenId ? { tokenId } : {}),
    };
    this.byRequest.set(req, record);
    this.records.push(record);
    // Trimmed in one slice once there are twice as many: amortised O(1) per request.
    if (this.records.length > 2 * CAPACITY) this.records = this.records.slice(-CAPACITY);
  }

  /** Adds what the dialect learnt about a request to its record. */
  note(req: IncomingMessage, fields: Partial<Omit<RequestRecord, 'time' | 'method' | 'path' | 'orderRef'>>): void {
    const record = this.byRequest.get(req);
    if (!record) return;
    for (const [key, value] of Object.entries(fields)) {
      if (value !== undefined) (record as unknown as Record<string, unknown>)[key] = value;
    }
  }

  /** The status the request was answered with (set before a held answer is sent). */
  answered(req: IncomingMessage, status: number): void {
    const record = this.byRequest.get(req);
    if (record && record.status === 0) record.status = status;
  }

  /** The order a request was tagged with, if any. */
  orderOf(req: IncomingMessage): string | undefined {
    return this.byRequest.get(req)?.orderRef;
  }

  /** The order a payment was created for, if any. */
  orderOfPayment(paymentId: string | undefined): string | undefined {
    return paymentId === undefined ? undefined : this.payments.get(paymentId);
  }

  /** Remembers that `paymentId` belongs to `orderRef` (requests on it later inherit the order). */
  link(paymentId: string, orderRef: string): void {
    this.payments.set(paymentId, orderRef);
    if (this.payments.size > CAPACITY) {
      const oldest = this.payments.keys().next();
      if (!oldest.done) this.payments.delete(oldest.value);
    }
  }

  /** Tags a request with its order without applying the plan (pages the shopper visits, such as the 3-D Secure challenge). */
  attach(req: IncomingMessage, orderRef: string): void {
    const record = this.byRequest.get(req);
    if (record) record.orderRef = orderRef;
  }

  /**
   * Tags a request with its order and applies the plan's transport-level behaviours: the
   * `error` refusal (not processed), the `timeout` hold of a write (processed, answer held), and
   * `early` marking of a request inside an earlier refusal's Retry-After.
   */
  tag(req: IncomingMessage, orderRef: string, write: boolean): Admission {
    const record = this.byRequest.get(req);
    if (record) record.orderRef = orderRef;
    const plan = this.plans.get(orderRef);
    if (!plan) return { kind: 'proceed' };
    const now = Date.now();
    if (plan.retryUntil !== undefined && now < plan.retryUntil && record) record.early = true;
    const { behaviour } = plan;
    if (behaviour.kind === 'error' && plan.used < (behaviour.times ?? 1)) {
      plan.used += 1;
      if (behaviour.retryAfter !== undefined) plan.retryUntil = now + behaviour.retryAfter * 1000;
      return { kind: 'refuse', status: behaviour.status, ...(behaviour.retryAfter === undefined ? {} : { retryAfter: behaviour.retryAfter }) };
    }
    if (behaviour.kind === 'timeout' && write && plan.used < (behaviour.times ?? 1)) {
      plan.used += 1;
      if (record) record.delayedMs = behaviour.delayMs;
    }
    return { kind: 'proceed' };
  }

  /** Milliseconds to hold this request's answer (the `timeout` behaviour); 0 for none. */
  delayFor(req: IncomingMessage): number {
    return this.byRequest.get(req)?.delayedMs ?? 0;
  }

  /** The decline code every payment attempt of the order gets, if it is planned to decline. */
  declineFor(orderRef: string | undefined): string | undefined {
    const behaviour = this.behaviour(orderRef);
    return behaviour?.kind === 'decline' ? (behaviour.code ?? DEFAULT_DECLINE_CODE) : undefined;
  }

  /** The order's own per-transaction cap (minor units), if planned. */
  capFor(orderRef: string | undefined): number | undefined {
    const behaviour = this.behaviour(orderRef);
    return behaviour?.kind === 'cap' ? behaviour.max : undefined;
  }

  /** Whether confirming a payment of the order asks for 3-D Secure. */
  threeDsFor(orderRef: string | undefined): boolean {
    return this.behaviour(orderRef)?.kind === '3ds';
  }

  /**
   * The invalid-token behaviour: true for the order's first request, which the dialect answers
   * 401 and whose token it revokes from then on.
   */
  invalidateToken(orderRef: string): boolean {
    const plan = this.plans.get(orderRef);
    if (plan?.behaviour.kind !== 'invalid-token' || plan.spent) return false;
    plan.spent = true;
    return true;
  }

  /** Records of one order (arrival order), or of every request when `orderRef` is undefined. */
  requests(orderRef?: string): RequestRecord[] {
    const chosen = orderRef === undefined ? this.records : this.records.filter((r) => r.orderRef === orderRef);
    return chosen.map((r) => ({ ...r }));
  }
}
