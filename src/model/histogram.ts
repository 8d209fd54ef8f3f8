/**
 * A log-linear latency histogram in the spirit of HdrHistogram: values are kept in microseconds
 * with 1,024 sub-buckets per power of two, so any percentile is within 0.1% of the true value,
 * whatever the number of samples (constant memory, no millisecond rounding). Bucket blocks (one
 * per power of two, 4 KB each) are allocated on first use: a run keeps one histogram per check
 * and per endpoint, and most of them hold a handful of samples.
 */
const SUB_BUCKET_BITS = 10;
const SUB_BUCKETS = 1 << SUB_BUCKET_BITS;
const MAX_EXPONENT = 32; // up to ~2^42 us, far beyond any timeout

/**
 * A histogram as JSON (report.json of a shard keeps one per check and endpoint): the non-empty
 * buckets as `[bucket index, count]` pairs in ascending order, plus the exact count, sum, min and
 * max. Merging two of these gives the same percentiles as one histogram fed every sample.
 */
export interface HistogramJson {
  /** Samples recorded. */
  count: number;
  /** Sum of the samples in milliseconds (for the mean). */
  sum: number;
  /** Smallest sample in milliseconds (0 when empty). */
  min: number;
  /** Largest sample in milliseconds. */
  max: number;
  /** Non-empty buckets: `[index, count]`, ascending. */
  buckets: [number, number][];
}

export class Histogram {
  private readonly blocks: (Uint32Array | undefined)[] = new Array<Uint32Array | undefined>(MAX_EXPONENT + 1);
  private total = 0;
  private sum = 0;
  private minValue = Number.POSITIVE_INFINITY;
  private maxValue = 0;

  /** Records one duration in milliseconds. */
  record(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) return;
    // Floor, not round: the value then lies inside its bucket, so the midpoint is within half a bucket.
    const index = bucketIndex(Math.floor(ms * 1000));
    const block = (this.blocks[index >> SUB_BUCKET_BITS] ??= new Uint32Array(SUB_BUCKETS));
    block[index & (SUB_BUCKETS - 1)]! += 1;
    this.total += 1;
    this.sum += ms;
    if (ms < this.minValue) this.minValue = ms;
    if (ms > this.maxValue) this.maxValue = ms;
  }

  /** Adds every sample of another histogram. */
  merge(other: Histogram): void {
    other.blocks.forEach((theirs, b) => {
      if (!theirs) return;
      const mine = (this.blocks[b] ??= new Uint32Array(SUB_BUCKETS));
      for (let i = 0; i < SUB_BUCKETS; i++) mine[i]! += theirs[i]!;
    });
    this.total += other.total;
    this.sum += other.sum;
    this.minValue = Math.min(this.minValue, other.minValue);
    this.maxValue = Math.max(this.maxValue, other.maxValue);
  }

  /** The compact, lossless form (see HistogramJson). */
  toJSON(): HistogramJson {
    return { count: this.total, sum: this.sum, min: this.min, max: this.maxValue, buckets: [...this.buckets()] };
  }

  /** A histogram from its JSON form; buckets outside the histogram's range are refused. */
  static fromJSON(json: HistogramJson): Histogram {
    const h = new Histogram();
    for (const [index, count] of json.buckets) {
      const b = index >> SUB_BUCKET_BITS;
      if (!Number.isInteger(index) || index < 0 || b > MAX_EXPONENT || !Number.isInteger(count) || count < 0) throw new RangeError(`histogram bucket [${index}, ${count}] is out of range`);
      const block = (h.blocks[b] ??= new Uint32Array(SUB_BUCKETS));
      block[index & (SUB_BUCKETS - 1)]! += count;
    }
    h.total = json.count;
    h.sum = json.sum;
    if (json.count > 0) {
      h.minValue = json.min;
      h.maxValue = json.max;
    }
    return h;
  }

  get count(): number {
    return this.total;
  }

  get mean(): number {
    return this.total === 0 ? 0 : this.sum / this.total;
  }

  get min(): number {
    return this.total === 0 ? 0 : this.minValue;
  }

  get max(): number {
    return this.maxValue;
  }

  /** The value at percentile `p` (0-100) in milliseconds; exact min and max at the ends. */
  percentile(p: number): number {
    if (this.total === 0) return 0;
    if (p <= 0) return this.minValue;
    if (p >= 100) return this.maxValue;
    const rank = Math.ceil((p / 100) * this.total);
    let seen = 0;
    for (const [index, count] of this.buckets()) {
      seen += count;
      if (seen >= rank) return Math.min(this.maxValue, Math.max(this.minValue, bucketValue(index) / 1000));
    }
    return this.maxValue;
  }

  /** Non-empty buckets merged into at most `bins` equal-width bins, for a histogram chart. */
  bins(bins = 20): { from: number; to: number; count: number }[] {
    if (this.total === 0) return [];
    const from = this.minValue;
    const width = Math.max((this.maxValue - from) / bins, 1e-3);
    const out = Array.from({ length: bins }, (_, i) => ({ from: from + i * width, to: from + (i + 1) * width, count: 0 }));
    for (const [bucket, count] of this.buckets()) {
      const index = Math.min(bins - 1, Math.max(0, Math.floor((bucketValue(bucket) / 1000 - from) / width)));
      out[index]!.count += count;
    }
    return out;
  }

  /** Non-empty buckets in ascending order: [global bucket index, count]. */
  private *buckets(): Generator<[number, number]> {
    for (let b = 0; b < this.blocks.length; b++) {
      const block = this.blocks[b];
      if (!block) continue;
      for (let i = 0; i < SUB_BUCKETS; i++) if (block[i]! > 0) yield [(b << SUB_BUCKET_BITS) + i, block[i]!];
    }
  }
}

function bucketIndex(us: number): number {
  if (us < SUB_BUCKETS) return us;
  const exponent = Math.min(MAX_EXPONENT, Math.floor(Math.log2(us)) - SUB_BUCKET_BITS + 1);
  const sub = Math.min(SUB_BUCKETS - 1, Math.floor(us / 2 ** exponent) - SUB_BUCKETS / 2);
  return exponent * SUB_BUCKETS + SUB_BUCKETS / 2 + sub;
}

function bucketValue(index: number): number {
  if (index < SUB_BUCKETS) return index;
  const exponent = Math.floor(index / SUB_BUCKETS);
  const sub = (index % SUB_BUCKETS) - SUB_BUCKETS / 2;
  // middle of the bucket
  return (sub + SUB_BUCKETS / 2) * 2 ** exponent + 2 ** (exponent - 1);
}
