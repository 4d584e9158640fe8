import { readsSynchronously } from './readsSynchronously.js';
import { tf } from './tfjs.js';

const copies = new Map<string, boolean>();

/**
 * Whether the current backend copies the values of a tensor made from an array, so the array may be reused at
 * once (wasm and native copy into their heap; the CPU backend keeps the array, and WebGPU may upload it later).
 * Found once per backend by changing the array after making a tensor from it. Batch builders use it to fill one
 * buffer for every batch instead of a fresh one each step.
 * @public
 */
export function copiesTensorValues(): boolean {
  const name = tf.getBackend();
  let answer = copies.get(name);
  if (answer === undefined) {
    const a = Float32Array.of(1);
    const t = tf.tensor1d(a);
    a[0] = 2;
    answer = readsSynchronously() && t.dataSync()[0] === 1;
    t.dispose();
    copies.set(name, answer);
  }
  return answer;
}
