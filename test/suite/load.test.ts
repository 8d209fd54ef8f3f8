import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SuiteError, type SuiteProblem } from '../../src/suite/errors.js';
import { parseSuite, type LoadOptions } from '../../src/suite/load.js';
import type { Suite } from '../../src/suite/types.js';
import { fakeTypes } from './helpers.js';

const FILE = 'suites/test.yaml';
const HEAD = `suite: test
title: Test
environments:
  sandbox: { embedded: true }
  production: { baseUrl: "https://api.example.com", host: api.example.com, sandbox: false }
`;

function load(source: string, options: LoadOptions = {}): Promise<Suite> {
  return parseSuite(source, FILE, { env: {}, types: fakeTypes, ...options });
}

/** The problems a suite is rejected with, as `line:column message | hint`. */
async function problems(source: string, options: LoadOptions = {}): Promise<string[]> {
  const error = await load(source, options).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(SuiteError);
  return (error as SuiteError).problems.map(show);
}

function show(problem: SuiteProblem): string {
  const at = problem.location ? `${problem.location.line}:${problem.location.column} ` : '';
  return `${at}${problem.message}${problem.hint ? ` | ${problem.hint}` : ''}`;
}

describe('defaults and normalisation', () => {
  it('fills severity, timeout, retries, tags, needs and title from defaults', async () => {
    const suite = await load(`${HEAD}defaults: { environment: production, timeout: 1.5m, retries: 2, severity: minor }
checks:
  - id: a
    type: fetch
    section: "1.1"
    with: { url: "\${target.baseUrl}/a" }
  - id: b
    type: fetch
    title: B
    section: "1.1"
    timeout: 250
    severity: info
    retries: 0
    with: { url: "\${target.baseUrl}/b" }
`);
    expect(suite.defaultEnvironment).toBe('production');
    expect(suite.checks.map(({ id, title, severity, timeoutMs, retries, tags, needs }) => ({ id, title, severity, timeoutMs, retries, tags, needs }))).toEqual([
      { id: 'a', title: 'a', severity: 'minor', timeoutMs: 90_000, retries: 2, tags: [], needs: [] },
      { id: 'b', title: 'B', severity: 'info', timeoutMs: 250, retries: 0, tags: [], needs: [] },
    ]);
  });

  it('uses 30s, major and the first environment without defaults', async () => {
    const suite = await load(`${HEAD}checks:\n  - { id: a, type: fetch, section: "1.1", with: { url: x } }\n`);
    expect(suite.defaultEnvironment).toBe('sandbox');
    expect(suite.checks[0]).toMatchObject({ timeoutMs: 30_000, severity: 'major', retries: 0 });
  });

  it('carries the SHA-256 of the suite text (computed when read, kept by copies and JSON)', async () => {
    const source = `${HEAD}checks:\n  - { id: a, type: fetch, section: "1.1", with: { url: x } }\n`;
    const suite = await load(source);
    const digest = createHash('sha256').update(source).digest('hex');
    expect(suite.sha256).toBe(digest);
    expect({ ...suite }.sha256).toBe(digest);
    expect((JSON.parse(JSON.stringify(suite)) as Suite).sha256).toBe(digest);
  });

  it('adds the checks whose captures a check reads to its needs', async () => {
    const suite = await load(`${HEAD}checks:
  - { id: login, type: login, section: "1.1", with: { user: u, password: "\${env.PW}" }, capture: { token: { from: token, secret: true } } }
  - id: use
    type: fetch
    section: "1.1"
    needs: [login]
    with: { url: "x", headers: { authorization: "Bearer \${checks.login.token}" } }
  - { id: other, type: fetch, section: "1.1", with: { url: "\${checks.login.token}" } }
`, { env: { PW: 'pw' } });
    expect(suite.checks.map((check) => check.needs)).toEqual([[], ['login'], ['login']]);
  });
});

describe('semantic errors', () => {
  it('points at a duplicate id and names the first one\'s line', async () => {
    expect(await problems(`${HEAD}checks:\n  - { id: a, type: fetch, section: "1.1", with: { url: x } }\n  - { id: a, type: fetch, section: "1.1", with: { url: y } }\n`)).toEqual([
      '8:11 duplicate check id "a" | first defined on line 7; ids must be unique',
    ]);
  });

  it('suggests the id a `needs` entry probably meant', async () => {
    expect(await problems(`${HEAD}checks:\n  - { id: oauth-token, type: fetch, section: "1.1", with: { url: x } }\n  - { id: b, type: fetch, section: "1.1", needs: [oauth-tokn], with: { url: y } }\n`)).toEqual([
      '8:51 check "b" needs "oauth-tokn", which is not a check of this suite | did you mean "oauth-token"? check ids: oauth-token, b',
    ]);
  });

  it('names cycles, including a check that needs itself', async () => {
    expect(
      await problems(`${HEAD}checks:
  - { id: a, type: fetch, section: "1.1", needs: [b], with: { url: x } }
  - { id: b, type: fetch, section: "1.1", needs: [c], with: { url: x } }
  - { id: c, type: fetch, section: "1.1", needs: [a], with: { url: x } }
  - { id: d, type: fetch, section: "1.1", needs: [d], with: { url: x } }
`),
    ).toEqual([
      '7:51 checks depend on each other in a cycle: a -> b -> c -> a | remove one of these needs (or capture references) so the checks can run in order',
      '10:51 checks depend on each other in a cycle: d -> d | remove one of these needs (or capture references) so the checks can run in order',
    ]);
  });

  it('names a long cycle by its ends', async () => {
    const checks = Array.from({ length: 15 }, (_, i) => `  - { id: c${i}, type: fetch, section: "1.1", needs: [c${(i + 1) % 15}], with: { url: x } }`).join('\n');
    expect(await problems(`${HEAD}checks:\n${checks}\n`)).toEqual([
      '7:52 checks depend on each other in a cycle: c0 -> c1 -> c2 -> c3 -> c4 -> c5 -> c6 -> c7 -> c8 -> c9 -> c10 -> ... (3 more) -> c14 -> c0 | remove one of these needs (or capture references) so the checks can run in order',
    ]);
  });

  it('checks every reference namespace against what exists', async () => {
    const found = await problems(`${HEAD}variables: { currency: EUR, limits: { daily: 5 } }
secrets: { apiKey: { env: API_KEY } }
checks:
  - id: a
    type: fetch
    section: "1.1"
    capture: { id: body.id }
    with:
      url: "\${target.baseUrl}/\${target.hots}/\${vars.limits.weekly}/\${secrets.apikey}/\${foo.bar}"
      headers: { x-a: "\${checks.b.id}", x-b: "\${checks.a.di}", x-c: "\${vars.currency" }
`);
    expect(found).toEqual([
      '14:31 ${target.hots}: environment "sandbox" has no field "hots" | did you mean "host"? its fields: baseUrl, host, port, httpUrl, httpPort, caFile, issuer, tokenUrl, authorizationUrl, openapiUrl, checkoutUrl, requestLog, sourceDir, transactionCap, dailyCap, downloadUrl, uploadUrl, rateLimitUrl, rateLimit, outsideAddress, ... (5 more)',
      '14:46 ${vars.limits.weekly}: variable "limits.weekly" is not defined | defined here: daily',
      '14:68 ${secrets.apikey}: secret "apikey" is not declared | did you mean "apiKey"? or declare it under secrets:, e.g. apikey: { env: APIKEY }',
      '14:86 unknown reference namespace "foo" in ${foo.bar} | expected one of: env, vars, secrets, target, checks',
      '15:24 ${checks.b.id}: no check has id "b" | check ids: a',
      '15:47 ${checks.a.di}: check "a" does not capture "di" | "a" captures: id',
      '15:70 unterminated reference: "${" without a closing "}" in check "a" | write $${ for a literal "${"',
    ]);
  });

  it('checks target fields against the chosen environment', async () => {
    const source = `${HEAD}checks:\n  - { id: a, type: fetch, section: "1.1", with: { url: "\${target.tokenUrl}" } }\n`;
    await expect(load(source)).resolves.toBeDefined();
    expect(await problems(source, { environment: 'production' })).toEqual([
      '7:57 ${target.tokenUrl}: environment "production" has no field "tokenUrl" | its fields: baseUrl, host',
    ]);
    expect(await problems(source, { environment: 'prod' })).toEqual([
      'the suite has no environment "prod" | environments in this suite: sandbox, production',
    ]);
  });

  it('names the missing environment variable and who needs it; embedded names count as set', async () => {
    const source = `${HEAD}secrets:
  clientSecret: { env: PAYREADY_CLIENT_SECRET }
  apiKey: { env: API_KEY }
  unused: { env: NOT_NEEDED }
checks:
  - id: a
    type: fetch
    section: "1.1"
    with: { url: "\${env.REGION}", headers: { authorization: "Bearer \${secrets.clientSecret}", x-api-key: "\${secrets.apiKey}" } }
`;
    expect(await problems(source)).toEqual([
      '8:18 environment variable API_KEY is not set (needed by secret "apiKey", used by check "a") | set API_KEY before running, e.g. export API_KEY=...',
      '14:19 environment variable REGION is not set (needed by check "a") | set REGION before running, e.g. export REGION=...',
    ]);
    expect(await problems(source, { environment: 'production', env: { REGION: 'eu', API_KEY: 'k' } })).toEqual([
      '7:24 environment variable PAYREADY_CLIENT_SECRET is not set (needed by secret "clientSecret", used by check "a") | set PAYREADY_CLIENT_SECRET before running, e.g. export PAYREADY_CLIENT_SECRET=...',
    ]);
  });

  it('checks references in the chosen environment\'s fields', async () => {
    const source = `suite: test
title: Test
environments:
  production: { baseUrl: "\${env.BASE_URL}", host: "\${target.baseUrl}", ca: "\${vars.caFile}" }
variables: { caFile: ./ca.pem }
checks:
  - { id: a, type: fetch, section: "1.1", with: { url: "\${target.baseUrl}" } }
`;
    expect(await problems(source)).toEqual([
      '4:27 environment variable BASE_URL is not set (needed by environment "production") | set BASE_URL before running, e.g. export BASE_URL=...',
      '4:52 ${target.baseUrl} cannot be used in environment "production" | only ${env.…} and ${vars.…} are available here',
    ]);
  });

  it('number fields (ports, caps) read from a variable must hold a whole number', async () => {
    const source = `suite: test
title: Test
environments:
  provider: { baseUrl: "\${env.BASE_URL}", port: "\${env.PORT}", httpPort: "eighty", rateLimit: 100, dailyCap: "\${env.CAP}" }
checks:
  - { id: a, type: fetch, section: "1.1", with: { url: "\${target.baseUrl}" } }
`;
    expect(await problems(source, { env: { BASE_URL: 'https://psp.example', PORT: '443/tcp', CAP: '' } })).toEqual([
      '4:49 port of environment "provider" is "443/tcp" (from ${env.PORT}), not a whole number | a port number, e.g. 443',
      '4:74 httpPort of environment "provider" is "eighty", not a whole number | a port number, e.g. 443',
      '4:110 dailyCap of environment "provider" is "" (from ${env.CAP}), not a whole number | digits only, e.g. 1000000',
    ]);
    await expect(load(source, { env: { BASE_URL: 'https://psp.example', PORT: '8443', CAP: '2500000' } }).catch((e: SuiteError) => e.problems.map(show))).resolves.toEqual([
      '4:74 httpPort of environment "provider" is "eighty", not a whole number | a port number, e.g. 443',
    ]);
    // A long value may be a credential read by mistake: it is described, not quoted.
    const long = await problems(source, { env: { BASE_URL: 'https://psp.example', PORT: 'sk_live_0123456789abcdef', CAP: '1' } });
    expect(long[0]).toBe('4:49 port of environment "provider" is a 24-character value (from ${env.PORT}), not a whole number | a port number, e.g. 443');
  });

  it('refuses literal credentials in x-secret parameters and sensitive headers', async () => {
    const found = await problems(`${HEAD}secrets: { pw: { env: PW } }
checks:
  - id: a
    type: login
    section: "1.1"
    with:
      user: alice
      password: hunter2
      client: { id: app, secret: "\${vars.clientSecret}" }
  - id: b
    type: login
    section: "1.1"
    with: { user: bob, password: "\${secrets.pw}" }
  - id: c
    type: fetch
    section: "1.1"
    with:
      url: x
      headers: { Cookie: "session=abc", X-Api-Key: "\${env.KEY}", Accept: "*/*" }
      expect: { headers: { authorization: "literal is fine in an assertion" } }
`, { env: { PW: 'pw', KEY: 'k' } });
    expect(found).toEqual([
      '13:17 parameter "password" of check "a" holds a literal credential (a string) | write ${secrets.password} and declare it under secrets:, e.g. password: { env: PASSWORD }',
      '14:34 parameter "client.secret" of check "a" must be exactly one ${secrets.x}, ${env.X} or secret capture reference | write ${secrets.secret} and declare it under secrets:',
      '14:35 ${vars.clientSecret}: variable "clientSecret" is not defined | define it under variables:',
      '24:26 header "Cookie" of check "c" holds a literal credential | write Cookie: "${secrets.apiKey}" and declare the secret under secrets: with { env: NAME } or { file: PATH }',
    ]);
  });

  it('[creds/capture-secret] refuses a capture not marked secret, a variable or an environment field flowing into a credential, located at the reference, with the fix', async () => {
    const source = `${HEAD}variables: { key: k-123456 }
checks:
  - id: login
    type: http
    section: "1.1"
    with: { url: "https://auth.example/token" }
    capture:
      token: { from: body.access_token, secret: true }
      plain: body.access_token
      kind: body.token_type
  - id: use
    type: http
    section: "1.1"
    with:
      method: POST
      url: "https://api.example/pay?currency=EUR&api_key=\${checks.login.plain}&page=\${checks.login.kind}"
      headers:
        Authorization: "Bearer \${checks.login.plain}"
        X-Api-Key: "\${vars.key}"
        X-Trace: "\${checks.login.kind}"
        X-Auth-Token: "\${checks.login.token}"
        Cookie: "session=\${env.SESSION}"
      form: { grant_type: "\${checks.login.kind}", client_secret: "\${checks.login.plain}" }
      expect: { headers: { authorization: "\${checks.login.plain}" } }
  - id: use-json
    type: http
    section: "1.1"
    with:
      method: POST
      url: "https://api.example/login"
      json: { user: { name: "\${checks.login.kind}", password: "\${checks.login.plain}" } }
`;
    const fix = 'add secret: true to capture "plain" of check "login": plain: { from: body.access_token, secret: true }, so it is redacted everywhere';
    expect(await problems(source, { env: { SESSION: 's' }, types: undefined })).toEqual([
      `21:58 query parameter "api_key" of check "use" reads \${checks.login.plain}, a capture not marked secret: it would be written in clear | ${fix}`,
      `23:32 header "Authorization" of check "use" reads \${checks.login.plain}, a capture not marked secret: it would be written in clear | ${fix}`,
      '24:21 header "X-Api-Key" of check "use" reads ${vars.key}, a suite variable: credentials are not written into the suite | declare it under secrets: with { env: NAME } or { file: PATH } and write ${secrets.key}',
      `28:67 field "client_secret" of check "use" reads \${checks.login.plain}, a capture not marked secret: it would be written in clear | ${fix}`,
      `36:64 field "password" of check "use-json" reads \${checks.login.plain}, a capture not marked secret: it would be written in clear | ${fix}`,
    ]);
  });

  it('refuses a money-moving check on a live environment unless allowLive is set', async () => {
    const source = `${HEAD}checks:\n  - { id: pay, type: pay, section: "3.1", with: { amount: 100 } }\n`;
    await expect(load(source)).resolves.toBeDefined();
    expect(await problems(source, { environment: 'production' })).toEqual([
      '7:22 check "pay" moves money, and environment "production" is not a sandbox | run it against a sandbox environment (--env <sandbox>), or write "allowLive: true" at the top of the suite (and set liveMaxAmount) to move real money',
    ]);
    await expect(load(`allowLive: true\nliveMaxAmount: 500\n${source}`, { environment: 'production' })).resolves.toMatchObject({ allowLive: true, liveMaxAmount: 500 });
  });

  it('checks durations, the default environment and capture paths', async () => {
    expect(
      await problems(`${HEAD}defaults: { environment: prod, timeout: 0s }
checks:
  - { id: a, type: fetch, section: "1.1", with: { url: x }, capture: { id: bdy.id } }
`),
    ).toEqual([
      '6:26 default environment "prod" is not declared under environments: | environments: sandbox, production',
      '6:41 invalid duration "0s": expected between 1ms and 24 hours, e.g. "500ms", "10s" or "2m"',
      '8:76 capture "id" reads "bdy.id", but check type "fetch" has no value "bdy" | did you mean "body"? its values: status, headers, body',
    ]);
    expect(
      await problems(`${HEAD}checks:
  - { id: a, type: fetch, section: "1.1", timeout: 2h, with: { url: x } }
  - { id: b, type: fetch, section: "1.1", timeout: 90000000, with: { url: x } }
`),
    ).toEqual([
      '7:52 invalid value "2h" for timeout in check "a": expected a duration such as "500ms", "10s" or "2m" (or a number of milliseconds)',
      '8:52 timeout in check "b" must be <= 86400000, got 90000000',
    ]);
  });

});

describe('environment keys', () => {
  const suiteWith = (environment: string, url = '${target.baseUrl}') => `suite: t
title: T
environments:
  sandbox: { embedded: true }
  provider:
${environment}
checks:
  - { id: a, type: fetch, section: "1.1", with: { url: "${url}" } }
`;

  it('an unknown key is a located error: caFile (what payready sandbox prints) means ca, insecrue means insecure', async () => {
    expect(await problems(suiteWith('    baseUrl: https://api.example.com\n    caFile: ./ca.pem\n    insecrue: true'))).toEqual([
      '7:5 unknown key "caFile" in environment "provider" | did you mean "ca"?',
      '8:5 unknown key "insecrue" in environment "provider" | did you mean "insecure"?',
    ]);
    expect(await problems(suiteWith('    baseUrl: https://api.example.com\n    rejectUnauthorized: false'))).toEqual([
      '7:5 unknown key "rejectUnauthorized" in environment "provider" | did you mean "insecure"? write insecure: true to turn TLS verification off',
    ]);
  });

  it("an unknown name that is not a typo says where the suite's own values go", async () => {
    const [problem] = await problems(suiteWith('    baseUrl: https://api.example.com\n    merchantId: M-123'));
    expect(problem).toMatch(/^7:5 unknown key "merchantId" in environment "provider" \| an environment takes embedded, sandbox, insecure, ca, the target fields \(baseUrl, host, port, /);
    expect(problem).toContain('and fields: { merchantId: ... } for your own values, read as ${target.merchantId}');
  });

  it('the known target fields and fields: validate; a custom field reads as ${target.name}; a known name under fields: is refused', async () => {
    const environment = [
      '    baseUrl: https://api.example.com',
      '    host: api.example.com',
      '    port: 443',
      '    httpPort: 80',
      '    tokenUrl: https://api.example.com/oauth/token',
      '    rateLimit: 100',
      '    ca: ./ca.pem',
      '    sandbox: true',
      '    fields: { merchantId: M-123, region: eu, retries: 3 }',
    ].join('\n');
    const suite = await load(suiteWith(environment, '${target.baseUrl}/${target.region}/${target.merchantId}'), { environment: 'provider' });
    expect(suite.environments.provider).toMatchObject({
      ca: ['./ca.pem'],
      sandbox: true,
      fields: { baseUrl: 'https://api.example.com', host: 'api.example.com', port: 443, httpPort: 80, rateLimit: 100, merchantId: 'M-123', region: 'eu', retries: 3 },
    });
    expect(suite.environments.provider!.fields).not.toHaveProperty('fields');
    expect(await problems(suiteWith('    baseUrl: https://api.example.com\n    fields: { host: h, caFile: ./ca.pem }'))).toEqual([
      '7:15 "host" under fields: in environment "provider" is a name payready gives a meaning | write host: directly in the environment; fields: holds only your own names',
      '7:24 "caFile" under fields: in environment "provider" is a name payready gives a meaning | name CA files with ca: in the environment (a file or a list)',
    ]);
    expect(await problems(suiteWith('    baseUrl: https://api.example.com\n    fields: { region: eu }', '${target.regoin}'), { environment: 'provider' })).toEqual([
      '9:57 ${target.regoin}: environment "provider" has no field "regoin" | did you mean "region"? its fields: baseUrl, region',
    ]);
  });
});
