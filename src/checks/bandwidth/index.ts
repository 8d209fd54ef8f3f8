import { assertion } from '../../model/operators.js';
import { legacyCheck } from '../types.js';
import type { Assertion, Measurement, Outcome } from '../../model/outcome.js';
import { writeOf } from '../shared/writes.js';
import { NetError, formatSeconds } from '../../net/errors.js';
import { formatBytes } from '../../net/http.js';
import { measureDownload, measureUpload, type Transfer, type TransferBounds } from './transfer.js';

/** Parameters of the `bandwidth` check type (mirrors `schema`). */
export interface BandwidthParams {
  /** URL streamed for the download measurement. */
  downloadUrl?: string;
  /** URL that accepts a POSTed body for the upload measurement. */
  uploadUrl?: string;
  /** Byte bound of each direction. */
  maxBytes: number;
  /** Time bound of each direction, after the first byte. */
  maxSeconds: number;
  /** Required throughput in megabits per second. */
  minMbps: number;
  /** Request headers (credentials). */
  headers?: Record<string, string>;
}

/** A download that ends by itself before this many bytes says nothing about the link's rate. */
const MIN_MEASURABLE_BYTES = 64 * 1024;

export default legacyCheck<BandwidthParams>({
  name: 'bandwidth',
  description: 'Streamed download and upload throughput against a threshold (1 Mbps by default), bounded in bytes and seconds, measured after the first byte; constant memory.',
  // Throughput only: a port that answers says nothing about 1 Mbps, and 1 Mbps nothing about port 443.
  items: ['1.2.a'],
  // The upload POSTs filler bytes to a URL the suite names: pointed at a capture or refund path by
  // mistake, a provider that ignores an unreadable body would still act on it.
  writes: (params) => (params.uploadUrl === undefined ? [] : writeOf('POST', params.uploadUrl, 'uploadUrl')),
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

  async run(params, ctx): Promise<Outcome> {
    const minMbps = params.minMbps ?? 1;
    const bounds: TransferBounds = { maxBytes: params.maxBytes ?? 10_000_000, maxMs: (params.maxSeconds ?? 5) * 1000, ...(params.headers ? { headers: params.headers } : {}) };
    const directions: { name: 'download' | 'upload'; url: string; measure: typeof measureDownload }[] = [];
    if (params.downloadUrl) directions.push({ name: 'download', url: params.downloadUrl, measure: measureDownload });
    if (params.uploadUrl) directions.push({ name: 'upload', url: params.uploadUrl, measure: measureUpload });

    const assertions: Assertion[] = [];
    const measurements: Measurement[] = [];
    const values: Record<string, number> = {};
    const slow: { name: string; rate: number; message: string }[] = [];
    const seen: string[] = [];
    // One direction after the other: measured together they would share (and halve) the link.
    for (const direction of directions) {
      let transfer: Transfer;
      try {
        transfer = await direction.measure(ctx.http, direction.url, bounds);
      } catch (err) {
        if (err instanceof NetError) return { status: 'error', summary: `${direction.name} from ${hostOf(direction.url)}: ${err.message}`, assertions, measurements, values };
        throw err;
      }
      if (transfer.stoppedBy === 'end' && transfer.bytes < MIN_MEASURABLE_BYTES) {
        return { status: 'error', summary: `${direction.name} from ${hostOf(direction.url)} ended after ${formatBytes(transfer.bytes)}: too little to measure a rate (at least ${formatBytes(MIN_MEASURABLE_BYTES)}): point ${direction.name}Url at a larger file`, assertions, measurements, values };
      }
      const rate = round(transfer.mbps);
      values[`${direction.name}Mbps`] = transfer.mbps;
      measurements.push(
        { name: `${direction.name} throughput`, value: transfer.mbps, unit: 'Mbps' },
        { name: `${direction.name} bytes`, value: transfer.bytes, unit: 'B' },
        { name: `${direction.name} time`, value: transfer.rateMs, unit: 'ms' },
        { name: `${direction.name} first byte`, value: transfer.firstByteMs, unit: 'ms' },
      );
      const what = `${formatBytes(transfer.rateBytes)} in ${formatSeconds(transfer.rateMs)}${transfer.stoppedBy === 'time' ? ', time bound reached' : ''}`;
      const message = `${direction.name} ${rate} Mbps is below the ${minMbps} Mbps minimum (${what}, with ${hostOf(direction.url)}): the network path must carry at least ${minMbps} Mbps`;
      assertions.push(assertion(`${direction.name} Mbps`, 'ge', minMbps, transfer.mbps, message));
      if (transfer.mbps < minMbps) slow.push({ name: direction.name, rate, message });
      seen.push(`${direction.name} ${rate} Mbps (${what})`);
    }
    if (slow.length === 1) return { status: 'fail', summary: slow[0]!.message, assertions, measurements, values };
    if (slow.length > 1) {
      const rates = slow.map((s) => `${s.name} ${s.rate} Mbps`).join(' and ');
      const hosts = [...new Set(directions.map((d) => hostOf(d.url)))].join(', ');
      return { status: 'fail', summary: `${rates} are below the ${minMbps} Mbps minimum with ${hosts}: the network path must carry at least ${minMbps} Mbps`, assertions, measurements, values };
    }
    return { status: 'pass', summary: `${seen.join(', ')}; at least ${minMbps} Mbps`, assertions, measurements, values };
  },
});

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function round(mbps: number): number {
  return mbps >= 100 ? Math.round(mbps) : mbps >= 10 ? Math.round(mbps * 10) / 10 : Math.round(mbps * 100) / 100;
}
