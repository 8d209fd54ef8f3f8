import { describe, expect, it } from 'vitest';
import type { CheckType } from '../../src/checks/types.js';
import type { Interaction } from '../../src/model/interactions.js';
import { InteractionLog } from '../../src/model/interactions.js';
import type { Outcome, ProgressUpdate } from '../../src/model/outcome.js';
import type { CheckResult } from '../../src/model/report.js';
import { RunExit } from '../../src/runner/exit.js';
import { runSuite } from '../../src/runner/run.js';
import type { CheckSpec, Suite } from '../../src/suite/types.js';

/** A test card number: masked by the exit whether or not any secret is known. */
const PAN = '4111111111111111';
const MASKED_PAN = '411111******1111';

function spec(id: string, extra: Partial<CheckSpec> = {}): CheckSpec {
  return { id, type: 'leaky', title: id, section: '1.1', severity: 'major', tags: [], needs: [], with: {}, capture: {}, timeoutMs: 5_000, retries: 0, location: { file: 'suite.yaml', line: 1, column: 1 }, ...extra };
}

function suiteOf(checks: CheckSpec[]): Suite {
  return { file: 'suite.yaml', path: '/nowhere/suite.yaml', dir: '/nowhere', sha256: '0'.repeat(64), name: 'exit-test', title: 'Exit test', environments: {}, variables: {}, secrets: {}, defaultEnvironment: 'sandbox', allowLive: false, checks };
}

/**
 * A check type that says `say` everywhere it can (summary, finding, artifact, debug line, prompt,
 * progress, an interaction it records) and, when `reveal` is set, hands it back as a secret.
 */
const leaky: CheckType<{ say: string; reveal?: boolean }> = {
  name: 'leaky',
  title: 'Test type leaky',
  messages: {},
  description: 'test type',
  items: ['1.1.a'],
  schema: { type: 'object' },
  async run(params, ctx): Promise<Outcome> {
    ctx.log.debug(`debug ${params.say}`);
    ctx.prompt?.(`prompt ${params.say}`);
    ctx.progress?.({ fraction: 0.5, message: `progress ${params.say}` });
    ctx.interactions.record({ time: new Date().toISOString(), checkId: ctx.checkId, method: 'GET', url: `https://api.example/x?k=${params.say}`, endpoint: '/x', status: 200, durationMs: 1, bytesOut: 0, bytesIn: 0 });
    return {
      status: 'pass',
      summary: `said ${params.say}`,
      findings: [{ rule: 'said', level: 'note', message: `finding ${params.say}` }],
      artifacts: [{ name: 'said.txt', mediaType: 'text/plain', data: `artifact ${params.say}`, description: `description ${params.say}` }],
      ...(params.reveal ? { secrets: [params.say] } : {}),
    };
  },
};

describe('the run exit', () => {
  it('redacts every event, debug line, prompt, artifact and log line, and masks card numbers, with no secret known', async () => {
    const lines: string[] = [];
    const interactions = new InteractionLog();
    const exit = new RunExit();
    interactions.pipe(exit.interactionLines((line) => lines.push(line)));
    const shown: unknown[] = [];
    const said = `card ${PAN}`;
    const { report, artifacts } = await runSuite(
      { suite: suiteOf([spec('a', { with: { say: said } })]), target: { name: 'sandbox', sandbox: true, insecure: false, fields: {} }, embedded: false, secrets: {}, env: {} },
      {
        toolVersion: '0.0.0-test',
        exit,
        interactions,
        loadType: async () => leaky as CheckType,
        validate: async (_type, params) => ({ ok: true, params }),
        debug: (line) => shown.push(line),
        prompt: (line) => shown.push(line),
        listeners: [
          {
            onCheckStart: (check: CheckSpec) => shown.push(check),
            onCheckProgress: (_id: string, update: ProgressUpdate) => shown.push(update),
            onCheckEnd: (result: CheckResult) => shown.push(result),
          },
        ],
      },
    );
    const everything = JSON.stringify({ shown, lines, report, artifacts: [...artifacts] });
    expect(everything).not.toContain(PAN);
    expect(everything).toContain(MASKED_PAN);
    expect(shown).toContain(`a: debug card ${MASKED_PAN}`);
    expect(shown).toContain(`prompt card ${MASKED_PAN}`);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!) as Interaction).toMatchObject({ url: `https://api.example/x?k=card ${MASKED_PAN}` });
    expect(artifacts.get('a')).toEqual([{ name: 'said.txt', mediaType: 'text/plain', data: `artifact card ${MASKED_PAN}`, description: `description card ${MASKED_PAN}` }]);
    expect(report.results[0]!.artifacts).toEqual([{ name: 'said.txt', mediaType: 'text/plain', bytes: Buffer.byteLength(`artifact card ${MASKED_PAN}`), description: `description card ${MASKED_PAN}` }]);
  });

  it('a secret learned mid-run leaves nothing that follows, and the report built at the end holds it nowhere', async () => {
    const token = 'tok_late_9f3Kq2LmXz';
    const lines: string[] = [];
    const interactions = new InteractionLog();
    const exit = new RunExit();
    interactions.pipe(exit.interactionLines((line) => lines.push(line)));
    const ended: CheckResult[] = [];
    const { report } = await runSuite(
      {
        // `early` says the token before anyone knows it is one; `revealer` hands it back as a secret; `later` says it again.
        suite: suiteOf([spec('early', { with: { say: token } }), spec('revealer', { needs: ['early'], with: { say: token, reveal: true } }), spec('later', { needs: ['revealer'], with: { say: token } })]),
        target: { name: 'sandbox', sandbox: true, insecure: false, fields: {} },
        embedded: false,
        secrets: {},
        env: {},
      },
      { toolVersion: '0.0.0-test', exit, interactions, loadType: async () => leaky as CheckType, validate: async (_type, params) => ({ ok: true, params }), listeners: [{ onCheckEnd: (r: CheckResult) => ended.push(r) }] },
    );
    // What left before the secret was known cannot be called back: that is why the report leaves at the end.
    expect(ended[0]!.summary).toBe(`said ${token}`);
    expect(lines[0]).toContain(token);
    // Everything after it was learned, and the whole report, hold it nowhere.
    expect(ended.slice(1).map((r) => r.summary)).toEqual(['said [REDACTED]', 'said [REDACTED]']);
    expect(lines.slice(2).join('\n')).not.toContain(token);
    expect(JSON.stringify(report)).not.toContain(token);
    expect(report.results.map((r) => r.summary)).toEqual(['said [REDACTED]', 'said [REDACTED]', 'said [REDACTED]']);
    // Rendered at the end, through the exit, a streamed line is clean too (the bundle's copy of the log).
    expect(exit.text(lines.join('\n'))).not.toContain(token);
  });

  it('hands bundle parts on with every text file and manifest fact redacted, binary artifacts as produced', () => {
    const secret = 'sk_live_bundle_5c1e';
    const exit = new RunExit();
    exit.learn(secret);
    const binary = new Uint8Array([0, 1, 2, 3]);
    const report = { results: [{ id: 'a', summary: `key ${secret}` }] } as unknown as Parameters<RunExit['bundle']>[0]['report'];
    const parts = exit.bundle({
      report,
      reports: [{ name: 'report.md', text: `# ${secret}`, mediaType: 'text/markdown' }],
      interactions: Buffer.from(`{"url":"https://x/?k=${encodeURIComponent(secret)}"}\n`),
      artifacts: new Map([['a', [{ name: 'a.txt', mediaType: 'text/plain', data: `token=${secret}` }, { name: 'a.bin', mediaType: 'application/octet-stream', data: binary }]]]),
      suiteSource: { name: 'suite.yaml', bytes: Buffer.from(`token: ${secret}\n`) },
      extra: [{ name: 'coverage.json', text: `{"note":"${secret}"}`, mediaType: 'application/json' }],
      key: { kind: 'ephemeral' } as unknown as Parameters<RunExit['bundle']>[0]['key'],
      host: { hostname: `host-${secret}`, platform: 'linux', release: '6.1', arch: 'x64', node: 'v20', cpus: 2, memoryMiB: 1024 },
    });
    const texts = [
      JSON.stringify(parts.report),
      ...parts.reports.map((r) => r.text),
      parts.interactions.toString(),
      ...[...parts.artifacts.values()].flat().flatMap((a) => (typeof a.data === 'string' ? [a.data] : [])),
      parts.suiteSource!.bytes.toString(),
      ...parts.extra!.map((e) => e.text),
      JSON.stringify(parts.host),
    ];
    for (const text of texts) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(encodeURIComponent(secret));
      expect(text).toContain('[REDACTED]');
    }
    expect(parts.artifacts.get('a')![1]!.data).toEqual(binary);
  });
});
