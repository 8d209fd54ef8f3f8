import { afterEach, describe, expect, it, vi } from 'vitest';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { PassThrough } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { main } from '../../src/cli/main.js';
import { readTarGz } from '../../src/evidence/tar.js';
import { GrantStore } from '../../src/sandbox/grants.js';
import { TokenIssuer } from '../../src/sandbox/tokens.js';
import { filesUnder, ROOT, tempDir } from '../e2e/helpers.js';
import { manualInterrupt } from '../support/interrupt.js';

/** Every way a secret shows up when it leaks: as is, base64 (padded or not), base64url, URL-encoded. */
function forms(secret: string): string[] {
  const b64 = Buffer.from(secret).toString('base64');
  return [...new Set([secret, b64, b64.replace(/=+$/, ''), Buffer.from(secret).toString('base64url'), encodeURIComponent(secret)])];
}

/** A stream that keeps what is written to it. */
function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
  return { stream, text: () => text };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('canary secrets', () => {
  it('a planted client secret, header value and every token the sandbox issued appear in no byte written, in no encoding', async () => {
    const clientSecret = 'canary-Client+Secret/9d1e=4f77';
    const headerValue = 'canary-Header-Value-51c0e2 with spaces & symbols';
    // Every access token (the captured ones, the expired one) and refresh token the run is given.
    const issued: string[] = [];
    const issue = TokenIssuer.prototype.issue;
    vi.spyOn(TokenIssuer.prototype, 'issue').mockImplementation(async function (this: TokenIssuer, ...args) {
      const token = await issue.apply(this, args);
      issued.push(token.accessToken);
      return token;
    });
    const issueRefresh = GrantStore.prototype.issueRefresh;
    vi.spyOn(GrantStore.prototype, 'issueRefresh').mockImplementation(function (this: GrantStore, ...args) {
      const token = issueRefresh.apply(this, args);
      issued.push(token);
      return token;
    });

    const dir = tempDir();
    mkdirSync(join(dir, 'evidence'));
    for (const f of readdirSync(join(ROOT, 'checks', 'evidence'))) copyFileSync(join(ROOT, 'checks', 'evidence', f), join(dir, 'evidence', f));
    // The shipped suite, plus a check that sends a declared secret as a header value.
    const suite = readFileSync(join(ROOT, 'checks', 'go-live.yaml'), 'utf8')
      .replace(/^secrets:\n/m, 'secrets:\n  apiKey: { env: CANARY_API_KEY }\n')
      .replace(
        /^checks:\n/m,
        'checks:\n  - id: canary-header\n    type: http\n    section: "1.1"\n    needs: [api-certificate]\n    with:\n      url: ${target.baseUrl}/health\n      headers: { X-Api-Key: "${secrets.apiKey}" }\n      expect: { status: 200 }\n',
      );
    writeFileSync(join(dir, 'suite.yaml'), suite);
    const stdout = capture();
    const stderr = capture();
    const env = { ...process.env, CI: 'true', NO_COLOR: '1', PAYREADY_CLIENT_SECRET: clientSecret, CANARY_API_KEY: headerValue, GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: join(dir, 'step-summary.md') };
    const code = await main(
      ['run', 'suite.yaml', '--out', 'out', '--log', 'log/calls.jsonl', '--evidence', 'bundle/evidence.tar.gz', '--verbose', ...['json', 'junit', 'markdown', 'html', 'sarif'].flatMap((r) => ['--reporter', r])],
      { stdout: stdout.stream, stderr: stderr.stream, env, cwd: dir, interrupt: manualInterrupt() },
    );
    expect(code, stdout.text()).toBe(0);
    expect(stdout.text()).toMatch(/^PASS\s+canary-header\s/m);
    expect(stdout.text()).toMatch(/^::notice/m);

    // The tokens were real and used: the oauth checks captured some, the run passed with them.
    expect(issued.length).toBeGreaterThan(5);
    // Everything the run wrote (the suite and the evidence files are the test's own).
    const written = filesUnder(dir)
      .map((f) => ({ ...f, path: relative(dir, f.path) }))
      .filter((f) => f.path !== 'suite.yaml' && !f.path.startsWith('evidence/'));
    expect(written.map((f) => f.path)).toEqual(
      expect.arrayContaining(['out/report.json', 'out/junit.xml', 'out/report.md', 'out/report.html', 'out/report.sarif', 'log/calls.jsonl', 'bundle/evidence.tar.gz', 'step-summary.md']),
    );
    const bundle = readFileSync(join(dir, 'bundle', 'evidence.tar.gz'));
    const { files: inside } = await readTarGz(bundle);
    expect(inside.length).toBeGreaterThan(20);
    const places: [string, string][] = [
      ['stdout', stdout.text()],
      ['stderr', stderr.text()],
      ...written.map((f): [string, string] => [f.path, f.bytes.toString('latin1')]),
      ['the tar stream', gunzipSync(bundle).toString('latin1')],
      ...inside.map((f): [string, string] => [`bundle: ${f.path}`, f.data.toString('latin1')]),
    ];
    for (const secret of [clientSecret, headerValue, ...issued]) {
      for (const form of forms(secret)) {
        for (const [where, text] of places) expect(text.includes(form), `${where} holds ${form.slice(0, 24)}...`).toBe(false);
      }
    }
    // Redacted, not dropped: the transcripts show where a secret was.
    const transcripts = inside.filter((f) => f.path.endsWith('transcript.http')).map((f) => f.data.toString());
    expect(transcripts.join('\n')).toMatch(/x-api-key: \[REDACTED\]/i);
  }, 60_000);
});
