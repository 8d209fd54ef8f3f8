/** The `secrets` type's metadata: everything but its behaviour (read by the registry, the docs and `payready checks`). */
export const meta = {
  name: 'secrets',
  title: 'Hard-coded credentials',
  description: "No hard-coded credentials in the integration's files (provider and cloud key formats, PEM private keys, high-entropy credential assignments, .env files tracked by git); values reported masked.",
  // Credentials kept out of files, in the environment or a vault (2.1.b). A file scan proves
  // nothing about TLS (2.1.a).
  items: ['2.1.b'],
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      paths: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 }, default: ['.'], description: 'Files, folders and globs to scan, relative to the suite file.' },
      exclude: { type: 'array', items: { type: 'string', minLength: 1 }, description: 'Globs of paths to leave out (matched against the path as findings show it).' },
      allow: {
        type: 'array',
        description: 'Accepted findings: { rule, path, fingerprint } (any of them) and a reason; they are listed as notes, not failures.',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['reason'],
          // reason plus at least one of rule, path, fingerprint: an entry must say what it allows.
          minProperties: 2,
          properties: {
            rule: { type: 'string', minLength: 1, description: 'Rule id or glob, e.g. payment/test-secret-key or generic/*.' },
            path: { type: 'string', minLength: 1, description: 'Glob on the file as findings show it.' },
            fingerprint: { type: 'string', pattern: '^[0-9a-f]{16}$', description: 'A finding’s fingerprint (shown in its message).' },
            reason: { type: 'string', minLength: 3, description: 'Why this is not a leak.' },
          },
        },
      },
      gitignore: { type: 'boolean', default: true, description: 'Skip what .gitignore ignores (a path named in paths is always scanned).' },
      trackedEnvFiles: { type: 'boolean', default: true, description: 'Report .env files tracked by git (needs git; skipped outside a work tree).' },
      maxFileBytes: { type: 'integer', minimum: 1, default: 5_000_000, description: 'Skip files larger than this many bytes (bundles, data dumps).' },
      maxFindings: { type: 'integer', minimum: 1, default: 100, description: 'Findings listed in the report at most (all are counted).' },
    },
  },
  values: { leaks: 'hard-coded credentials found (not allowed)', allowed: 'findings excused by allow entries', files: 'files scanned' },
  example: { paths: ['..'], exclude: ['test/fixtures/**'], allow: [{ rule: 'payment/test-secret-key', path: 'docs/**', reason: 'documented test key from the provider' }] },
} as const;
