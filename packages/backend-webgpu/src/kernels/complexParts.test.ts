import { afterAll, describe, expect, it } from 'vitest';
import { tf, useBackend } from '@nutshell/backend';
import { createWebgpuBackend } from '../index.js';

const plugin = createWebgpuBackend({ cpuForward: false });
const probe = await plugin.probe();
const why = probe.usable ? '' : ` (skipped: ${probe.reason})`;

afterAll(async () => {
  await useBackend('cpu');
});

describe.skipIf(!probe.usable)(`real/imag of an FFT keep the input's shape on webgpu${why}`, () => {
  it('rfft of [2, 3, 4] gives real and imaginary parts of shape [2, 3, 3] equal to the DFT computed on the host', async () => {
    await useBackend(plugin);
    const shape = [2, 3, 4];
    const values = Float32Array.from({ length: 24 }, (_, i) => Math.sin(i * 0.7) + 0.1 * i);
    const x = tf.tensor(values, shape);
    const c = tf.spectral.rfft(x);
    const re = tf.real(c);
    const im = tf.imag(c);
    expect(re.shape).toEqual([2, 3, 3]);
    expect(im.shape).toEqual([2, 3, 3]);
    // tfjs 4.22 returned [6, 3] here, and transposing it with perm [0, 2, 1] threw.
    const t = tf.transpose(re, [0, 2, 1]);
    expect(t.shape).toEqual([2, 3, 3]);
    const [gotRe, gotIm] = [await re.data(), await im.data()];
    for (let row = 0; row < 6; row++)
      for (let k = 0; k < 3; k++) {
        let sr = 0;
        let si = 0;
        for (let n = 0; n < 4; n++) {
          sr += values[row * 4 + n] * Math.cos((2 * Math.PI * k * n) / 4);
          si -= values[row * 4 + n] * Math.sin((2 * Math.PI * k * n) / 4);
        }
        expect(Math.abs(gotRe[row * 3 + k] - sr)).toBeLessThan(1e-5);
        expect(Math.abs(gotIm[row * 3 + k] - si)).toBeLessThan(1e-5);
      }
    tf.dispose([x, c, re, im, t]);
  });
});
