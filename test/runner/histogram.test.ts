import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Histogram } from '../../src/runner/histogram.js';

/** Nearest-rank percentile of exact samples. */
function exact(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

describe('latency histogram', () => {
  it('gives every percentile within 0.1% (or 1 µs) of the exact value, without millisecond rounding', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0.001, max: 60_000, noNaN: true }), { minLength: 1, maxLength: 500 }), fc.constantFrom(50, 90, 95, 99, 99.9), (samples, p) => {
        const h = new Histogram();
        for (const s of samples) h.record(s);
        const want = exact(samples, p);
        expect(Math.abs(h.percentile(p) - want)).toBeLessThanOrEqual(Math.max(0.001, want * 0.001));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps sub-millisecond precision and exact min, max and mean', () => {
    const h = new Histogram();
    for (const ms of [0.25, 0.5, 0.75, 1.234]) h.record(ms);
    expect(h.percentile(50)).toBeCloseTo(0.5, 3);
    expect(h.min).toBe(0.25);
    expect(h.max).toBe(1.234);
    expect(h.mean).toBeCloseTo(0.6835, 6);
    expect(h.count).toBe(4);
  });

  it('merges two histograms as if every sample had been recorded in one', () => {
    const a = new Histogram();
    const b = new Histogram();
    const all = new Histogram();
    for (let i = 1; i <= 1000; i++) {
      (i % 2 ? a : b).record(i * 1.7);
      all.record(i * 1.7);
    }
    a.merge(b);
    for (const p of [1, 50, 95, 99]) expect(a.percentile(p)).toBe(all.percentile(p));
    expect(a.count).toBe(1000);
  });

  it('allocates bucket blocks only for the magnitudes it has seen', () => {
    const h = new Histogram();
    h.record(5);
    const blocks = (h as unknown as { blocks: (Uint32Array | undefined)[] }).blocks.filter(Boolean);
    expect(blocks).toHaveLength(1);
    expect(h.bins(4).reduce((n, bin) => n + bin.count, 0)).toBe(1);
  });
});
