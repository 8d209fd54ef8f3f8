import { createHash } from 'node:crypto';
import { realpath } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';
import type { MessageData } from '../../model/messages.js';
import type { Artifact } from '../../model/outcome.js';
import { FileReadError, readRegularFile } from '../../files.js';
import type { ProblemId } from './messages.js';

/** Marker the shipped example evidence files carry; real evidence must not. */
export const TEMPLATE_MARKER = 'PAYREADY TEMPLATE';

/** Largest evidence file read (bundles are meant to be mailed to a reviewer). */
const MAX_EVIDENCE_BYTES = 20 * 1024 * 1024;

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

/** A problem with the attestation: an entry of the messages table and its data. */
export interface Problem {
  id: ProblemId;
  data: MessageData;
}

/** What was found for one evidence file. */
export interface Inspected {
  name: string;
  problem?: Problem;
  artifact?: Artifact;
  sha256?: string;
  bytes?: number;
}

/** Reads one evidence file: it must be inside the suite folder, present, and match its pinned hash. */
export async function inspect(entry: { file: string; sha256?: string }, baseDir: string, live: boolean): Promise<Inspected> {
  const name = entry.file.split(/[\\/]+/).join('/');
  const file = { file: name };
  if (isAbsolute(entry.file) || !isInside(baseDir, resolve(baseDir, entry.file))) return { name, problem: { id: 'outsideFolder', data: file } };
  let bytes: Buffer;
  try {
    // Resolve links too: a link must not pull a file from elsewhere into the bundle.
    const real = await realpath(resolve(baseDir, entry.file));
    if (!isInside(await realpath(baseDir), real)) return { name, problem: { id: 'linksOutside', data: file } };
    bytes = await readRegularFile(real, MAX_EVIDENCE_BYTES);
  } catch (err) {
    const reason = err instanceof FileReadError ? err.reason : (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'unreadable';
    if (reason === 'missing') return { name, problem: { id: 'fileMissing', data: file } };
    if (reason === 'too-large') return { name, problem: { id: 'fileTooLarge', data: { ...file, maxMb: MAX_EVIDENCE_BYTES / 1024 / 1024 } } };
    return { name, problem: { id: 'fileUnreadable', data: { ...file, cause: err instanceof FileReadError ? err.message : ((err as NodeJS.ErrnoException).code ?? 'unreadable') } } };
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
    found.problem = { id: 'fileChanged', data: { ...file, actual: sha256.slice(0, 12), attested: entry.sha256.slice(0, 12).toLowerCase() } };
  } else if (text?.includes(TEMPLATE_MARKER)) {
    found.problem = { id: live ? 'templateLive' : 'templateSandbox', data: file };
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
