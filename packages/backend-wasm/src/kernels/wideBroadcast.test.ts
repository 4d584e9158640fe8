import { describe, expect, it } from 'vitest';
import { tf } from '@nutshell/backend';
import { onWasm, uniforms } from '../test-utils/wasmTests.js';
import { joinedRows, trailingBroadcast } from './wideBroadcast.js';

onWasm();

/** Float32 values with mixed signs and magnitudes, from a fixed seed. */
function values(n: number, seed: number): Float32Array {
  return Float32Array.from(uniforms(n, seed), (u) => (u - 0.5) * 10 ** Math.floor(u * 6 - 3));
}

/** a ∘ b broadcast NumPy-style, each result rounded to float32 once (what one float32 operation gives). */
function reference(
  a: tf.Tensor,
  av: Float32Array,
  b: tf.Tensor,
  bv: Float32Array,
  op: (p: number, q: number) => number,
) {
  const shape = tf.backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
  // Each operand's stride along each output axis (0 where it broadcasts).
  const stridesOf = (t: tf.Tensor) => {
    const padded = [...Array<number>(shape.length - t.rank).fill(1), ...t.shape];
    const own = tf.util.computeStrides(padded);
    return padded.map((d, i) => (d === 1 ? 0 : (own[i] ?? 1)));
  };
  const [sa, sb] = [stridesOf(a), stridesOf(b)];
  const out = new Float32Array(tf.util.sizeFromShape(shape));
  const loc = shape.map(() => 0);
  for (let i = 0; i < out.length; i++) {
    let ia = 0;
    let ib = 0;
    for (let d = 0; d < shape.length; d++) {
      ia += loc[d] * sa[d];
      ib += loc[d] * sb[d];
    }
    out[i] = Math.fround(op(av[ia], bv[ib]));
    for (let d = shape.length - 1; d >= 0 && ++loc[d] === shape[d]; d--) loc[d] = 0;
  }
  return out;
}

describe('bias-style broadcasts on wasm, widened before XNNPACK runs them', () => {
  it.each([
    ['Add', [64, 24, 24, 8], [8]],
    ['Add', [8], [64, 24, 24, 8]],
    ['Add', [64, 8, 8, 16], [16]],
    ['Multiply', [30, 50, 7, 16], [1, 7, 16]],
    ['Multiply', [16], [100, 64, 16]],
    ['Add', [37, 1031, 3], [3]], // 38,147 rows of 3: no join of 171–684 rows divides it, so tfjs's kernel runs
    ['Add', [64, 128], [128]], // too small to widen (W2's bias)
    ['Multiply', [2, 65536], [2, 1]], // not a trailing block: tfjs's kernel
  ])('%s %j ∘ %j equals one float32 operation per element, and frees what it made', async (op, sa, sb) => {
    const av = values(tf.util.sizeFromShape(sa), 1);
    const bv = values(tf.util.sizeFromShape(sb), 2);
    const a = tf.tensor(av, sa);
    const b = tf.tensor(bv, sb);
    const tensors = tf.memory().numTensors;
    const buffers = tf.engine().backend.numDataIds();
    const y = op === 'Add' ? tf.add(a, b) : tf.mul(a, b);
    const f = op === 'Add' ? (p: number, q: number) => p + q : (p: number, q: number) => p * q;
    expect(y.shape).toEqual(tf.backend_util.assertAndGetBroadcastShape(sa, sb));
    const got = await y.data();
    const want = reference(a, av, b, bv, f);
    let differing = 0;
    for (let i = 0; i < want.length; i++) if (got[i] !== want[i]) differing++;
    expect(got.length).toBe(want.length);
    expect(differing).toBe(0);
    y.dispose();
    expect(tf.memory().numTensors).toBe(tensors);
    expect(tf.engine().backend.numDataIds()).toBe(buffers);
    tf.dispose([a, b]);
  });

  it('joins rows to at least 512 values where a join divides the rows, and not otherwise', () => {
    expect(joinedRows(36864, 8)).toBe(64);
    expect(joinedRows(4096, 16)).toBe(32);
    expect(joinedRows(30, 8)).toBe(30); // fewer rows than a join: all of them
    expect(joinedRows(38147, 3)).toBe(0);
    expect(joinedRows(1000, 300)).toBe(0); // rows already long
  });

  it('recognises a bias only when the small operand matches trailing axes and keeps the result shape', () => {
    expect(trailingBroadcast([64, 24, 24, 8], [8])).toBe(8);
    expect(trailingBroadcast([3, 5, 7, 16], [1, 7, 16])).toBe(112);
    expect(trailingBroadcast([64, 8], [1, 1, 1, 8])).toBe(0); // the result would have rank 4
    expect(trailingBroadcast([64, 8], [64, 1])).toBe(0);
    expect(trailingBroadcast([64, 8], [64, 8])).toBe(0); // no broadcast
    expect(trailingBroadcast([64, 8], [1])).toBe(0); // a scalar: XNNPACK's own fast path
  });

  it('leaves int32 operands to tfjs (exact integer sums)', async () => {
    const a = tf.tensor(
      Int32Array.from({ length: 8192 }, (_, i) => i),
      [1024, 8],
      'int32',
    );
    const b = tf.tensor1d([1, 2, 3, 4, 5, 6, 7, 8], 'int32');
    const y = tf.add(a, b);
    expect(y.dtype).toBe('int32');
    const v = await y.data();
    expect([v[0], v[7], v[8191]]).toEqual([1, 15, 8199]);
    tf.dispose([a, b, y]);
  });
});
