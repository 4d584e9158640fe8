import { afterAll, describe, expect, it } from 'vitest';
import { tf, useBackend } from '@nutshell/backend';
import { WebGpuKernelError, createWebgpuBackend } from './index.js';

const plugin = createWebgpuBackend({ cpuForward: false });
const probe = await plugin.probe();
const why = probe.usable ? '' : ` (skipped: ${probe.reason})`;

/** A program whose WGSL does not compile, run the way tfjs runs its own programs. */
class BrokenProgram {
  variableNames = ['x'];
  outputShape: number[];
  shaderKey = 'nutshellBrokenProgram';
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number] = [64, 1, 1];
  size = true;
  constructor(n: number) {
    this.outputShape = [n];
    this.dispatchLayout = { x: [0] };
    this.dispatch = [Math.ceil(n / 64), 1, 1];
  }
  getUserCode(): string {
    return 'fn main() { let v : vec5 = 1; }'; // vec5 is no WGSL type, as in tfjs 4.22's rank-5 PadProgram
  }
}

afterAll(async () => {
  await useBackend('cpu');
});

describe.skipIf(!probe.usable)(`WebGPU validation errors become exceptions${why}`, () => {
  it('reading the output of a kernel whose shader does not compile throws WebGpuKernelError naming it', async () => {
    await useBackend(plugin);
    const backend = tf.backend() as unknown as {
      runWebGPUProgram(p: object, inputs: tf.TensorInfo[], dtype: string): tf.TensorInfo;
    };
    const x = tf.ones([8]);
    const before = tf.memory().numTensors;
    const info = backend.runWebGPUProgram(new BrokenProgram(8), [x], 'float32');
    const y = tf.engine().makeTensorFromTensorInfo(info);
    const err = await y.data().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WebGpuKernelError);
    expect((err as WebGpuKernelError).program).toBe('BrokenProgram');
    expect((err as Error).message).toMatch(
      /^webgpu: the kernel BrokenProgram failed WebGPU validation \(.*vec5/,
    );
    y.dispose();
    expect(tf.memory().numTensors).toBe(before);

    // Reported once: the next computation runs and reads normally.
    const z = tf.add(x, x);
    expect(Array.from(await z.data())).toEqual([2, 2, 2, 2, 2, 2, 2, 2]);
    tf.dispose([x, z]);
  });
});
