// A hand-built model that satisfies ModelLike with fixed weights, so viz tests know every activation exactly
// without depending on @nutshell/layers' implementation details.
import { tf, type Tensor } from '@nutshell/tensor';
import type { LayerLike, ModelLike } from '../types.js';

interface TinyLayer extends LayerLike {
  run(x: Tensor): Tensor;
}

function layer(
  name: string,
  className: string,
  weights: { name: string; variable: tf.Variable }[],
  run: (x: Tensor) => Tensor,
  out: (s: (number | null)[]) => (number | null)[],
): TinyLayer {
  return {
    name,
    weights,
    run: (x) => tf.tidy(() => run(x)),
    getConfig: () => ({ className, name }),
    computeOutputShape: out,
  };
}

/** conv 3×3 (2 filters: vertical edge, box blur), relu, maxpool 2, flatten, dense 3. Input [8, 8, 1]. */
export function tinyCnn(): ModelLike & { dispose(): void } {
  const k = new Float32Array(3 * 3 * 2);
  for (let r = 0; r < 3; r++)
    for (let c = 0; c < 3; c++) {
      k[(r * 3 + c) * 2] = c === 0 ? -1 : c === 2 ? 1 : 0; // vertical edge
      k[(r * 3 + c) * 2 + 1] = 1 / 9; // box blur
    }
  const kernel = tf.variable(tf.tensor4d(k, [3, 3, 1, 2]), true, 'tiny_conv/kernel');
  const bias = tf.variable(tf.zeros([2]), true, 'tiny_conv/bias');
  const dk = tf.variable(
    tf.tensor2d(
      Array.from({ length: 18 * 3 }, (_, i) => ((i % 7) - 3) / 10),
      [18, 3],
    ),
    true,
    'tiny_dense/kernel',
  );
  const layers: TinyLayer[] = [
    layer(
      'tiny_conv',
      'Conv2D',
      [
        { name: 'tiny_conv/kernel', variable: kernel },
        { name: 'tiny_conv/bias', variable: bias },
      ],
      (x) => tf.add(tf.conv2d(x as tf.Tensor4D, kernel as unknown as tf.Tensor4D, 1, 'valid'), bias),
      (s) => [s[0]!, s[1]! - 2, s[2]! - 2, 2],
    ),
    layer(
      'tiny_relu',
      'ReLU',
      [],
      (x) => tf.relu(x),
      (s) => s,
    ),
    layer(
      'tiny_pool',
      'MaxPool2D',
      [],
      (x) => tf.maxPool(x as tf.Tensor4D, 2, 2, 'valid'),
      (s) => [s[0]!, s[1]! / 2, s[2]! / 2, s[3]!],
    ),
    layer(
      'tiny_flatten',
      'Flatten',
      [],
      (x) => tf.reshape(x, [x.shape[0]!, -1]),
      (s) => [s[0]!, s[1]! * s[2]! * s[3]!],
    ),
    layer(
      'tiny_dense',
      'Dense',
      [{ name: 'tiny_dense/kernel', variable: dk }],
      (x) => tf.matMul(x as tf.Tensor2D, dk),
      (s) => [s[0]!, 3],
    ),
  ];
  return {
    name: 'tiny_cnn',
    layers,
    inputShape: [null, 8, 8, 1],
    intermediateOutputs(x: Tensor) {
      const outs: { layer: LayerLike; output: Tensor }[] = [];
      let h = x;
      for (const l of layers) {
        h = l.run(h);
        outs.push({ layer: l, output: h });
      }
      return outs;
    },
    predict(x: Tensor) {
      return tf.tidy(() => layers.reduce((h, l) => l.run(h), x));
    },
    dispose() {
      kernel.dispose();
      bias.dispose();
      dk.dispose();
    },
  };
}
