// One step (two, so moment estimates matter) of every optimizer, from the same weights and gradients,
// against the update rule computed in float64 on the host.
import { reference as R, type OpCase } from '@nutshell/backend-conformance';
import { Adagrad, Adam, AdamW, RMSProp, SGD, momentum, nesterov, type Optimizer } from '@nutshell/train';
import { tf } from '@nutshell/tensor';

type Nd = R.Nd;
const SHAPE = [3, 4];

/** Two steps: the first with gradient g, the second with 0.5·g. Returns the weights after both. */
function twoSteps(make: () => Optimizer, w0: tf.Tensor, g: tf.Tensor): tf.Tensor {
  const variable = tf.variable(w0.clone(), true);
  const weights = [{ name: 'w', variable }];
  const optimizer = make();
  try {
    optimizer.prepare(weights);
    optimizer.applyGradients(weights, [g]);
    const half = tf.mul(g, 0.5);
    optimizer.applyGradients(weights, [half]);
    half.dispose();
    return variable.clone();
  } finally {
    optimizer.dispose();
    variable.dispose();
  }
}

/** The float64 update rule, applied element by element with per-element state. */
function hostSteps(
  w0: Nd,
  g: Nd,
  rule: (w: number, g: number, state: Record<string, number>, t: number) => number,
): Nd {
  return R.zip(w0, g, (w, grad) => {
    const state: Record<string, number> = {};
    let v = w;
    v = rule(v, grad, state, 1);
    v = rule(v, 0.5 * grad, state, 2);
    return v;
  });
}

const LR = 0.1;

const optimizerCase = (
  name: string,
  make: () => Optimizer,
  rule: Parameters<typeof hostSteps>[2],
  shape: number[] = SHAPE,
): OpCase => ({
  name: `optimizer ${name}: two steps${shape === SHAPE ? '' : ` on ${shape.join('×')} weights`}`,
  family: 'optimizers',
  kernels: [],
  inputs: [{ shape }, { shape }],
  run: ([w0, g]) => twoSteps(make, w0, g),
  reference: ([w0, g]) => hostSteps(w0, g, rule),
  gradient: false,
  note: 'an update step, not a differentiable function',
});

/** Adam's rule in float64. */
const adamRule =
  (decay: number) =>
  (w: number, g: number, s: Record<string, number>, t: number): number => {
    s.m = 0.9 * (s.m ?? 0) + 0.1 * g;
    s.v = 0.999 * (s.v ?? 0) + 0.001 * g * g;
    const mh = s.m / (1 - 0.9 ** t);
    const vh = s.v / (1 - 0.999 ** t);
    return w - LR * (mh / (Math.sqrt(vh) + 1e-8) + decay * w);
  };

/**
 * Weights large enough that the fused update kernels take their other path (wasm and native: wasm's SIMD
 * element-wise kernels called directly, instead of the scalar loop the small cases run).
 */
const LARGE = [64, 40];

export const OPTIMIZER_CASES: readonly OpCase[] = [
  optimizerCase(
    'SGD',
    () => new SGD({ learningRate: LR }),
    (w, g) => w - LR * g,
  ),
  optimizerCase(
    'momentum 0.9',
    () => momentum({ learningRate: LR, momentum: 0.9 }),
    (w, g, s) => {
      s.v = 0.9 * (s.v ?? 0) + g;
      return w - LR * s.v;
    },
  ),
  optimizerCase(
    'nesterov 0.9',
    () => nesterov({ learningRate: LR, momentum: 0.9 }),
    (w, g, s) => {
      s.v = 0.9 * (s.v ?? 0) + g;
      return w - LR * (g + 0.9 * s.v);
    },
  ),
  optimizerCase(
    'RMSProp',
    () => new RMSProp({ learningRate: LR }),
    (w, g, s) => {
      s.ms = 0.9 * (s.ms ?? 0) + 0.1 * g * g;
      return w - (LR * g) / (Math.sqrt(s.ms) + 1e-7);
    },
  ),
  optimizerCase(
    'Adagrad',
    () => new Adagrad({ learningRate: LR }),
    (w, g, s) => {
      s.acc = (s.acc ?? 0) + g * g;
      return w - (LR * g) / (Math.sqrt(s.acc) + 1e-10);
    },
  ),
  optimizerCase(
    'Adam',
    () => new Adam({ learningRate: LR }),
    (w, g, s, t) => {
      s.m = 0.9 * (s.m ?? 0) + 0.1 * g;
      s.v = 0.999 * (s.v ?? 0) + 0.001 * g * g;
      const mh = s.m / (1 - 0.9 ** t);
      const vh = s.v / (1 - 0.999 ** t);
      return w - (LR * mh) / (Math.sqrt(vh) + 1e-8);
    },
  ),
  optimizerCase(
    'AdamW weight decay 0.01',
    () => new AdamW({ learningRate: LR, weightDecay: 0.01 }),
    (w, g, s, t) => {
      s.m = 0.9 * (s.m ?? 0) + 0.1 * g;
      s.v = 0.999 * (s.v ?? 0) + 0.001 * g * g;
      const mh = s.m / (1 - 0.9 ** t);
      const vh = s.v / (1 - 0.999 ** t);
      return w - LR * (mh / (Math.sqrt(vh) + 1e-8) + 0.01 * w);
    },
  ),
  optimizerCase('Adam', () => new Adam({ learningRate: LR }), adamRule(0), LARGE),
  optimizerCase(
    'AdamW weight decay 0.01',
    () => new AdamW({ learningRate: LR, weightDecay: 0.01 }),
    adamRule(0.01),
    LARGE,
  ),
  optimizerCase(
    'nesterov 0.9',
    () => nesterov({ learningRate: LR, momentum: 0.9 }),
    (w, g, s) => {
      s.v = 0.9 * (s.v ?? 0) + g;
      return w - LR * (g + 0.9 * s.v);
    },
    LARGE,
  ),
  optimizerCase(
    'SGD',
    () => new SGD({ learningRate: LR }),
    (w, g) => w - LR * g,
    LARGE,
  ),
];
