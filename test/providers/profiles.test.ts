import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROVIDER_NAMES } from '../../src/providers/names.js';
import { loadProfile, parseProfile, ProfileError, PROFILES_DIR } from '../../src/providers/profiles.js';
import { runCheck } from '../checks/harness.js';
import { tempDir } from '../support/temp.js';

const dir = tempDir('profiles-');

/** The payready profile's text with `from` replaced by `to` (a small, located mistake). */
function payreadyWith(from: string | RegExp, to: string): string {
  const text = readFileSync(join(PROFILES_DIR, 'payready.yaml'), 'utf8');
  const changed = text.replace(from, to);
  if (changed === text) throw new Error(`payready.yaml has no ${String(from)}`);
  return changed;
}

/** The line (1-based) of the first line of `text` containing `needle`. */
function lineOf(text: string, needle: string): number {
  return text.split('\n').findIndex((line) => line.includes(needle)) + 1;
}

/** The ProfileError `fn` throws. */
function refusal(fn: () => unknown): ProfileError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ProfileError) return err;
    throw err;
  }
  throw new Error('no ProfileError was thrown');
}

describe('the shipped profiles', () => {
  for (const name of PROVIDER_NAMES) {
    it(`${name} loads and validates, with every operation naming the payment`, () => {
      const profile = loadProfile(name);
      expect(profile.provider).toBe(name);
      expect(profile.operations.authorise.request.path).toMatch(/^\//);
      expect(profile.methods.declines.length).toBeGreaterThan(0);
      // Defaults of the schema are applied.
      expect(['upper', 'lower']).toContain(profile.currencyCase);
    });
  }

  it('loads the same file by path as by name', () => {
    expect(loadProfile(join(PROFILES_DIR, 'stripe.yaml')).provider).toBe('stripe');
  });
});

describe('profile errors a profile author can act on', () => {
  it('an unknown provider name suggests the closest', () => {
    const error = refusal(() => loadProfile('strpe'));
    expect(error.message).toBe('unknown provider "strpe" (did you mean "stripe"?): give one of payready, stripe, adyen, or the path of a profile file (providers/profile.schema.json describes one)');
  });

  it('a file that is not there says so', () => {
    expect(refusal(() => loadProfile(join(dir, 'absent.yaml'))).message).toMatch(/^cannot read provider profile .+absent\.yaml: no such file$/);
  });

  it('a schema error names file:line:col and the field', () => {
    const text = payreadyWith('encoding: json', 'encoding: xml');
    const line = lineOf(text, 'encoding: xml');
    const error = refusal(() => parseProfile(text, 'mine.yaml'));
    expect(error.message).toBe(`invalid provider profile:\n  mine.yaml:${line}:11: /encoding: must be one of "json", "form"`);
  });

  it('an unknown field is named where it is', () => {
    const text = payreadyWith('paymentWord: payment', 'paymentWord: payment\npaymentWords: payments');
    const error = refusal(() => parseProfile(text, 'mine.yaml'));
    expect(error.message).toBe(`invalid provider profile:\n  mine.yaml:${lineOf(text, 'paymentWords:')}:1: the profile: unknown field "paymentWords"`);
  });

  it('a missing required field is reported at its parent', () => {
    const text = payreadyWith(/^ {2}code: \/declineCode\n/m, '');
    const error = refusal(() => parseProfile(text, 'mine.yaml'));
    expect(error.message).toBe(`invalid provider profile:\n  mine.yaml:${lineOf(text, 'status: [402]')}:3: /decline: missing "code"`);
  });

  it('a YAML syntax error is located', () => {
    const text = payreadyWith('title: payready sandbox API', 'title: payready sandbox API\ntitle: again');
    expect(refusal(() => parseProfile(text, 'broken.yaml')).message).toBe(`broken.yaml:${lineOf(text, 'title: again')}:1: Map keys must be unique`);
    const unclosed = payreadyWith('paymentWord: payment', 'paymentWord: "payment');
    expect(refusal(() => parseProfile(unclosed, 'broken.yaml')).message).toMatch(new RegExp(`^broken\\.yaml:${lineOf(unclosed, 'paymentWord: "')}:\\d+: Missing closing "quote`));
  });

  it('an unknown field deep in an operation is located at its key', () => {
    const text = payreadyWith('    request: { method: POST, path: "/v1/payments/{id}/cancel" }', '    request: { method: POST, path: "/v1/payments/{id}/cancel", bdy: {} }');
    const line = lineOf(text, 'bdy: {}');
    const error = refusal(() => parseProfile(text, 'mine.yaml'));
    expect(error.message).toBe(`invalid provider profile:\n  mine.yaml:${line}:${text.split('\n')[line - 1]!.indexOf('bdy') + 1}: /operations/cancel/request: unknown field "bdy"`);
  });

  for (const operation of ['capture', 'refund'] as const) {
    it(`a ${operation} operation that never names the payment ({id}) is refused`, () => {
      const path = operation === 'capture' ? '/v1/payments/{id}/capture' : '/v1/payments/{id}/refunds';
      const text = payreadyWith(`path: "${path}"`, `path: "${path.replace('{id}', 'latest')}"`);
      const error = refusal(() => parseProfile(text, 'mine.yaml'));
      expect(error.message).toBe(`mine.yaml:${lineOf(text, path.replace('{id}', 'latest'))}:${text.split('\n')[lineOf(text, path.replace('{id}', 'latest')) - 1]!.indexOf('"/') + 1}: the ${operation} operation never names the payment: put {id} in its path or body`);
    });
  }

  it('an operation naming the payment in its body (Stripe refunds) is accepted', () => {
    expect(loadProfile('stripe').operations.refund?.request.path).toBe('/v1/refunds');
  });
});

describe('a check naming a broken profile', () => {
  it('ends error, cause setup, message profileInvalid, with where and why', async () => {
    const file = join(dir, 'broken-provider.yaml');
    writeFileSync(file, payreadyWith('encoding: json', 'encoding: xml'));
    const { outcome } = await runCheck('transaction', { scenario: 'approve', provider: file, token: 'any-token-value' });
    expect(outcome.status, outcome.summary).toBe('error');
    expect(outcome.cause).toBe('setup');
    expect(outcome.message?.id).toBe('profileInvalid');
    expect(outcome.message?.data).toMatchObject({ scenario: 'approve', provider: file });
    expect(outcome.summary).toMatch(/broken-provider\.yaml:\d+:11: \/encoding: must be one of "json", "form"$/);
  });

  it('an unknown provider name ends the same way, suggesting the closest', async () => {
    const { outcome } = await runCheck('transaction', { scenario: 'approve', provider: 'adyn', token: 'any-token-value' });
    expect(outcome.status, outcome.summary).toBe('error');
    expect(outcome.cause).toBe('setup');
    expect(outcome.message?.id).toBe('profileInvalid');
    expect(outcome.summary).toContain('unknown provider "adyn" (did you mean "adyen"?)');
  });
});
