import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../e2e/helpers.js';
import { tempDir } from '../support/temp.js';

/**
 * Fake credentials in the formats the `secrets` check knows, assembled from parts here so that no
 * file of this repository holds a key-shaped string (push protection would stop the push, and a
 * reader might take them for real ones). The AWS pair and the Stripe test key are the providers'
 * own documented examples.
 */
export const PLANTED: Readonly<Record<string, string>> = {
  'stripe-live': ['sk', 'live', 'FAKE4eC39HqLyjWDarjtT1zdp7dc'].join('_'),
  'stripe-test': ['sk', 'test', '4eC39HqLyjWDarjtT1zdp7dc'].join('_'),
  'aws-key-id': 'AKIA' + 'IOSFODNN7EXAMPLE',
  'aws-secret': 'wJalrXUtnFEMI/K7MDENG/' + 'bPxRfiCYEXAMPLEKEY',
  'gcp-api-key': 'AIza' + 'Sy' + 'FAKE'.repeat(8) + '0',
  'pem-header': '-----BEGIN RSA ' + 'PRIVATE KEY-----',
};

/** The generic literals committed as they are (only an entropy rule knows them as credentials). */
export const LITERALS = { settingsSecret: 'q8ZtW3vN5kR1xB7yL2mPfH4s', envKey: 'Zx9Lq2Wv8Rt5Yp3Nm7Kd' };

/**
 * Copies `fixtures/scan/<name>` into a temporary folder with the `<<plant:NAME>>` markers filled
 * in, adds what cannot be committed (node_modules, a binary file) and, with `git: true`, makes it
 * a repository that tracks everything, `.env` included (force-added past its .gitignore). The folder
 * is removed after the test file.
 */
export function plantRepo(name: string, options: { git?: boolean } = {}): string {
  const dir = join(tempDir('payready-secrets-'), name);
  cpSync(join(ROOT, 'fixtures/scan', name), dir, { recursive: true });
  fill(dir);
  mkdirSync(join(dir, 'node_modules/some-sdk'), { recursive: true });
  writeFileSync(join(dir, 'node_modules/some-sdk/index.js'), `exports.key = '${PLANTED['stripe-live']}';\n`);
  writeFileSync(join(dir, 'logo.png'), Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]), Buffer.from(PLANTED['aws-key-id']!)]));
  if (options.git) {
    const git = (...args: string[]): void => {
      execFileSync('git', ['-c', 'user.name=payready-test', '-c', 'user.email=test@payready.invalid', ...args], { cwd: dir, stdio: 'ignore', env: gitEnv() });
    };
    git('init', '-q');
    git('add', '-A');
    git('add', '-f', '.env');
    git('commit', '-q', '-m', 'fixture');
  }
  return dir;
}

function fill(dir: string): void {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) {
      fill(path);
      continue;
    }
    const text = readFileSync(path, 'utf8');
    if (!text.includes('<<plant:')) continue;
    writeFileSync(
      path,
      text.replace(/<<plant:([a-z0-9-]+)>>/g, (_, key: string) => {
        const value = PLANTED[key];
        if (!value) throw new Error(`unknown plant marker ${key}`);
        return value;
      }),
    );
  }
}

function gitEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('GIT_')) env[key] = value;
  return { ...env, GIT_CONFIG_NOSYSTEM: '1', HOME: tmpdir() };
}
