import { tf, type Tensor } from '@nutshell/tensor';
import { ConvArgumentError } from './errors.js';
import { correlate2d, type FilterOptions } from './correlate.js';
import { prewittX, prewittY, scharrX, scharrY, sobelX, sobelY } from './kernels.js';

/** The gradient operators `edgeMagnitude` knows. @public */
export type EdgeOperator = 'sobel' | 'prewitt' | 'scharr';

const OPERATORS = {
  sobel: [sobelX, sobelY],
  prewitt: [prewittX, prewittY],
  scharr: [scharrX, scharrY],
} as const;

/**
 * Edge strength: the length √(gx² + gy²) of the image gradient estimated by a pair of derivative kernels
 * (Sobel by default), per channel. Same image ranks as `correlate2d`; default padding `'same'` so the edge map
 * has the image's size.
 * @public
 */
export function edgeMagnitude(image: Tensor, options: FilterOptions & { operator?: EdgeOperator } = {}): Tensor {
  const operator = options.operator ?? 'sobel';
  const pair = OPERATORS[operator];
  if (!pair) throw new ConvArgumentError('edgeMagnitude', 'operator', "'sobel', 'prewitt' or 'scharr'", operator);
  const opts: FilterOptions = { padding: 'same', ...options };
  return tf.tidy(() => {
    const gx = correlate2d(image, pair[0](), opts);
    const gy = correlate2d(image, pair[1](), opts);
    return tf.sqrt(tf.add(tf.square(gx), tf.square(gy)));
  });
}
