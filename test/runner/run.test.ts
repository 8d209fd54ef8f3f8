import { describe, expect, it } from 'vitest';
import { runSuite, type RunOptions } from '../../src/runner/run.js';
import { blockedOnlyBySetup } from '../../src/model/report.js';
import type { CheckType } from '../../src/checks/types.js';
import type { Outcome, Status } from '../../src/model/outcome.js';
import type { CheckSpec, Suite } from '../../src/suite/types.js';
import { methodWrites } from '../../src/checks/shared/writes.js';

/** A check type for runner tests: waits `ms` (honouring the abort signal) and returns `status`. */
function sleeper(log: { id: string; event: 'start' | 'end'; at: number }[] = []): CheckType<{ ms?: number; status?: Status; values?: Record<string, unknown>; echo?: unknown; throws?: string; failTimes?: number }> {
  const attempts = new Map<string, number>();
  return {
    name: 'sleep',
    title: 'Test type sleep',
    messages: {},
    description: 'test type',
    items: ['1.1.a'],
    schema: { type: 'object' },
    async run(params, ctx): Promise<Outcome> {
      log.push({ id: ctx.checkId, event: 'start', at: performance.now() });
      const n = (attempts.get(ctx.checkId) ?? 0) + 1;
      attempts.set(ctx.checkId, n);
      if (params.throws) throw new TypeError(params.throws);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, params.ms ?? 0);
        ctx.signal.addEventListener('abort', () => {
          clearTimeout(timer);
          resolve();
        });
      });
      log.push({ id: ctx.checkId, event: 'end', at: performance.now() });
      if (params.failTimes && n <= params.failTimes) return { status: 'fail', summary: `attempt ${n} failed` };
      return { status: params.status ?? 'pass', summary: `slept ${params.ms ?? 0} ms, echo ${JSON.stringify(params.echo ?? null)}`, values: params.values ?? {} };
    },
  };
}

function spec(id: string, extra: Partial<CheckSpec> = {}): CheckSpec {
  return {
    id,
    type: 'sleep',
    title: id,
    section: '1.1',
    severity: 'major',
    tags: [],
    needs: [],
    with: {},
    capture: {},
    timeoutMs: 5_000,
    retries: 0,
    location: { file: 'suite.yaml', line: 1, column: 1 },
    ...extra,
  };
}

function suiteOf(checks: CheckSpec[]): Suite {
  return {
    file: 'suite.yaml',
    path: '/nowhere/suite.yaml',
    dir: '/nowhere',
    sha256: '0'.repeat(64),
    name: 'runner-test',
    title: 'Runner test',
    environments: {},
    variables: {},
    secrets: {},
    defaultEnvironment: 'sandbox',
    allowLive: false,
    checks,
  };
}

async function run(checks: CheckSpec[], type: CheckType<never>, options: Partial<RunOptions> = {}, secrets: Record<string, string> = {}) {
  return runSuite(
    { suite: suiteOf(checks), target: { name: 'sandbox', sandbox: true, insecure: false, fields: {} }, embedded: false, secrets, env: {} },
    {
      toolVersion: '0.0.0-test',
      loadType: async () => type as CheckType,
      validate: async (_type, params) => ({ ok: true, params }),
      ...options,
    },
  );
}

describe('runner', () => {
  it('runs a check only after everything it needs has finished', async () => {
    const log: { id: string; event: 'start' | 'end'; at: number }[] = [];
    const { report } = await run([spec('b', { needs: ['a'], with: { ms: 1 } }), spec('a', { with: { ms: 30 } })], sleeper(log) as CheckType<never>);
    const aEnd = log.find((e) => e.id === 'a' && e.event === 'end')!.at;
    const bStart = log.find((e) => e.id === 'b' && e.event === 'start')!.at;
    expect(bStart).toBeGreaterThanOrEqual(aEnd);
    expect(report.results.map((r) => [r.id, r.status])).toEqual([
      ['b', 'pass'],
      ['a', 'pass'],
    ]);
  });

  it('skips the dependents of a failed check and says why', async () => {
    const { report } = await run([spec('a', { with: { status: 'fail' } }), spec('b', { needs: ['a'] }), spec('c', { needs: ['b'] })], sleeper() as CheckType<never>);
    expect(report.results.map((r) => r.status)).toEqual(['fail', 'skip', 'skip']);
    expect(report.results[1]!.summary).toBe('skipped: needs "a", which failed');
    expect(report.results[2]!.summary).toBe('skipped: needs "b", which was skipped');
    expect(report.results[1]!.skippedBy).toBe('dependency');
    expect(report.verdict).toBe('NOT READY');
  });

  it('keeps a setup cause on an error, and tells a run blocked only by setup errors from one the target fails', async () => {
    const configured: CheckType<{ status: Status; setup?: boolean }> = {
      name: 'configured',
      title: 'Test type configured',
      messages: {},
      description: 'test type',
      items: ['1.1.a'],
      schema: {},
      run: async (params) => ({ status: params.status, summary: params.status, ...(params.setup ? { cause: 'setup' as const } : {}) }),
    };
    const setupOnly = await run([spec('creds', { with: { status: 'error', setup: true } }), spec('ok', { with: { status: 'pass' } })], configured as CheckType<never>);
    expect(setupOnly.report.results[0]).toMatchObject({ status: 'error', cause: 'setup' });
    expect(setupOnly.report.verdict).toBe('NOT READY');
    expect(blockedOnlyBySetup(setupOnly.report)).toBe(true);

    const alsoFails = await run([spec('creds', { with: { status: 'error', setup: true } }), spec('tls', { with: { status: 'fail' } })], configured as CheckType<never>);
    expect(blockedOnlyBySetup(alsoFails.report)).toBe(false);

    // A cause only qualifies an error: a fail stays "the target is not ready".
    const failWithCause = await run([spec('x', { with: { status: 'fail', setup: true } })], configured as CheckType<never>);
    expect(failWithCause.report.results[0]!.cause).toBeUndefined();
    expect(blockedOnlyBySetup(failWithCause.report)).toBe(false);
  });

  it('turns a check that outlives its timeout into error, even when the check ignores its signal', async () => {
    const stubborn: CheckType = {
      name: 'stubborn',
      title: 'Test type stubborn',
      messages: {},
      description: 'never finishes',
      items: ['1.1.a'],
      schema: {},
      run: () => new Promise<Outcome>(() => undefined),
    };
    const { report } = await run([spec('slow', { timeoutMs: 120 })], stubborn as CheckType<never>);
    expect(report.results[0]).toMatchObject({ status: 'error', summary: 'timed out after 120 ms' });
  });

  it('retries a failing check with backoff and records the attempts', async () => {
    const { report } = await run([spec('flaky', { retries: 2, with: { failTimes: 1 } })], sleeper() as CheckType<never>);
    expect(report.results[0]).toMatchObject({ status: 'pass', attempts: 2 });
    expect(report.results[0]!.summary).toMatch(/passed on attempt 2/);
  });

  it('never runs more checks at once than --concurrency', async () => {
    const log: { id: string; event: 'start' | 'end'; at: number }[] = [];
    const checks = Array.from({ length: 9 }, (_, i) => spec(`c${i}`, { with: { ms: 25 } }));
    await run(checks, sleeper(log) as CheckType<never>, { concurrency: 3 });
    let running = 0;
    let peak = 0;
    for (const e of [...log].sort((x, y) => x.at - y.at || (x.event === 'end' ? -1 : 1))) {
      running += e.event === 'start' ? 1 : -1;
      peak = Math.max(peak, running);
    }
    expect(peak).toBe(3);
  });

  it('on interrupt aborts running checks, marks the rest skipped and the report incomplete', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 60);
    const { report } = await run([spec('long', { with: { ms: 10_000 } }), spec('after', { needs: ['long'] })], sleeper() as CheckType<never>, { signal: controller.signal });
    expect(report.incomplete).toBe(true);
    expect(report.verdict).toBe('NOT READY');
    expect(report.results.map((r) => [r.status, r.skippedBy])).toEqual([
      ['skip', 'interrupt'],
      ['skip', 'interrupt'],
    ]);
    expect(report.results[0]!.summary).toBe('interrupted before the check finished');
    expect(report.results[1]!.summary).toBe('not run: the run was interrupted');
  });

  it('after an interrupt, waits for a stopped check to finish cleaning up (a browser removing its profile) before it returns', async () => {
    let cleanedUp = false;
    const tidy: CheckType = {
      name: 'tidy',
      title: 'Test type tidy',
      messages: {},
      description: 'cleans up after its signal aborts',
      items: ['1.1.a'],
      schema: {},
      run: (_params, ctx) =>
        new Promise<Outcome>((resolve) => {
          ctx.signal.addEventListener('abort', () => {
            setTimeout(() => {
              cleanedUp = true;
              resolve({ status: 'pass', summary: 'cleaned up' });
            }, 200);
          });
        }),
    };
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    const { report } = await run([spec('browser')], tidy as CheckType<never>, { signal: controller.signal });
    expect(report.results[0]).toMatchObject({ status: 'skip', skippedBy: 'interrupt', summary: 'interrupted before the check finished' });
    expect(cleanedUp).toBe(true);
  });

  it('passes captured values to later checks and redacts secret captures everywhere', async () => {
    const token = 'tok_7Hq2xVw9sLmP4kRz';
    const { report } = await run(
      [
        spec('issuer', { with: { values: { body: { token } } }, capture: { token: { from: 'body.token', secret: true } } }),
        spec('user', { needs: ['issuer'], with: { echo: `Bearer ${token}` } }),
      ],
      sleeper() as CheckType<never>,
    );
    const text = JSON.stringify(report);
    expect(text).not.toContain(token);
    expect(report.results[1]!.summary).toContain('Bearer [REDACTED]');
  });

  it('turns a missing capture into an error that names the path', async () => {
    const { report } = await run([spec('a', { capture: { id: { from: 'body.id', secret: false } } })], sleeper() as CheckType<never>);
    expect(report.results[0]).toMatchObject({ status: 'error' });
    expect(report.results[0]!.summary).toMatch(/could not capture "id": nothing at "body.id"/);
  });

  it('gates on --fail-on and honours active waivers only', async () => {
    const clock = { now: () => new Date('2026-06-01T00:00:00Z'), monotonic: () => performance.now() };
    const minor = await run([spec('a', { severity: 'minor', with: { status: 'fail' } })], sleeper() as CheckType<never>, { clock });
    expect(minor.report.verdict).toBe('READY');
    const strict = await run([spec('a', { severity: 'minor', with: { status: 'fail' } })], sleeper() as CheckType<never>, { clock, failOn: 'minor' });
    expect(strict.report.verdict).toBe('NOT READY');
    const waived = await run([spec('a', { with: { status: 'fail' }, waiver: { reason: 'vendor fix due', approvedBy: 'cto@example.com', expires: '2026-06-30' } })], sleeper() as CheckType<never>, { clock });
    expect(waived.report.verdict).toBe('READY WITH WAIVERS');
    expect(waived.report.results[0]!.waived).toBe(true);
    const expired = await run([spec('a', { with: { status: 'fail' }, waiver: { reason: 'old', approvedBy: 'cto@example.com', expires: '2026-05-31' } })], sleeper() as CheckType<never>, { clock });
    expect(expired.report.verdict).toBe('NOT READY');
    expect(expired.report.results[0]!.summary).toMatch(/waiver expired on 2026-05-31/);
  });

  it('runs checks whose type runs last after all the others', async () => {
    const log: { id: string; event: 'start' | 'end'; at: number }[] = [];
    const base = sleeper(log);
    const last: CheckType = { ...base, name: 'last', runsLast: true } as CheckType;
    const types: Record<string, CheckType> = { sleep: base as CheckType, last };
    await run([spec('kpi', { type: 'last' }), spec('a', { with: { ms: 30 } }), spec('b', { with: { ms: 10 } })], base as CheckType<never>, { loadType: async (name) => types[name]! });
    expect(log.filter((e) => e.event === 'start').at(-1)!.id).toBe('kpi');
    expect(log.find((e) => e.id === 'kpi')!.at).toBeGreaterThanOrEqual(Math.max(...log.filter((e) => e.id !== 'kpi' && e.event === 'end').map((e) => e.at)));
  });

  it('prepare: called once the run goes quiet (every running check in ctx.wait with time to spare, no check left to start but the last ones); the check gets what it prepared; released at the end', async () => {
    const events: string[] = [];
    const base = sleeper();
    const waiter: CheckType = {
      ...(base as CheckType),
      name: 'waiter',
      async run(params, ctx) {
        events.push(`wait ${ctx.checkId}`);
        await ctx.wait((params as { ms: number }).ms);
        events.push(`woke ${ctx.checkId}`);
        return { status: 'pass', summary: 'ok' };
      },
    };
    const busy: CheckType = {
      ...(base as CheckType),
      async run(params, ctx) {
        const outcome = await base.run(params as never, ctx);
        events.push(`end ${ctx.checkId}`);
        return outcome;
      },
    };
    const preparing: CheckType = {
      ...(base as CheckType),
      name: 'prepared',
      runsLast: true,
      async prepare(params, ctx) {
        events.push(`prepare ${ctx.checkId} ${JSON.stringify(params)}`);
        return { release: async () => void events.push(`release ${ctx.checkId}`) };
      },
      async run(_params, ctx) {
        events.push(`run ${ctx.checkId} ${ctx.prepared ? 'with' : 'without'} its preparation`);
        return { status: 'pass', summary: 'ok' };
      },
    };
    const types: Record<string, CheckType> = { sleep: busy, waiter, prepared: preparing };
    const loadType = async (name: string): Promise<CheckType> => types[name]!;

    // Not while `b` runs (it is not waiting): once it ends, with `w` 400 ms or more from waking.
    await run([spec('w', { type: 'waiter', with: { ms: 900 } }), spec('b', { with: { ms: 150 } }), spec('page', { type: 'prepared', with: { viewports: ['360x640'] } }), spec('skipped', { type: 'prepared' })], base as CheckType<never>, { loadType, skip: ['skipped'] });
    // A check --skip names is never prepared.
    expect(events).toEqual(['wait w', 'end b', 'prepare page {"viewports":["360x640"]}', 'woke w', 'run page with its preparation', 'release page']);

    // A last check bound to be skipped (its need failed) is not prepared for.
    events.length = 0;
    await run([spec('w', { type: 'waiter', with: { ms: 900 } }), spec('bad', { with: { status: 'fail' } }), spec('page', { type: 'prepared', needs: ['bad'] })], base as CheckType<never>, { loadType });
    expect(events.filter((e) => !/^(end|wait|woke) /.test(e))).toEqual([]);

    // Never quiet: the wait ends too soon after `b`, or a check still to start (`after`, needing `w`) would run beside the set-up.
    for (const checks of [
      [spec('w', { type: 'waiter', with: { ms: 400 } }), spec('b', { with: { ms: 150 } }), spec('page', { type: 'prepared' })],
      [spec('w', { type: 'waiter', with: { ms: 900 } }), spec('after', { needs: ['w'] }), spec('page', { type: 'prepared' })],
    ]) {
      events.length = 0;
      await run(checks, base as CheckType<never>, { loadType });
      expect(events.filter((e) => !/^(end|wait|woke) /.test(e))).toEqual(['run page without its preparation']);
    }
  });

  it('runs the last checks one at a time, in suite order; a check that needs one waits for it', async () => {
    const log: { id: string; event: 'start' | 'end'; at: number }[] = [];
    const base = sleeper(log);
    const last: CheckType = { ...base, name: 'last', runsLast: true } as CheckType;
    const types: Record<string, CheckType> = { sleep: base as CheckType, last };
    const { report } = await run(
      [spec('browser', { type: 'last', with: { ms: 20 } }), spec('load', { type: 'last', with: { ms: 20 } }), spec('after-load', { needs: ['load'] }), spec('a', { with: { ms: 10 } }), spec('kpi', { type: 'last' })],
      base as CheckType<never>,
      { loadType: async (name) => types[name]! },
    );
    expect(report.results.every((r) => r.status === 'pass')).toBe(true);
    const order = log.map((e) => `${e.event} ${e.id}`);
    expect(order).toEqual(['start a', 'end a', 'start browser', 'end browser', 'start load', 'end load', 'start after-load', 'end after-load', 'start kpi', 'end kpi']);
  });

  it('--only pulls in what a check needs; --skip skips a check and its dependents', async () => {
    const checks = [spec('a'), spec('b', { needs: ['a'] }), spec('c')];
    const only = await run(checks, sleeper() as CheckType<never>, { only: ['b'] });
    expect(only.report.results.map((r) => r.id)).toEqual(['a', 'b']);
    const skipped = await run(checks, sleeper() as CheckType<never>, { skip: ['a'] });
    expect(skipped.report.results.map((r) => [r.id, r.status, r.skippedBy])).toEqual([
      ['a', 'skip', 'filter'],
      ['b', 'skip', 'dependency'],
      ['c', 'pass', undefined],
    ]);
    expect(skipped.report.sections['1.1']).toEqual({ passed: 1, warned: 0, total: 2 });
    await expect(run([spec('settle-payout')], sleeper() as CheckType<never>, { only: ['settle-payuot'] })).rejects.toThrow('no check with id "settle-payuot" in the suite; did you mean "settle-payout"?');
  });

  it('scores a warning apart from a pass: a section with a warning (an attestation template) is not fully passed', async () => {
    const checks = [spec('a'), spec('b', { with: { status: 'warn' } }), spec('c', { with: { status: 'warn' } })];
    const { report } = await run(checks, sleeper() as CheckType<never>);
    expect(report.results.map((r) => r.status)).toEqual(['pass', 'warn', 'warn']);
    expect(report.sections['1.1']).toEqual({ passed: 1, warned: 2, total: 3 });
  });

  it('reports a check that throws as error with its message and no stack trace', async () => {
    const { report } = await run([spec('boom', { with: { throws: 'cannot read properties of undefined' } })], sleeper() as CheckType<never>);
    expect(report.results[0]).toMatchObject({ status: 'error', summary: 'the check failed unexpectedly: cannot read properties of undefined' });
    expect(JSON.stringify(report)).not.toMatch(/at .*\.ts:\d+/);
  });

  it('redacts an environment variable a check sends as a credential, though it is not declared under secrets:', async () => {
    const key = 'env-credential-5521-Qx';
    const checks = [spec('a', { with: { headers: { 'X-Api-Key': '${env.KEY}', Accept: '${env.ACCEPT}' }, echo: ['${env.KEY}', '${env.ACCEPT}'] } })];
    const { report } = await runSuite(
      { suite: suiteOf(checks), target: { name: 'sandbox', sandbox: true, insecure: false, fields: {} }, embedded: false, secrets: {}, env: { KEY: key, ACCEPT: 'application/json' } },
      { toolVersion: '0.0.0-test', loadType: async () => sleeper() as CheckType, validate: async (_type, params) => ({ ok: true, params }) },
    );
    expect(report.results[0]!.summary).toBe('slept 0 ms, echo ["[REDACTED]","application/json"]');
  });

  it('[creds/handed-out] redacts a credential a server handed out in the values of a check, captured or not', async () => {
    const token = 'tok/handed-out+by=server';
    const cookie = 'cookie-value-77ab91';
    const { report } = await run(
      [spec('a', { with: { values: { body: { access_token: token, token_type: 'Bearer', expires_in: 3600 }, headers: { 'set-cookie': [`sid=${cookie}; Path=/; HttpOnly`] } }, echo: [token, cookie, 'Bearer'] } })],
      sleeper() as CheckType<never>,
    );
    expect(report.results[0]!.summary).toBe('slept 0 ms, echo ["[REDACTED]","[REDACTED]","Bearer"]');
  });

  it('redacts secret values and their encoded forms from the report', async () => {
    const secret = 's3cr3t/value+with=chars';
    const { report } = await run([spec('a', { with: { echo: [secret, Buffer.from(secret).toString('base64'), encodeURIComponent(secret)] } })], sleeper() as CheckType<never>, {}, { clientSecret: secret });
    const text = JSON.stringify(report);
    expect(text).not.toContain(secret);
    expect(text).not.toContain(Buffer.from(secret).toString('base64'));
    expect(text).not.toContain(encodeURIComponent(secret));
    expect(text).toContain('[REDACTED]');
  });

  it('refuses a write whose method only resolves at run time on a live target, before the check runs', async () => {
    const calls: string[] = [];
    const writer: CheckType = {
      name: 'sleep',
      title: 'Test type sleep',
      messages: {},
      description: 'test type that writes',
      items: ['1.1.a'],
      schema: { type: 'object' },
      writes: methodWrites,
      async run(params) {
        calls.push(String(params.method));
        return { status: 'pass', summary: 'sent' };
      },
    };
    const live = { name: 'production', sandbox: false, insecure: false, fields: {} };
    const runOn = (method: string, allowLive = false) =>
      runSuite(
        { suite: { ...suiteOf([spec('charge', { with: { method: '${vars.method}', url: 'https://pay.example/v1/payments' } })]), variables: { method }, allowLive }, target: live, embedded: false, secrets: {}, env: {} },
        { toolVersion: '0.0.0-test', loadType: async () => writer, validate: async (_type, params) => ({ ok: true, params }) },
      );
    const refused = await runOn('POST');
    expect(refused.report.results[0]).toMatchObject({ status: 'error', cause: 'setup', summary: 'refused: POST https://pay.example/v1/payments is a write request and environment "production" is not a sandbox (set allowLive: true in the suite to allow it)' });
    expect(calls).toEqual([]);
    expect((await runOn('GET')).report.results[0]?.status).toBe('pass');
    expect((await runOn('PATCH', true)).report.results[0]?.status).toBe('pass');
    expect(calls).toEqual(['GET', 'PATCH']);
  });
});
