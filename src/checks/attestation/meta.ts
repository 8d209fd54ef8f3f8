/** SHA-256 in hex, as `sha256sum` prints it (either case). */
const SHA256 = '^[0-9a-fA-F]{64}$';
const DATE = { type: 'string', format: 'date', description: 'YYYY-MM-DD' } as const;

/** The `attestation` type's metadata: everything but its behaviour (read by the registry, the docs and `payready checks`). */
export const meta = {
  name: 'attestation',
  title: 'Attested evidence',
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
} as const;
