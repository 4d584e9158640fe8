import { describe, expect, it } from 'vitest';
import { tf } from '@nutshell/backend';
import { onWasm, uniforms } from '../test-utils/wasmTests.js';
import { blockLength, columnSums, leadingAxes, leadingSum } from './sum.js';

onWasm();

function values(n: number, seed: number): Float32Array {
  return Float32Array.from(uniforms(n, seed), (u) => u - 0.3);
}

/** Sums over x's leading `k` axes in float64, and Σ|x| per column (the scale of float32 rounding error). */
function reference(xv: Float32Array, R: number, C: number) {
  const sum = new Float64Array(C);
  const abs = new Float64Array(C);
  for (let r = 0; r < R; r++) {
    for (let c = 0; c < C; c++) {
      sum[c] += xv[r * C + c];
      abs[c] += Math.abs(xv[r * C + c]);
    }
  }
  return { sum, abs };
}

describe('Sum over leading axes on wasm (a bias gradient) through XNNPACK average pooling', () => {
  it.each([
    [[64, 24, 24, 8], [0, 1, 2], false],
    [[64, 8, 8, 16], [2, 0, 1], false], // any order
    [[64, 8, 8, 16], [-4, -3, -2], true], // negative axes, kept dims
    [[300, 7, 3], [0], false],
    [[64, 10], [0], false], // below the size where pooling pays: the direct loop
    [[1, 7], [0], false], // one row
    [[5, 1], [0], true], // one column
    [[3, 5, 3], [1, 0], false], // two leading axes, odd sizes
    [[2, 3, 2], [0], true],
    [[16, 32, 24], [1, 2], false], // not leading axes: tfjs's kernel
  ])(
    "%j over %j (keepDims %s) is within float32 rounding of the float64 sums (no further off than tfjs 4.22's), and frees what it made",
    async (shape, axes, keepDims) => {
      const xv = values(tf.util.sizeFromShape(shape), 3);
      const x = tf.tensor(xv, shape);
      const tensors = tf.memory().numTensors;
      const buffers = tf.engine().backend.numDataIds();
      const y = tf.sum(x, axes, keepDims);
      const norm = axes.map((a) => (a < 0 ? a + shape.length : a)).sort((p, q) => p - q);
      const expectedShape = shape
        .map((d, i) => (norm.includes(i) ? 1 : d))
        .filter((_, i) => keepDims || !norm.includes(i));
      expect(y.shape).toEqual(expectedShape);
      // The summed axes moved to the front for the float64 reference, and to the back for tfjs's own float32 sum
      // (what tfjs 4.22's kernel computes: it transposes them innermost, then sums in order).
      const kept = [...shape.keys()].filter((a) => !norm.includes(a));
      const front = tf.transpose(x, [...norm, ...kept]);
      const back = tf.transpose(x, [...kept, ...norm]);
      const tfjsSum = tf.sum(
        back,
        norm.map((_, i) => kept.length + i),
      );
      const R = norm.reduce((p, a) => p * shape[a], 1);
      const { sum, abs } = reference((await front.data()) as Float32Array, R, x.size / R);
      const theirs = await tfjsSum.data();
      tf.dispose([front, back, tfjsSum]);
      const got = await y.data();
      // The worst-case error of an ordered float32 sum of n values is about n·2⁻²⁴·Σ|x|: tfjs's runs over all R
      // values; the pooling path's over blocks of L ≈ √R (the block sums are added in float64), plus the scale's
      // roundings. Both must hold their bound, and the pooled sums are here never further off than tfjs's own.
      const pooled = leadingSum(shape, norm) !== undefined;
      const n = pooled ? blockLength(R) + 4 : R + 1;
      // Below the pooling size, leading axes are summed by the direct loop: tfjs's float32 sum, bit for bit.
      if (!pooled && leadingAxes(shape, norm)) expect(Array.from(got)).toEqual(Array.from(theirs));
      got.forEach((v, c) => {
        expect(Math.abs(v - sum[c])).toBeLessThanOrEqual(n * 2 ** -24 * abs[c]);
        if (pooled)
          expect(Math.abs(v - sum[c])).toBeLessThanOrEqual(Math.abs(theirs[c] - sum[c]) + 2 ** -24 * abs[c]);
      });
      y.dispose();
      expect(tf.memory().numTensors).toBe(tensors);
      expect(tf.engine().backend.numDataIds()).toBe(buffers);
      x.dispose();
    },
  );

  it('takes the pooling path only for float32-sized work over leading axes', () => {
    expect(leadingSum([64, 24, 24, 8], [0, 1, 2])).toEqual([36864, 8]);
    expect(leadingSum([64, 24, 24, 8], [1, 0])).toEqual([1536, 192]);
    expect(leadingSum([64, 24, 24, 8], [1, 2])).toBeUndefined();
    expect(leadingSum([64, 24, 24, 8], [0, 1, 2, 3])).toBeUndefined(); // everything: tfjs needs no transpose
    expect(leadingSum([64, 10], [0])).toBeUndefined();
    expect(leadingSum([4096, 1], [0])).toBeUndefined();
    expect(blockLength(36864)).toBe(192);
    expect(blockLength(4096)).toBe(64);
    expect(blockLength(4099)).toBe(4099); // prime: one block
  });

  it('sums int32 exactly on tfjs', async () => {
    const x = tf.tensor(
      Int32Array.from({ length: 8192 }, (_, i) => i),
      [1024, 8],
      'int32',
    );
    const y = tf.sum(x, 0);
    expect(y.dtype).toBe('int32');
    expect((await y.data())[0]).toBe(((1024 * 1023) / 2) * 8);
    tf.dispose([x, y]);
  });

  it('gives Inf and NaN where a float32 sum does', async () => {
    const xv = new Float32Array(8192).fill(1);
    xv[8] = Infinity; // column 0
    xv[17] = NaN; // column 1
    xv[2] = Infinity;
    xv[10] = -Infinity; // column 2: Inf − Inf
    const x = tf.tensor(xv, [1024, 8]);
    const y = await tf.sum(x, 0).data();
    expect([y[0], y[1], y[2], y[3]]).toEqual([Infinity, NaN, NaN, 1024]);
    x.dispose();
  });

  it('sums small leading axes directly: hand-computed float32 sums, −0, NaN and Infinity as tfjs gives them', async () => {
    const out = new Float32Array(3);
    // Columns: 1 + 2⁻²⁴ + 2⁻²⁴ in float32 order stays 1 (each half-ulp add rounds to even); exact small integers;
    // −0 + −0 from a +0 start is +0.
    columnSums(Float32Array.of(1, 5, -0, 2 ** -24, -7, -0, 2 ** -24, 4, -0), 3, 3, out);
    expect(Array.from(out)).toEqual([1, 2, 0]);
    expect(Object.is(out[2], 0)).toBe(true);
    const x = tf.tensor([Infinity, 1, NaN, 1, 2, 3, 4, 5, 6, -Infinity, 1, 2], [3, 4]);
    const y = tf.sum(x, 0);
    expect(Array.from(await y.data())).toEqual([Infinity, -Infinity, NaN, 8]);
    expect(leadingAxes([64, 10], [0])).toEqual([64, 10]);
    expect(leadingAxes([64, 10], [1])).toBeUndefined();
    expect(leadingAxes([0, 10], [0])).toBeUndefined(); // empty: tfjs's kernel
    tf.dispose([x, y]);
  });
});
