import { maskPans } from '../scan/pan.js';

/** Shortest value worth redacting; shorter strings would blank out ordinary words. */
const MIN_SECRET_LENGTH = 4;

export const REDACTED = '[REDACTED]';

/**
 * The one redactor of a run. Every secret value and captured token is registered here; every
 * reporter, log line, transcript and evidence file passes through `redact()`. Each secret is also
 * matched in its base64, base64url and URL-encoded forms, since that is how they leak in headers.
 * Card numbers (PANs, as `pan-scan` finds them) are masked to first six and last four digits here
 * too (PCI DSS), whether or not any secret is registered: a test card sent in a request body is
 * as much a card number in a transcript as a real one.
 */
export class Redactor {
  private readonly forms = new Set<string>();
  private pattern: RegExp | undefined;

  /** Registers a secret (and its encoded forms). */
  add(secret: string | undefined | null): void {
    if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) return;
    const before = this.forms.size;
    for (const form of encodedForms(secret)) if (form.length >= MIN_SECRET_LENGTH) this.forms.add(form);
    if (this.forms.size !== before) this.pattern = undefined;
  }

  /** Number of distinct forms being redacted. */
  get size(): number {
    return this.forms.size;
  }

  /** Replaces every registered secret form in `text`, then masks the card numbers left in it. */
  redact(text: string): string {
    if (text.length === 0) return text;
    // Secrets first: a secret that happens to look like a card number must go whole, not keep ten digits.
    return maskPans(this.redactSecrets(text));
  }

  private redactSecrets(text: string): string {
    if (this.forms.size === 0) return text;
    this.pattern ??= new RegExp(
      [...this.forms]
        .sort((a, b) => b.length - a.length)
        .map(escapeRegExp)
        .join('|'),
      'g',
    );
    return text.replace(this.pattern, REDACTED);
  }

  /** Redacts every string inside a JSON-like value (objects, arrays), returning a copy. */
  redactDeep<T>(value: T): T {
    return this.walk(value, 0) as T;
  }

  private walk(value: unknown, depth: number): unknown {
    if (typeof value === 'string') return this.redact(value);
    if (depth > 64 || value === null || typeof value !== 'object') return value;
    if (value instanceof Uint8Array) return value;
    if (Array.isArray(value)) return value.map((item) => this.walk(item, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[this.redact(key)] = this.walk(item, depth + 1);
    return out;
  }
}

function encodedForms(secret: string): string[] {
  const buffer = Buffer.from(secret, 'utf8');
  const base64 = buffer.toString('base64');
  return [
    secret,
    encodeURIComponent(secret),
    // application/x-www-form-urlencoded turns spaces into '+'
    encodeURIComponent(secret).replace(/%20/g, '+'),
    base64,
    base64.replace(/=+$/, ''),
    buffer.toString('base64url'),
  ];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
