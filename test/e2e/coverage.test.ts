import { describe, expect, it } from 'vitest';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GUIDELINE_SECTIONS } from '../../src/guidelines.js';
import { stackTraceIn, tempDir } from './helpers.js';
import { runInProcess } from './in-process.js';

describe('payready coverage', () => {
  it('the shipped go-live suite proves every guideline item, each by a check whose type can evidence it (exit 0)', async () => {
    const result = await runInProcess(['coverage', '--json']);
    expect(result.stderr).toBe('');
    const coverage = JSON.parse(result.stdout) as { suite: { file: string }; items: { id: string; text: string; checks: { id: string; explicit: boolean }[] }[]; uncovered: string[]; total: number };
    expect(coverage.suite.file).toBe('checks/go-live.yaml');
    expect(coverage.total).toBe(36);
    expect(coverage.items.map((i) => i.id)).toContain('7.2.b');
    expect(coverage.uncovered).toEqual([]);
    expect(result.code).toBe(0);
    const attested = (id: string) => coverage.items.find((i) => i.id === id)!.checks.map((c) => c.id);
    for (const [item, check] of [['1.4.a', 'attest-development-environment'], ['2.2.a', 'attest-pci-dss'], ['2.2.b', 'attest-gdpr'], ['3.3.a', 'attest-backups'], ['3.3.b', 'attest-disaster-recovery'], ['4.1.b', 'attest-support-and-monitoring'], ['5.2.a', 'attest-certification'], ['7.1.b', 'attest-agreements'], ['7.2.b', 'attest-privacy']]) {
      expect(attested(item!)).toContain(check);
    }
    expect(attested('1.1.b')).toContain('api-https');
    expect(attested('5.2.b')).toContain('payment-approve');
    // Probes prove only what they test: no file scan for TLS, no card scan for GDPR, no TCP connect for bandwidth.
    expect(attested('2.1.a')).not.toContain('no-hardcoded-credentials');
    expect(attested('2.2.b')).not.toContain('no-pan-in-logs');
    expect(attested('1.2.a')).not.toContain('api-port-open');
    expect(attested('2.3.b')).toEqual(['rate-limit']);
    expect(attested('2.3.c')).toEqual(['ip-allowlist']);
    expect(attested('5.2.a')).toEqual(['attest-certification']);
  });

  it('an attestation cannot stand in for a probe: one per section leaves the probed items unproven (exit 1)', async () => {
    const dir = tempDir();
    try {
      writeFileSync(join(dir, 'policy.md'), '# evidence\n');
      const checks = Object.keys(GUIDELINE_SECTIONS)
        .map((section) => `  - id: attest-${section.replace('.', '-')}\n    type: attestation\n    section: "${section}"\n    with: { evidence: policy.md, owner: me@example.com, date: 2026-11-01, expires: 2030-01-01 }`)
        .join('\n');
      writeFileSync(join(dir, 'all.yaml'), `suite: all\ntitle: All\nenvironments:\n  sandbox: { embedded: true }\nchecks:\n${checks}\n`);
      const result = await runInProcess(['coverage', 'all.yaml'], { cwd: dir });
      expect(result.stderr).toBe('');
      expect(result.code, result.stdout).toBe(1);
      expect(result.stdout).toMatch(/^Guideline coverage of all\.yaml \(suite all\): 16 of 36 items proven$/m);
      expect(result.stdout).toMatch(/^ {2}ok {7}3\.3\.a {2}Schedule regular backups of transactional data\.\n {13}attest-3-3 \(attestation, by its section\)$/m);
      expect(result.stdout).toMatch(/^ {2}MISSING {2}2\.3\.c {2}Restrict API access using IP whitelisting\.$/m);
      expect(result.stdout).toMatch(/^ {2}attest-1-2 \(attestation, section 1\.2\): attestation can evidence 1\.4\.a, 1\.4\.b, 2\.2\.a/m);
      expect(result.stdout).toMatch(/^20 items not proven: 1\.1\.a, 1\.1\.b, 1\.1\.c, 1\.2\.a/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a port check claiming bandwidth or an agreement is a located error naming what port can evidence', async () => {
    const dir = tempDir();
    try {
      writeFileSync(join(dir, 's.yaml'), 'suite: t\ntitle: T\nenvironments:\n  sandbox: { embedded: true }\nchecks:\n  - id: open\n    type: port\n    section: "1.2"\n    proves: ["1.2.b", "1.2.a", "7.1.a"]\n    with: { host: "${target.host}" }\n');
      const result = await runInProcess(['validate', 's.yaml'], { cwd: dir });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('error: check type "port" cannot evidence guideline item 1.2.a (Maintain a stable internet connection with at least 1 Mbps bandwidth.)\n --> s.yaml:9:23\n');
      expect(result.stderr).toContain('error: check type "port" cannot evidence guideline item 7.1.a (Review and accept all relevant terms and service agreements.)\n --> s.yaml:9:32\n');
      expect(result.stderr).toContain('^ "port" can evidence 1.2.b; prove 1.2.a with a check of a type that can (payready checks lists them)');
      expect(stackTraceIn(result.stderr)).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('without a suite: reads payready.yaml of the folder, else says it shows the shipped suite and how to pass one', async () => {
    const dir = tempDir();
    try {
      const empty = await runInProcess(['coverage'], { cwd: dir });
      expect(empty.code).toBe(0);
      expect(empty.stderr).toBe(
        "note: no suite given and no payready.yaml or checks/go-live.yaml in this folder: this is the coverage of the suite payready ships.\n  Pass yours: payready coverage <suite.yaml> (payready init writes one).\n",
      );
      expect(empty.stdout).toMatch(/^Guideline coverage of payready's shipped checks\/go-live\.yaml \(suite go-live\): 36 of 36 items proven$/m);
      writeFileSync(join(dir, 'payready.yaml'), 'suite: mine\ntitle: Mine\nenvironments:\n  sandbox: { embedded: true }\nchecks:\n  - { id: open, type: port, section: "1.2", with: { host: "${target.host}" } }\n');
      const mine = await runInProcess(['coverage'], { cwd: dir });
      expect(mine.stderr).toBe('');
      expect(mine.code).toBe(1);
      expect(mine.stdout).toMatch(/^Guideline coverage of payready\.yaml \(suite mine\): 1 of 36 items proven$/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a broken suite is a located usage error (exit 2), never a stack trace', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 's.yaml'), 'suite: t\ntitle: T\nenvironments:\n  sandbox: { embedded: true }\nchecks:\n  - id: a\n    type: http\n    section: "1.1"\n    proves: ["1.1.d"]\n    with: { url: "https://127.0.0.1:1/" }\n');
    const result = await runInProcess(['coverage', 's.yaml'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/s\.yaml:9:14/);
    expect(result.stderr).toMatch(/did you mean "1\.1\.a"\?/);
    expect(stackTraceIn(result.stderr)).toBeUndefined();
  });
});
