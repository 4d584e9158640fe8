import { describe, expect, it } from 'vitest';
import { tf } from './tfjs.js';
import { fillTensor } from './fillTensor.js';

// The cpu path (a new array the tensor owns); the wasm heap path is tested in @nutshell/backend-wasm.
describe('fillTensor on cpu', () => {
  it('makes a float32 or int32 tensor of the shape with the values written', async () => {
    await tf.setBackend('cpu');
    const f = fillTensor([2, 3], 'float32', (v) => v.forEach((_, i) => (v[i] = i / 2)));
    expect(f.dtype).toBe('float32');
    expect(f.shape).toEqual([2, 3]);
    expect(Array.from(await f.data())).toEqual([0, 0.5, 1, 1.5, 2, 2.5]);
    const i = fillTensor([3], 'int32', (v) => v.set([7, -1, 2 ** 30]));
    expect(i.dtype).toBe('int32');
    expect(Array.from(await i.data())).toEqual([7, -1, 2 ** 30]);
    const empty = fillTensor([0, 4], 'float32', (v) => expect(v.length).toBe(0));
    expect(empty.shape).toEqual([0, 4]);
    tf.dispose([f, i, empty]);
  });

  it('leaves nothing behind when the writer throws, and passes its error on', async () => {
    await tf.setBackend('cpu');
    const before = tf.memory().numTensors;
    expect(() =>
      fillTensor([4], 'float32', () => {
        throw new RangeError('row 9 is outside the data');
      }),
    ).toThrow(/row 9 is outside the data/);
    expect(tf.memory().numTensors).toBe(before);
  });
});
