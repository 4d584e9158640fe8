// The pictures, drawn with @nutshell/viz: loss curve, first-layer filters, feature maps, prediction.
import { tf } from '@nutshell/tensor';
import { traceLSTM } from '@nutshell/recurrent';
import { barChart, featureMaps, filterGrid, gateHeatmaps, lstmGateRows, lineChart } from '@nutshell/viz';
import type { Cnn } from './model.js';

function smooth(values: readonly number[], window = 10): number[] {
  const out: number[] = [];
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    sum += values[i];
    if (i >= window) sum -= values[i - window];
    out.push(sum / Math.min(i + 1, window));
  }
  return out;
}

export function lossSvg(
  losses: readonly number[],
  testAccuracy: readonly { step: number; accuracy: number }[],
): string {
  if (losses.length === 0) {
    return '<svg xmlns="http://www.w3.org/2000/svg" width="460" height="60"><text x="10" y="35" font-size="14" fill="#555">Training loss: press Train to start.</text></svg>';
  }
  const x = losses.map((_, i) => i + 1);
  const acc = testAccuracy.length
    ? ` · test accuracy ${(testAccuracy[testAccuracy.length - 1].accuracy * 100).toFixed(1)}%`
    : '';
  return lineChart({
    title: `Training loss${acc}`,
    series: [
      { name: 'loss per step', x, y: [...losses], color: '#9ab' },
      { name: 'mean of last 10', x, y: smooth(losses), color: '#d62728' },
    ],
    xLabel: 'step',
    yLabel: 'cross-entropy',
    width: 460,
    height: 260,
  }).svg;
}

export async function filtersSvg(cnn: Cnn): Promise<string> {
  if (!cnn.firstConv) return '';
  return (
    await filterGrid(cnn.firstConv, {
      title: `First-layer filters (${cnn.firstConv.name})`,
      tileSize: 40,
      columns: 8,
    })
  ).svg;
}

/** The LSTM's gates and memory while it reads the digit on the pad, one row per step. */
export async function gatesSvg(cnn: Cnn, pixels: Float32Array): Promise<string> {
  if (!cnn.lstm) return '';
  const [h, w] = cnn.inputShape;
  const x = tf.tensor3d(pixels, [1, h, w]);
  try {
    const t = await traceLSTM(cnn.lstm, x);
    return gateHeatmaps(lstmGateRows(t), {
      title: `LSTM gates and memory, reading the pad’s ${h} rows`,
      unitHeight: 3,
      xLabel: 'row (step)',
    }).svg;
  } finally {
    x.dispose();
  }
}

export async function featureMapsSvg(cnn: Cnn, pixels: Float32Array): Promise<string> {
  const [h, w] = cnn.inputShape;
  const x = tf.tensor4d(pixels, [1, h, w, 1]);
  try {
    const names = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
    return (
      await featureMaps(cnn.model, x, {
        title: 'Feature maps for the digit on the pad',
        maxMaps: 8,
        tileSize: 44,
        classNames: names,
      })
    ).svg;
  } finally {
    x.dispose();
  }
}

export function predictionSvg(probabilities: Float32Array): string {
  return barChart({
    title: 'Prediction',
    labels: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    values: Array.from(probabilities),
    yDomain: [0, 1],
    yLabel: 'probability',
    valueDecimals: 2,
    width: 360,
    height: 220,
  }).svg;
}
