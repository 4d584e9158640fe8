// What @nutshell/backend's kernel guards check on webgpu, and the known limit: indices still on the host are
// range-checked (no device round trip needed); indices a previous kernel computed on the GPU are not, because reading
// them back would add a synchronous device wait to every gather (a training step's embedding lookup, a loss's label
// gather). tfjs-backend-webgpu 4.22 then gives zeros for an out-of-range index. README "What Nutshell fixes" says so.
import { afterAll, describe, expect, it } from 'vitest';
import { IndexRangeError, tf, useBackend } from '@nutshell/backend';
import { createWebgpuBackend } from '../index.js';

const plugin = createWebgpuBackend({ cpuForward: false });
const probe = await plugin.probe();
const why = probe.usable ? '' : ` (skipped: ${probe.reason})`;

afterAll(async () => {
  await useBackend('cpu');
});

describe.skipIf(!probe.usable)(`gather index checks on webgpu${why}`, () => {
  it('refuse host-resident indices out of range with IndexRangeError, leaving no tensor', async () => {
    await useBackend(plugin);
    const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2]);
    const indices = tf.tensor1d([0, 3], 'int32');
    const before = tf.memory().numTensors;
    let error: unknown;
    try {
      tf.gather(x, indices);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(IndexRangeError);
    expect((error as Error).message).toBe(
      'GatherV2: index 3 (entry 1 of the indices) is outside axis 0 of a tensor of shape [3, 2]: it must be in [0, 2].',
    );
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, indices]);
  });

  it('known limit: GPU-computed indices are not checked; in range they gather right, out of range tfjs gives zeros', async () => {
    await useBackend(plugin);
    const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2]);
    // [0, 1] + 1 = [1, 2] and [1, 2] + 1 = [2, 3], computed by an Add kernel: the indices never visit the host.
    const inRange = tf.gather(x, tf.add(tf.tensor1d([0, 1], 'int32'), tf.scalar(1, 'int32')));
    expect(Array.from(await inRange.data())).toEqual([3, 4, 5, 6]);
    const outOfRange = tf.gather(x, tf.add(tf.tensor1d([1, 2], 'int32'), tf.scalar(1, 'int32')));
    expect(Array.from(await outOfRange.data())).toEqual([5, 6, 0, 0]);
    const nd = tf.gatherND(x, tf.add(tf.tensor2d([0, 0, 2, 0], [2, 2], 'int32'), tf.scalar(1, 'int32')));
    expect(Array.from(await nd.data())).toEqual([4, 0]);
  });
});
