import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../checks/harness.js';
import { OK_PATH, nginxVersion, startNginx, type Nginx } from './nginx.js';

/**
 * payready's `tls`, `headers` and `ratelimit` checks against the real nginx (Debian
 * `nginx-light`), one server block per configuration a team really writes. Each row asserts what
 * that nginx truly does and what payready must say about it.
 */

const version = nginxVersion();

const SECURITY_HEADERS = `
add_header Strict-Transport-Security "max-age=31536000" always;
add_header Cache-Control "no-store" always;
add_header X-Content-Type-Options "nosniff" always;`;

// limit_req: 1 request per second with a burst of 4 served at once (nodelay), so the 6th request
// of a quick burst is refused: the declared limit is 5. limit_req answers 503 unless told 429.
const limitZone = (zone: string): string => `limit_req_zone $binary_remote_addr zone=${zone}:1m rate=1r/s;`;
const limitReq = (zone: string): string => `limit_req zone=${zone} burst=4 nodelay;`;

const sites = {
  // The legacy configuration of old tutorials; OpenSSL 3 needs @SECLEVEL=0 to speak TLS 1.0/1.1.
  legacyTls: { tls: true, server: 'ssl_protocols TLSv1 TLSv1.1 TLSv1.2;\nssl_ciphers HIGH:!aNULL:!MD5:@SECLEVEL=0;' },
  // The line Debian's /etc/nginx/nginx.conf ships, with nginx's default ciphers (HIGH:!aNULL:!MD5).
  debianTls: { tls: true, server: 'ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3;' },
  modernTls: { tls: true, server: 'ssl_protocols TLSv1.2 TLSv1.3;' },
  tokensOn: { tls: true, server: `server_tokens on;${SECURITY_HEADERS}` },
  tokensOff: { tls: true, server: `server_tokens off;${SECURITY_HEADERS}` },
  limitWithRetryAfter: {
    // Retry-After on the 429 only: an empty add_header value adds nothing.
    http: `${limitZone('with_retry_after')}\nmap $status $retry_after {\n429 1;\ndefault "";\n}`,
    server: `${limitReq('with_retry_after')}\nlimit_req_status 429;\nadd_header Retry-After $retry_after always;`,
  },
  limitWithoutRetryAfter: { http: limitZone('without_retry_after'), server: `${limitReq('without_retry_after')}\nlimit_req_status 429;` },
  limitDefaultStatus: { http: limitZone('default_status'), server: limitReq('default_status') },
};

describe(`nginx ${version} (Debian nginx-light)`, () => {
  let nginx: Nginx<keyof typeof sites>;
  beforeAll(async () => {
    nginx = await startNginx(sites);
  });
  afterAll(() => nginx?.stop());

  const tls = (site: keyof typeof sites) => runCheck('tls', { host: '127.0.0.1', port: nginx.port(site), ca: nginx.caFile });
  const headers = (site: keyof typeof sites) => runCheck('headers', { url: `${nginx.url(site)}${OK_PATH}` }, { target: { ca: [nginx.caPem] } });
  // One request at a time, so the count at the first 429 is nginx's, not the arrival order's. A
  // tolerance of 2: a machine stalled for a second lets one refilled request through.
  const ratelimit = (site: keyof typeof sites) => runCheck('ratelimit', { url: `${nginx.url(site)}${OK_PATH}`, expectLimit: 5, tolerance: 2, concurrency: 1 });

  it('is the nginx `nginx -v` reports, and says so in its Server header', async () => {
    expect(version).toMatch(/^\d+\.\d+\.\d+$/);
    const { outcome } = await headers('tokensOn');
    expect(outcome.values?.headers).toMatchObject({ server: `nginx/${version}` });
  });

  describe('tls', () => {
    it('legacy: ssl_protocols TLSv1 TLSv1.1 TLSv1.2 at @SECLEVEL=0 fails naming TLS 1.0 and TLS 1.1', async () => {
      const { outcome } = await tls('legacyTls');
      expect(outcome.status, outcome.summary).toBe('fail');
      expect(outcome.message).toMatchObject({ id: 'weak', data: { firstId: 'legacyVersions', more: '' } });
      expect(outcome.summary).toMatch(/^TLS 1\.0 and TLS 1\.1 accepted on 127\.0\.0\.1:\d+: disable TLS 1\.0 and TLS 1\.1 \(accept TLS 1\.2 and newer only\)$/);
      expect(outcome.values?.versions).toEqual(['TLSv1', 'TLSv1.1', 'TLSv1.2']);
    });

    it("Debian's nginx.conf line (TLSv1 to TLSv1.3) with nginx's default ciphers: OpenSSL 3 completes no TLS 1.0/1.1 handshake, so it passes", async () => {
      const { outcome } = await tls('debianTls');
      expect(outcome.status, outcome.summary).toBe('pass');
      expect(outcome.message?.id).toBe('secure');
      expect(outcome.summary).toMatch(/^127\.0\.0\.1:\d+: TLS 1\.2, TLS 1\.3 only; TLS_AES_256_GCM_SHA384 with X25519, no weak suites; chain trusted, ec prime256v1 ecdsa-with-SHA256, \d+ days to expiry$/);
      const facts = JSON.parse(String(outcome.artifacts?.find((a) => a.name === 'handshake.json')?.data));
      expect(facts.versions.TLSv1).toMatch(/^refused: /);
      expect(facts.versions['TLSv1.1']).toMatch(/^refused: /);
    });

    it('modern: ssl_protocols TLSv1.2 TLSv1.3 passes', async () => {
      const { outcome } = await tls('modernTls');
      expect(outcome.status, outcome.summary).toBe('pass');
      expect(outcome.message?.id).toBe('secure');
      expect(outcome.summary).toMatch(/^127\.0\.0\.1:\d+: TLS 1\.2, TLS 1\.3 only; TLS_AES_256_GCM_SHA384 with X25519, no weak suites; chain trusted, ec prime256v1 ecdsa-with-SHA256, \d+ days to expiry$/);
      expect(outcome.values?.versions).toEqual(['TLSv1.2', 'TLSv1.3']);
    });
  });

  describe('headers', () => {
    it('server_tokens on: the version in Server is the one finding, quoted', async () => {
      const { outcome } = await headers('tokensOn');
      expect(outcome.status, outcome.summary).toBe('fail');
      expect(outcome.summary).toBe(`GET ${OK_PATH}: Server discloses software versions ("nginx/${version}"): remove the version`);
      expect(outcome.findings?.map((f) => f.rule)).toEqual(['headers/version-disclosure']);
    });

    it('server_tokens off (Server: nginx) with the security headers passes', async () => {
      const { outcome } = await headers('tokensOff');
      expect(outcome.status, outcome.summary).toBe('pass');
      expect(outcome.summary).toBe(`GET ${OK_PATH} -> 200: HSTS max-age 31536000, no-store, nosniff, no version disclosed`);
      expect(outcome.values?.headers).toMatchObject({ server: 'nginx' });
    });
  });

  describe('ratelimit', () => {
    it('limit_req_status 429 with Retry-After: 429 before the declared limit, and 200 again after waiting, passes', async () => {
      const { outcome } = await ratelimit('limitWithRetryAfter');
      expect(outcome.status, outcome.summary).toBe('pass');
      expect(outcome.message).toMatchObject({ id: 'recovered', data: { label: `GET ${OK_PATH}`, limitedAt: expect.toBeOneOf([6, 7]), retryAfter: 1, status: 200 } });
      expect(outcome.values).toMatchObject({ retryAfter: 1 });
    });

    it('limit_req_status 429 without Retry-After: the limit holds, a warning that quotes RFC 6585', async () => {
      const { outcome } = await ratelimit('limitWithoutRetryAfter');
      expect(outcome.status, outcome.summary).toBe('warn');
      expect(outcome.message).toMatchObject({ id: 'noRetryAfter', data: { label: `GET ${OK_PATH}`, limitedAt: expect.toBeOneOf([6, 7]) } });
      expect(outcome.values).not.toHaveProperty('retryAfter');
    });

    it("limit_req's default status 503: no 429, and the message names the 503 instead of asking for a limit", async () => {
      const { outcome } = await ratelimit('limitDefaultStatus');
      expect(outcome.status, outcome.summary).toBe('fail');
      expect(outcome.message).toMatchObject({ id: 'otherStatus', data: { sent: 8, declared: 'declared limit 5; ', tally: expect.stringMatching(/^200 x[56], 503 x[23]$/), statuses: '503' } });
    });
  });
});
