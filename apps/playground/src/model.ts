// The networks the playground trains, built from Nutshell's layers.
import { Conv2D, MaxPool2D, lenet } from '@nutshell/conv';
import { Dense, Flatten, Reshape, Sequential } from '@nutshell/layers';
import { LSTM } from '@nutshell/recurrent';

/** The kinds of network the page trains (`?model=` in the URL). */
export const NETWORKS = ['cnn', 'lstm'] as const;
export type NetworkKind = (typeof NETWORKS)[number];

/** A network and a one-line description of it. */
export interface Cnn {
  readonly model: Sequential;
  readonly description: string;
  /** The first convolution (its filters are drawn); absent for the LSTM. */
  readonly firstConv?: Conv2D;
  /** The LSTM that reads the image row by row (its gates are drawn); absent for the CNN. */
  readonly lstm?: LSTM;
  readonly inputShape: readonly [number, number, 1];
}

/**
 * The image read row by row: `height` steps of `width` pixels into an LSTM of 32 units, whose last output goes
 * to 10 logits (sequential MNIST, here in the browser). Its gates over the rows are the picture to watch.
 */
export function createLstm(height: number, width: number, seed = 1): Cnn {
  const inputShape: [number, number, 1] = [height, width, 1];
  const lstm = new LSTM({ units: 32, seed, name: 'lstm' });
  const model = new Sequential(
    [new Reshape({ targetShape: [height, width], name: 'rows' }), lstm, new Dense({ units: 10, seed: seed + 1, name: 'dense' })],
    { inputShape, name: 'rows_lstm' },
  );
  return { model, inputShape, lstm, description: `LSTM: ${height} rows as ${height} steps of ${width} pixels → 32 units → dense 10` };
}

/** The network of `kind` for `height × width` images. */
export function createNetwork(kind: NetworkKind, height: number, width: number, seed = 1): Cnn {
  return kind === 'lstm' ? createLstm(height, width, seed) : createCnn(height, width, seed);
}

/**
 * 8×8 input: conv 3×3×8 (same) → ReLU → max-pool 2 → dense 10.
 * 28×28 input: LeNet (`@nutshell/conv`): conv 5×5×8 → ReLU → max-pool 2 → conv 5×5×16 → ReLU → max-pool 2 → dense 10.
 * Logits out; the loss applies the softmax.
 */
export function createCnn(height: number, width: number, seed = 1): Cnn {
  const inputShape: [number, number, 1] = [height, width, 1];
  if (height > 8) {
    const model = lenet({ inputShape, numClasses: 10, filters: [8, 16], kernelSize: 5, seed });
    return {
      model,
      inputShape,
      firstConv: model.layers[0] as Conv2D,
      description: 'LeNet: conv 5×5×8 → ReLU → max-pool 2 → conv 5×5×16 → ReLU → max-pool 2 → dense 10',
    };
  }
  const firstConv = new Conv2D({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu', seed, name: 'conv1' });
  const model = new Sequential(
    [firstConv, new MaxPool2D({ poolSize: 2, name: 'pool1' }), new Flatten({ name: 'flatten' }), new Dense({ units: 10, seed: seed + 1, name: 'dense' })],
    { inputShape, name: 'digits_cnn' },
  );
  return { model, inputShape, firstConv, description: 'conv 3×3×8 → ReLU → max-pool 2 → dense 10' };
}
