import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { parseSuite } from '../../src/suite/load.js';
import { resolveEnvironment } from '../../src/suite/resolve.js';
import { runSuite } from '../../src/runner/run.js';
import json from '../../src/reporters/json.js';
import type { Report } from '../../src/model/report.js';
import { HOSTILE_DESCRIPTIONS, HOSTILE_KINDS, startHostile, type Hostile, type HostileKind } from '../support/hostile.js';
import { readBlock } from '../../scripts/docs/markdown.js';

/**
 * The fault matrix (issue 8): every network check type against real misbehaving loopback servers.
 * Every cell must end as fail or error within its timeout with a summary naming the cause; the run
 * completes and its report renders. docs/reliability.md shows the matrix as measured here: this
 * test hands its table to `npm run docs` (scripts/docs.js) as test metadata and never writes a file.
 */

declare module 'vitest' {
  interface TaskMeta {
    /** The fault matrix as measured, for `npm run docs` to write into docs/reliability.md. */
    faultMatrix?: string;
  }
}

interface MatrixRow {
  /** `with:` parameters, written against `${target.baseUrl}`, `${target.host}`, `${target.port}`. */
  params: Record<string, unknown>;
  /** Servers against which the requirement is genuinely met, with why (e.g. a port check only proves the port accepts). */
  passes?: Partial<Record<HostileKind, string>>;
  /**
   * Where this type meets a different cause than CAUSE's, because it judges something else first
   * (a TLS probe never gets as far as HTTP; a headers check finds no HSTS on any of these servers).
   */
  causes?: Partial<Record<HostileKind, RegExp>>;
}

/** The same cause for several servers. */
function each(kinds: readonly HostileKind[], cause: RegExp): Partial<Record<HostileKind, RegExp>> {
  return Object.fromEntries(kinds.map((k) => [k, cause]));
}

/** The servers that answer HTTP in full (the misbehaviour is in what they answer). */
const ANSWERING: readonly HostileKind[] = ['malformed-json', 'wrong-content-type', 'redirect-loop'];

export const MATRIX: Record<string, MatrixRow> = {
  http: {
    params: {
      url: '${target.baseUrl}/v1/payments/pay_1',
      followRedirects: 5,
      expect: { status: 200, headers: { 'content-type': { matches: '^application/json' } }, json: { status: 'ok' } },
    },
  },
  port: {
    params: { host: '${target.host}', ports: ['${target.port}'] },
    passes: Object.fromEntries(
      HOSTILE_KINDS.filter((k) => k !== 'refused' && k !== 'unresolvable').map((k) => [k, 'port open']),
    ) as Partial<Record<HostileKind, string>>,
  },
  tls: {
    params: { host: '${target.host}', port: '${target.port}' },
    // These servers wait for an HTTP request: the ClientHello gets no answer at all.
    causes: each(['stall-body', 'drip', 'reset-mid-body', 'huge-body', ...ANSWERING], /timed out/),
  },
  oauth: {
    // Discovery sends no credential: the check still talks to these plain-HTTP servers (a token
    // request would rightly send nothing at all: a secret goes only to an HTTPS endpoint).
    params: { issuer: '${target.baseUrl}', clientId: 'matrix-client', clientSecret: '${secrets.clientSecret}', prove: ['discovery'] },
    causes: { 'malformed-json': /not a JSON object/, 'wrong-content-type': /text\/html body that is not a JSON object/, 'redirect-loop': /-> 302/ },
  },
  schema: {
    params: { url: '${target.baseUrl}/v1/payments/pay_1', status: 200 },
    // A schema check does not follow redirects: a redirect is not the documented answer.
    causes: { 'redirect-loop': /got 302/ },
  },
  transaction: {
    params: { scenario: 'approve', token: '${secrets.clientSecret}', retries: 0 },
    causes: { 'malformed-json': /not a JSON object/, 'wrong-content-type': /not a JSON object \(text\/html\)/, 'redirect-loop': /answered 302/ },
  },
  bandwidth: {
    params: { downloadUrl: '${target.baseUrl}/speed/down', uploadUrl: '${target.baseUrl}/speed/up', maxBytes: 1_000_000, maxSeconds: 1 },
    passes: { 'huge-body': 'a big download is what a speed test wants' },
    causes: { 'malformed-json': /too little to measure/, 'wrong-content-type': /too little to measure/, 'redirect-loop': /answered 302, not a download/ },
  },
  ratelimit: {
    params: { url: '${target.baseUrl}/v1/rate-limit', expectLimit: 20, maxRequests: 40, concurrency: 4 },
    causes: each(ANSWERING, /got no 429/),
  },
  'ip-allowlist': {
    params: { url: '${target.baseUrl}/health', sourceAddress: '127.0.0.2' },
    causes: each(ANSWERING, /\(outside the allowlist\) got \d+/),
  },
  headers: {
    params: { url: '${target.baseUrl}/v1/payments/pay_1' },
    causes: each(ANSWERING, /no Strict-Transport-Security/),
  },
  load: {
    // Latency is not what these servers break (and eleven servers share the machine here).
    params: { url: '${target.baseUrl}/v1/payments/pay_1', requests: 200, duration: '1s', connections: 4, thresholds: ['errorRate < 1%', 'successRate > 99%'] },
    passes: { 'malformed-json': 'load judges status and latency, not bodies', 'wrong-content-type': 'load judges status and latency, not bodies' },
  },
};

/** What the docs show where the cause may be worded either way (the kernel decides: RST or FIN first). */
const CAUSE_LABEL: Partial<Record<HostileKind, string>> = { 'reset-mid-body': 'connection reset or closed' };

/** The cause a summary must name for each misbehaviour. */
const CAUSE: Record<HostileKind, RegExp> = {
  refused: /connection refused/,
  silent: /timed out/,
  'stall-body': /timed out/,
  drip: /timed out/,
  'reset-mid-body': /connection reset|closed the connection/,
  'garbage-tls': /did not answer with TLS|TLS|valid HTTP/,
  'malformed-json': /not JSON/,
  'huge-body': /exceeds the [\d.]+ [KMG]?B limit/,
  'wrong-content-type': /content-type/i,
  'redirect-loop': /redirects/,
  unresolvable: /name not resolved/,
};

/** The cause `type`'s summary must name against `kind`. */
function causeOf(type: string, kind: HostileKind): RegExp {
  return MATRIX[type]!.causes?.[kind] ?? CAUSE[kind];
}

const TIMEOUT_MS = 3000;
const reports = new Map<HostileKind, Report>();
const servers: Hostile[] = [];

async function runAgainst(server: Hostile): Promise<Report> {
  const source = stringify({
    suite: `matrix-${server.kind}`,
    title: `Fault matrix: ${server.kind}`,
    environments: { hostile: { baseUrl: server.baseUrl, host: server.host, port: server.port, sandbox: true } },
    secrets: { clientSecret: { env: 'MATRIX_SECRET' } },
    checks: Object.entries(MATRIX).map(([type, row]) => ({ id: `${type}-check`, type, section: '1.1', timeout: `${TIMEOUT_MS}ms`, with: row.params })),
  });
  const env = { MATRIX_SECRET: 'matrix-secret-value' };
  const suite = await parseSuite(source, `matrix-${server.kind}.yaml`, { env });
  const { target, secrets } = await resolveEnvironment(suite, 'hostile', { env });
  const { report } = await runSuite({ suite, target, embedded: false, secrets, env }, { toolVersion: 'test', lookup: server.lookup, concurrency: 16 });
  // The report renders and parses: the run completed.
  return JSON.parse(json.render(report, {})) as Report;
}

beforeAll(async () => {
  await Promise.all(
    HOSTILE_KINDS.map(async (kind) => {
      const server = await startHostile(kind);
      servers.push(server);
      reports.set(kind, await runAgainst(server));
    }),
  );
}, 60_000);

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

function cell(type: string, kind: HostileKind): { status: string; summary: string; durationMs: number } {
  const result = reports.get(kind)!.results.find((r) => r.id === `${type}-check`)!;
  return { status: result.status, summary: result.summary, durationMs: result.durationMs };
}

describe('fault matrix: every network check type against misbehaving servers', () => {
  for (const type of Object.keys(MATRIX)) {
    for (const kind of HOSTILE_KINDS) {
      const pass = MATRIX[type]!.passes?.[kind];
      it(`${type} vs ${kind}: ${pass ? `pass (${pass})` : 'fail or error naming the cause'}, within the timeout`, () => {
        const c = cell(type, kind);
        if (pass) {
          expect(c.status, c.summary).toBe('pass');
        } else {
          expect(['fail', 'error'], c.summary).toContain(c.status);
          expect(c.summary).toMatch(causeOf(type, kind));
        }
        expect(c.durationMs).toBeLessThan(TIMEOUT_MS + 1000);
      });
    }
  }

  it('docs/reliability.md shows this matrix (`npm run docs` measures and writes it)', ({ task }) => {
    const header = `| check type | ${HOSTILE_KINDS.map((k) => HOSTILE_DESCRIPTIONS[k]).join(' | ')} |`;
    const rows = Object.keys(MATRIX).map((type) => {
      const cells = HOSTILE_KINDS.map((kind) => {
        const c = cell(type, kind);
        const cause = MATRIX[type]!.passes?.[kind] ?? (MATRIX[type]!.causes?.[kind] ? undefined : CAUSE_LABEL[kind]) ?? causeOf(type, kind).exec(c.summary)?.[0] ?? '?';
        return `${c.status}: ${cause}`;
      });
      return `| \`${type}\` | ${cells.join(' | ')} |`;
    });
    const table = [header, `|---|${HOSTILE_KINDS.map(() => '---').join('|')}|`, ...rows].join('\n');
    task.meta.faultMatrix = table;
    const page = readFileSync(new URL('../../docs/reliability.md', import.meta.url), 'utf8');
    expect(readBlock(page, 'fault-matrix'), 'docs/reliability.md shows another fault matrix: run `npm run docs`').toBe(table);
  });
});
