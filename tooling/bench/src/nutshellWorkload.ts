// The three issue-12 workloads built with Nutshell's Trainer, from the packages of one checkout (this tree or a
// baseline clone; see tree.ts). The API used here is the same at baseline 315b921 and now.
import { importFrom, packageDir } from './tree.js';

/** W1 softmax regression 784→10 (SGD 0.1), W2 MLP 784-128-10 (Adam 1e-3), W3 LeNet 5×5×8 / 5×5×16 (Adam 1e-3). */
export type Workload = 'W1' | 'W2' | 'W3';

/** Batch size of every workload. */
export const BATCH = 64;

type Backend = typeof import('@nutshell/backend');
type Datasets = typeof import('@nutshell/datasets');
type Layers = typeof import('@nutshell/layers');
type Conv = typeof import('@nutshell/conv');
type Train = typeof import('@nutshell/train');

/** The packages of one checkout that a workload needs. */
export interface NutshellTree {
  readonly backend: Backend;
  readonly datasets: Datasets;
  readonly layers: Layers;
  readonly conv: Conv;
  readonly train: Train;
  /** Whether the tree has @nutshell/backend-native (baseline 315b921 has not). */
  readonly hasNative: boolean;
}

/**
 * Imports a checkout's packages and its backend plugins (wasm, and native where the tree has it), so that
 * `'auto'` sees them whatever the layout; then switches tfjs to production mode.
 */
export async function loadTree(root: string): Promise<NutshellTree> {
  const backend = await importFrom<Backend>(root, '@nutshell/backend');
  await importFrom(root, '@nutshell/backend-wasm');
  const hasNative = packageDir(root, '@nutshell/backend-native') !== undefined;
  if (hasNative) await importFrom(root, '@nutshell/backend-native');
  backend.tf.enableProdMode();
  return {
    backend,
    hasNative,
    datasets: await importFrom<Datasets>(root, '@nutshell/datasets'),
    layers: await importFrom<Layers>(root, '@nutshell/layers'),
    conv: await importFrom<Conv>(root, '@nutshell/conv'),
    train: await importFrom<Train>(root, '@nutshell/train'),
  };
}

/** A workload's model, Trainer and data adapter for one tree. */
export function buildWorkload(tree: NutshellTree, w: Workload) {
  const { Dense, Sequential } = tree.layers;
  const { Trainer, categoricalCrossentropy, getOptimizer } = tree.train;
  const model =
    w === 'W1'
      ? new Sequential([new Dense({ units: 10 })], { inputShape: [784] })
      : w === 'W2'
        ? new Sequential([new Dense({ units: 128, activation: 'relu' }), new Dense({ units: 10 })], {
            inputShape: [784],
          })
        : tree.conv.lenet({
            inputShape: [28, 28, 1],
            numClasses: 10,
            filters: [8, 16],
            kernelSize: 5,
            seed: 1,
          });
  const optimizer =
    w === 'W1' ? getOptimizer('sgd', { learningRate: 0.1 }) : getOptimizer('adam', { learningRate: 1e-3 });
  const trainer = new Trainer(model, {
    loss: categoricalCrossentropy({ fromLogits: true }),
    optimizer,
    metrics: ['accuracy'],
    seed: 1,
  });
  const shape = w === 'W3' ? {} : { shape: [784] };
  const dataset = (d: import('@nutshell/datasets').Dataset) =>
    new tree.datasets.ArrayDataset(d, { target: 'oneHot', ...shape });
  return { model, trainer, dataset };
}
