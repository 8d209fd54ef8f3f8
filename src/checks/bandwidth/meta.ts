import { writeOf } from '../shared/writes.js';

/** The `bandwidth` type's metadata: everything but its behaviour (read by the registry, the docs and `payready checks`). */
export const meta = {
  name: 'bandwidth',
  title: 'Bandwidth',
  description: 'Streamed download and upload throughput against a threshold (1 Mbps by default), bounded in bytes and seconds, measured after the first byte; constant memory.',
  // Throughput only: a port that answers says nothing about 1 Mbps, and 1 Mbps nothing about port 443.
  items: ['1.2.a'],
  // The upload POSTs filler bytes to a URL the suite names: pointed at a capture or refund path by
  // mistake, a provider that ignores an unreadable body would still act on it.
  writes: (params: Readonly<Record<string, unknown>>) => (params.uploadUrl === undefined ? [] : writeOf('POST', params.uploadUrl, 'uploadUrl')),
  writesWhen: 'with uploadUrl (the upload is a POST)',
  schema: {
    type: 'object',
    additionalProperties: false,
    // At least one direction; `true` schemas keep ajv's strict mode happy about `required`.
    anyOf: [
      { required: ['downloadUrl'], properties: { downloadUrl: true } },
      { required: ['uploadUrl'], properties: { uploadUrl: true } },
    ],
    properties: {
      downloadUrl: { type: 'string', minLength: 1, description: 'URL of a large response to stream (e.g. a speed-test endpoint or a big file).' },
      uploadUrl: { type: 'string', minLength: 1, description: 'URL that accepts a POSTed application/octet-stream body.' },
      maxBytes: { type: 'integer', minimum: 1, default: 10_000_000, description: 'Each direction stops after this many bytes (default 10 MB).' },
      maxSeconds: { type: 'number', exclusiveMinimum: 0, maximum: 600, default: 5, description: 'Each direction stops this many seconds after its first byte.' },
      minMbps: { type: 'number', exclusiveMinimum: 0, default: 1, description: 'Required throughput in megabits per second (the guidelines ask for 1).' },
      headers: { type: 'object', additionalProperties: { type: 'string' }, description: 'Request headers (credentials from secrets or captures).' },
    },
  },
  values: { downloadMbps: 'download throughput (Mbps)', uploadMbps: 'upload throughput (Mbps)' },
  example: { downloadUrl: '${target.downloadUrl}', uploadUrl: '${target.uploadUrl}', maxBytes: 10000000, maxSeconds: 5, minMbps: 1 },
} as const;
