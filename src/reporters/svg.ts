import { formatNumber } from './common.js';

/** One histogram bin: latencies from `from` to `to` milliseconds. */
export interface Bin {
  /** Lower edge in milliseconds. */
  from: number;
  /** Upper edge in milliseconds. */
  to: number;
  /** Samples in the bin. */
  count: number;
}

const WIDTH = 600;
const HEIGHT = 200;
const PAD = { left: 40, right: 10, top: 10, bottom: 34 };

/**
 * A latency histogram as inline SVG (no script, no external font): one bar per bin, the count
 * axis on the left, the millisecond range below. Sized by its viewBox so it scales on a phone.
 */
export function latencySvg(bins: readonly Bin[], label: string): string {
  if (bins.length === 0) return '';
  const max = Math.max(1, ...bins.map((b) => b.count));
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const barW = plotW / bins.length;
  const bars = bins
    .map((b, i) => {
      const h = (b.count / max) * plotH;
      const x = PAD.left + i * barW;
      return `<rect class="bar" x="${num(x + 1)}" y="${num(PAD.top + plotH - h)}" width="${num(Math.max(1, barW - 2))}" height="${num(h)}"><title>${formatNumber(b.from)}–${formatNumber(b.to)} ms: ${b.count}</title></rect>`;
    })
    .join('');
  const baseline = PAD.top + plotH;
  const first = bins[0]!;
  const last = bins[bins.length - 1]!;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${label.replace(/[<>&"]/g, '')}">`,
    `<title>${label.replace(/[<>&"]/g, '')}</title>`,
    `<line class="axis" x1="${PAD.left}" y1="${baseline}" x2="${WIDTH - PAD.right}" y2="${baseline}"/>`,
    `<line class="axis" x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${baseline}"/>`,
    `<text class="label" x="${PAD.left - 4}" y="${PAD.top + 10}" text-anchor="end">${max}</text>`,
    `<text class="label" x="${PAD.left - 4}" y="${baseline}" text-anchor="end">0</text>`,
    bars,
    `<text class="label" x="${PAD.left}" y="${baseline + 14}">${formatNumber(first.from)} ms</text>`,
    `<text class="label" x="${WIDTH - PAD.right}" y="${baseline + 14}" text-anchor="end">${formatNumber(last.to)} ms</text>`,
    `<text class="label" x="${PAD.left + plotW / 2}" y="${baseline + 28}" text-anchor="middle">response time (calls per bin)</text>`,
    '</svg>',
  ].join('');
}

function num(value: number): string {
  return String(Number(value.toFixed(2)));
}
