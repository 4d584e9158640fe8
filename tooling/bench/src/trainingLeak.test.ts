import { describe, expect, it } from 'vitest';
import { loadTree } from './nutshellWorkload.js';
import { THIS_TREE } from './tree.js';
import { trainingLeak } from './trainingLeak.js';

const tree = await loadTree(THIS_TREE);
const nativeProbe = tree.hasNative
  ? await tree.backend.useBackend('native').then(
      () => undefined,
      (e: Error) => e.message,
    )
  : '@nutshell/backend-native is not installed';

describe('1,000 training steps with the Trainer leak no tensor', () => {
  it('W1 (softmax regression, SGD) on wasm: tf.memory() equal before and after, and inside the fit', async () => {
    await tree.backend.useBackend('wasm');
    const r = await trainingLeak(tree, 'W1', 1000);
    expect(r.steps).toBe(1000);
    // The model's kernel and bias: SGD keeps no slots.
    expect(r.tensorsBefore).toBe(2);
    expect(r.tensorsAfter).toBe(r.tensorsBefore);
    expect(r.tensorsAtLastStep).toBe(r.tensorsAtStep10);
    expect(r.bytesAfter).toBe(r.bytesBefore);
  }, 120_000);

  it.skipIf(nativeProbe !== undefined)(
    `W2 (MLP, Adam) on native${nativeProbe ? ` — skipped: ${nativeProbe}` : ''}`,
    async () => {
      await tree.backend.useBackend('native');
      const r = await trainingLeak(tree, 'W2', 1000);
      // Two dense layers' kernels and biases, and Adam's two slots for each.
      expect(r.tensorsBefore).toBe(12);
      expect(r.tensorsAfter).toBe(r.tensorsBefore);
      expect(r.tensorsAtLastStep).toBe(r.tensorsAtStep10);
      expect(r.bytesAfter).toBe(r.bytesBefore);
    },
    120_000,
  );
});
