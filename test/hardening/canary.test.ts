import { afterEach, describe, expect, it, vi } from 'vitest';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join, relative } from 'node:path';
import { PassThrough } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { main } from '../../src/cli/main.js';
import { readTarGz } from '../../src/evidence/tar.js';
import { GrantStore } from '../../src/sandbox/oauth/grants.js';
import { TokenIssuer } from '../../src/sandbox/oauth/tokens.js';
import { filesUnder, ROOT, tempDir } from '../e2e/helpers.js';
import { ENCODINGS, basicForms, form, html, printableCorpus, strict } from '../support/encodings.js';
import { manualInterrupt } from '../support/interrupt.js';

/** Every form a secret is searched for: the encodings it travels in, and HTTP Basic with the run's client id. */
function forms(secret: string, clientId: string): [string, string][] {
  const all: [string, string][] = [...ENCODINGS.map(([name, encode]): [string, string] => [name, encode(secret)]), ...basicForms(clientId, secret)];
  return all.filter(([, form], index) => all.findIndex(([, other]) => other === form) === index);
}

/**
 * A server that echoes every request header and form field back, in the encodings servers use:
 * JSON with escaped slashes (PHP), every character \u00xx-escaped, HTML-escaped, percent-encoded,
 * the HTTP Basic credentials of the form's client_id and client_secret (RFC 6749 §2.3.1 encoding),
 * and a response header. `/token` hands out `token` as an access token, its slashes escaped.
 */
async function echoServer(token: string): Promise<{ url: string; close: () => Promise<void> }> {
  const unicode = (value: string): string => [...value].map((c) => (/[A-Za-z0-9]/.test(c) ? c : `\\u00${c.charCodeAt(0).toString(16).padStart(2, '0')}`)).join('');
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      if (req.url === '/token') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ access_token: token, token_type: 'Bearer' }).replace(/\//g, '\\/'));
        return;
      }
      const fields = new URLSearchParams(body);
      const values = [...Object.entries(req.headers).flatMap(([name, value]) => (['host', 'connection', 'content-length'].includes(name) ? [] : [value ?? ''].flat())), ...fields.values()];
      const id = fields.get('client_id') ?? '';
      const secret = fields.get('client_secret') ?? '';
      const echo = {
        received: values,
        html: values.map(html),
        percent: values.map(strict),
        basic: [Buffer.from(`${form(id)}:${form(secret)}`).toString('base64'), Buffer.from(`${id}:${secret}`).toString('base64')],
        body,
      };
      const text = JSON.stringify(echo).replace(/\//g, '\\/').replace(/}$/, `,"unicode":["${values.map(unicode).join('","')}"]}`);
      res.writeHead(200, { 'content-type': 'application/json', 'x-echo-api-key': strict(String(req.headers['x-api-key'] ?? '')) });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    close: () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      return closed;
    },
  };
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
  it('[creds/canary] planted secrets of every printable ASCII character (client secret, API key, header value, captured token) and every token the sandbox issued appear in no byte written, in no encoding', async () => {
    // Secrets holding every printable ASCII character, as the client secret (sent with HTTP Basic
    // and client_secret_post), an API key, the value of a header with an ordinary name, and an
    // access token a server hands out and the suite captures; plus two hand-written ones.
    const [clientSecret, apiKey, headerValue, echoedToken] = printableCorpus(4) as [string, string, string, string];
    const plainSecret = 'canary-Client+Secret/9d1e=4f77';
    const spacedValue = 'canary-Header-Value-51c0e2 with spaces & symbols';
    const clientId = 'canary-client-id';
    const echo = await echoServer(echoedToken);
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
    try {
      mkdirSync(join(dir, 'evidence'));
      for (const f of readdirSync(join(ROOT, 'checks', 'evidence'))) copyFileSync(join(ROOT, 'checks', 'evidence', f), join(dir, 'evidence', f));
      // The shipped suite, plus checks that send the planted secrets: as header values to the
      // sandbox, form-encoded to its token endpoint (client_secret_post, by the oauth check and by
      // an http check whose transcript shows the form), and everything to the echo server.
      const canaries = `checks:
  - id: canary-header
    type: http
    section: "1.1"
    needs: [api-certificate]
    with:
      url: \${target.baseUrl}/health
      headers: { X-Api-Key: "\${secrets.apiKey}", X-Canary-Context: "\${secrets.context}", X-Spaced: "\${secrets.spaced}" }
      expect: { status: 200 }
  - id: canary-oauth-post
    type: oauth
    section: "1.1"
    needs: [api-certificate]
    with: { issuer: "\${target.issuer}", clientId: "\${secrets.clientId}", clientSecret: "\${secrets.clientSecret}", clientAuth: client_secret_post, prove: [token] }
  - id: canary-form-post
    type: http
    section: "1.1"
    needs: [api-certificate]
    with:
      method: POST
      url: \${target.tokenUrl}
      form: { grant_type: client_credentials, client_id: "\${secrets.clientId}", client_secret: "\${secrets.clientSecret}" }
      expect: { status: 200 }
  - id: canary-token
    type: http
    section: "1.1"
    with: { url: "${echo.url}/token", expect: { status: 200 } }
    capture:
      token: { from: body.access_token, secret: true }
  - id: canary-echo
    type: http
    section: "1.1"
    with:
      method: POST
      url: ${echo.url}/echo
      headers: { Authorization: "Bearer \${checks.canary-token.token}", X-Api-Key: "\${secrets.apiKey}", X-Canary-Context: "\${secrets.context}", X-Plain: "\${secrets.plain}" }
      form: { client_id: "\${secrets.clientId}", client_secret: "\${secrets.clientSecret}" }
      expect: { status: 200 }
  - id: canary-provider-key
    type: transaction
    section: "5.1"
    severity: minor   # the echo server is no payments API: the check fails, below the gate; its transcript is what is searched
    # A provider API key as the Stripe profile sends it (a bearer token), to the echo server, which
    # answers every request with it in every encoding: the scenario's transcript holds them all.
    with: { scenario: approve, provider: stripe, apiKey: "\${secrets.apiKey}", baseUrl: "${echo.url}", cleanup: false }
`;
      const suite = readFileSync(join(ROOT, 'checks', 'go-live.yaml'), 'utf8')
        .replace(/^secrets:\n/m, 'secrets:\n  apiKey: { env: CANARY_API_KEY }\n  context: { env: CANARY_CONTEXT }\n  spaced: { env: CANARY_SPACED }\n  plain: { env: CANARY_PLAIN }\n')
        .replace(/^checks:\n/m, canaries);
      writeFileSync(join(dir, 'suite.yaml'), suite);
      const stdout = capture();
      const stderr = capture();
      const env = {
        ...process.env,
        CI: 'true',
        NO_COLOR: '1',
        PAYREADY_CLIENT_ID: clientId,
        PAYREADY_CLIENT_SECRET: clientSecret,
        CANARY_API_KEY: apiKey,
        CANARY_CONTEXT: headerValue,
        CANARY_SPACED: spacedValue,
        CANARY_PLAIN: plainSecret,
        GITHUB_ACTIONS: 'true',
        GITHUB_STEP_SUMMARY: join(dir, 'step-summary.md'),
      };
      const code = await main(
        ['run', 'suite.yaml', '--out', 'out', '--log', 'log/calls.jsonl', '--evidence', 'bundle/evidence.tar.gz', '--verbose', ...['json', 'junit', 'markdown', 'html', 'sarif'].flatMap((r) => ['--reporter', r])],
        { stdout: stdout.stream, stderr: stderr.stream, env, cwd: dir, interrupt: manualInterrupt() },
      );
      expect(code, stdout.text()).toBe(0);
      for (const id of ['canary-header', 'canary-oauth-post', 'canary-form-post', 'canary-token', 'canary-echo']) expect(stdout.text()).toMatch(new RegExp(`^PASS\\s+${id}\\s`, 'm'));
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
      const leaks: string[] = [];
      for (const secret of [clientSecret, apiKey, headerValue, echoedToken, plainSecret, spacedValue, ...issued]) {
        for (const [name, form] of forms(secret, clientId)) {
          for (const [where, text] of places) if (text.includes(form)) leaks.push(`${where} holds ${JSON.stringify(secret.slice(0, 12))}... ${name}`);
        }
      }
      expect(leaks).toEqual([]);
      // Redacted, not dropped: the transcripts show where a secret was, and the echo came back.
      const transcripts = inside.filter((f) => f.path.endsWith('transcript.http')).map((f) => f.data.toString());
      expect(transcripts.join('\n')).toMatch(/x-api-key: \[REDACTED\]/i);
      expect(transcripts.join('\n')).toMatch(/x-canary-context: \[REDACTED\]/i);
      const echoed = inside.find((f) => f.path === 'artifacts/canary-echo/transcript.http')?.data.toString() ?? '';
      expect(echoed).toMatch(/^< \{"received":\[/m);
      expect(echoed).toContain('client_secret=[REDACTED]');
    } finally {
      await echo.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
