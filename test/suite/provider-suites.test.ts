import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PACKAGE_ROOT } from '../../src/paths.js';

/**
 * checks/go-live-stripe.yaml and go-live-adyen.yaml are go-live.yaml with the checks that speak a
 * payments API rewritten in the provider's: every other check must stay exactly go-live.yaml's, so a
 * change to one suite is not silently missing from the others.
 */
interface Check {
  id: string;
  type: string;
  with?: Record<string, unknown>;
  [key: string]: unknown;
}

/** The checks each provider suite speaks in its own API (the rest are go-live.yaml's as they are). */
const REWRITTEN = ['payments-require-auth', 'json-utf8', 'payment-schema', 'error-messages', 'api-load', 'security-headers'];

function checks(file: string): Map<string, Check> {
  const suite = parse(readFileSync(join(PACKAGE_ROOT, 'checks', file), 'utf8')) as { checks: Check[] };
  return new Map(suite.checks.map((check) => [check.id, check]));
}

describe('the provider go-live suites', () => {
  const base = checks('go-live.yaml');
  for (const provider of ['stripe', 'adyen']) {
    it(`go-live-${provider}.yaml keeps go-live.yaml's checks but those that speak the payments API`, () => {
      const suite = checks(`go-live-${provider}.yaml`);
      for (const [id, check] of base) {
        if (REWRITTEN.includes(id)) continue;
        const mine = suite.get(id);
        expect(mine, `${id} is missing from go-live-${provider}.yaml`).toBeDefined();
        if (check.type === 'transaction') {
          // The scenarios authenticate with the provider's API key instead of the OAuth token, and
          // take the caps the provider has (its profile says which).
          const { with: params, ...rest } = check;
          const { with: theirs, ...others } = mine!;
          expect(others, id).toEqual(rest);
          expect(theirs?.['scenario'], id).toBe(params?.['scenario']);
          expect(theirs?.['apiKey'], id).toBe('${secrets.apiKey}');
          expect(theirs, id).not.toHaveProperty('token');
        } else {
          expect(mine, id).toEqual(check);
        }
      }
      expect([...suite.keys()].filter((id) => !base.has(id))).toEqual([]);
    });
  }
});
