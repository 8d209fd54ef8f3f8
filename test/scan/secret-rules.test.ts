import { describe, expect, it } from 'vitest';
import { entropy, findSecrets, fingerprint, maskSecret, plausibleLiteral } from '../../src/scan/secret-rules.js';
import { PLANTED } from './plant.js';

describe('credential rules, line by line', () => {
  it.each([
    [`const key = '${PLANTED['stripe-live']}';`, 'payment/live-secret-key', 14],
    [`STRIPE_KEY=${PLANTED['stripe-test']}`, 'payment/test-secret-key', 12],
    [`"aws_access_key_id": "${PLANTED['aws-key-id']}",`, 'aws/access-key-id', 23],
    [`aws_secret_access_key = ${PLANTED['aws-secret']}`, 'aws/secret-access-key', 25],
    [`key: ${PLANTED['gcp-api-key']}`, 'gcp/api-key', 6],
    [PLANTED['pem-header']!, 'private-key/pem', 12],
    ['token = "ghp_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"', 'github/token', 10],
    ['BT=access_token$production$' + 'abcdefgh12345678$' + '0123456789abcdef0123456789abcdef', 'braintree/production-access-token', 4],
    ['client_secret: "q8ZtW3vN5kR1xB7yL2mPfH4s"', 'generic/credential-assignment', 17],
    ['DB_PASSWORD=Zx9Lq2Wv8Rt5Yp3Nm7Kd', 'generic/credential-assignment', 13],
    ['"clientSecret": "uH7CSJ83PPbzwuffKrQz6eBMOUxm-90U"', 'generic/credential-assignment', 18],
    ['$apiKey = "k9Lm2Qp8Rt5Zx3Wv";', 'generic/credential-assignment', 12],
  ])('%s -> %s', (line, rule, column) => {
    const matches = findSecrets(line);
    expect(matches.map((m) => [m.rule.id, m.column])).toEqual([[rule, column]]);
  });

  it.each([
    'password = os.environ["DB_PASSWORD"]',
    'client_secret: ${PAYMENT_CLIENT_SECRET}',
    'clientSecret: process.env.CLIENT_SECRET,',
    'api_key: "{{ vault \'payments/api-key\' }}"',
    'password: changeme',
    'webhook_password: "<your-password>"',
    'client_secret: not-the-client-secret',
    'password = "hunter2"',
    'api_key = "xxxxxxxxxxxxxxxx"',
    'publishableKey: "pk_live_51FakePublishableKeyIsPublicAnyway"',
    'Live keys start with sk_live_ and are secret.',
    'password_reset_url = "https://example.com/reset?token=abc"',
    '- id: oauth-rejects-bad-secret',
  ])('not a credential: %s', (line) => {
    expect(findSecrets(line)).toEqual([]);
  });

  it('a span is claimed once: a provider key in a credential-named variable is reported by the provider rule', () => {
    const matches = findSecrets(`STRIPE_SECRET_KEY=${PLANTED['stripe-live']}`);
    expect(matches.map((m) => m.rule.id)).toEqual(['payment/live-secret-key']);
  });

  it('masks keep the format prefix and, for long values, the last four', () => {
    expect(maskSecret(PLANTED['stripe-live']!, 8)).toBe('sk_live_********p7dc');
    expect(maskSecret('Zx9Lq2Wv8Rt5Yp3Nm7Kd', 0)).toBe('********m7Kd');
    expect(maskSecret('short-secret', 0)).toBe('********');
    expect(maskSecret('RSA PRIVATE KEY', 64)).toBe('RSA PRIVATE KEY');
  });

  it('fingerprints are stable, short and do not contain the value', () => {
    const fp = fingerprint('generic/credential-assignment', 'Zx9Lq2Wv8Rt5Yp3Nm7Kd');
    expect(fp).toMatch(/^[0-9a-f]{16}$/);
    expect(fingerprint('generic/credential-assignment', 'Zx9Lq2Wv8Rt5Yp3Nm7Kd')).toBe(fp);
    expect(fingerprint('aws/access-key-id', 'Zx9Lq2Wv8Rt5Yp3Nm7Kd')).not.toBe(fp);
  });

  it('entropy separates random literals from words', () => {
    expect(entropy('aaaaaaaa')).toBe(0);
    expect(entropy('q8ZtW3vN5kR1xB7yL2mPfH4s')).toBeGreaterThan(4);
    expect(plausibleLiteral('correct')).toBe(false);
    expect(plausibleLiteral('q8ZtW3vN5kR1xB7y')).toBe(true);
  });
});
