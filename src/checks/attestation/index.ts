import { createHash } from 'node:crypto';
import { realpath } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';
import { legacyCheck } from '../types.js';
import type { Artifact, Assertion, Outcome, Status } from '../../model/outcome.js';
import { assertion } from '../../model/operators.js';
import { plural } from '../../text.js';
import { FileReadError, readRegularFile } from '../../files.js';

/** One evidence file as written: a path, or `{ file, sha256 }` to pin its content. */
type EvidenceEntry = string | { file: string; sha256?: string };

/** Parameters of the `attestation` check type. */
export interface AttestationParams {
  /** Evidence file(s), relative to the suite's folder. */
  evidence: EvidenceEntry | EvidenceEntry[];
  /** SHA-256 the single evidence file must have (with several files, give each its own). */
  sha256?: string;
  /** Who attests (a person or team, with a way to reach them). */
  owner: string;
  /** Day the attestation was made (YYYY-MM-DD). */
  date: string;
  /** Last day it counts (YYYY-MM-DD). */
  expires: string;
  /** Warn this many days before `expires`. */
  warnDays: number;
}

/** Marker the shipped example evidence files carry; real evidence must not. */
export const TEMPLATE_MARKER = 'PAYREADY TEMPLATE';

/** Largest evidence file read (bundles are meant to be mailed to a reviewer). */
const MAX_EVIDENCE_BYTES = 20 * 1024 * 1024;
const DAY_MS = 86_400_000;
const SHA256 = '^[0-9a-fA-F]{64}$';
const DATE = { type: 'string', format: 'date', description: 'YYYY-MM-DD' } as const;

const MEDIA_TYPES: Readonly<Record<string, string>> = {
  '.md': 'text/markdown',
  '.txt': 'text/plain',
  '.json': 'application/json',
  '.yaml': 'application/yaml',
  '.yml': 'application/yaml',
  '.csv': 'text/csv',
  '.html': 'text/html',
  '.pdf': 'application/pdf',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.pem': 'application/x-pem-file',
};

/** What was found for one evidence file. */
interface Inspected {
  name: string;
  problem?: { status: Status; text: string };
  artifact?: Artifact;
  sha256?: string;
  bytes?: number;
}

export default legacyCheck<AttestationParams>({
  name: 'attestation',
  description: 'What no probe can prove (backups, disaster recovery, agreements, support, certification, privacy): evidence files with an owner, a date and an expiry; pass while present, unchanged and current.',
  // What needs a person's word and a document: the stack and SDK, PCI DSS and GDPR compliance,
  // patching, the team's own logging and monitoring, backups, disaster recovery, support,
  // certification, agreements, privacy. Items a probe can test are left to the probes.
  items: ['1.4.a', '1.4.b', '2.2.a', '2.2.b', '2.3.a', '3.2.a', '3.2.b', '3.3.a', '3.3.b', '4.1.a', '4.1.b', '5.2.a', '7.1.a', '7.1.b', '7.2.a', '7.2.b'],
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['evidence', 'owner', 'date', 'expires'],
    properties: {
      evidence: {
        description: 'Evidence file(s) inside the suite folder: a path, a list of paths, or { file, sha256 } entries. They go into the evidence bundle.',
        anyOf: [
          { type: 'string', minLength: 1 },
          {
            type: 'array',
            minItems: 1,
            items: {
              anyOf: [
                { type: 'string', minLength: 1 },
                {
                  type: 'object',
                  additionalProperties: false,
                  required: ['file'],
                  properties: { file: { type: 'string', minLength: 1 }, sha256: { type: 'string', pattern: SHA256, description: 'SHA-256 (hex) the file must have' } },
                },
              ],
            },
          },
        ],
      },
      sha256: { type: 'string', pattern: SHA256, description: 'SHA-256 (hex) of the single evidence file: any change to it fails the check until re-attested.' },
      owner: { type: 'string', minLength: 1, description: 'Who attests, e.g. "ops-lead@example.com".' },
      date: { ...DATE, description: 'Day the attestation was made (YYYY-MM-DD); not in the future.' },
      expires: { ...DATE, description: 'Last day the attestation counts (YYYY-MM-DD).' },
      warnDays: { type: 'integer', minimum: 0, maximum: 366, default: 30, description: 'Warn this many days before it expires.' },
    },
  },
  values: { owner: 'who attests', date: 'attestation day', expires: 'last valid day', daysLeft: 'days until it expires', files: 'evidence files with sha256 and size' },
  example: { evidence: 'evidence/development-environment.md', owner: 'ops-lead@example.com', date: '2026-11-29', expires: '2027-11-29' },

  async run(params, ctx): Promise<Outcome> {
    const entries = (Array.isArray(params.evidence) ? params.evidence : [params.evidence]).map((e) => (typeof e === 'string' ? { file: e } : e));
    if (params.sha256 !== undefined) {
      if (entries.length > 1) return { status: 'error', summary: 'sha256 applies to a single evidence file: give each file its own ({ file, sha256 })' };
      entries[0] = { ...entries[0]!, sha256: params.sha256 };
    }
    if (params.expires < params.date) return { status: 'error', summary: `attestation expires (${params.expires}) before it was made (${params.date}): fix the dates` };

    const today = ctx.clock.now().toISOString().slice(0, 10);
    const daysLeft = Math.round((Date.parse(params.expires) - Date.parse(today)) / DAY_MS);
    const daysSince = Math.round((Date.parse(today) - Date.parse(params.date)) / DAY_MS);
    const assertions: Assertion[] = [
      assertion('days since attested', 'ge', 0, daysSince, `attestation is dated ${params.date}, after today (${today})`),
      assertion('days until expiry', 'ge', 0, daysLeft, `attestation expired on ${params.expires}`),
    ];
    const inspected = await Promise.all(entries.map((entry) => inspect(entry, ctx.baseDir, !ctx.target.sandbox)));
    entries.forEach((entry, i) => {
      const found = inspected[i]!;
      if (entry.sha256 && found.sha256) assertions.push(assertion(`sha256 ${found.name}`, 'eq', entry.sha256.toLowerCase(), found.sha256, `${found.name} changed since it was attested`));
    });

    const problems: { status: Status; text: string }[] = inspected.flatMap((f) => (f.problem ? [f.problem] : []));
    if (daysSince < 0) problems.push({ status: 'fail', text: `attestation is dated ${params.date}, in the future: date it the day it was made` });
    if (daysLeft < 0) problems.push({ status: 'fail', text: `attestation by ${params.owner} expired on ${params.expires}: review the evidence and renew it` });
    else if (daysLeft <= (params.warnDays ?? 30)) problems.push({ status: 'warn', text: `attestation by ${params.owner} expires in ${plural(daysLeft, 'day')}, on ${params.expires}: renew it before then` });

    const artifacts = inspected.flatMap((f) => (f.artifact ? [f.artifact] : []));
    const values = {
      owner: params.owner,
      date: params.date,
      expires: params.expires,
      daysLeft,
      files: inspected.filter((f) => f.sha256).map((f) => ({ file: f.name, sha256: f.sha256, bytes: f.bytes })),
    };
    const measurements = [{ name: 'days until expiry', value: daysLeft, unit: 'days' }];
    // A file that fails decides over one that cannot be read, which decides over a warning.
    const status: Status | undefined = (['fail', 'error', 'warn'] as const).find((level) => problems.some((p) => p.status === level));
    const worst = problems.find((p) => p.status === status);
    if (status && worst) {
      const more = problems.length > 1 ? ` (+${problems.length - 1} more: ${problems.filter((p) => p !== worst).map((p) => p.text).join('; ')})` : '';
      return { status, summary: `${worst.text}${more}`, assertions, measurements, artifacts, values };
    }
    const names = inspected.map((f) => f.name).join(', ');
    return { status: 'pass', summary: `${names} attested by ${params.owner} on ${params.date}, valid until ${params.expires} (${plural(daysLeft, 'day')})`, assertions, measurements, artifacts, values };
  },
});

/** Reads one evidence file: it must be inside the suite folder, present, and match its pinned hash. */
async function inspect(entry: { file: string; sha256?: string }, baseDir: string, live: boolean): Promise<Inspected> {
  const name = entry.file.split(/[\\/]+/).join('/');
  if (isAbsolute(entry.file) || !isInside(baseDir, resolve(baseDir, entry.file))) {
    return { name, problem: { status: 'error', text: `${name} is outside the suite's folder: keep evidence files next to the suite (they go into the bundle)` } };
  }
  let bytes: Buffer;
  try {
    // Resolve links too: a link must not pull a file from elsewhere into the bundle.
    const real = await realpath(resolve(baseDir, entry.file));
    if (!isInside(await realpath(baseDir), real)) return { name, problem: { status: 'error', text: `${name} links outside the suite's folder` } };
    bytes = await readRegularFile(real, MAX_EVIDENCE_BYTES);
  } catch (err) {
    const reason = err instanceof FileReadError ? err.reason : (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'unreadable';
    if (reason === 'missing') return { name, problem: { status: 'fail', text: `evidence file ${name} is missing: add it or update the attestation` } };
    if (reason === 'too-large') return { name, problem: { status: 'error', text: `evidence file ${name} is larger than ${MAX_EVIDENCE_BYTES / 1024 / 1024} MB: attach a summary and keep the original elsewhere` } };
    return { name, problem: { status: 'error', text: `evidence file ${name} cannot be read (${err instanceof FileReadError ? err.message : ((err as NodeJS.ErrnoException).code ?? 'unreadable')})` } };
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const text = asText(bytes);
  const artifact: Artifact = {
    name,
    mediaType: MEDIA_TYPES[extname(name).toLowerCase()] ?? (text !== undefined ? 'text/plain' : 'application/octet-stream'),
    data: text ?? new Uint8Array(bytes),
    description: `attested evidence (sha256 ${sha256})`,
  };
  const found: Inspected = { name, artifact, sha256, bytes: bytes.length };
  if (entry.sha256 && entry.sha256.toLowerCase() !== sha256) {
    found.problem = { status: 'fail', text: `${name} changed since it was attested (sha256 ${sha256.slice(0, 12)}..., attested ${entry.sha256.slice(0, 12).toLowerCase()}...): review it and re-attest with its new sha256` };
  } else if (text?.includes(TEMPLATE_MARKER)) {
    found.problem = live
      ? { status: 'fail', text: `${name} is still a payready template: replace it with your own evidence and re-attest` }
      : { status: 'warn', text: `${name} is a payready template (accepted on a sandbox run only): replace it with your own evidence before going live` };
  }
  return found;
}

function isInside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}

/** UTF-8 text without NUL bytes is stored as text (and so redacted); anything else as bytes. */
function asText(bytes: Buffer): string | undefined {
  if (bytes.includes(0)) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}
