import { describe, expect, it } from 'vitest';
import { randomNormal, tf, type Tensor } from '@nutshell/tensor';
import { Layer, type ApplyOptions } from '../index.js';
import { gradCheck } from './gradcheck.js';

// The checker itself must fail on a wrong gradient, or every gradient test above could only pass.
class WrongGradient extends Layer {
  readonly className = 'WrongGradient';
  call(x: Tensor | Tensor[], _o: ApplyOptions): Tensor {
    const f = tf.customGrad(((t: Tensor) => ({ value: tf.square(t), gradFunc: (dy: Tensor) => tf.mul(dy, tf.mul(t, 2.1)) })) as never);
    return f(x as Tensor) as Tensor;
  }
}

describe('gradCheck', () => {
  it('rejects a gradient that is 5% off', async () => {
    const x = randomNormal([3, 3], { seed: 1 });
    await expect(gradCheck(new WrongGradient(), x)).rejects.toThrow(/autodiff .* vs fd/);
    x.dispose();
  });
});
