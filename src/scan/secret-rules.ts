import { createHash } from 'node:crypto';

/**
 * What the `secrets` check looks for: credential formats of the major payment providers and
 * clouds, PEM private keys, and credential-named assignments of high-entropy literals. Each rule
 * finds the secret in one line; the check never keeps more than its mask and fingerprint.
 */

/** A credential format. */
export interface SecretRule {
  /** Stable id, `provider/kind`; shown in findings, SARIF and `allow` entries. */
  id: string;
  /** What the rule finds, in words. */
  title: string;
  /** `error`: a production credential; `warning`: a test-mode credential (still not for source files). */
  level: 'error' | 'warning';
  /** Matches the credential; capture group `secret` is the value to mask. */
  pattern: RegExp;
  /** Characters of the value shown in the mask: the public, format-naming prefix (`sk_live_`). */
  visiblePrefix: number;
  /** Only plausible literals count (generic assignments: entropy, not a placeholder or reference). */
  accept?: (value: string) => boolean;
}

/** A credential found on a line. */
export interface SecretMatch {
  /** The rule. */
  rule: SecretRule;
  /** The credential itself: masked before it goes anywhere. */
  value: string;
  /** 1-based column where the credential starts. */
  column: number;
}

// Identifier words that name a credential; the name must end with one (DB_PASSWORD, clientSecret).
const CREDENTIAL_NAME = String.raw`[A-Za-z0-9_.-]*?(?:client[_-]?secret|api[_-]?key|secret[_-]?key|access[_-]?token|auth[_-]?token|private[_-]?key|password|passwd|pwd)`;

/** Shortest literal worth calling a credential, and the entropy (bits per character) it needs. */
const MIN_LITERAL_LENGTH = 8;
const MIN_ENTROPY_BITS = 3;

const PLACEHOLDER = /^(?:x+|\*+|\.+|-+|_+|<[^>]*>|\[[^\]]*\]|\{[^}]*\})$|change.?me|example|placeholder|redacted|dummy|sample|your[_-]|my[_-]?(?:secret|password|key)|replace|todo|fixme|not[_-]?the|^(?:true|false|null|none|undefined|required|optional)$/i;
// A value that reads a credential from somewhere else is exactly what guideline 2.1 asks for.
const REFERENCE = /^(?:\$|%|&|@|process\.env|os\.environ|os\.getenv|getenv|env\(|ENV\[|System\.getenv|config\.|settings\.|secrets\.|vault:|arn:aws:secretsmanager|\{\{)|\$\{/;

/** Shannon entropy of a string in bits per character. */
export function entropy(text: string): number {
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/** A literal that looks like a real credential rather than a placeholder, a reference or a word. */
export function plausibleLiteral(value: string): boolean {
  return value.length >= MIN_LITERAL_LENGTH && !PLACEHOLDER.test(value) && !REFERENCE.test(value) && entropy(value) >= MIN_ENTROPY_BITS;
}

function rule(id: string, title: string, level: SecretRule['level'], pattern: RegExp, visiblePrefix: number, accept?: SecretRule['accept']): SecretRule {
  return { id, title, level, pattern, visiblePrefix, ...(accept ? { accept } : {}) };
}

/** Every rule, most specific first: the first rule to claim a span of a line wins it. */
export const SECRET_RULES: readonly SecretRule[] = [
  rule('private-key/pem', 'PEM private key', 'error', /-----BEGIN (?<secret>(?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?)-----/g, 64),
  rule('payment/live-secret-key', 'live secret API key (sk_live_/rk_live_: Stripe, Paystack and others)', 'error', /\b(?<secret>[sr]k_live_[0-9A-Za-z]{20,247})\b/g, 8),
  rule('payment/test-secret-key', 'test-mode secret API key (sk_test_/rk_test_)', 'warning', /\b(?<secret>[sr]k_test_[0-9A-Za-z]{20,247})\b/g, 8),
  rule('stripe/webhook-secret', 'Stripe webhook signing secret', 'error', /\b(?<secret>whsec_[0-9A-Za-z+/=]{24,})/g, 6),
  rule('braintree/production-access-token', 'Braintree production access token', 'error', /\b(?<secret>access_token\$production\$[0-9a-z]{16}\$[0-9a-f]{32})\b/g, 24),
  rule('braintree/sandbox-access-token', 'Braintree sandbox access token', 'warning', /\b(?<secret>access_token\$sandbox\$[0-9a-z]{16}\$[0-9a-f]{32})\b/g, 21),
  rule('square/access-token', 'Square access token', 'error', /\b(?<secret>EAAA[0-9A-Za-z_-]{60})(?![0-9A-Za-z_-])/g, 4),
  rule('square/oauth-secret', 'Square OAuth application secret', 'error', /\b(?<secret>sq0csp-[0-9A-Za-z_-]{43})(?![0-9A-Za-z_-])/g, 7),
  rule('checkout/sandbox-secret-key', 'Checkout.com sandbox secret key', 'warning', /\b(?<secret>sk_sbox_[0-9a-z]{26,32})\b/g, 8),
  rule('mollie/live-api-key', 'Mollie live API key', 'error', /(?<![0-9A-Za-z_])(?<secret>live_[0-9A-Za-z]{30})(?![0-9A-Za-z_])/g, 5),
  rule('aws/access-key-id', 'AWS access key id', 'error', /\b(?<secret>(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16})\b/g, 4),
  rule('aws/secret-access-key', 'AWS secret access key', 'error', /aws_?secret_?access_?key["']?\s*(?::=|=>|[:=])\s*["']?(?<secret>[A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])/gi, 0),
  rule('gcp/api-key', 'Google Cloud API key', 'error', /\b(?<secret>AIza[0-9A-Za-z_-]{35})(?![0-9A-Za-z_-])/g, 4),
  rule('azure/storage-account-key', 'Azure storage account key', 'error', /AccountKey=(?<secret>[A-Za-z0-9+/]{86}==)/g, 0),
  rule('github/token', 'GitHub token', 'error', /\b(?<secret>gh[pousr]_[A-Za-z0-9]{36,251})\b/g, 4),
  rule('slack/token', 'Slack token', 'error', /\b(?<secret>xox[abprs]-[0-9A-Za-z-]{10,250})\b/g, 5),
  rule(
    'generic/credential-assignment',
    'credential-named variable assigned a high-entropy literal',
    'error',
    new RegExp(String.raw`(?<![A-Za-z0-9_])${CREDENTIAL_NAME}["']?\s*(?::=|=>|[:=])\s*(?<quote>["'\x60]?)(?<secret>[^\s"'\x60;,)}\]]{${MIN_LITERAL_LENGTH},})\k<quote>`, 'gi'),
    0,
    plausibleLiteral,
  ),
];

/** The rule for `.env` files git tracks (found from the index, not from a line). */
export const ENV_FILE_RULE = { id: 'env-file/tracked', title: '.env file tracked by git' } as const;

/** Every credential on one line, each span claimed by the first rule that matches it. */
export function findSecrets(line: string, rules: readonly SecretRule[] = SECRET_RULES): SecretMatch[] {
  const matches: SecretMatch[] = [];
  const claimed: [number, number][] = [];
  for (const r of rules) {
    r.pattern.lastIndex = 0;
    for (let m = r.pattern.exec(line); m; m = r.pattern.exec(line)) {
      const value = m.groups?.['secret'];
      if (value === undefined) continue;
      const start = m.index + m[0].lastIndexOf(value);
      const end = start + value.length;
      if (claimed.some(([a, b]) => start < b && end > a)) continue;
      if (r.accept && !r.accept(value)) continue;
      claimed.push([start, end]);
      matches.push({ rule: r, value, column: start + 1 });
    }
  }
  return matches.sort((a, b) => a.column - b.column);
}

/** The credential with all but its format prefix and (for long values) last four characters starred. */
export function maskSecret(value: string, visiblePrefix: number): string {
  if (visiblePrefix >= value.length) return value; // a PEM header names the key type, not the key
  const prefix = value.slice(0, visiblePrefix);
  const rest = value.length - visiblePrefix;
  const tail = rest >= 20 ? value.slice(-4) : '';
  return `${prefix}${'*'.repeat(8)}${tail}`;
}

/**
 * A short, stable name for one credential value (a hash, not the value): an `allow` entry can name
 * it, and it stays the same when the line moves.
 */
export function fingerprint(ruleId: string, value: string): string {
  return createHash('sha256').update(`${ruleId}\0${value}`).digest('hex').slice(0, 16);
}
