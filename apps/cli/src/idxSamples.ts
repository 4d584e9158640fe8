/**
 * How many samples an IDX array of shape `dims` holds for a model whose samples have shape `sample` (e.g.
 * `[28, 28, 1]`), or undefined when the shape does not fit. One sample is the sample shape itself, with or
 * without trailing 1s (`[28, 28]`), or flat (`[784]`); several are `[n, ...]` with each row one sample. A
 * matching element count alone is not enough: `[2, 392]` holds two rows of 392 values, not one 28×28 image.
 */
export function idxSampleCount(dims: readonly number[], sample: readonly number[]): number | undefined {
  const width = sample.reduce((a, b) => a * b, 1);
  const squeeze = (s: readonly number[]) => s.filter((d) => d !== 1);
  const same = (a: readonly number[], b: readonly number[]) =>
    a.length === b.length && a.every((d, i) => d === b[i]);
  if (same(squeeze(dims), squeeze(sample)) || (dims.length === 1 && dims[0] === width)) return 1;
  if (dims.length > 1 && dims[0] > 0) {
    const row = dims.slice(1);
    if (same(squeeze(row), squeeze(sample)) || (row.length === 1 && row[0] === width)) return dims[0];
  }
  return undefined;
}
