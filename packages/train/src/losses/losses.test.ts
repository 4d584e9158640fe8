import { describe, expect, it } from 'vitest';
import { ShapeError, tf } from '@nutshell/tensor';
import type { Tensor } from '@nutshell/tensor';
import { meanSquaredError } from './meanSquaredError.js';
import { meanAbsoluteError } from './meanAbsoluteError.js';
import { huber } from './huber.js';
import { binaryCrossentropy } from './binaryCrossentropy.js';
import { categoricalCrossentropy } from './categoricalCrossentropy.js';
import { sparseCategoricalCrossentropy } from './sparseCategoricalCrossentropy.js';
import { hinge } from './hinge.js';
import { klDivergence } from './klDivergence.js';
import { getLoss } from './getLoss.js';
import type { Loss } from './loss.js';
import { ConfigError } from '../errors.js';
import { analyticGrad, expectClose, numericGrad } from '../test-utils/numeric.js';

const v = (t: Tensor): number[] => {
  const out = Array.from(t.dataSync());
  t.dispose();
  return out;
};

describe('regression losses against hand-computed values', () => {
  const yTrue = () => tf.tensor2d([[1, 2], [3, 4]]);
  const yPred = () => tf.tensor2d([[1, 3], [5, 4]]);

  it('meanSquaredError: per sample (0+1)/2 and (4+0)/2; mean, sum, none, sample weights', () => {
    expectClose(v(meanSquaredError(yTrue(), yPred())), [1.25]);
    expectClose(v(meanSquaredError(yTrue(), yPred(), { reduction: 'sum' })), [2.5]);
    expectClose(v(meanSquaredError(yTrue(), yPred(), { reduction: 'none' })), [0.5, 2]);
    // weights 2 and 0: (2·0.5 + 0·2) / batch 2
    expectClose(v(meanSquaredError(yTrue(), yPred(), { sampleWeight: tf.tensor1d([2, 0]) })), [0.5]);
  });

  it('meanAbsoluteError: per sample 0.5 and 1', () => {
    expectClose(v(meanAbsoluteError(yTrue(), yPred(), { reduction: 'none' })), [0.5, 1]);
    expectClose(v(meanAbsoluteError(yTrue(), yPred())), [0.75]);
  });

  it('huber (δ = 1): ½·1² for error 1, 1·(2 − ½) for error 2', () => {
    expectClose(v(huber()(yTrue(), yPred(), { reduction: 'none' })), [0.25, 0.75]);
    // δ = 3: both errors are quadratic: ½·1, ½·4
    expectClose(v(huber({ delta: 3 })(yTrue(), yPred(), { reduction: 'none' })), [0.25, 1]);
    expect(() => huber({ delta: 0 })).toThrow('huber: delta must be a finite number > 0, got 0.');
  });

  it('refuses mismatched shapes with a ShapeError naming the loss', () => {
    expect(() => meanSquaredError(tf.zeros([2, 3]), tf.zeros([2, 2]))).toThrow(ShapeError);
    expect(() => meanSquaredError(tf.zeros([2, 3]), tf.zeros([2, 2]))).toThrow(/^meanSquaredError: expected shape \[2, 2\], got \[2, 3\]/);
    expect(() => meanSquaredError(tf.zeros([2, 2]), tf.zeros([2, 2]), { sampleWeight: tf.ones([3]) })).toThrow(/sampleWeight/);
  });
});

describe('classification losses against hand-computed values', () => {
  it('binaryCrossentropy from probabilities: −ln 0.8 and −ln 0.7', () => {
    const l = binaryCrossentropy()(tf.tensor2d([[1], [0]]), tf.tensor2d([[0.8], [0.3]]), { reduction: 'none' });
    expectClose(v(l), [-Math.log(0.8), -Math.log(0.7)]);
  });

  it('binaryCrossentropy from logits: log(1 + e^−2), log(1 + e^−1); stable at ±100', () => {
    const bce = binaryCrossentropy({ fromLogits: true });
    expectClose(v(bce(tf.tensor2d([[1], [0]]), tf.tensor2d([[2], [-1]]), { reduction: 'none' })), [Math.log1p(Math.exp(-2)), Math.log1p(Math.exp(-1))]);
    expectClose(v(bce(tf.tensor2d([[0], [1], [1]]), tf.tensor2d([[100], [-100], [100]]), { reduction: 'none' })), [100, 100, 0]);
  });

  it('categoricalCrossentropy: −ln 0.7 from probabilities; log-sum-exp from logits, finite at 1000', () => {
    expectClose(v(categoricalCrossentropy()(tf.tensor2d([[0, 1, 0]]), tf.tensor2d([[0.2, 0.7, 0.1]]))), [-Math.log(0.7)]);
    const cce = categoricalCrossentropy({ fromLogits: true });
    const lse = Math.log(Math.E + Math.E ** 2 + Math.E ** 3);
    expectClose(v(cce(tf.tensor2d([[0, 0, 1]]), tf.tensor2d([[1, 2, 3]]))), [lse - 3]);
    expectClose(v(cce(tf.tensor2d([[0, 1]]), tf.tensor2d([[1000, 0]]))), [1000]);
  });

  it('sparseCategoricalCrossentropy equals categorical on one-hot targets; accepts [batch] and [batch, 1] int or float labels', () => {
    const logits = [[1, 2, 3], [0.5, -1, 2]];
    const scce = sparseCategoricalCrossentropy({ fromLogits: true });
    const cce = categoricalCrossentropy({ fromLogits: true });
    const expected = v(cce(tf.tensor2d([[0, 0, 1], [1, 0, 0]]), tf.tensor2d(logits), { reduction: 'none' }));
    expectClose(v(scce(tf.tensor1d([2, 0], 'int32'), tf.tensor2d(logits), { reduction: 'none' })), expected);
    expectClose(v(scce(tf.tensor2d([[2], [0]]), tf.tensor2d(logits), { reduction: 'none' })), expected);
    const probs = sparseCategoricalCrossentropy()(tf.tensor1d([1], 'int32'), tf.tensor2d([[0.2, 0.7, 0.1]]));
    expectClose(v(probs), [-Math.log(0.7)]);
    expect(() => scce(tf.tensor1d([1, 2, 0]), tf.zeros([2, 3]))).toThrow(/sparseCategoricalCrossentropy: expected shape \[2\], got \[3\]/);
  });

  it('hinge: 0/1 labels map to −1/1; max(0, 1 − 0.3) and max(0, 1 + 0.4)', () => {
    expectClose(v(hinge(tf.tensor2d([[1, 0]]), tf.tensor2d([[0.3, 0.4]]))), [1.05]);
    expectClose(v(hinge(tf.tensor2d([[1, -1]]), tf.tensor2d([[0.3, 0.4]]))), [1.05]);
  });

  it('klDivergence: ½ ln 2 + ½ ln(2/3); zero for identical distributions', () => {
    expectClose(v(klDivergence(tf.tensor2d([[0.5, 0.5]]), tf.tensor2d([[0.25, 0.75]]))), [0.5 * Math.log(2) + 0.5 * Math.log(2 / 3)]);
    expectClose(v(klDivergence(tf.tensor2d([[0.3, 0.7]]), tf.tensor2d([[0.3, 0.7]]))), [0]);
  });
});

describe('loss gradients against central finite differences', () => {
  const x = new Float32Array([0.3, -1.2, 0.8, 2.1, -0.4, 0.05]);
  const probs = new Float32Array([0.3, 0.6, 0.1, 0.2, 0.25, 0.55]);
  const cases: [string, Loss, () => Tensor, Float32Array][] = [
    ['meanSquaredError', meanSquaredError, () => tf.tensor2d([[1, 0, 0.5], [2, 0, 1]]), x],
    ['huber', huber({ delta: 0.5 }), () => tf.tensor2d([[1, 0, 0.5], [0, 0, 1]]), x],
    ['binaryCrossentropy (logits)', binaryCrossentropy({ fromLogits: true }), () => tf.tensor2d([[1, 0, 1], [0, 1, 0]]), x],
    ['binaryCrossentropy (probabilities)', binaryCrossentropy(), () => tf.tensor2d([[1, 0, 1], [0, 1, 0]]), probs],
    ['categoricalCrossentropy (logits)', categoricalCrossentropy({ fromLogits: true }), () => tf.tensor2d([[0, 1, 0], [0.2, 0.3, 0.5]]), x],
    ['categoricalCrossentropy (probabilities)', categoricalCrossentropy(), () => tf.tensor2d([[0, 1, 0], [1, 0, 0]]), probs],
    ['sparseCategoricalCrossentropy (logits)', sparseCategoricalCrossentropy({ fromLogits: true }), () => tf.tensor1d([1, 2], 'int32'), x],
    ['hinge', hinge, () => tf.tensor2d([[1, -1, 1], [-1, 1, 1]]), x],
    ['klDivergence', klDivergence, () => tf.tensor2d([[0.2, 0.5, 0.3], [0.1, 0.1, 0.8]]), probs],
  ];
  for (const [name, loss, yTrue, at] of cases) {
    it(name, () => {
      const t = yTrue();
      const f = (p: Tensor) => loss(t, p, { sampleWeight: tf.tensor1d([1, 0.5]) });
      expectClose(analyticGrad(f, at, [2, 3]), numericGrad(f, at, [2, 3], 1e-3), 5e-3);
      t.dispose();
    });
  }
});

describe('getLoss', () => {
  it('finds losses by name and refuses unknown names', () => {
    expect(getLoss('mse').lossName).toBe('meanSquaredError');
    expect(getLoss(hinge)).toBe(hinge);
    expect(() => getLoss('nope' as 'mse')).toThrow(ConfigError);
    expect(() => getLoss('nope' as 'mse')).toThrow(/Unknown loss 'nope'. Known losses: meanSquaredError/);
  });
});
