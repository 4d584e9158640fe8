import { afterEach, describe, expect, it } from 'vitest';
import { ADAM_UPDATE, SGD_UPDATE } from '@nutshell/backend';
import { numTensors, tf } from '@nutshell/tensor';
import type { Tensor, Variable } from '@nutshell/tensor';
import { Adam, AdamW } from './adam.js';
import { SGD, momentum, nesterov } from './sgd.js';
import type { Optimizer } from './optimizer.js';

/** Float32 weights and gradients with a spread of magnitudes (signs, tiny and large values), from a fixed seed. */
function values(n: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    const u = s / 2147483648;
    return (u - 0.5) * 10 ** Math.floor(u * 7 - 4);
  });
}

const SHAPE = [37, 5];

/** Three steps from the same weights and gradients; the weights, every slot and the kernels each step ran. */
async function threeSteps(
  make: () => Optimizer,
): Promise<{ w: Float32Array; slots: Float32Array[]; kernels: string[] }> {
  const initial = tf.tensor(values(185, 7), SHAPE);
  const variable = tf.variable(initial);
  initial.dispose();
  const weights = [{ name: 'w', variable }];
  const opt = make();
  opt.prepare(weights);
  const kernels: string[] = [];
  for (let step = 0; step < 3; step++) {
    const g = tf.tensor(values(185, 11 + step), SHAPE);
    const profile = await tf.profile(() => opt.applyGradients(weights, [g]));
    kernels.push(...profile.kernels.map((k) => k.name));
    g.dispose();
  }
  const state = opt.getState();
  const slots = Object.keys(state.slots)
    .sort()
    .map((k) => state.slots[k].dataSync() as Float32Array);
  tf.dispose(Object.values(state.slots));
  const w = variable.dataSync() as Float32Array;
  variable.dispose();
  opt.dispose();
  return { w, slots, kernels };
}

/** Runs `fn` with the backend's fused kernel unregistered, so the optimizer takes its tensor-op rule. */
async function withoutKernel<T>(kernelName: string, fn: () => Promise<T>): Promise<T> {
  const config = tf.getKernel(kernelName, tf.getBackend())!;
  tf.unregisterKernel(kernelName, tf.getBackend());
  try {
    return await fn();
  } finally {
    tf.registerKernel(config);
  }
}

/** An Adam whose decay hook is its own: it must not be bypassed by the fused kernel. */
class HalvingDecayAdam extends Adam {
  protected override decay(w: Variable, updated: Tensor): Tensor {
    return tf.sub(updated, tf.mul(w, 0.5));
  }
}

afterEach(() => expect(tf.getKernel(ADAM_UPDATE, 'cpu')).toBeDefined());

describe('fused optimizer updates (one kernel per weight) on the cpu backend', () => {
  it.each<[string, string, () => Optimizer]>([
    ['Adam', ADAM_UPDATE, () => new Adam({ learningRate: 0.01 })],
    ['AdamW', ADAM_UPDATE, () => new AdamW({ learningRate: 0.01, weightDecay: 0.1 })],
    ['SGD', SGD_UPDATE, () => new SGD({ learningRate: 0.1 })],
    ['momentum', SGD_UPDATE, () => momentum({ learningRate: 0.1 })],
    ['nesterov', SGD_UPDATE, () => nesterov({ learningRate: 0.1, momentum: 0.8 })],
  ])(
    '%s: the fused kernel gives the tensor-op rule’s weights and slots bit for bit',
    async (_, kernel, make) => {
      const before = numTensors();
      const fused = await threeSteps(make);
      const unfused = await withoutKernel(kernel, () => threeSteps(make));
      expect(fused.kernels).toEqual([kernel, kernel, kernel]); // one kernel a step for the one weight
      expect(unfused.kernels).not.toContain(kernel);
      expect(unfused.kernels.length).toBeGreaterThanOrEqual(3 * 2);
      expect(fused.w).toEqual(unfused.w);
      expect(fused.slots).toEqual(unfused.slots);
      expect(fused.w).not.toEqual(values(185, 7)); // it did move
      expect(numTensors()).toBe(before);
    },
  );

  it('a subclass with its own decay hook runs the tensor-op rule, hook included', async () => {
    const { w, kernels } = await threeSteps(() => new HalvingDecayAdam({ learningRate: 0.01 }));
    expect(kernels).not.toContain(ADAM_UPDATE);
    const { w: plain } = await threeSteps(() => new Adam({ learningRate: 0.01 }));
    // Each step halves the weights on top of Adam's (tiny) step: far from plain Adam's weights.
    expect(Math.abs(w[0])).toBeLessThan(Math.abs(plain[0]) / 4);
  });
});
