// Conv2D's fused path (direct algorithm, one group, 'linear' or 'relu'): one FusedConv2D kernel forward, the
// gradient registered in algorithms/fusedConvGradient.ts backward. Values and all three gradients against the float64
// loop reference, on cpu and (where it loads) wasm; that the fused kernel is what runs; that a first layer's input
// gradient is not computed; nothing leaked.
import { NutshellError, Rng, numTensors, read, tf, useBackend, type Tensor } from '@nutshell/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { Conv2D, conv2dGeometry, type Conv2DOptions } from '../index.js';
import { fusedConvGradientRegistered } from '../algorithms/fusedConvGradient.js';
import { randomArray, referenceConv2d, relativeError, toTensor } from '../test-utils/reference.js';

const geometries: Array<{
  name: string;
  x: number[];
  k: [number, number];
  f: number;
  opts: Conv2DOptions & { padding: 'valid' | 'same' };
}> = [
  { name: 'LeNet-like 5×5 valid', x: [3, 9, 8, 1], k: [5, 5], f: 4, opts: { padding: 'valid' } },
  { name: '3×2 stride 2 same', x: [2, 7, 9, 3], k: [3, 2], f: 3, opts: { strides: 2, padding: 'same' } },
  {
    name: '3×3 same, dilation 2',
    x: [2, 8, 7, 2],
    k: [3, 3],
    f: 2,
    opts: { padding: 'same', dilations: 2 },
  },
  {
    name: '4×2 stride 3 valid (rows never read)',
    x: [2, 11, 7, 2],
    k: [4, 2],
    f: 3,
    opts: { strides: 3, padding: 'valid' },
  },
];

let wasmUnavailable: string | undefined;
try {
  await import('@nutshell/backend-wasm');
} catch (e) {
  wasmUnavailable = (e as Error).message;
}
afterAll(async () => {
  await useBackend('cpu');
});

for (const backend of ['cpu', 'wasm'] as const) {
  const skip = backend === 'wasm' ? wasmUnavailable : undefined;
  describe.skipIf(skip !== undefined)(
    `Conv2D's fused convolution + bias + activation on ${backend}${skip ? ` (skipped: ${skip})` : ''}`,
    () => {
      for (const { name, x: xShape, k, f, opts } of geometries)
        for (const activation of ['linear', 'relu'] as const)
          it(`${name}, ${activation}: output and the x, kernel and bias gradients equal the float64 reference`, async () => {
            await useBackend(backend);
            const rng = new Rng(xShape.length * 7 + f);
            const layer = new Conv2D({
              filters: f,
              kernelSize: k,
              activation,
              ...{ strides: opts.strides, padding: opts.padding, dilationRate: opts.dilations },
              seed: 3,
            });
            const xs = randomArray(
              xShape.reduce((a, b) => a * b),
              rng,
            );
            const x = toTensor(xs, xShape);
            tf.dispose(layer.apply(x) as Tensor); // builds it
            const [kernel, bias] = layer.weights.map((w) => w.variable);
            // A bias that puts some outputs on each side of 0, so the relu mask matters.
            bias.assign(tf.tensor1d(Array.from({ length: f }, (_, i) => (i % 2 ? 0.3 : -0.3))));
            const g = conv2dGeometry('t', xShape, kernel.shape, opts);
            const r = randomArray(g.batch * g.outHeight * g.outWidth * f, rng);
            const rt = toTensor(r, [g.batch, g.outHeight, g.outWidth, f]);
            const before = numTensors();

            const profile = await tf.profile(() => layer.apply(x) as Tensor);
            const kernels = profile.kernelNames;
            expect(kernels).toContain('FusedConv2D');
            expect(kernels).not.toContain('Add');
            expect(kernels).not.toContain('Relu');
            tf.dispose(profile.result as Tensor);

            const y = layer.apply(x) as Tensor;
            const loss = (input: Tensor) => tf.sum(tf.mul(layer.apply(input) as Tensor, rt));
            const dx = tf.grad(loss)(x);
            const { value, grads } = tf.variableGrads(() => loss(x) as tf.Scalar);

            // float64: z = conv + bias, y = act(z), dz = r where the activation passes it.
            const ws = Float64Array.from(await read(kernel));
            const bs = await read(bias);
            const z = referenceConv2d(xs, ws, g).y.map((v, i) => v + bs[i % f]);
            const dz = r.map((v, i) => (activation === 'relu' && z[i] <= 0 ? 0 : v));
            const ref = referenceConv2d(xs, ws, g, dz);
            const db = new Float64Array(f);
            dz.forEach((v, i) => (db[i % f] += v));
            expect(
              relativeError(await read(y), activation === 'relu' ? z.map((v) => Math.max(v, 0)) : z),
            ).toBeLessThan(1e-5);
            expect(relativeError(await read(dx), ref.dx)).toBeLessThan(1e-5);
            expect(relativeError(await read(grads[kernel.name]), ref.dw)).toBeLessThan(1e-5);
            expect(relativeError(await read(grads[bias.name]), db)).toBeLessThan(1e-5);
            tf.dispose([y, dx, value, ...Object.values(grads)]);
            expect(numTensors()).toBe(before);
            tf.dispose([x, rt]);
            layer.dispose();
          });

      it('a first layer (its input is data) computes no input gradient; relu and bias gradients are one kernel', async () => {
        await useBackend(backend);
        const layer = new Conv2D({ filters: 2, kernelSize: 3, activation: 'relu', seed: 1 });
        const x = tf.randomNormal([2, 6, 6, 1], 0, 1, 'float32', 4);
        tf.dispose(layer.apply(x) as Tensor); // builds it
        const profile = await tf.profile(() => {
          const { value, grads } = tf.variableGrads(() => tf.sum(layer.apply(x) as Tensor) as tf.Scalar);
          tf.dispose([value, ...Object.values(grads)]);
        });
        expect(profile.kernelNames).toContain('Conv2DBackpropFilter');
        expect(profile.kernelNames).not.toContain('Conv2DBackpropInput');
        // The relu's backward pass and the bias gradient: one kernel, not Step, Multiply and Sum.
        expect(profile.kernelNames).toContain('NutshellReluBackprop');
        expect(profile.kernelNames).not.toContain('Step');
        expect(profile.kernelNames.filter((k) => k === 'Sum')).toHaveLength(1); // the loss's own
        x.dispose();
        layer.dispose();
      });

      it('the registered gradient refuses what it does not cover (an elu fused by hand), naming it', async () => {
        await useBackend(backend);
        expect(fusedConvGradientRegistered()).toBe(true);
        const x = tf.ones([1, 3, 3, 1]);
        const w = tf.ones([2, 2, 1, 1]);
        const b = tf.zeros([1]);
        const elu = (input: Tensor) =>
          tf.sum(
            tf
              .engine()
              .runKernel(
                tf.FusedConv2D,
                { x: input, filter: w, bias: b },
                { strides: 1, pad: 'valid', dataFormat: 'NHWC', dilations: 1, activation: 'elu' },
              ) as Tensor,
          );
        // Not a Nutshell path (the layers fuse 'linear' and 'relu' only), so no leak check: when any gradient throws,
        // tfjs's engine keeps what it saved for the backward pass (4 tensors a call here).
        expect(() => tf.grad(elu)(x)).toThrow(NutshellError);
        expect(() => tf.grad(elu)(x)).toThrow(/FusedConv2D gradient: .*'linear' or 'relu'.*'elu'/);
        tf.dispose([x, w, b]);
      });
    },
  );
}
