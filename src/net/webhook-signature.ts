import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The webhook signature scheme of the sandbox provider (the same shape Stripe and others use):
 *
 *     Payready-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" with the endpoint secret>
 *
 * Signing the timestamp with the body lets a receiver refuse old deliveries (replays) and any
 * change to the body (tampering). Shared by the sandbox (signs) and the `transaction` check's
 * receiver (verifies).
 */
export const SIGNATURE_HEADER = 'payready-signature';

/** Default tolerance between the signed timestamp and the receiver's clock, in seconds. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** Hex HMAC-SHA256 of `<timestamp>.<body>`. */
export function signPayload(secret: string, timestamp: number, body: string | Buffer): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
}

/** The header value for a delivery signed now (or at `timestamp`). */
export function signatureHeader(secret: string, body: string | Buffer, timestamp = Math.floor(Date.now() / 1000)): string {
  return `t=${timestamp},v1=${signPayload(secret, timestamp, body)}`;
}

/** Why a delivery was refused. */
export type SignatureProblem = 'missing' | 'malformed' | 'mismatch' | 'stale';

/** Outcome of verifying one delivery. */
export type SignatureCheck = { ok: true; timestamp: number } | { ok: false; problem: SignatureProblem; detail: string; timestamp?: number };

/** Verifies a delivery's signature header against its raw body, in constant time. */
export function verifySignature(header: string | undefined, body: string | Buffer, secret: string, options: { toleranceSeconds?: number; now?: number } = {}): SignatureCheck {
  if (!header) return { ok: false, problem: 'missing', detail: `no ${SIGNATURE_HEADER} header` };
  const parts = new Map<string, string[]>();
  for (const item of header.split(',')) {
    const [name = '', value = ''] = item.trim().split(/=(.*)/s, 2);
    parts.set(name, [...(parts.get(name) ?? []), value]);
  }
  const timestamp = Number(parts.get('t')?.[0]);
  const signatures = parts.get('v1') ?? [];
  if (!Number.isSafeInteger(timestamp) || signatures.length === 0) {
    return { ok: false, problem: 'malformed', detail: `${SIGNATURE_HEADER} is not "t=<unix seconds>,v1=<hex>"` };
  }
  const expected = Buffer.from(signPayload(secret, timestamp, body), 'hex');
  const matches = signatures.some((candidate) => {
    const given = Buffer.from(candidate, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  if (!matches) return { ok: false, problem: 'mismatch', detail: 'the HMAC-SHA256 of "<t>.<body>" with the endpoint secret does not match v1', timestamp };
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const now = options.now ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > tolerance) {
    return { ok: false, problem: 'stale', detail: `signed ${Math.abs(now - timestamp)} s ${timestamp < now ? 'ago' : 'ahead'}, outside the ${tolerance} s tolerance`, timestamp };
  }
  return { ok: true, timestamp };
}

/** The fields of an Adyen notification item its HMAC covers. */
export interface AdyenNotificationItem {
  pspReference?: string;
  originalReference?: string;
  merchantAccountCode?: string;
  merchantReference?: string;
  amount?: { value?: number | string; currency?: string };
  eventCode?: string;
  success?: string;
}

/**
 * Adyen's notification HMAC: "HMAC-SHA256 ... over pspReference, originalReference,
 * merchantAccountCode, merchantReference, value, currency, eventCode, success, joined with colons
 * (an empty string for a field that is absent), with the hex-decoded key, Base64-encoded"
 * (docs.adyen.com/development-resources/webhooks/verify-hmac-signatures) — what the official
 * @adyen/api-library HmacValidator computes. Shared by the sandbox's Adyen dialect (signs) and the
 * `transaction` check's receiver (verifies).
 */
export function adyenSignature(item: AdyenNotificationItem, hexKey: string): string {
  const fields = [item.pspReference, item.originalReference, item.merchantAccountCode, item.merchantReference, item.amount?.value, item.amount?.currency, item.eventCode, item.success];
  const payload = fields.map((field) => (field === undefined || field === null ? '' : String(field))).join(':');
  return createHmac('sha256', Buffer.from(hexKey, 'hex')).update(payload, 'utf8').digest('base64');
}

/** Verifies one Adyen notification item's `additionalData.hmacSignature`, in constant time. */
export function verifyAdyenItem(item: AdyenNotificationItem & { additionalData?: { hmacSignature?: unknown } }, hexKey: string): SignatureCheck {
  const given = item.additionalData?.hmacSignature;
  if (typeof given !== 'string' || given === '') return { ok: false, problem: 'missing', detail: 'no additionalData.hmacSignature in the notification item' };
  const expected = Buffer.from(adyenSignature(item, hexKey), 'base64');
  const actual = Buffer.from(given, 'base64');
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return { ok: false, problem: 'mismatch', detail: 'the HMAC-SHA256 of the item\'s signed fields with the HMAC key does not match hmacSignature' };
  return { ok: true, timestamp: Math.floor(Date.now() / 1000) };
}
