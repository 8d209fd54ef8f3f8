import { assertion } from '../../model/operators.js';
import type { Assertion, Measurement, Outcome } from '../../model/outcome.js';
import { NetError, formatSeconds } from '../../net/errors.js';
import { formatBytes } from '../../net/http.js';
import { messenger } from '../shared/messages.js';
import type { CheckContext, ParamsOf } from '../types.js';
import { messages } from './messages.js';
import type { meta } from './meta.js';
import { measureDownload, measureUpload, type Transfer, type TransferBounds } from './transfer.js';

type Params = ParamsOf<typeof meta.schema>;

/** A download that ends by itself before this many bytes says nothing about the link's rate. */
const MIN_MEASURABLE_BYTES = 64 * 1024;
const say = messenger(messages);

/** Measures each direction in turn and judges it against `minMbps`. */
export async function run(params: Params, ctx: CheckContext): Promise<Outcome> {
  const min = params.minMbps;
  const bounds: TransferBounds = { maxBytes: params.maxBytes, maxMs: params.maxSeconds * 1000, ...(params.headers ? { headers: params.headers } : {}) };
  const directions: { name: 'download' | 'upload'; url: string; measure: typeof measureDownload }[] = [];
  if (params.downloadUrl) directions.push({ name: 'download', url: params.downloadUrl, measure: measureDownload });
  if (params.uploadUrl) directions.push({ name: 'upload', url: params.uploadUrl, measure: measureUpload });

  const assertions: Assertion[] = [];
  const measurements: Measurement[] = [];
  const values: Record<string, number> = {};
  const rest = { assertions, measurements, values };
  const slow: { direction: string; rate: number; host: string; what: string }[] = [];
  const seen: string[] = [];
  // One direction after the other: measured together they would share (and halve) the link.
  for (const direction of directions) {
    const host = hostOf(direction.url);
    let transfer: Transfer;
    try {
      transfer = await direction.measure(ctx.http, direction.url, bounds);
    } catch (err) {
      if (err instanceof NetError) return say.outcome('error', 'unreachable', { direction: direction.name, host, cause: err.message }, rest);
      throw err;
    }
    if (transfer.stoppedBy === 'end' && transfer.bytes < MIN_MEASURABLE_BYTES) {
      return say.outcome('error', 'tooSmall', { direction: direction.name, host, bytes: formatBytes(transfer.bytes), minBytes: formatBytes(MIN_MEASURABLE_BYTES) }, rest);
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
    const data = { direction: direction.name, rate, min, what, host };
    assertions.push(assertion(`${direction.name} Mbps`, 'ge', min, transfer.mbps, say.text('slow', data)));
    if (transfer.mbps < min) slow.push(data);
    seen.push(`${direction.name} ${rate} Mbps (${what})`);
  }
  if (slow.length === 1) return say.outcome('fail', 'slow', slow[0]!, rest);
  if (slow.length > 1) {
    const rates = slow.map((s) => `${s.direction} ${s.rate} Mbps`).join(' and ');
    const hosts = [...new Set(directions.map((d) => hostOf(d.url)))].join(', ');
    return say.outcome('fail', 'bothSlow', { rates, min, hosts }, rest);
  }
  return say.outcome('pass', 'fast', { seen: seen.join(', '), min }, rest);
}

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
