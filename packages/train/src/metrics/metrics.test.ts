import { describe, expect, it } from 'vitest';
import { tf } from '@nutshell/tensor';
import type { Tensor } from '@nutshell/tensor';
import { binaryAccuracy, categoricalAccuracy, sparseCategoricalAccuracy, topKAccuracy } from './accuracy.js';
import {
  accuracyScore,
  aucRoc,
  confusionMatrix,
  f1Score,
  meanAbsoluteErrorScore,
  meanSquaredErrorScore,
  precision,
  recall,
} from './classification.js';
import { isDatasetMetric, resolveMetric } from './metric.js';
import type { BatchMetric, DatasetMetric } from './metric.js';
import { ConfigError, DataError } from '../errors.js';

const v = (t: Tensor): number[] => {
  const out = Array.from(t.dataSync());
  t.dispose();
  return out;
};

describe('per-sample accuracies on tensors', () => {
  it('binary: threshold 0.5, or 0 for logits', () => {
    expect(v(binaryAccuracy(tf.tensor2d([[1], [0], [1]]), tf.tensor2d([[0.7], [0.6], [0.2]])))).toEqual([1, 0, 0]);
    expect(v(binaryAccuracy(tf.tensor2d([[1], [0]]), tf.tensor2d([[0.1], [-0.1]]), 0))).toEqual([1, 1]);
  });
  it('categorical and sparse: arg-max against the target', () => {
    const p = tf.tensor2d([[0.1, 0.7, 0.2], [0.5, 0.3, 0.2], [0.2, 0.2, 0.6]]);
    expect(v(categoricalAccuracy(tf.tensor2d([[0, 1, 0], [0, 1, 0], [0, 0, 1]]), p))).toEqual([1, 0, 1]);
    expect(v(sparseCategoricalAccuracy(tf.tensor1d([1, 1, 2], 'int32'), p))).toEqual([1, 0, 1]);
    p.dispose();
  });
  it('top-k: the true class among the k best', () => {
    const p = tf.tensor2d([[0.1, 0.5, 0.3, 0.1]]);
    expect(v(topKAccuracy(tf.tensor1d([2]), p, 1))).toEqual([0]);
    expect(v(topKAccuracy(tf.tensor1d([2]), p, 2))).toEqual([1]);
    expect(v(topKAccuracy(tf.tensor2d([[0, 0, 1, 0]]), p, 2))).toEqual([1]);
    p.dispose();
  });
});

describe('classification scores against hand-computed values', () => {
  const labels = [0, 1, 1, 0, 1, 2];
  const preds = [0, 1, 0, 0, 2, 2];

  it('confusion matrix: rows true, columns predicted', () => {
    expect(confusionMatrix(labels, preds, 3)).toEqual([
      [2, 0, 0],
      [1, 1, 1],
      [0, 0, 1],
    ]);
    expect(() => confusionMatrix([0, 3], [0, 0], 3)).toThrow(DataError);
    expect(() => confusionMatrix([0, 3], [0, 0], 3)).toThrow('confusionMatrix: label 3 at row 1 is outside [0, 3).');
    expect(() => confusionMatrix([0], [0, 1], 3)).toThrow('confusionMatrix: 1 labels but 2 predictions.');
  });

  it('accuracy, macro and micro precision / recall / F1 over three classes', () => {
    expect(accuracyScore(labels, preds)).toBeCloseTo(4 / 6, 12);
    expect(precision(labels, preds)).toBeCloseTo((2 / 3 + 1 + 1 / 2) / 3, 12);
    expect(recall(labels, preds)).toBeCloseTo((1 + 1 / 3 + 1) / 3, 12);
    expect(f1Score(labels, preds)).toBeCloseTo((0.8 + 0.5 + 2 / 3) / 3, 12);
    expect(precision(labels, preds, { average: 'micro' })).toBeCloseTo(4 / 6, 12);
  });

  it('binary precision / recall / F1: TP 2, FP 1, FN 1', () => {
    const y = [1, 0, 1, 1, 0];
    const p = [1, 1, 0, 1, 0];
    expect(precision(y, p)).toBeCloseTo(2 / 3, 12);
    expect(recall(y, p)).toBeCloseTo(2 / 3, 12);
    expect(f1Score(y, p)).toBeCloseTo(2 / 3, 12);
    expect(precision(y, p, { positiveClass: 0 })).toBeCloseTo(1 / 2, 12);
  });

  it('AUC-ROC: 0.75 on the classic four-point example; ties count a half; NaN with one class', () => {
    expect(aucRoc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBeCloseTo(0.75, 12);
    expect(aucRoc([0, 1], [0.5, 0.5])).toBeCloseTo(0.5, 12);
    expect(aucRoc([0, 1, 1], [0.1, 0.2, 0.9])).toBe(1);
    expect(aucRoc([1, 1], [0.1, 0.2])).toBeNaN();
    expect(() => aucRoc([0, 2], [0.1, 0.2])).toThrow('aucRoc: label 2 at row 1 is not 0 or 1.');
  });

  it('MAE and MSE', () => {
    expect(meanAbsoluteErrorScore([1, 2, 3], [2, 2, 1])).toBeCloseTo(1, 12);
    expect(meanSquaredErrorScore([1, 2, 3], [2, 2, 1])).toBeCloseTo(5 / 3, 12);
  });
});

describe('metrics by name', () => {
  it('accuracy picks binary, sparse or categorical from the shapes', () => {
    const acc = resolveMetric('accuracy') as BatchMetric;
    expect(v(acc.perSample(tf.tensor2d([[1], [0]]), tf.tensor2d([[0.9], [0.4]])))).toEqual([1, 1]);
    expect(v(acc.perSample(tf.tensor1d([1, 0]), tf.tensor2d([[0.1, 0.9], [0.4, 0.6]])))).toEqual([1, 0]);
    expect(v(acc.perSample(tf.tensor2d([[0, 1], [1, 0]]), tf.tensor2d([[0.1, 0.9], [0.4, 0.6]])))).toEqual([1, 0]);
    const logitAcc = resolveMetric('accuracy', true) as BatchMetric;
    expect(v(logitAcc.perSample(tf.tensor2d([[1], [0]]), tf.tensor2d([[0.2], [-0.3]])))).toEqual([1, 1]);
    expect(v((resolveMetric('top2Accuracy') as BatchMetric).perSample(tf.tensor1d([2]), tf.tensor2d([[0.1, 0.5, 0.3, 0.1]])))).toEqual([1]);
    expect(v((resolveMetric('mae') as BatchMetric).perSample(tf.tensor2d([[1, 2]]), tf.tensor2d([[2, 4]])))).toEqual([1.5]);
  });

  it('dataset metrics decide classes from one-hot or index targets', () => {
    const p = resolveMetric('precision');
    expect(isDatasetMetric(p)).toBe(true);
    const yPred = [0.9, 0.1, 0.2, 0.8, 0.6, 0.4]; // predicted 0, 1, 0
    expect((p as DatasetMetric).compute([0, 1, 1], yPred, 2)).toBeCloseTo(1, 12); // class 1: TP 1, FP 0
    expect((resolveMetric('recall') as DatasetMetric).compute([1, 0, 0, 1, 0, 1], yPred, 2)).toBeCloseTo(0.5, 12);
    expect((resolveMetric('auc') as DatasetMetric).compute([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], 1)).toBeCloseTo(0.75, 12);
    expect(() => resolveMetric('accuracyy')).toThrow(ConfigError);
    expect(() => resolveMetric('accuracyy')).toThrow(/Unknown metric 'accuracyy'/);
  });
});
