// Every loss, forward and gradient with respect to the predictions, against float64 formulas on the host.
import { reference as R, type InputSpec, type OpCase } from '@nutshell/backend-conformance';
import {
  binaryCrossentropy,
  categoricalAccuracy,
  categoricalCrossentropy,
  hinge,
  huber,
  klDivergence,
  meanAbsoluteError,
  meanSquaredError,
  sparseCategoricalAccuracy,
  sparseCategoricalCrossentropy,
  type Loss,
} from '@nutshell/train';

type Nd = R.Nd;
const B = 4;
const C = 3;

/** Mean over the batch of a per-sample sum over classes of f(t, p). */
function meanOfSums(t: Nd, p: Nd, f: (t: number, p: number) => number, perSampleMean = false): Nd {
  const cols = p.shape[1];
  let total = 0;
  for (let i = 0; i < p.data.length; i++) total += f(t.data[i], p.data[i]);
  return R.nd([], [total / p.shape[0] / (perSampleMean ? cols : 1)]);
}

const logSoftmaxRows = (z: Nd): Nd => R.logSoftmax(z);

/** The first index of row i's largest value. */
function argMaxRow(x: Nd, i: number): number {
  const cols = x.shape[1];
  let best = 0;
  for (let k = 1; k < cols; k++) if (x.data[i * cols + k] > x.data[i * cols + best]) best = k;
  return best;
}

const ONE_HOT = [1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0];
const LABELS = [0, 1, 2, 1];
const SIGNS = [1, -1, -1, 1, 1, -1, -1, -1, 1, 1, -1, 1];
const BINARY = [1, 0, 0, 1, 1, 0, 1, 0, 0, 1, 1, 0];

const fixed = (values: number[], extra: Partial<InputSpec> = {}): InputSpec => ({
  shape: [B, C],
  values,
  grad: false,
  ...extra,
});
const probabilities: InputSpec = { shape: [B, C], min: 0.05, max: 0.95 };
const logits: InputSpec = { shape: [B, C], min: -2, max: 2 };

const lossCase = (
  name: string,
  loss: Loss,
  inputs: InputSpec[],
  reference: OpCase['reference'],
  extra: Partial<OpCase> = {},
): OpCase => ({
  name: `loss ${name}`,
  family: 'losses',
  kernels: [],
  inputs,
  run: ([t, p]) => loss(t, p),
  reference,
  ...extra,
});

export const LOSS_CASES: readonly OpCase[] = [
  lossCase('meanSquaredError', meanSquaredError, [{ shape: [B, C] }, { shape: [B, C] }], ([t, p]) =>
    meanOfSums(t, p, (a, b) => (a - b) ** 2, true),
  ),
  lossCase(
    'meanAbsoluteError',
    meanAbsoluteError,
    [{ shape: [B, C] }, { shape: [B, C], avoid: [] }],
    ([t, p]) => meanOfSums(t, p, (a, b) => Math.abs(a - b), true),
  ),
  lossCase(
    'huber delta 0.5',
    huber({ delta: 0.5 }),
    [
      { shape: [B, C], min: -1, max: 1 },
      { shape: [B, C], min: -1, max: 1 },
    ],
    ([t, p]) =>
      meanOfSums(
        t,
        p,
        (a, b) => {
          const e = Math.abs(a - b);
          return e <= 0.5 ? 0.5 * e * e : 0.5 * (e - 0.25);
        },
        true,
      ),
  ),
  lossCase(
    'binaryCrossentropy (probabilities)',
    binaryCrossentropy(),
    [fixed(BINARY), probabilities],
    ([t, p]) => meanOfSums(t, p, (a, b) => -(a * Math.log(b) + (1 - a) * Math.log(1 - b)), true),
  ),
  lossCase(
    'binaryCrossentropy (logits)',
    binaryCrossentropy({ fromLogits: true }),
    [fixed(BINARY), logits],
    ([t, z]) => meanOfSums(t, z, (a, x) => Math.max(x, 0) - x * a + Math.log1p(Math.exp(-Math.abs(x))), true),
  ),
  lossCase(
    'categoricalCrossentropy (probabilities)',
    categoricalCrossentropy(),
    [fixed(ONE_HOT), probabilities],
    ([t, p]) => {
      // probabilities are normalised per sample before the log, as Keras does
      const sums = R.sum(p, [1], true);
      const q = R.zip(p, sums, (a, s) => a / s);
      return meanOfSums(t, q, (a, b) => -a * Math.log(b));
    },
  ),
  lossCase(
    'categoricalCrossentropy (logits)',
    categoricalCrossentropy({ fromLogits: true }),
    [fixed(ONE_HOT), logits],
    ([t, z]) => meanOfSums(t, logSoftmaxRows(z), (a, l) => -a * l),
  ),
  lossCase(
    'sparseCategoricalCrossentropy (logits)',
    sparseCategoricalCrossentropy({ fromLogits: true }),
    [{ shape: [B], values: LABELS, dtype: 'int32' }, logits],
    ([, z]) => {
      const l = logSoftmaxRows(z);
      return R.nd([], [-LABELS.reduce((s, k, i) => s + l.data[i * C + k], 0) / B]);
    },
  ),
  // The softmax cross-entropies run as one fused kernel (and one for the gradient) on cpu, wasm and native, as ops
  // on WebGPU: soft targets (whose gradient is checked too), each reduction, sample weights, float class indices,
  // logits far from 0.
  lossCase(
    'categoricalCrossentropy (logits, soft targets, sum)',
    categoricalCrossentropy({ fromLogits: true }),
    [{ shape: [B, C], min: 0, max: 1 }, logits],
    ([t, z]) => R.nd([], [meanOfSums(t, logSoftmaxRows(z), (a, l) => -a * l).data[0] * B]),
    { run: ([t, p]) => categoricalCrossentropy({ fromLogits: true })(t, p, { reduction: 'sum' }) },
  ),
  lossCase(
    'categoricalCrossentropy (logits, none)',
    categoricalCrossentropy({ fromLogits: true }),
    [fixed(ONE_HOT), logits],
    ([t, z]) =>
      R.sum(
        R.zip(t, logSoftmaxRows(z), (a, l) => -a * l),
        [1],
      ),
    { run: ([t, p]) => categoricalCrossentropy({ fromLogits: true })(t, p, { reduction: 'none' }) },
  ),
  lossCase(
    'categoricalCrossentropy (logits in [-30, 30], sample weights)',
    categoricalCrossentropy({ fromLogits: true }),
    [fixed(ONE_HOT), { shape: [B, C], min: -30, max: 30 }, { shape: [B], min: 0, max: 2 }],
    ([t, z, w]) => {
      const l = R.sum(
        R.zip(t, logSoftmaxRows(z), (a, x) => -a * x),
        [1],
      );
      return R.nd([], [l.data.reduce((s, v, i) => s + v * w.data[i], 0) / B]);
    },
    { run: ([t, p, w]) => categoricalCrossentropy({ fromLogits: true })(t, p, { sampleWeight: w }) },
  ),
  lossCase(
    'sparseCategoricalCrossentropy (logits, float32 indices [B, 1], none)',
    sparseCategoricalCrossentropy({ fromLogits: true }),
    [{ shape: [B, 1], values: LABELS, grad: false }, logits],
    ([, z]) => {
      const l = logSoftmaxRows(z);
      return R.nd(
        [B],
        LABELS.map((k, i) => -l.data[i * C + k]),
      );
    },
    { run: ([t, p]) => sparseCategoricalCrossentropy({ fromLogits: true })(t, p, { reduction: 'none' }) },
  ),
  lossCase('hinge', hinge, [fixed(SIGNS), { shape: [B, C], min: -2, max: 2, avoid: [-1, 1] }], ([t, p]) =>
    meanOfSums(t, p, (a, b) => Math.max(0, 1 - a * b), true),
  ),
  lossCase(
    'klDivergence',
    klDivergence,
    [{ shape: [B, C], min: 0.1, max: 1, grad: false }, probabilities],
    ([t, p]) => meanOfSums(t, p, (a, b) => a * Math.log(a / b)),
  ),
];

// The accuracy metrics (one fused kernel on cpu, wasm and native; ArgMax, Equal and Cast on WebGPU).
const metricCase = (
  name: string,
  inputs: InputSpec[],
  run: OpCase['run'],
  reference: OpCase['reference'],
): OpCase => ({
  name: `metric ${name}`,
  family: 'losses',
  kernels: [],
  inputs,
  run,
  reference,
  gradient: false,
  note: 'an accuracy is a step function of the predictions',
});

/** The accuracy metrics, forward only. */
export const METRIC_CASES: readonly OpCase[] = [
  metricCase(
    'categoricalAccuracy',
    [
      { shape: [B, C], grad: false },
      { shape: [B, C], grad: false },
    ],
    ([t, p]) => categoricalAccuracy(t, p),
    ([t, p]) =>
      R.nd(
        [B],
        Array.from({ length: B }, (_, i) => (argMaxRow(t, i) === argMaxRow(p, i) ? 1 : 0)),
      ),
  ),
  metricCase(
    'sparseCategoricalAccuracy',
    [
      { shape: [B], values: LABELS, dtype: 'int32' },
      { shape: [B, C], grad: false },
    ],
    ([t, p]) => sparseCategoricalAccuracy(t, p),
    ([, p]) =>
      R.nd(
        [B],
        LABELS.map((k, i) => (argMaxRow(p, i) === k ? 1 : 0)),
      ),
  ),
];
