import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { checkTable, runCheck, type CheckCase } from './harness.js';
import { TEMPLATE_MARKER } from '../../src/checks/attestation/evidence.js';
import { tempDir } from '../support/temp.js';

// Frozen "today" so expiry cases do not drift with the calendar.
const clock = { now: () => new Date('2026-11-29T12:00:00Z'), monotonic: () => performance.now() };
const dir = tempDir('payready-attest-');
mkdirSync(join(dir, 'evidence'));
const POLICY = '# Backup policy\nDaily full backups at 02:00 UTC; restore tested 2026-11-20.\n';
writeFileSync(join(dir, 'evidence', 'backup.md'), POLICY);
writeFileSync(join(dir, 'evidence', 'dr.md'), '# DR plan\nRTO 1 h, RPO 5 min.\n');
writeFileSync(join(dir, 'evidence', 'template.md'), `# Backups\n<!-- ${TEMPLATE_MARKER}: replace me -->\n`);
writeFileSync(join(dir, 'evidence', 'scan.pdf'), Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0xfe]));
const outside = tempDir('payready-outside-');
writeFileSync(join(outside, 'secret.txt'), 'not evidence');
symlinkSync(join(outside, 'secret.txt'), join(dir, 'evidence', 'link.md'));
const sha = (text: string | Buffer): string => createHash('sha256').update(text).digest('hex');

const base = { owner: 'ops@example.com', date: '2026-11-01', expires: '2027-11-01' };
const cases: (CheckCase & { live?: boolean })[] = [
  { name: 'present, pinned and current', params: { ...base, evidence: 'evidence/backup.md', sha256: sha(POLICY) }, status: 'pass', message: 'attested', summary: /^evidence\/backup\.md attested by ops@example\.com on 2026-11-01, valid until 2027-11-01 \(337 days\)$/ },
  { name: 'several files, each pinned', params: { ...base, evidence: [{ file: 'evidence/backup.md', sha256: sha(POLICY).toUpperCase() }, 'evidence/dr.md'] }, status: 'pass', message: 'attested', data: { files: 'evidence/backup.md, evidence/dr.md' } },
  { name: 'missing file', params: { ...base, evidence: 'evidence/restore-test.md' }, status: 'fail', message: 'problems', data: { problem: 'fileMissing', first: 'evidence file evidence/restore-test.md is missing: add it or update the attestation', more: '' } },
  { name: 'changed since attested', params: { ...base, evidence: 'evidence/backup.md', sha256: sha('older text') }, status: 'fail', message: 'problems', data: { problem: 'fileChanged', count: 1 }, summary: /^evidence\/backup\.md changed since it was attested .*re-attest with its new sha256$/ },
  { name: 'expired', params: { ...base, evidence: 'evidence/backup.md', date: '2025-11-01', expires: '2026-11-28' }, status: 'fail', message: 'problems', data: { problem: 'expired', first: 'attestation by ops@example.com expired on 2026-11-28: review the evidence and renew it' } },
  { name: 'expires within 30 days', params: { ...base, evidence: 'evidence/backup.md', expires: '2026-12-20' }, status: 'warn', message: 'problems', data: { problem: 'expiring', first: 'attestation by ops@example.com expires in 21 days, on 2026-12-20: renew it before then' } },
  { name: 'expires today: still counts, with a warning', params: { ...base, evidence: 'evidence/backup.md', expires: '2026-11-29' }, status: 'warn', message: 'problems', data: { problem: 'expiring' }, summary: /expires in 0 days/ },
  { name: 'dated in the future', params: { ...base, evidence: 'evidence/backup.md', date: '2026-12-01' }, status: 'fail', message: 'problems', data: { problem: 'datedInFuture', first: 'attestation is dated 2026-12-01, in the future: date it the day it was made' } },
  { name: 'expires before it was made', params: { ...base, evidence: 'evidence/backup.md', date: '2026-11-01', expires: '2026-10-01' }, status: 'error', message: 'datesReversed', data: { expires: '2026-10-01', date: '2026-11-01' } },
  { name: 'one sha256 for several files', params: { ...base, evidence: ['evidence/backup.md', 'evidence/dr.md'], sha256: sha(POLICY) }, status: 'error', message: 'singleHashForMany' },
  { name: 'a path outside the suite folder', params: { ...base, evidence: '../elsewhere.md' }, status: 'error', message: 'problems', data: { problem: 'outsideFolder' } },
  { name: 'an absolute path', params: { ...base, evidence: join(outside, 'secret.txt') }, status: 'error', message: 'problems', data: { problem: 'outsideFolder' } },
  { name: 'a link to a file outside the folder', params: { ...base, evidence: 'evidence/link.md' }, status: 'error', message: 'problems', data: { problem: 'linksOutside', first: "evidence/link.md links outside the suite's folder" } },
  { name: 'a template on a sandbox run', params: { ...base, evidence: 'evidence/template.md' }, status: 'warn', message: 'problems', data: { problem: 'templateSandbox', first: 'evidence/template.md is a payready template (accepted on a sandbox run only): replace it with your own evidence before going live' } },
  { name: 'a template against a live environment', live: true, params: { ...base, evidence: 'evidence/template.md' }, status: 'fail', message: 'problems', data: { problem: 'templateLive', first: 'evidence/template.md is still a payready template: replace it with your own evidence and re-attest' } },
  {
    name: 'several problems: the worst leads, the rest follow',
    params: { ...base, evidence: ['evidence/nope.md', 'evidence/template.md'], expires: '2026-12-01' },
    status: 'fail',
    message: 'problems',
    data: { problem: 'fileMissing', count: 3 },
    summary: /^evidence file evidence\/nope\.md is missing.*\(\+2 more: .*template.*expires in 2 day/,
  },
];

describe('attestation check type', () => {
  checkTable('attestation', cases, { options: (c) => ({ baseDir: dir, clock, ...(c.live ? { target: { sandbox: false, name: 'production' } } : {}) }) });

  it('turns the evidence files into artifacts: text as text (so it is redacted), binary as bytes', async () => {
    const { outcome } = await runCheck('attestation', { ...base, evidence: ['evidence/backup.md', 'evidence/scan.pdf'] }, { baseDir: dir, clock });
    expect(outcome.status).toBe('pass');
    const [md, pdf] = outcome.artifacts!;
    expect(md).toMatchObject({ name: 'evidence/backup.md', mediaType: 'text/markdown', data: POLICY });
    expect(pdf!.mediaType).toBe('application/pdf');
    expect(pdf!.data).toBeInstanceOf(Uint8Array);
    expect(outcome.values).toMatchObject({ owner: 'ops@example.com', daysLeft: 337, files: [{ file: 'evidence/backup.md', sha256: sha(POLICY), bytes: POLICY.length }, expect.any(Object)] });
    expect(outcome.measurements).toEqual([{ name: 'days until expiry', value: 337, unit: 'days' }]);
  });

  it('records the pinned hash as an assertion', async () => {
    const { outcome } = await runCheck('attestation', { ...base, evidence: 'evidence/backup.md', sha256: sha('x') }, { baseDir: dir, clock });
    expect(outcome.assertions).toContainEqual(expect.objectContaining({ name: 'sha256 evidence/backup.md', operator: 'eq', expected: sha('x'), actual: sha(POLICY), passed: false }));
  });

  it('the shipped go-live attestations match their templates and stay valid for at least 60 more days', () => {
    // When this fails, the templates are about to expire: review them and move date/expires forward.
    const suite = parse(readFileSync(new URL('../../checks/go-live.yaml', import.meta.url), 'utf8')) as { checks: { id: string; type: string; with: { evidence: string; sha256: string; expires: string } }[] };
    const attestations = suite.checks.filter((c) => c.type === 'attestation');
    expect(attestations.length).toBeGreaterThanOrEqual(9);
    const soon = new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10);
    for (const a of attestations) {
      expect(a.with.expires >= soon, `${a.id} expires on ${a.with.expires}`).toBe(true);
      const file = readFileSync(new URL(`../../checks/${a.with.evidence}`, import.meta.url));
      expect(sha(file), `${a.id}: sha256 of ${a.with.evidence}`).toBe(a.with.sha256);
      expect(file.toString()).toContain(TEMPLATE_MARKER);
    }
  });
});
