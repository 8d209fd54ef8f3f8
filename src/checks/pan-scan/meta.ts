/** The `pan-scan` type's metadata: everything but its behaviour (read by the registry, the docs and `payready checks`). */
export const meta = {
  name: 'pan-scan',
  title: 'Card numbers in logs',
  description: 'No unmasked card numbers (Luhn-valid PANs in known IIN ranges) in logs or files, plain or gzipped, UTF-8 or UTF-16; reported masked as first six/last four.',
  // Full card numbers kept out of logs and files is PCI DSS (2.2.a). GDPR (2.2.b) is about
  // personal data, which a card-number scan does not look for.
  items: ['2.2.a'],
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['paths'],
    properties: {
      paths: {
        type: 'array',
        minItems: 1,
        items: { type: 'string', minLength: 1 },
        description: 'Log files, folders and globs (logs/**/*.log), relative to the suite file; .gz files are decompressed while read.',
      },
      exclude: { type: 'array', items: { type: 'string', minLength: 1 }, description: 'Globs of paths to leave out.' },
      testCards: {
        enum: ['warn', 'fail', 'ignore'],
        default: 'warn',
        description: 'What a documented test card number (4111 1111 1111 1111...) counts as; any other valid PAN always fails.',
      },
      gitignore: { type: 'boolean', default: false, description: 'Skip what .gitignore ignores inside the folders walked.' },
      maxFindings: { type: 'integer', minimum: 1, default: 100, description: 'Findings listed in the report at most (all are counted).' },
    },
  },
  values: { realPans: 'unmasked real-looking card numbers found', testPans: 'unmasked test card numbers found', files: 'files scanned' },
  example: { paths: ['logs/**/*.log', 'logs/**/*.log.gz'], testCards: 'warn' },
} as const;
