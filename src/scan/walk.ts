import { existsSync } from 'node:fs';
import { lstat, readdir, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import picomatch from 'picomatch';
import { FILE_LIMITS, readRegularFile } from '../files.js';

/**
 * The one file walker of the file scanners (`secrets`, `pan-scan`): files, folders and globs,
 * `.gitignore` honoured on request, `.git` and `node_modules` never entered, symbolic links inside
 * folders not followed (they loop, and git stores the link, not its target).
 */

/** How to walk. */
export interface WalkOptions {
  /** Folder relative paths and globs resolve against (the suite's directory). */
  baseDir: string;
  /** Skip what `.gitignore` files ignore (a path named explicitly is always scanned). */
  gitignore: boolean;
  /** Globs of paths to leave out, matched against the file's display name and its path below each root. */
  exclude?: readonly string[];
  /** Stops the walk between entries. */
  signal?: AbortSignal;
}

/** A file to scan. */
export interface WalkedFile {
  /** Absolute path. */
  path: string;
  /** The path as the user wrote it, joined with the file's path below it: `../src/app.ts`, `logs/a.log`. */
  name: string;
  /** Size in bytes on disk. */
  size: number;
}

/** A path the suite named does not exist or cannot be read: the check cannot decide. */
export class ScanPathError extends Error {
  override readonly name = 'ScanPathError';
}

/** Folders never entered: version-control internals and installed dependencies. */
export const SKIPPED_DIRS: ReadonlySet<string> = new Set(['.git', 'node_modules']);

/** One `.gitignore` file, with the folder its patterns are relative to. */
interface IgnoreLayer {
  /** Absolute folder holding the `.gitignore`. */
  dir: string;
  /** Its parsed patterns. */
  rules: Ignore;
}

/** Which parts of the entries the walk has produced, so a file reached twice is scanned once. */
type Seen = Set<string>;

/** Yields every file the patterns name, in a stable (sorted) order, each once. */
export async function* walkFiles(patterns: readonly string[], options: WalkOptions): AsyncGenerator<WalkedFile> {
  const seen: Seen = new Set();
  const excluded = options.exclude && options.exclude.length > 0 ? picomatch([...options.exclude], { dot: true }) : undefined;
  for (const pattern of patterns) {
    const scanned = picomatch.scan(pattern);
    const base = scanned.isGlob ? scanned.base || '.' : pattern;
    const root = resolve(options.baseDir, base);
    const matcher = scanned.isGlob ? picomatch(scanned.glob, { dot: true }) : undefined;
    let info;
    try {
      info = await stat(root);
    } catch (err) {
      // A glob whose folder is missing matches nothing; a named path that is missing is a mistake.
      if (scanned.isGlob) continue;
      throw new ScanPathError(`${pattern}: ${reason(err)}`);
    }
    if (info.isFile()) {
      if (excluded?.(toPosix(pattern))) continue;
      if (!seen.has(root)) {
        seen.add(root);
        yield { path: root, name: pattern, size: info.size };
      }
      continue;
    }
    if (!info.isDirectory()) {
      if (!scanned.isGlob) throw new ScanPathError(`${pattern}: not a regular file or folder`);
      continue;
    }
    let layers = options.gitignore ? await ancestorIgnores(root) : [];
    // Naming an ignored folder (`logs/`) is asking for it: the rule that ignores it gives way.
    if (isIgnored(layers, root, true)) layers = [];
    for await (const file of walkDir(root, base, '', layers, options)) {
      if (seen.has(file.path)) continue;
      if (matcher && !matcher(file.below)) continue;
      if (excluded && (excluded(toPosix(file.name)) || excluded(file.below))) continue;
      seen.add(file.path);
      yield { path: file.path, name: file.name, size: file.size };
    }
  }
}

interface DirFile extends WalkedFile {
  /** Path below the walk's root, with `/` separators (what globs match). */
  below: string;
}

async function* walkDir(dir: string, display: string, below: string, parentLayers: readonly IgnoreLayer[], options: WalkOptions): AsyncGenerator<DirFile> {
  options.signal?.throwIfAborted();
  const layers = options.gitignore ? [...parentLayers, ...(await ownIgnore(dir))] : parentLayers;
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return; // an unreadable folder below the root is skipped, as git and grep -r do
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    const name = display === '.' ? entry.name : `${display}/${entry.name}`;
    const belowPath = below ? `${below}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (SKIPPED_DIRS.has(entry.name) || isIgnored(layers, path, true)) continue;
      yield* walkDir(path, name, belowPath, layers, options);
    } else if (entry.isFile()) {
      if (isIgnored(layers, path, false)) continue;
      let size = 0;
      try {
        size = (await lstat(path)).size;
      } catch {
        continue;
      }
      yield { path, name, below: belowPath, size };
    }
  }
}

/** The `.gitignore` files that apply to `root` from above: up to the repository's top (the folder holding `.git`). */
async function ancestorIgnores(root: string): Promise<IgnoreLayer[]> {
  const chain: string[] = [];
  let dir = dirname(root);
  for (;;) {
    chain.unshift(dir);
    if (existsSync(join(dir, '.git'))) break;
    const parent = dirname(dir);
    if (parent === dir) {
      // Not inside a repository: only the walked folders' own .gitignore files count.
      chain.length = 0;
      break;
    }
    dir = parent;
  }
  if (existsSync(join(root, '.git'))) chain.length = 0;
  const layers: IgnoreLayer[] = [];
  for (const d of chain) layers.push(...(await ownIgnore(d)));
  return layers;
}

async function ownIgnore(dir: string): Promise<IgnoreLayer[]> {
  let text: string;
  try {
    // A regular file only: a FIFO or device named .gitignore in a scanned tree is skipped, never waited on.
    text = (await readRegularFile(join(dir, '.gitignore'), FILE_LIMITS.document)).toString('utf8');
  } catch {
    return [];
  }
  return [{ dir, rules: ignore().add(text) }];
}

/** Git's rule: the deepest `.gitignore` that has a say about the path decides. */
function isIgnored(layers: readonly IgnoreLayer[], path: string, isDir: boolean): boolean {
  let ignored = false;
  for (const layer of layers) {
    const rel = relative(layer.dir, path);
    if (!rel || rel.startsWith('..') || isAbsolute(rel)) continue;
    const result = layer.rules.test(toPosix(rel) + (isDir ? '/' : ''));
    if (result.ignored) ignored = true;
    else if (result.unignored) ignored = false;
  }
  return ignored;
}

function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

function reason(err: unknown): string {
  const code = err !== null && typeof err === 'object' && 'code' in err ? String(err.code) : '';
  if (code === 'ENOENT') return 'no such file or folder';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return code ? `cannot be read (${code})` : 'cannot be read';
}
