import { describe, expect, it } from 'vitest';
import { copiesTensorValues } from './copiesTensorValues.js';
import { tf } from './tfjs.js';

describe('copiesTensorValues', () => {
  it('is false on the CPU backend, which keeps the array a tensor was made from; leaks nothing', async () => {
    await tf.setBackend('cpu');
    const a = Float32Array.of(1, 2);
    const t = tf.tensor1d(a);
    a[0] = 5;
    // The premise: on cpu the tensor sees the change, so reusing the array would corrupt it.
    expect(t.dataSync()[0]).toBe(5);
    t.dispose();
    const before = tf.memory().numTensors;
    expect(copiesTensorValues()).toBe(false);
    expect(tf.memory().numTensors).toBe(before);
  });
});
