import { activationNames, registerActivation } from '@nutshell/activations';
import {
  AvgPool1D,
  AvgPool2D,
  Conv1D,
  Conv2D,
  DepthwiseConv2D,
  GlobalAvgPool1D,
  GlobalAvgPool2D,
  GlobalMaxPool1D,
  GlobalMaxPool2D,
  Inception,
  inceptionNet,
  L2Pool2D,
  lenet,
  MaxPool1D,
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
  input,
  Layer,
  LayerNormalization,
  Maxout,
  Model,
  Multiply,
  Reshape,
  Sequential,
  type ApplyOptions,
} from '@nutshell/layers';
import { numTensors, randomNormal, randomUniform, tf, type Tensor } from '@nutshell/tensor';
import { describe, expect, it } from 'vitest';
import { exportOnnx } from './exportOnnx.js';
import { OnnxExportError, UnsupportedLayerError } from './errors.js';
import { ONNX_ACTIVATIONS } from './exporters/activation.js';
import { ModelProto } from './proto.js';
import { expectSameAsOnnx, maxRelDiff, runOnnx } from './test-utils/onnxRuntime.js';

const seq = (layers: Layer[], sample: (number | null)[]) => new Sequential(layers, { inputShape: sample });

describe('exportOnnx: every activation (Dense + activation, and the Activation layer)', () => {
  it('covers every built-in activation', () => {
    expect([...ONNX_ACTIVATIONS].sort()).toEqual(activationNames().sort());
  });
  for (const activation of ONNX_ACTIVATIONS) {
    it(activation, async () => {
      // Inputs spread over [-6, 6] so every piece of the piecewise units (relu6, hardSigmoid, ...) is hit.
      await expectSameAsOnnx(
        seq(
          [
            new Dense({ units: 5, activation, seed: 3 }),
            new Activation({ activation }),
            new Dense({ units: 3, seed: 4 }),
          ],
          [4],
        ),
        [4],
        7,
        1e-5,
        16,
      );
    });
  }
});

describe('exportOnnx: convolution (NHWC in Nutshell, NCHW in ONNX)', () => {
  const cases: [string, () => Layer, number[]][] = [
    ['Conv2D valid', () => new Conv2D({ filters: 4, kernelSize: 3, seed: 1 }), [7, 6, 2]],
    [
      'Conv2D same (odd padding: the extra row after), strides 2, relu',
      () =>
        new Conv2D({
          filters: 3,
          kernelSize: [3, 2],
          strides: 2,
          padding: 'same',
          activation: 'relu',
          seed: 1,
        }),
      [8, 8, 3],
    ],
    [
      'Conv2D same, dilation 2',
      () => new Conv2D({ filters: 2, kernelSize: 3, dilationRate: 2, padding: 'same', seed: 2 }),
      [9, 8, 2],
    ],
    [
      'Conv2D groups 2, strides [2, 1]',
      () => new Conv2D({ filters: 4, kernelSize: 3, groups: 2, strides: [2, 1], seed: 3 }),
      [8, 7, 4],
    ],
    [
      'Conv2D softmax over channels, no bias',
      () => new Conv2D({ filters: 3, kernelSize: 1, activation: 'softmax', useBias: false, seed: 4 }),
      [4, 4, 2],
    ],
    ['Conv1D valid', () => new Conv1D({ filters: 3, kernelSize: 3, seed: 1 }), [10, 2]],
    [
      'Conv1D same, strides 2, dilation 2, groups 2',
      () =>
        new Conv1D({
          filters: 4,
          kernelSize: 3,
          strides: 2,
          dilationRate: 2,
          groups: 2,
          padding: 'same',
          seed: 1,
        }),
      [10, 4],
    ],
    [
      'DepthwiseConv2D multiplier 2, strides 2, same',
      () => new DepthwiseConv2D({ kernelSize: 3, depthMultiplier: 2, strides: 2, padding: 'same', seed: 5 }),
      [8, 8, 3],
    ],
    [
      'DepthwiseConv2D dilation 2, valid, tanh',
      () => new DepthwiseConv2D({ kernelSize: 2, dilationRate: 2, activation: 'tanh', seed: 5 }),
      [6, 6, 2],
    ],
    [
      'SeparableConv2D same, multiplier 2',
      () => new SeparableConv2D({ filters: 5, kernelSize: 3, depthMultiplier: 2, padding: 'same', seed: 6 }),
      [6, 5, 3],
    ],
    [
      'SeparableConv2D strides 2, valid, elu',
      () => new SeparableConv2D({ filters: 2, kernelSize: 3, strides: 2, activation: 'elu', seed: 6 }),
      [7, 7, 2],
    ],
  ];
  for (const [title, make, sample] of cases) {
    it(title, async () => {
      await expectSameAsOnnx(seq([make()], sample), sample);
    });
  }
  it('an Inception module', async () => {
    await expectSameAsOnnx(
      seq(
        [
          new Inception({
            filters1x1: 2,
            filters3x3Reduce: 2,
            filters3x3: 3,
            filters5x5Reduce: 1,
            filters5x5: 2,
            poolProjection: 2,
            seed: 1,
          }),
        ],
        [6, 5, 3],
      ),
      [6, 5, 3],
    );
  });
});

describe('exportOnnx: every pooling kind', () => {
  const cases: [string, () => Layer, number[]][] = [
    ['MaxPool2D valid', () => new MaxPool2D({ poolSize: 2 }), [5, 6, 2]],
    [
      'MaxPool2D same, 3×3 strides 2',
      () => new MaxPool2D({ poolSize: 3, strides: 2, padding: 'same' }),
      [6, 7, 2],
    ],
    ['AvgPool2D valid, strides 1', () => new AvgPool2D({ poolSize: [2, 3], strides: 1 }), [5, 6, 2]],
    [
      'AvgPool2D same (padding not counted)',
      () => new AvgPool2D({ poolSize: 3, strides: 2, padding: 'same' }),
      [6, 7, 2],
    ],
    ['L2Pool2D valid', () => new L2Pool2D({ poolSize: 2 }), [6, 6, 2]],
    ['L2Pool2D same', () => new L2Pool2D({ poolSize: 3, strides: 2, padding: 'same' }), [5, 6, 2]],
    ['MaxPool1D same', () => new MaxPool1D({ poolSize: 3, strides: 2, padding: 'same' }), [9, 2]],
    ['AvgPool1D valid', () => new AvgPool1D({ poolSize: 2 }), [9, 2]],
    ['AvgPool1D same', () => new AvgPool1D({ poolSize: 3, strides: 2, padding: 'same' }), [8, 3]],
    ['GlobalMaxPool2D', () => new GlobalMaxPool2D(), [4, 5, 3]],
    ['GlobalAvgPool2D', () => new GlobalAvgPool2D(), [4, 5, 3]],
    ['GlobalMaxPool1D', () => new GlobalMaxPool1D(), [6, 3]],
    ['GlobalAvgPool1D', () => new GlobalAvgPool1D(), [6, 3]],
  ];
  for (const [title, make, sample] of cases) {
    it(title, async () => {
      await expectSameAsOnnx(seq([make()], sample), sample);
    });
  }
});

// Moving statistics away from 0 and 1, so a wrong formula cannot pass.
function randomiseStatistics(layer: Layer): void {
  const values = layer.weights.map((w, i) => {
    const u = randomUniform(w.variable.shape, { seed: 20 + i, min: 0.5, max: 2 });
    return w.name.endsWith('mean') || w.name.endsWith('beta') ? tf.tidy(() => tf.sub(u, 1.2)) : u;
  });
  layer.setWeights(values);
  tf.dispose(values);
}

describe('exportOnnx: normalization, dropout, reshaping, maxout', () => {
  it('BatchNormalization on the channel axis of an image, and on axis 1', async () => {
    const bnLast = new BatchNormalization({ epsilon: 0.01 });
    const bnFirst = new BatchNormalization({ axis: 1, center: false });
    const model = seq([bnLast, bnFirst], [3, 4, 2]);
    randomiseStatistics(bnLast);
    randomiseStatistics(bnFirst);
    await expectSameAsOnnx(model, [3, 4, 2]);
  });
  it('LayerNormalization, with and without scale', async () => {
    const ln = new LayerNormalization({ epsilon: 1e-3 });
    const model = seq([new Dense({ units: 6, seed: 1 }), ln, new LayerNormalization({ scale: false })], [4]);
    randomiseStatistics(ln);
    await expectSameAsOnnx(model, [4]);
  });
  it('Dropout (inference), Flatten, Reshape with -1, Maxout', async () => {
    const model = seq(
      [
        new Reshape({ targetShape: [3, -1] }),
        new Dropout({ rate: 0.5 }),
        new Flatten(),
        new Maxout({ units: 3, pieces: 2, seed: 2 }),
      ],
      [2, 6],
    );
    await expectSameAsOnnx(model, [2, 6]);
  });
});

describe('exportOnnx: graph models', () => {
  it('Concatenate, Add and Multiply, two inputs and two outputs', async () => {
    const a = input([4], { name: 'a' });
    const b = input([4], { name: 'b' });
    const h1 = new Dense({ units: 3, activation: 'tanh', seed: 1 }).apply(a);
    const h2 = new Dense({ units: 3, seed: 2 }).apply(b);
    const sum = new Add().apply([h1, h2, h1]);
    const prod = new Multiply().apply([h1, h2, sum]);
    const joined = new Concatenate().apply([sum, prod, h2]);
    const out2 = new Dense({ units: 2, activation: 'softmax', seed: 3 }).apply(joined);
    const model = new Model({ inputs: [a, b], outputs: [joined, out2] });
    const xa = randomNormal([5, 4], { seed: 1 });
    const xb = randomNormal([5, 4], { seed: 2 });
    const ys = model.applyAll([xa, xb]);
    const out = await runOnnx(await exportOnnx(model), { a: xa, b: xb });
    expect(Object.keys(out).sort()).toEqual(['output_0', 'output_1']);
    expect(maxRelDiff(out.output_0.data, ys[0].dataSync())).toBeLessThan(1e-5);
    expect(maxRelDiff(out.output_1.data, ys[1].dataSync())).toBeLessThan(1e-5);
    tf.dispose([xa, xb, ...ys]);
  });
  it('a layer shared by two branches is written twice, with the same weights', async () => {
    const x = input([4, 4, 2]);
    const conv = new Conv2D({ filters: 2, kernelSize: 3, padding: 'same', seed: 1 });
    const once = conv.apply(x);
    const twice = conv.apply(once);
    const model = new Model({ inputs: x, outputs: new Concatenate({ axis: 3 }).apply([once, twice]) });
    await expectSameAsOnnx(model, [4, 4, 2]);
  });
});

describe("exportOnnx: the CLI recipes' networks", () => {
  it('logistic regression (Dense 1 on 30 features) and the MNIST MLP', async () => {
    await expectSameAsOnnx(seq([new Dense({ units: 1, seed: 0, name: 'logit' })], [30]), [30]);
    await expectSameAsOnnx(
      seq(
        [
          new Flatten(),
          new Dense({ units: 128, activation: 'relu', seed: 0 }),
          new Dense({ units: 10, seed: 1 }),
        ],
        [28, 28, 1],
      ),
      [28, 28, 1],
    );
  });
  it('lenet (mnist-cnn: 16/32 filters) and inceptionNet (mnist-inception)', async () => {
    await expectSameAsOnnx(
      lenet({ inputShape: [28, 28, 1], numClasses: 10, filters: [16, 32], kernelSize: 5, seed: 0 }),
      [28, 28, 1],
    );
    await expectSameAsOnnx(inceptionNet({ inputShape: [28, 28, 1], numClasses: 10, seed: 0 }), [28, 28, 1]);
  });
  it("unknown image size: 'same' padding as auto_pad SAME_UPPER", async () => {
    const model = seq(
      [
        new Conv2D({ filters: 2, kernelSize: 2, strides: 2, padding: 'same', seed: 1 }),
        new MaxPool2D({ poolSize: 3, strides: 2, padding: 'same' }),
      ],
      [null, null, 2],
    );
    await expectSameAsOnnx(model, [7, 9, 2]);
  });
  it('serves any batch size (symbolic batch dimension)', async () => {
    const model = seq([new Dense({ units: 2, seed: 1 })], [3]);
    for (const batch of [1, 7]) await expectSameAsOnnx(model, [3], batch, 1e-5, batch);
  });
});

describe('exportOnnx: the file', () => {
  it('declares opset 17, IR 8, named inputs/outputs with a symbolic batch, and the doc string', async () => {
    const bytes = await exportOnnx(seq([new Dense({ units: 2, seed: 1 })], [3]), {
      docString: 'scale by 1/255',
      metadata: { recipe: 'x' },
    });
    const m = ModelProto.toObject(ModelProto.decode(bytes), { longs: Number }) as {
      irVersion: number;
      opsetImport: { version: number }[];
      docString: string;
      metadataProps: { key: string; value: string }[];
      graph: {
        input: {
          name: string;
          type: { tensorType: { shape: { dim: { dimParam?: string; dimValue?: number }[] } } };
        }[];
        output: { name: string }[];
      };
    };
    expect(m.irVersion).toBe(8);
    expect(m.opsetImport[0].version).toBe(17);
    expect(m.docString).toBe('scale by 1/255');
    expect(m.metadataProps).toEqual([{ key: 'recipe', value: 'x' }]);
    expect(m.graph.input[0].name).toBe('input');
    expect(m.graph.input[0].type.tensorType.shape.dim).toEqual([{ dimParam: 'batch' }, { dimValue: 3 }]);
    expect(m.graph.output[0].name).toBe('output');
  });
});

class Doubler extends Layer {
  readonly className = 'Doubler';
  call(x: Tensor | Tensor[], _o: ApplyOptions): Tensor {
    return tf.mul(x as Tensor, 2);
  }
}

describe('exportOnnx: bad input', () => {
  it('a layer without an exporter: UnsupportedLayerError naming it, no tensor leaked', async () => {
    const model = seq([new Dense({ units: 2, seed: 1 }), new Doubler({ name: 'twice' })], [3]);
    const before = numTensors();
    const err = await exportOnnx(model).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnsupportedLayerError);
    expect((err as UnsupportedLayerError).layer).toBe('twice');
    expect((err as Error).message).toMatch(
      /^exportOnnx: layer 'twice' \(Doubler\) cannot be exported to ONNX: no ONNX exporter for class 'Doubler' \(exportable: .*Conv2D.*\)/,
    );
    expect(numTensors()).toBe(before);
  });
  it('a custom activation: UnsupportedLayerError naming the layer and the activation', async () => {
    registerActivation('cube', (x) => tf.pow(x, 3));
    const model = seq([new Dense({ units: 2, activation: 'cube', seed: 1, name: 'cubic' })], [3]);
    await expect(exportOnnx(model)).rejects.toThrow(
      /layer 'cubic' \(Dense\) cannot be exported to ONNX: activation 'cube' has no ONNX form/,
    );
  });
  it('an unbuilt Sequential, or clashing names: OnnxExportError', async () => {
    await expect(exportOnnx(new Sequential([new Dense({ units: 2 })]))).rejects.toThrow(OnnxExportError);
    await expect(
      exportOnnx(seq([new Dense({ units: 2 })], [3]), { inputNames: ['x'], outputNames: ['x'] }),
    ).rejects.toThrow(/must be distinct/);
  });
});
