/**
 * A histogram as TensorBoard's `HistogramProto` stores it: count, sum, sum of squares, range, and per bucket its
 * right edge (`bucketLimit`) and count. Buckets are equal-width between the smallest and largest value.
 * @public
 */
export interface Histogram {
  readonly min: number;
  readonly max: number;
  readonly num: number;
  readonly sum: number;
  readonly sumSquares: number;
  readonly bucketLimit: readonly number[];
  readonly bucket: readonly number[];
}

/**
 * Counts `values` into `buckets` equal-width buckets between their minimum and maximum (one bucket when all are
 * equal). Non-finite values are an error: a histogram of NaN would hide the problem.
 * @public
 */
export function histogram(values: ArrayLike<number>, buckets = 30): Histogram {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let sumSquares = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v))
      throw new RangeError(`histogram: value ${i} is ${v}; only finite values can be counted.`);
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
    sumSquares += v * v;
  }
  if (values.length === 0)
    return { min: 0, max: 0, num: 0, sum: 0, sumSquares: 0, bucketLimit: [], bucket: [] };
  const n = max > min ? buckets : 1;
  const width = (max - min) / n;
  const counts = new Array<number>(n).fill(0);
  for (let i = 0; i < values.length; i++)
    counts[Math.min(n - 1, Math.floor((values[i] - min) / (width || 1)))]++;
  const limits = counts.map((_, i) => (i === n - 1 ? max : min + (i + 1) * width));
  return { min, max, num: values.length, sum, sumSquares, bucketLimit: limits, bucket: counts };
}
