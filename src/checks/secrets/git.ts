import { execFile } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import picomatch from 'picomatch';

/** Paths git tracks below a folder. */
export type TrackedFiles =
  | {
      /** Git answered. */
      ok: true;
      /** Tracked files, relative to the folder, `/`-separated. */
      files: string[];
    }
  | {
      /** Git is not installed or the folder is not in a work tree. */
      ok: false;
      /** Why, in words. */
      reason: string;
    };

/** Files git tracks below `dir` (`git ls-files -z`), from the index: what a push would publish. */
export function trackedFiles(dir: string, signal?: AbortSignal): Promise<TrackedFiles> {
  return new Promise((resolve) => {
    execFile(
      'git',
      ['ls-files', '-z', '--', '.'],
      // GIT_DIR and friends from the caller's environment would point git at another repository.
      { cwd: dir, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, ...(signal ? { signal } : {}), env: withoutGitVariables(process.env) },
      (error, stdout) => {
        if (error) {
          const code = 'code' in error ? error.code : undefined;
          resolve({ ok: false, reason: code === 'ENOENT' ? 'git is not installed' : 'not inside a git work tree' });
          return;
        }
        resolve({ ok: true, files: stdout.split('\0').filter(Boolean) });
      },
    );
  });
}

function withoutGitVariables(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(env)) if (!key.startsWith('GIT_')) out[key] = value;
  return out;
}

/** `.env`, `.env.production`, `config/.env.local`; not the `.env.example` kind meant to be shared. */
export function isEnvFile(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return /^\.env(?:\.[^/]+)?$/.test(name) && !/\.(?:example|sample|template|dist|defaults?|schema)$/i.test(name);
}

/** `.env` files git tracks below the folders named in `paths`; `reason` says why git could not answer for some. */
export async function trackedEnvFiles(paths: readonly string[], baseDir: string, exclude: readonly string[], signal: AbortSignal): Promise<{ files: { name: string; path: string }[]; reason?: string }> {
  const excluded = exclude.length > 0 ? picomatch([...exclude], { dot: true }) : () => false;
  const files: { name: string; path: string }[] = [];
  const seen = new Set<string>();
  let reason: string | undefined;
  for (const pattern of paths) {
    const scanned = picomatch.scan(pattern);
    const base = scanned.isGlob ? scanned.base || '.' : pattern;
    const dir = resolve(baseDir, base);
    const info = await stat(dir).catch(() => undefined);
    if (!info?.isDirectory()) continue;
    const tracked = await trackedFiles(dir, signal);
    if (!tracked.ok) {
      reason ??= tracked.reason;
      continue;
    }
    for (const rel of tracked.files.filter(isEnvFile)) {
      const path = resolve(dir, rel);
      const name = base === '.' ? rel : `${base.replace(/\/+$/, '')}/${rel}`;
      if (seen.has(path) || excluded(name) || excluded(rel)) continue;
      seen.add(path);
      files.push({ name, path });
    }
  }
  return { files, ...(reason ? { reason } : {}) };
}
