import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FaultSet } from '../faults.js';

/**
 * A small merchant integration the sandbox writes into its state folder, so the demo's `secrets`
 * check has the files of an integration to scan: a client that reads its credentials from the
 * environment (guideline 2.1). The `hardcoded-secret` fault writes the client secret into its
 * configuration file instead, as a hurried developer would.
 */

/** What the integration needs to know about the sandbox. */
export interface IntegrationFacts {
  /** The sandbox's API base URL. */
  baseUrl: string;
  /** The demo OAuth client id (not a secret). */
  clientId: string;
  /** The demo client secret (written only under the fault). */
  clientSecret: string;
}

const CLIENT_JS = `// Pays through the provider's API with an OAuth 2.0 client_credentials token.
// Credentials come from the environment (guideline 2.1), never from this repository.
import config from '../config/payments.json' with { type: 'json' };

const clientSecret = process.env.PAYREADY_CLIENT_SECRET;
if (!clientSecret) throw new Error('set PAYREADY_CLIENT_SECRET (see .env.example)');

export async function accessToken() {
  const response = await fetch(config.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: config.clientId, client_secret: clientSecret }),
  });
  if (!response.ok) throw new Error(\`token endpoint answered \${response.status}\`);
  return (await response.json()).access_token;
}

export async function pay(amount, card, reference) {
  const response = await fetch(\`\${config.baseUrl}/v1/payments\`, {
    method: 'POST',
    headers: { authorization: \`Bearer \${await accessToken()}\`, 'content-type': 'application/json' },
    body: JSON.stringify({ amount, paymentMethod: { type: 'card', ...card }, reference }),
  });
  return response.json();
}
`;

/** Writes the integration into `dir` (created) and returns `dir`. */
export async function writeSampleIntegration(dir: string, facts: IntegrationFacts, faults: FaultSet): Promise<string> {
  await mkdir(join(dir, 'src'), { recursive: true });
  await mkdir(join(dir, 'config'), { recursive: true });
  const config: Record<string, string> = { baseUrl: facts.baseUrl, tokenUrl: `${facts.baseUrl}/oauth/token`, clientId: facts.clientId };
  if (faults.on('secretInSampleConfig')) config.clientSecret = facts.clientSecret;
  await Promise.all([
    writeFile(join(dir, 'README.md'), '# Sample merchant integration\n\nWritten by the payready sandbox for the demo\'s `secrets` check. Run with\n`PAYREADY_CLIENT_SECRET` set (see `.env.example`).\n'),
    writeFile(join(dir, 'src', 'payments.js'), CLIENT_JS),
    writeFile(join(dir, 'config', 'payments.json'), `${JSON.stringify(config, null, 2)}\n`),
    writeFile(join(dir, '.env.example'), 'PAYREADY_CLIENT_SECRET=\n'),
    writeFile(join(dir, '.gitignore'), '.env\nnode_modules/\n'),
  ]);
  return dir;
}
