import { Dense, Sequential } from '@nutshell/layers';
import type { ConvAlgorithm } from './geometry.js';
import { Conv2D } from './layers/Conv2D.js';
import { Inception } from './layers/Inception.js';
import { GlobalAvgPool2D, MaxPool2D } from './layers/poolingLayers.js';

/** Options of {@link inceptionNet}. @public */
export interface InceptionNetOptions {
  /** One example's shape `[h, w, channels]`. Default `[28, 28, 1]`. */
  readonly inputShape?: readonly [number, number, number];
  /** Default 10. */
  readonly numClasses?: number;
  /** Seed of the weight initializers. */
  readonly seed?: number;
  /** Multiplies every channel count (default 1: about 11k parameters). */
  readonly width?: number;
  /** How the convolutions are computed. Default `'direct'`. */
  readonly algorithm?: ConvAlgorithm;
}

/**
 * A small GoogLeNet-style network for small images: a 3×3 stride-2 convolution stem (16 filters, ReLU) → an
 * Inception module → 2×2 max-pool → two more Inception modules → global average pooling → a fully connected
 * layer of `numClasses` logits (about 11k parameters). GoogLeNet's shape (stem, stacked Inception modules, global average
 * pooling instead of large dense layers) at a size that trains an epoch of MNIST in minutes on a CPU.
 * @public
 */
export function inceptionNet(options: InceptionNetOptions = {}): Sequential {
  const { inputShape = [28, 28, 1], numClasses = 10, seed, width = 1, algorithm } = options;
  const n = (c: number) => Math.max(1, Math.round(c * width));
  const s = (i: number) => (seed === undefined ? undefined : seed + 10 * i);
  const module = (i: number, c: [number, number, number, number, number, number]) =>
    new Inception({
      filters1x1: n(c[0]),
      filters3x3Reduce: n(c[1]),
      filters3x3: n(c[2]),
      filters5x5Reduce: n(c[3]),
      filters5x5: n(c[4]),
      poolProjection: n(c[5]),
      seed: s(i),
      algorithm,
    });
  return new Sequential(
    [
      // A strided stem: at full 28×28 resolution the stem and a module's max-pool cost most of a training step.
      new Conv2D({ filters: n(16), kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', seed: s(0), algorithm }), // 14×14×16
      module(1, [8, 8, 12, 2, 4, 4]), // 14×14×28
      new MaxPool2D({ poolSize: 2 }), // 7×7×28
      module(2, [12, 12, 16, 4, 8, 8]), // 7×7×44
      module(3, [16, 12, 24, 4, 8, 8]), // 7×7×56
      new GlobalAvgPool2D(),
      new Dense({ units: numClasses, seed: s(4) }),
    ],
    { inputShape: [...inputShape], name: 'inception_net' },
  );
}
