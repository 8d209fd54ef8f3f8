import { TLS_VERSIONS } from './probe.js';

/** The `tls` type's metadata: everything but its behaviour (read by the registry, the docs and `payready checks`). */
export const meta = {
  name: 'tls',
  title: 'TLS configuration',
  description: 'TLS versions accepted (1.0/1.1 refused, 1.2+ offered), weak cipher suites, certificate chain, host name, expiry, key and signature; optionally plain HTTP refused or redirected.',
  // TLS 1.2 or newer with a valid chain (2.1.a), and, with httpsOnly, plain HTTP refused or
  // redirected (1.1.b).
  items: ['1.1.b', '2.1.a'],
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['host'],
    properties: {
      host: { type: 'string', minLength: 1, description: 'Host name or IP address.' },
      port: { type: 'integer', minimum: 1, maximum: 65535, default: 443, description: 'TLS port.' },
      servername: { type: 'string', minLength: 1, description: 'Name sent as SNI and matched against the certificate (default: host).' },
      minVersion: { enum: TLS_VERSIONS, default: 'TLSv1.2', description: 'Oldest version the server may accept; older ones must be refused and one at or above must be accepted.' },
      minDaysToExpiry: { type: 'integer', minimum: 0, default: 30, description: 'The certificate must stay valid at least this many days.' },
      ca: { type: 'string', minLength: 1, description: 'Extra trusted CA file (PEM, relative to the suite file), added to the system roots and the environment\'s CAs.' },
      verify: {
        type: 'array',
        minItems: 1,
        uniqueItems: true,
        items: { enum: ['protocols', 'ciphers', 'certificate'] },
        default: ['protocols', 'ciphers', 'certificate'],
        description: 'What to judge: protocols (versions), ciphers (weak suites offered or negotiated), certificate (chain, name, expiry, key, signature).',
      },
      httpsOnly: { type: 'boolean', default: false, description: 'Also require the plain-HTTP port to refuse connections or redirect to https.' },
      httpPort: { type: 'integer', minimum: 1, maximum: 65535, default: 80, description: 'Plain-HTTP port probed by httpsOnly.' },
      handshakeTimeoutMs: { type: 'integer', minimum: 1, default: 5000, description: 'Timeout of each connection and handshake in milliseconds.' },
    },
  },
  values: {
    versions: 'TLS versions the server accepted',
    protocol: 'newest negotiated version',
    cipher: 'cipher negotiated at that version',
    group: 'key-exchange group',
    daysToExpiry: 'days until the certificate expires',
    notAfter: 'certificate expiry (ISO 8601)',
  },
  example: { host: '${target.host}', port: 443, minVersion: 'TLSv1.2', minDaysToExpiry: 30, httpsOnly: true },
} as const;
