/** The `port` type's metadata: everything but its behaviour (read by the registry, the docs and `payready checks`). */
export const meta = {
  name: 'port',
  title: 'Ports',
  description: 'Name resolution (all addresses), TCP reachability and connect latency of every declared port (443 by default).',
  // Reachability of 443 and the declared ports; a TCP connect measures no bandwidth (1.2.a).
  items: ['1.2.b'],
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['host'],
    properties: {
      host: { type: 'string', minLength: 1, description: 'Host name or IP address.' },
      ports: {
        type: 'array',
        minItems: 1,
        default: [443],
        description: 'Ports to probe: a number must be open; { port, expect: closed } must not accept connections.',
        items: {
          anyOf: [
            { type: 'integer', minimum: 1, maximum: 65535 },
            {
              type: 'object',
              additionalProperties: false,
              required: ['port'],
              properties: { port: { type: 'integer', minimum: 1, maximum: 65535 }, expect: { enum: ['open', 'closed'], description: 'open (default) or closed' } },
            },
          ],
        },
      },
      connectTimeoutMs: { type: 'integer', minimum: 1, default: 5000, description: 'Connect timeout per address in milliseconds.' },
    },
  },
  values: { addresses: 'resolved addresses', open: 'ports that accepted a connection' },
  example: { host: '${target.host}', ports: [443, { port: 8443, expect: 'open' }] },
} as const;
