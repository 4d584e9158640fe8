// Hierarchical features: what a small convolutional network learns on MNIST.
//
// Trains LeNet (conv 5×5×8 → pool → conv 5×5×16 → pool → dense) for a short run, keeping report.html current at
// each epoch end, then draws what it learned: the first layer's filters (edge and blob detectors), the second
// layer's filters over the first layer's channels, every layer's feature maps for a few test digits (pixels → edges
// → parts → class scores), and the test digits that excite chosen first-layer channels most.
//
//   pnpm --filter @nutshell/examples exec tsx src/hierarchical-features.ts [--train 20000] [--epochs 3]
//   NUTSHELL_BACKEND=cpu ... to force a backend (default 'auto': WASM here, about 1.5 min; the pure-JS CPU
//   backend's convolutions are some 50× slower)
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import '@nutshell/backend-wasm'; // registers the WASM backend for 'auto'
import { lenet } from '@nutshell/conv';
import { loadMnist } from '@nutshell/datasets';
import { backendInfo, numTensors, tf, useBackend } from '@nutshell/tensor';
import { Trainer, categoricalCrossentropy } from '@nutshell/train';
import {
  RunReporter,
  composeFigures,
  convolutionStep,
  featureMaps,
  figureSvgFile,
  figureToPng,
  filterGrid,
  kernelEffect,
  poolingStep,
  topActivatingInputs,
  visualizeRun,
  type Figure,
} from '@nutshell/viz';

const DEFAULT_OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'output', 'hierarchical-features');

/** Options of {@link main}: how much data and training, and where the pictures go. */
export interface HierarchicalOptions {
  train: number;
  test: number;
  epochs: number;
  out: string;
  log: (line: string) => void;
}

/** Trains LeNet on MNIST and writes its report and pictures into `out`; returns the test accuracy and the files. */
export async function main(
  options: Partial<HierarchicalOptions> = {},
): Promise<{ testAccuracy: number; files: string[] }> {
  const opts: HierarchicalOptions = {
    train: 20000,
    test: 2000,
    epochs: 3,
    out: DEFAULT_OUT,
    log: console.log,
    ...options,
  };
  const { log } = opts;
  const OUT = opts.out;
  mkdirSync(OUT, { recursive: true });
  const before = numTensors();
  const train = loadMnist({ split: 'train', limit: opts.train });
  const test = loadMnist({ split: 'test', limit: opts.test });
  const x = tf.tensor4d(train.x, [train.n, 28, 28, 1]);
  // One-hot targets with categorical cross-entropy: the same loss as sparse labels, and it sidesteps tfjs-wasm 4.22's
  // OneHot kernel, which ignores the float32 dtype.
  const oneHot = (labels: ArrayLike<number>) => {
    const t = new Float32Array(labels.length * 10);
    for (let i = 0; i < labels.length; i++) t[i * 10 + labels[i]!] = 1;
    return tf.tensor2d(t, [labels.length, 10]);
  };
  const y = oneHot(train.y);
  const testX = tf.tensor4d(test.x, [test.n, 28, 28, 1]);
  const testY = tf.tensor1d(test.y, 'int32');
  const testYOneHot = oneHot(test.y);
  const examples = tf.gather(testX, [0, 1, 2]);

  const model = lenet({ inputShape: [28, 28, 1], numClasses: 10, seed: 7 });
  const trainer = new Trainer(model, {
    loss: categoricalCrossentropy({ fromLogits: true }),
    optimizer: 'adam',
    learningRate: 0.002,
    metrics: ['accuracy'],
    seed: 7,
  });
  const classNames = test.classNames ?? Array.from({ length: 10 }, (_, i) => String(i));
  const reporter = new RunReporter(OUT, {
    title: 'LeNet on MNIST: hierarchical features',
    model,
    examples,
    featureMapExamples: 3,
    evaluationData: { x: testX, y: testY },
    classNames,
    facts: {
      backend: backendInfo().name,
      'training images': train.n,
      'test images': test.n,
      optimizer: 'adam, lr 0.002',
      'batch size': 64,
    },
  }).attach(trainer);
  trainer.on('epochEnd', (e) =>
    log(
      `epoch ${e.epoch}: ${Object.entries(e.logs)
        .map(([k, v]) => `${k} ${v.toFixed(4)}`)
        .join('  ')}  (${e.seconds.toFixed(1)} s)`,
    ),
  );

  const t0 = Date.now();
  const history = await trainer.fit(
    { x, y },
    {
      epochs: opts.epochs,
      batchSize: 64,
      validationData: { x: testX, y: testYOneHot },
      trackGradientNorms: true,
      seed: 7,
    },
  );
  await reporter.flush();
  log(`trained in ${((Date.now() - t0) / 1000).toFixed(1)} s; report: ${join(OUT, 'report.html')}`);

  async function save(name: string, fig: Figure): Promise<void> {
    writeFileSync(join(OUT, `${name}.svg`), figureSvgFile(fig));
    writeFileSync(join(OUT, `${name}.png`), await figureToPng(fig));
  }
  const convs = model.layers.filter((l) => l.weights.some((w) => w.variable.rank === 4));
  await save(
    'filters-layer1',
    await filterGrid(convs[0]!, { title: `First layer: ${convs[0]!.name}'s 8 filters (5×5)`, tileSize: 60 }),
  );
  await save(
    'filters-layer2',
    await filterGrid(convs[1]!, {
      title: `Second layer: ${convs[1]!.name}'s 16 filters over the 8 channels of the first`,
    }),
  );
  for (let i = 0; i < 3; i++) {
    const digit = tf.slice(examples, i, 1);
    await save(
      `feature-maps-${i}`,
      await featureMaps(model, digit, {
        classNames,
        title: `Test digit ${test.y[i]}: every layer's activations`,
      }),
    );
    digit.dispose();
  }
  // Convolution as filtering, with what the network learned: one step of the first layer's filter 3 on a patch of
  // the first test digit, and the whole digit before and after that filter (before bias and ReLU); then pooling.
  {
    const kernel = convs[0]!.weights.find((w) => w.variable.rank === 4)!.variable;
    const k3 = tf.tidy(() => tf.reshape(tf.slice(kernel, [0, 0, 0, 3], [5, 5, 1, 1]), [5, 5]));
    const kRows = ((await k3.array()) as number[][]).map((r) => r.map((v) => Math.round(v * 100) / 100));
    const digit = tf.tidy(() => tf.reshape(tf.slice(examples, [0, 0, 0, 0], [1, 28, 28, 1]), [28, 28]));
    const pixels = (await digit.array()) as number[][];
    const patch = pixels.slice(4, 13).map((r) => r.slice(6, 15).map((v) => Math.round(v * 100) / 100));
    const step = await convolutionStep({
      input: patch,
      kernel: kRows,
      row: 1,
      col: 2,
      title: "One step of the first layer's filter 3 on a 9×9 patch of the digit",
    });
    const effect = await kernelEffect(digit, kRows, {
      kernelName: 'learned filter 3',
      title: 'The digit before and after filter 3 (before bias and ReLU)',
      maxSize: 224,
    });
    const pooled = await poolingStep({ input: patch.slice(0, 6).map((r) => r.slice(0, 6)), row: 1, col: 1 });
    await save(
      'convolution-explained',
      composeFigures([step.figure, effect.figure, pooled.figure], { columns: 1 }),
    );
    effect.filtered.dispose();
    k3.dispose();
    digit.dispose();
  }
  for (const unit of [0, 1, 2, 3]) {
    const top = await topActivatingInputs(model, testX, { layer: convs[0]!, unit, k: 9, batchSize: 256 });
    await save(`top-activating-${convs[0]!.name}-${unit}`, top.figure);
  }
  const predictions = model.predict(testX, { batchSize: 256 });
  const written = await visualizeRun(OUT, {
    title: 'LeNet on MNIST',
    history,
    model,
    examples,
    evaluation: { labels: testY, predictions },
    gradientNorms: reporter.gradients.records,
    classNames,
  });
  predictions.dispose();
  const evaluation = await trainer.evaluate({ x: testX, y: testYOneHot }, { batchSize: 256 });
  log(`test accuracy ${evaluation.accuracy?.toFixed(4)} on ${test.n} images`);
  log(`wrote ${written.length} files under ${join(OUT, 'visualize')} and the figures in ${OUT}`);

  trainer.dispose();
  model.dispose();
  tf.dispose([x, y, testX, testY, testYOneHot, examples]);
  log(`tensors leaked: ${numTensors() - before}`);
  return { testAccuracy: evaluation.accuracy!, files: written };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values: args } = parseArgs({
    options: {
      train: { type: 'string', default: '20000' },
      epochs: { type: 'string', default: '3' },
      test: { type: 'string', default: '2000' },
    },
  });
  const backend = await useBackend(process.env.NUTSHELL_BACKEND ?? 'auto');
  console.log(`backend: ${backend.name} (${backend.reason})`);
  await main({ train: Number(args.train), test: Number(args.test), epochs: Number(args.epochs) });
}
