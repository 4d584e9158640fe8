// The same gradient and agreement checks as on cpu, on the wasm backend. Skipped, with the reason in the
// title, when @nutshell/backend-wasm is not installed or its probe fails.
import { read, tf, useBackend, type Tensor } from '@nutshell/tensor';
import { describe, expect, it } from 'vitest';
import {
  CONV_ALGORITHMS,
  Conv2D,
  Inception,
  avgPool2d,
  conv1d,
  conv2d,
  globalMaxPool2d,
  l2Pool1d,
  l2Pool2d,
  maxPool1d,
  maxPool2d,
  randomCasesForWasm,
} from './test-utils/wasmCases.js';
import { checkAgainstReference, checkFiniteDifferences, distinctValues, winogradCases } from './test-utils/checks.js';

let unavailable: string | undefined;
try {
  await import('@nutshell/backend-wasm');
  await useBackend('wasm');
} catch (e) {
  unavailable = (e as Error).message;
}

describe.skipIf(unavailable !== undefined)(`on the wasm backend${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  it('runs on wasm', () => {
    expect(tf.getBackend()).toBe('wasm');
  });

  const cases = randomCasesForWasm();
  for (const algorithm of CONV_ALGORITHMS) {
    it(`${algorithm}: forward and gradients agree with the float64 reference within 1e-4 relative`, async () => {
      const checked = await checkAgainstReference(algorithm, algorithm === 'winograd' ? winogradCases : [...cases, ...winogradCases]);
      expect(checked).toBeGreaterThanOrEqual(4);
    });
  }

  it('the algorithms used one after another on the same kernel all give direct\'s answer', async () => {
    // Regression: tfjs-backend-wasm caches matMul's packed second operand by data id, so a kernel reshaped to
    // another matrix shape by a second algorithm used to read the first one's packing (garbage, NaN).
    const x = distinctValues([1, 12, 12, 3], 7);
    const w = distinctValues([3, 3, 3, 4], 8);
    const ref = await read(conv2d(x, w, { padding: 'same' }));
    for (const algorithm of ['im2col', 'winograd', 'fft', 'winograd', 'im2col', 'direct'] as const) {
      const y = conv2d(x, w, { padding: 'same', algorithm });
      const v = await read(y);
      v.forEach((z, i) => expect(Math.abs(z - ref[i]), algorithm).toBeLessThan(1e-4 * Math.max(1, Math.abs(ref[i]))));
      y.dispose();
    }
    tf.dispose([x, w]);
  });

  it('conv1d gradients match finite differences', async () => {
    const x = distinctValues([2, 9, 2], 1);
    const w = distinctValues([3, 2, 3], 2);
    for (const algorithm of ['direct', 'im2col', 'fft'] as const) {
      const loss = (a: Tensor, b: Tensor) => tf.sum(tf.square(conv1d(a, b, { padding: 'same', algorithm })));
      await checkFiniteDifferences(loss, [x, w], { eps: 1e-2, samples: 6, tolerance: 1e-2, seed: 3, label: `conv1d ${algorithm}` });
    }
    tf.dispose([x, w]);
  });

  const pools: [string, (t: Tensor) => Tensor][] = [
    // Negative maxima included: tfjs-backend-wasm's own MaxPoolGrad loses them; @nutshell/backend-wasm fixes it.
    ['maxPool2d', (t) => maxPool2d(t, { poolSize: 2, strides: 1 })],
    ['avgPool2d', (t) => avgPool2d(t, { poolSize: 3, strides: 2, padding: 'same' })],
    ['l2Pool2d', (t) => l2Pool2d(t, { poolSize: 2 })],
    ['globalMaxPool2d', (t) => globalMaxPool2d(t)],
    ['maxPool1d', (t) => maxPool1d(tf.reshape(t, [2, 30, 2]), { poolSize: 3 })],
    ['l2Pool1d', (t) => l2Pool1d(tf.reshape(t, [2, 30, 2]), { poolSize: 3 })],
  ];
  for (const [name, op] of pools) {
    it(`${name} gradient matches central finite differences`, async () => {
      const x = distinctValues([2, 5, 6, 2], 4);
      const r = tf.tidy(() => {
        const y = op(x);
        return tf.sin(tf.reshape(tf.range(0, y.size), y.shape));
      });
      const loss = (t: Tensor) => tf.sum(tf.mul(op(t), r));
      await checkFiniteDifferences(loss, [x], { eps: 1e-2, samples: 12, tolerance: 2e-3, seed: 5, label: name });
      tf.dispose([x, r]);
    });
  }

  it('layers give the cpu answer (Conv2D with every algorithm, Inception)', async () => {
    const x = distinctValues([1, 9, 9, 3], 6);
    const conv = new Conv2D({ filters: 4, kernelSize: 3, padding: 'same', seed: 1 });
    const inc = new Inception({ filters1x1: 2, filters3x3Reduce: 2, filters3x3: 3, filters5x5Reduce: 1, filters5x5: 2, poolProjection: 2, seed: 2 });
    const outs = [...CONV_ALGORITHMS.map((a) => new Conv2D({ filters: 4, kernelSize: 3, padding: 'same', seed: 1, algorithm: a }).apply(x)), inc.apply(x)];
    const wasm = await Promise.all(outs.map((o) => read(o)));
    await useBackend('cpu');
    const xc = tf.tensor(await read(x), x.shape);
    const cpuConv = conv.apply(xc);
    const cpuInc = inc.apply(xc);
    const [a, b] = [await read(cpuConv), await read(cpuInc)];
    for (const v of wasm.slice(0, 4)) v.forEach((z, i) => expect(Math.abs(z - a[i])).toBeLessThan(1e-4));
    wasm[4].forEach((z, i) => expect(Math.abs(z - b[i])).toBeLessThan(1e-4));
    tf.dispose([xc, cpuConv, cpuInc]);
    await useBackend('wasm');
  });
});
