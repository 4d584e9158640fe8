import { randomNormal, tf, type Tensor } from '@nutshell/tensor';
import { describe, expect, it } from 'vitest';
import { Dense } from '../core/Dense.js';
import { Layer, type ApplyOptions } from '../layer.js';
import { registerLayer } from '../registry.js';
import { LayerTestError, runLayerTest } from './layerTest.js';

// y = x·w with a custom gradient that is wrong by a factor of 2 for the input.
class WrongGrad extends Layer {
  readonly className: string = 'WrongGrad';
  private w?: tf.Variable;
  override build(): void {
    this.w = this.addWeight('w', [1], 'ones');
  }
  call(inputs: Tensor | Tensor[], _opts: ApplyOptions): Tensor {
    const f = tf.customGrad(((x: tf.Tensor, w: tf.Tensor, save: tf.GradSaveFunc) => {
      save([x, w]);
      return {
        value: tf.mul(x, w),
        gradFunc: (dy: tf.Tensor, [sx, sw]: tf.Tensor[]) => [
          tf.mul(dy, tf.mul(sw, 2)),
          tf.sum(tf.mul(dy, sx)),
        ],
      };
    }) as unknown as Parameters<typeof tf.customGrad>[0]);
    return f(inputs as Tensor, this.w!) as Tensor;
  }
}
registerLayer('WrongGrad', (c) => new WrongGrad(c));

// Keeps a tensor alive on every call.
const kept: Tensor[] = [];
class Leaky extends Layer {
  readonly className: string = 'Leaky';
  call(inputs: Tensor | Tensor[]): Tensor {
    kept.push(tf.keep(tf.add(inputs as Tensor, 1)));
    return tf.mul(inputs as Tensor, 2);
  }
}
registerLayer('Leaky', (c) => new Leaky(c));

// Forgets its hyperparameter in getConfig.
class Forgetful extends Layer {
  readonly className: string = 'Forgetful';
  readonly scale: number;
  constructor(args: { scale?: number; name?: string } = {}) {
    super(args);
    this.scale = args.scale ?? 1;
  }
  call(inputs: Tensor | Tensor[]): Tensor {
    return tf.mul(inputs as Tensor, this.scale);
  }
}
registerLayer('Forgetful', (c) => new Forgetful(c as { scale?: number }));

describe('runLayerTest', () => {
  it('passes Dense: shape, weights, config, save/load, gradients, leaks, freezing', async () => {
    const x = randomNormal([3, 4], { seed: 1 });
    const report = await runLayerTest({
      make: () => new Dense({ units: 2, activation: 'tanh', seed: 1 }),
      input: x,
      expectedOutputShape: [3, 2],
      expectedWeights: [
        { name: 'kernel', shape: [4, 2] },
        { name: 'bias', shape: [2] },
      ],
    });
    expect(report.checks).toEqual([
      'shape',
      'weights',
      'leaks',
      'config',
      'saveLoad',
      'inputGradients',
      'weightGradients',
      'trainable',
    ]);
    expect(report.worstGradientError).toBeLessThan(5e-3);
    x.dispose();
  });

  it('reports a wrong shape and wrong weights, naming what was expected', async () => {
    const x = randomNormal([3, 4], { seed: 1 });
    const run = runLayerTest({
      make: () => new Dense({ units: 2, seed: 1 }),
      input: x,
      expectedOutputShape: [3, 5],
      expectedWeights: [{ name: 'kernel', shape: [4, 2] }],
    });
    await expect(run).rejects.toThrow(LayerTestError);
    await expect(
      runLayerTest({ make: () => new Dense({ units: 2, seed: 1 }), input: x, expectedOutputShape: [3, 5] }),
    ).rejects.toThrow('shape: expected [3, 5], apply gave [3, 2]');
    await expect(run).rejects.toThrow(
      'weights: expected kernel [4, 2] trainable; got kernel [4, 2] trainable; bias [2] trainable',
    );
    x.dispose();
  });

  it('catches a wrong gradient', async () => {
    const x = randomNormal([2, 3], { seed: 2 });
    await expect(runLayerTest({ make: () => new WrongGrad(), input: x })).rejects.toThrow(
      /gradients: d\/dinput\[\d+\]: autodiff .* vs central difference/,
    );
    x.dispose();
  });

  it('catches a leak', async () => {
    const x = randomNormal([2, 3], { seed: 2 });
    await expect(runLayerTest({ make: () => new Leaky(), input: x })).rejects.toThrow(
      'leaks: an inference apply left 1 tensor(s)',
    );
    tf.dispose(kept);
    x.dispose();
  });

  it('catches a config that loses a hyperparameter', async () => {
    const x = randomNormal([2, 3], { seed: 2 });
    await expect(runLayerTest({ make: () => new Forgetful({ scale: 3 }), input: x })).rejects.toThrow(
      /config: the layer rebuilt from its config, with the same weights, differs by /,
    );
    x.dispose();
  });
});
