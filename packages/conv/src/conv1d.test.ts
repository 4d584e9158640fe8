// conv1d's option names: `strides`/`dilations` as in conv2d, with the old `stride`/`dilation` kept as aliases.
import { read, tf, type Tensor } from '@nutshell/tensor';
import { describe, expect, it } from 'vitest';
import { ConvArgumentError, conv1d } from './index.js';

async function values(t: Tensor): Promise<number[]> {
  const v = Array.from(await read(t));
  t.dispose();
  return v;
}

describe('conv1d: strides and dilations', () => {
  // x = 1..7, kernel [1, 0, −1]: with dilation d every valid output is x[i] − x[i + 2d] = −2d.
  const x = tf.tensor3d([1, 2, 3, 4, 5, 6, 7], [1, 7, 1]);
  const w = tf.tensor3d([1, 0, -1], [3, 1, 1]);

  it('takes the same names as conv2d', async () => {
    expect(await values(conv1d(x, w, { strides: 2 }))).toEqual([-2, -2, -2]);
    expect(await values(conv1d(x, w, { dilations: 2 }))).toEqual([-4, -4, -4]);
    expect(await values(conv1d(x, w, { strides: 2, dilations: 2 }))).toEqual([-4, -4]);
    // 'same', stride 2, dilation 2: the kernel spans 5, 4 outputs, 4 padding split [2, 2]:
    // padded p = [0, 0, 1, …, 7, 0, 0], outputs p[i] − p[i + 4] at i = 0, 2, 4, 6: 0 − 3, 1 − 5, 3 − 7, 5 − 0.
    expect(await values(conv1d(x, w, { strides: 2, dilations: 2, padding: 'same' }))).toEqual([
      -3, -4, -4, 5,
    ]);
  });

  it('still accepts the deprecated stride and dilation, alone or equal to the new names', async () => {
    expect(await values(conv1d(x, w, { stride: 2, dilation: 2, padding: 'same' }))).toEqual([-3, -4, -4, 5]);
    expect(await values(conv1d(x, w, { strides: 2, stride: 2, dilations: 2, dilation: 2 }))).toEqual([
      -4, -4,
    ]);
  });

  it('rejects an alias that disagrees with the new name, naming both, without leaking', () => {
    const before = tf.memory().numTensors;
    expect(() => conv1d(x, w, { strides: 2, stride: 1 })).toThrow(ConvArgumentError);
    expect(() => conv1d(x, w, { strides: 2, stride: 1 })).toThrow(
      'conv1d: strides (and its deprecated alias stride) must be one value when both are given, got {"strides":2,"stride":1}.',
    );
    try {
      conv1d(x, w, { dilations: 1, dilation: 3 });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConvArgumentError);
      expect((e as ConvArgumentError).op).toBe('conv1d');
      expect((e as ConvArgumentError).argument).toBe('dilations (and its deprecated alias dilation)');
      expect((e as Error).message).toContain('{"dilations":1,"dilation":3}');
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('names the option as it was given when its value is out of range', () => {
    expect(() => conv1d(x, w, { strides: 0 })).toThrow('conv1d: strides must be a positive integer, got 0.');
    expect(() => conv1d(x, w, { stride: 1.5 })).toThrow(
      'conv1d: stride must be a positive integer, got 1.5.',
    );
    expect(() => conv1d(x, w, { dilations: -1 })).toThrow(
      'conv1d: dilations must be a positive integer, got -1.',
    );
  });
});
