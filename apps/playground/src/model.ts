// A small convolutional network for 8×8 or 28×28 grey digits, written with plain tensor ops so the
// playground can show its first layer's filters and feature maps directly.
import { tf } from '@nutshell/tensor';
import type { Tensor, Variable } from '@nutshell/tensor';
import type { NamedVariable } from '@nutshell/train';

export interface Cnn {
  readonly description: string;
  readonly inputShape: readonly [number, number, 1];
  readonly weights: readonly NamedVariable[];
  /** The first convolution's kernel, `[k, k, 1, filters]`. */
  readonly firstKernel: Variable;
  /** Logits `[b, 10]` for images `[b, h, w, 1]`. */
  logits(x: Tensor): Tensor;
  /** The first layer's feature maps (after ReLU), `[b, h', w', filters]`. */
  firstLayer(x: Tensor): Tensor;
  dispose(): void;
}

// tf.variable names must be unique in the engine; a model made twice gets new ones.
let made = 0;

function heNormal(name: string, shape: number[], fanIn: number, seed: number): NamedVariable {
  const init = tf.randomNormal(shape, 0, Math.sqrt(2 / fanIn), 'float32', seed);
  return { name, variable: tf.variable(init, true, `${name}#${++made}`) };
}

function zerosVar(name: string, shape: number[]): NamedVariable {
  return { name, variable: tf.variable(tf.zeros(shape), true, `${name}#${++made}`) };
}

/**
 * 8×8 input: conv 3×3×8 (same) → ReLU → max-pool 2 → dense 10.
 * 28×28 input (LeNet-like): conv 5×5×8 → ReLU → max-pool 2 → conv 5×5×16 → ReLU → max-pool 2 → dense 10.
 */
export function createCnn(height: number, width: number, seed = 1): Cnn {
  const small = height <= 8;
  const k1 = small ? 3 : 5;
  const f1 = 8;
  const pad1 = small ? 'same' : 'valid';
  const c1 = heNormal('conv1/kernel', [k1, k1, 1, f1], k1 * k1, seed);
  const b1 = zerosVar('conv1/bias', [f1]);
  const weights: NamedVariable[] = [c1, b1];
  let h = small ? height : height - k1 + 1;
  let w = small ? width : width - k1 + 1;
  h = Math.floor(h / 2);
  w = Math.floor(w / 2);
  let channels = f1;
  let c2: NamedVariable | undefined;
  let b2: NamedVariable | undefined;
  if (!small) {
    c2 = heNormal('conv2/kernel', [5, 5, f1, 16], 25 * f1, seed + 1);
    b2 = zerosVar('conv2/bias', [16]);
    weights.push(c2, b2);
    h = Math.floor((h - 4) / 2);
    w = Math.floor((w - 4) / 2);
    channels = 16;
  }
  const flat = h * w * channels;
  const dk = heNormal('dense/kernel', [flat, 10], flat, seed + 2);
  const db = zerosVar('dense/bias', [10]);
  weights.push(dk, db);

  const firstLayer = (x: Tensor) =>
    tf.relu(tf.add(tf.conv2d(x as tf.Tensor4D, c1.variable as tf.Tensor4D, 1, pad1), b1.variable));

  return {
    description: small
      ? 'conv 3×3×8 → ReLU → max-pool 2 → dense 10'
      : 'conv 5×5×8 → ReLU → max-pool 2 → conv 5×5×16 → ReLU → max-pool 2 → dense 10',
    inputShape: [height, width, 1],
    weights,
    firstKernel: c1.variable,
    firstLayer,
    logits(x: Tensor): Tensor {
      let a = tf.maxPool(firstLayer(x) as tf.Tensor4D, 2, 2, 'valid');
      if (c2 && b2) {
        a = tf.relu(tf.add(tf.conv2d(a, c2.variable as tf.Tensor4D, 1, 'valid'), b2.variable)) as tf.Tensor4D;
        a = tf.maxPool(a, 2, 2, 'valid');
      }
      return tf.add(tf.matMul(tf.reshape(a, [-1, flat]), dk.variable), db.variable);
    },
    dispose() {
      for (const v of weights) v.variable.dispose();
    },
  };
}
