// Every layer's forward pass, its gradient with respect to the input, and the gradients of its weights,
// compared with the CPU backend (a whole layer has no independent float64 reference here; its parts do: the
// conv, pooling and op cases). Weights come from a fixed seed, so both backends start from the same values.
import type { OpCase } from '@nutshell/backend-conformance';
import {
  AvgPool1D,
  AvgPool2D,
  Conv1D,
  Conv2D,
  DepthwiseConv2D,
  GlobalAvgPool2D,
  GlobalMaxPool1D,
  Inception,
  L2Pool2D,
  MaxPool2D,
  SeparableConv2D,
} from '@nutshell/conv';
import {
  Activation,
  Add,
  BatchNormalization,
  Concatenate,
  Dense,
  Dropout,
  Flatten,
  LayerNormalization,
  Maxout,
  Multiply,
  Reshape,
} from '@nutshell/layers';
import type { Layer } from '@nutshell/layers';
import { setSeed, tf, type Tensor } from '@nutshell/tensor';

interface LayerSpec {
  readonly name: string;
  readonly make: () => Layer;
  /** One shape per input (merge layers take several). */
  readonly inputs: readonly (readonly number[])[];
  readonly training?: boolean;
  readonly tolerance?: number;
}

/** Builds the layer from a fixed seed, runs `f` on it, and frees its weights. */
function withLayer<T>(spec: LayerSpec, f: (layer: Layer) => T): T {
  setSeed(20261205);
  const layer = spec.make();
  try {
    return f(layer);
  } finally {
    layer.dispose();
  }
}

function apply(layer: Layer, xs: Tensor[], training: boolean): Tensor {
  return layer.apply(xs.length === 1 ? xs[0] : xs, { training });
}

function layerCases(spec: LayerSpec): OpCase[] {
  const inputs = spec.inputs.map((shape) => ({ shape: [...shape], min: -1, max: 1, avoid: [0] }));
  const training = spec.training ?? false;
  const forward: OpCase = {
    name: `layer ${spec.name}`,
    family: 'layers',
    kernels: [],
    inputs,
    run: (xs) => withLayer(spec, (layer) => apply(layer, xs, training)),
    forwardTolerance: spec.tolerance,
    gradientTolerance: spec.tolerance,
  };
  const weightGradients: OpCase = {
    name: `layer ${spec.name}: weight gradients`,
    family: 'layers',
    kernels: [],
    inputs,
    gradient: false,
    note: 'the output is itself the gradient of every trainable weight, flattened and concatenated',
    run: (xs) =>
      withLayer(spec, (layer) => {
        tf.dispose(apply(layer, xs, training)); // builds the weights
        const vars = layer.trainableWeights.map((w) => w.variable);
        if (vars.length === 0) return tf.zeros([0]);
        // sin makes the upstream gradient differ from element to element.
        const { value, grads } = tf.variableGrads(
          () => tf.sum(tf.sin(apply(layer, xs, training))) as tf.Scalar,
          vars,
        );
        value.dispose();
        const flat = vars.map((v) => tf.reshape(grads[v.name], [-1]));
        const out = tf.concat(flat);
        tf.dispose([...flat, ...Object.values(grads)]);
        return out;
      }),
    forwardTolerance: spec.tolerance ?? 1e-4,
  };
  return [forward, weightGradients];
}

const IMG = [2, 6, 6, 3];

const LAYERS: readonly LayerSpec[] = [
  { name: 'Dense tanh', make: () => new Dense({ units: 4, activation: 'tanh' }), inputs: [[3, 5]] },
  { name: 'Dense on rank 3 input', make: () => new Dense({ units: 3 }), inputs: [[2, 3, 4]] },
  { name: 'Activation softmax', make: () => new Activation({ activation: 'softmax' }), inputs: [[3, 5]] },
  {
    name: 'Dropout 0.5 (training, seeded mask)',
    make: () => new Dropout({ rate: 0.5, seed: 3 }),
    inputs: [[4, 6]],
    training: true,
  },
  { name: 'Flatten', make: () => new Flatten(), inputs: [[2, 3, 2, 2]] },
  { name: 'Reshape', make: () => new Reshape({ targetShape: [4, 3] }), inputs: [[2, 12]] },
  {
    name: 'BatchNormalization (training)',
    make: () => new BatchNormalization(),
    inputs: [[5, 4]],
    training: true,
    tolerance: 2e-4,
  },
  { name: 'BatchNormalization (inference)', make: () => new BatchNormalization(), inputs: [[5, 4]] },
  { name: 'LayerNormalization', make: () => new LayerNormalization(), inputs: [[3, 6]], tolerance: 2e-4 },
  { name: 'Maxout 3 pieces', make: () => new Maxout({ units: 4, pieces: 3 }), inputs: [[3, 5]] },
  {
    name: 'Concatenate',
    make: () => new Concatenate(),
    inputs: [
      [2, 3],
      [2, 4],
    ],
  },
  {
    name: 'Add',
    make: () => new Add(),
    inputs: [
      [2, 3],
      [2, 3],
    ],
  },
  {
    name: 'Multiply',
    make: () => new Multiply(),
    inputs: [
      [2, 3],
      [2, 3],
    ],
  },
  {
    name: 'Conv2D 3x3 same relu',
    make: () => new Conv2D({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }),
    inputs: [IMG],
    tolerance: 2e-4,
  },
  {
    // 6 channels: wasm's fused relu backward pass takes its loop, not its SIMD pass (channels in fours).
    name: 'Conv2D 2x2 valid relu, 6 filters',
    make: () => new Conv2D({ filters: 6, kernelSize: 2, activation: 'relu' }),
    inputs: [IMG],
    tolerance: 2e-4,
  },
  {
    name: 'Conv2D stride 2 groups 3',
    make: () => new Conv2D({ filters: 3, kernelSize: 2, strides: 2, groups: 3 }),
    inputs: [IMG],
    tolerance: 2e-4,
  },
  {
    name: 'Conv1D dilation 2',
    make: () => new Conv1D({ filters: 3, kernelSize: 3, dilationRate: 2 }),
    inputs: [[2, 9, 2]],
    tolerance: 2e-4,
  },
  {
    name: 'DepthwiseConv2D',
    make: () => new DepthwiseConv2D({ kernelSize: 3, depthMultiplier: 2 }),
    inputs: [IMG],
    tolerance: 2e-4,
  },
  {
    name: 'SeparableConv2D',
    make: () => new SeparableConv2D({ filters: 4, kernelSize: 3, padding: 'same' }),
    inputs: [IMG],
    tolerance: 2e-4,
  },
  { name: 'MaxPool2D', make: () => new MaxPool2D({ poolSize: 2 }), inputs: [IMG] },
  {
    name: 'AvgPool2D same',
    make: () => new AvgPool2D({ poolSize: 3, strides: 2, padding: 'same' }),
    inputs: [IMG],
  },
  { name: 'L2Pool2D', make: () => new L2Pool2D({ poolSize: 2 }), inputs: [IMG] },
  { name: 'AvgPool1D', make: () => new AvgPool1D({ poolSize: 2 }), inputs: [[2, 8, 3]] },
  { name: 'GlobalAvgPool2D', make: () => new GlobalAvgPool2D(), inputs: [IMG] },
  { name: 'GlobalMaxPool1D', make: () => new GlobalMaxPool1D(), inputs: [[2, 8, 3]] },
  {
    name: 'Inception (1x1, 3x3, 5x5, pool branches)',
    make: () =>
      new Inception({
        filters1x1: 2,
        filters3x3Reduce: 2,
        filters3x3: 3,
        filters5x5Reduce: 1,
        filters5x5: 2,
        poolProjection: 2,
      }),
    inputs: [[1, 6, 6, 3]],
    tolerance: 3e-4,
  },
];

export const LAYER_CASES: readonly OpCase[] = LAYERS.flatMap(layerCases);
