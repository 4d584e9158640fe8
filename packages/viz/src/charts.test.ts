import { describe, expect, it } from 'vitest';
import {
  VizError,
  barChart,
  composeFigures,
  confusionMatrix,
  confusionMatrixChart,
  lineChart,
  perClassAccuracyChart,
  trainingCurves,
} from './index.js';
import { tf } from '@nutshell/tensor';
import { marks, parseSvg } from './test-utils/svg.js';

describe('lineChart and barChart', () => {
  it('draws one path per series and one dot per point', () => {
    const fig = lineChart({
      title: 'two <series> & more',
      series: [
        { name: 'a', x: [0, 1, 2], y: [1, 2, 3] },
        { name: 'b', x: [0, 1, 2], y: [3, 2, 1], dashed: true },
      ],
    });
    expect(marks(fig, 'path', 'series')).toHaveLength(2);
    expect(marks(fig, 'circle', 'point')).toHaveLength(6);
    expect(marks(fig, 'path', 'series')[1]!.getAttribute('stroke-dasharray')).toBe('5 3');
    expect(parseSvg(fig).getElementsByTagName('title')[0]!.textContent).toBe('two <series> & more');
  });

  it('labels whole-number x data (epochs) with whole numbers only', () => {
    const fig = lineChart({ title: 't', series: [{ name: 'a', x: [0, 1, 2], y: [3, 2, 1] }], width: 600 });
    const labels = marks(fig, 'text')
      .filter((t) => t.getAttribute('text-anchor') === 'middle')
      .map((t) => t.textContent);
    expect(labels).toEqual(['0', '1', '2']);
  });

  it('maps values to positions: a larger y is drawn higher', () => {
    const fig = lineChart({ title: 't', series: [{ name: 'a', x: [0, 1], y: [0, 10] }] });
    const [p0, p1] = marks(fig, 'circle', 'point').map((c) => Number(c.getAttribute('cy')));
    expect(p1!).toBeLessThan(p0!);
  });

  it('on a log scale skips non-positive values instead of drawing them', () => {
    const fig = lineChart({
      title: 'log',
      series: [{ name: 'a', x: [0, 1, 2, 3], y: [1e-4, 0, 1e-2, 1] }],
      yScale: 'log',
    });
    expect(marks(fig, 'circle', 'point')).toHaveLength(3);
    // the gap splits the line: two move-to commands
    expect((marks(fig, 'path', 'series')[0]!.getAttribute('d')!.match(/M/g) ?? []).length).toBe(2);
    expect(() =>
      lineChart({ title: 'empty', series: [{ name: 'a', x: [0], y: [-1] }], yScale: 'log' }),
    ).toThrow(VizError);
  });

  it('bar charts have one rect per value, and refuse mismatched inputs', () => {
    const fig = barChart({ title: 'b', labels: ['x', 'y', 'z'], values: [1, 0.5, 0.25] });
    const bars = marks(fig, 'rect', 'bar');
    expect(bars).toHaveLength(3);
    const heights = bars.map((b) => Number(b.getAttribute('height')));
    expect(heights[0]! / heights[1]!).toBeCloseTo(2, 1);
    expect(() => barChart({ title: 'b', labels: ['x'], values: [1, 2] })).toThrow(
      'barChart: 1 labels but 2 values.',
    );
  });

  it('composes figures into one parseable SVG, images moved with their figure', () => {
    const a = lineChart({ title: 'a', series: [{ name: 'a', x: [0, 1], y: [0, 1] }], width: 200 });
    const b = lineChart({ title: 'b', series: [{ name: 'b', x: [0, 1], y: [0, 1] }], width: 300 });
    const fig = composeFigures([a, b], { gap: 10 });
    expect(fig.width).toBe(510);
    expect(marks(fig, 'svg')).toHaveLength(3); // root + two nested
    expect(marks(fig, 'path', 'series')).toHaveLength(2);
  });
});

describe('trainingCurves', () => {
  const history = {
    epochs: [1, 2, 3],
    logs: {
      loss: [1, 0.5, 0.3],
      val_loss: [1.2, 0.7, 0.6],
      accuracy: [0.5, 0.8, 0.9],
      val_accuracy: [0.4, 0.7, 0.8],
      lr: [0.1, 0.05, 0.025],
    },
  };

  it('draws loss and each metric train vs validation, and the learning rate', () => {
    const fig = trainingCurves(history);
    const series = marks(fig, 'path', 'series');
    expect(series.map((s) => s.getAttribute('data-name'))).toEqual([
      'train',
      'validation',
      'train',
      'validation',
      'lr',
    ]);
    expect(marks(fig, 'circle', 'point')).toHaveLength(15);
    const titles = marks(fig, 'title').map((t) => t.textContent);
    expect(titles).toEqual(['Training curves (3 epochs)', 'loss', 'accuracy', 'learning rate']);
  });

  it('refuses an empty history with a clear error', () => {
    expect(() => trainingCurves({ epochs: [], logs: {} })).toThrow(VizError);
    expect(() => trainingCurves({ epochs: [], logs: {} })).toThrow(
      'trainingCurves: the training history is empty (no epoch has finished, nothing was logged); train for at least one epoch first.',
    );
  });
});

describe('confusion matrix', () => {
  it('counts true × predicted, from labels or from score tensors', async () => {
    const labels = [0, 0, 1, 1, 2, 2, 2];
    const preds = [0, 1, 1, 1, 2, 0, 2];
    const expected = [
      [1, 1, 0],
      [0, 2, 0],
      [1, 0, 2],
    ];
    expect(await confusionMatrix(labels, preds)).toEqual(expected);
    const scores = tf.oneHot(tf.tensor1d(preds, 'int32'), 3);
    const t = tf.tensor1d(labels, 'int32');
    expect(await confusionMatrix(t, scores)).toEqual(expected);
    scores.dispose();
    t.dispose();
    // a binary model's [n, 1] logits: class 1 above 0 (or above a threshold for probabilities)
    const binary = tf.tensor2d([-2, 0.3, 1.5, -0.1], [4, 1]);
    expect(await confusionMatrix([0, 1, 1, 1], binary)).toEqual([
      [1, 0],
      [1, 2],
    ]);
    expect(await confusionMatrix([0, 1, 1, 1], binary, 2, { binaryThreshold: 0.5 })).toEqual([
      [1, 0],
      [2, 1],
    ]);
    binary.dispose();
    await expect(confusionMatrix([0, 1], [0])).rejects.toThrow(
      'confusionMatrix: 2 labels but 1 predictions.',
    );
    await expect(confusionMatrix([0, 3], [0, 1], 3)).rejects.toThrow(
      'confusionMatrix: example 1 has class 3, outside 0..2.',
    );
  });

  it('draws n² cells with their counts, and per-class accuracy bars', () => {
    const m = [
      [5, 1, 0],
      [0, 4, 2],
      [1, 0, 3],
    ];
    const fig = confusionMatrixChart(m, { classNames: ['cat', 'dog', 'owl'] });
    expect(marks(fig, 'rect', 'cell')).toHaveLength(9);
    expect(fig.title).toBe('Confusion matrix (accuracy 75.0% of 16)');
    const texts = marks(fig, 'text').map((t) => t.textContent);
    for (const v of ['5', '4', '3', '2', 'cat', 'owl']) expect(texts).toContain(v);
    const acc = perClassAccuracyChart(m);
    const heights = marks(acc, 'rect', 'bar').map((b) => Number(b.getAttribute('height')));
    expect(heights[0]! / heights[2]!).toBeCloseTo(5 / 6 / 0.75, 2);
    expect(() => confusionMatrixChart([[1, 2]])).toThrow(VizError);
  });
});
