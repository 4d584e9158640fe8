import { beforeAll, describe, expect, it, vi } from 'vitest';
import { tf, useBackend } from '@nutshell/backend';

// ONNX Runtime rejecting a graph (here: every run throws) sends each kernel to its wasm fallback; the output the
// native kernel had already allocated on the heap must be released, not left behind.
vi.mock('../onnxRuntime.js', async (original) => ({
  ...(await original<typeof import('../onnxRuntime.js')>()),
  runGraph: () => {
    throw new Error('ONNX Runtime rejected the graph (test)');
  },
}));

const { nativeBackend } = await import('../index.js');
const { fallbackCounts } = await import('./index.js');

beforeAll(async () => {
  await useBackend(nativeBackend);
});

const dataIds = () => (tf.backend() as unknown as { numDataIds(): number }).numDataIds();

describe('a kernel ONNX Runtime rejects', () => {
  const cases: [string, string, () => tf.Tensor[]][] = [
    ['BatchMatMul', 'matmul 128³', () => [tf.matMul(tf.ones([128, 128]), tf.ones([128, 128]))]],
    [
      'Conv2D',
      'conv2d',
      () => [
        tf.conv2d(tf.ones([2, 12, 12, 4]) as tf.Tensor4D, tf.ones([3, 3, 4, 8]) as tf.Tensor4D, 1, 'valid'),
      ],
    ],
    [
      'Conv2DBackpropInput',
      'conv2d input gradient',
      () => [
        tf.conv2dTranspose(
          tf.ones([2, 10, 10, 8]) as tf.Tensor4D,
          tf.ones([3, 3, 4, 8]) as tf.Tensor4D,
          [2, 12, 12, 4],
          1,
          'valid',
        ),
      ],
    ],
  ];
  for (const [kernel, what, run] of cases)
    it(`${what}: runs on the wasm kernel, right, and leaves no heap tensor behind`, async () => {
      const fellBack = fallbackCounts()[kernel] ?? 0;
      const ids = dataIds();
      const [y] = tf.tidy(run);
      expect(fallbackCounts()[kernel]).toBe(fellBack + 1);
      // All-ones operands: every output is the number of products summed (128; 3·3·4 = 36; at most 3·3·8 = 72).
      const v = await y!.data();
      if (kernel === 'BatchMatMul') expect(v.every((x) => x === 128)).toBe(true);
      if (kernel === 'Conv2D') expect(v.every((x) => x === 36)).toBe(true);
      if (kernel === 'Conv2DBackpropInput') expect(Math.max(...v)).toBe(72);
      y!.dispose();
      expect(dataIds()).toBe(ids);
    });
});
