import { execFile } from 'node:child_process';

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
