import { Dense, Flatten, Sequential } from '@nutshell/layers';
import { Conv2D } from './layers/Conv2D.js';
import { MaxPool2D } from './layers/poolingLayers.js';
import type { ConvAlgorithm } from './geometry.js';

/** Options of {@link lenet}. @public */
export interface LenetOptions {
  /** One example's shape `[h, w, channels]`. Default `[28, 28, 1]` (MNIST). */
  readonly inputShape?: readonly [number, number, number];
  /** Default 10. */
  readonly numClasses?: number;
  /** Filters of the two convolutions. Default `[8, 16]` (the seed's figure 5 uses `[4, 10]`). */
  readonly filters?: readonly [number, number];
  /** Kernel size of both convolutions. Default 5. */
  readonly kernelSize?: number;
  /** Seed of the weight initializers: same seed, same network. */
  readonly seed?: number;
  /** Hidden activation. Default `'relu'`. */
  readonly activation?: string;
  /** How the convolutions are computed. Default `'direct'`. */
  readonly algorithm?: ConvAlgorithm;
}

/**
 * A LeNet-shaped convolutional network (the classic digit and traffic-sign recogniser): convolution
 * (`filters[0]` 5×5 kernels, ReLU) → 2×2 max-pool → convolution (`filters[1]` 5×5 kernels, ReLU) → 2×2
 * max-pool → flatten → fully connected layer of `numClasses` logits (softmax is left to the loss).
 * On 28×28×1 with the defaults: 24×24×8 → 12×12×8 → 8×8×16 → 4×4×16 → 256 → 10: 5,994 parameters.
 * @public
 */
export function lenet(options: LenetOptions = {}): Sequential {
  const { inputShape = [28, 28, 1], numClasses = 10, filters = [8, 16], kernelSize = 5, seed, activation = 'relu', algorithm } = options;
  const s = (i: number) => (seed === undefined ? undefined : seed + i);
  return new Sequential(
    [
      new Conv2D({ filters: filters[0], kernelSize, activation, seed: s(0), algorithm }),
      new MaxPool2D({ poolSize: 2 }),
      new Conv2D({ filters: filters[1], kernelSize, activation, seed: s(1), algorithm }),
      new MaxPool2D({ poolSize: 2 }),
      new Flatten(),
      new Dense({ units: numClasses, seed: s(2) }),
    ],
    { inputShape: [...inputShape], name: 'lenet' },
  );
}
