// A training run whose WebGPU device is lost half-way: the run stops with a WebGpuDeviceLostError (no hang),
// its last checkpoint on disk is intact, and the run resumes from it on another backend.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tf, useBackend } from '@nutshell/backend';
import { Rng } from '@nutshell/tensor';
import { Adam, Trainer, sparseCategoricalCrossentropy } from '@nutshell/train';
import { WebGpuDeviceLostError, createWebgpuBackend } from './index.js';

const plugin = createWebgpuBackend({ cpuForward: false });
const probe = await plugin.probe();
const why = probe.usable ? '' : ` (skipped: ${probe.reason})`;

/** 256 samples of 8 features; the class is the arg-max of a fixed projection (learnable). */
function data(): { x: Float32Array; y: Int32Array } {
  const rng = new Rng(5);
  const proj = Float32Array.from({ length: 8 * 3 }, () => rng.nextNormal());
  const x = Float32Array.from({ length: 256 * 8 }, () => rng.nextFloat());
  const y = new Int32Array(256);
  for (let i = 0; i < 256; i++) {
    let best = -Infinity;
    for (let c = 0; c < 3; c++) {
      let s = 0;
      for (let j = 0; j < 8; j++) s += x[i * 8 + j] * proj[j * 3 + c];
      if (s > best) [best, y[i]] = [s, c];
    }
  }
  return { x, y };
}

/** A two-layer perceptron (the Trainer's model interface) with seeded weights. */
function mlp() {
  const rng = new Rng(1);
  const glorot = (a: number, b: number) =>
    tf.variable(tf.tensor2d(Float32Array.from({ length: a * b }, () => (rng.nextFloat() * 2 - 1) * Math.sqrt(6 / (a + b))), [a, b]));
  const weights = [
    { name: 'dense_1/kernel', variable: glorot(8, 16) },
    { name: 'dense_1/bias', variable: tf.variable(tf.zeros([16])) },
    { name: 'dense_2/kernel', variable: glorot(16, 3) },
    { name: 'dense_2/bias', variable: tf.variable(tf.zeros([3])) },
  ];
  const [w1, b1, w2, b2] = weights.map((w) => w.variable);
  return {
    weights,
    trainableWeights: weights,
    apply: (input: tf.Tensor) => tf.tidy(() => tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(input as tf.Tensor2D, w1 as tf.Tensor2D), b1)), w2 as tf.Tensor2D), b2)),
  };
}

function within<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer in ${ms} ms (hang)`)), ms))]);
}

describe.skipIf(!probe.usable)(`a Trainer run that loses its WebGPU device${why}`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'nutshell-webgpu-lost-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('stops with WebGpuDeviceLostError, keeps its last checkpoint, and resumes from it on the CPU', async () => {
    await useBackend(plugin);
    const { x, y } = data();
    const trainer = new Trainer(mlp() as never, { loss: sparseCategoricalCrossentropy({ fromLogits: true }), optimizer: new Adam({ learningRate: 0.01 }) });
    trainer.on('batchEnd', (e) => {
      if (e.step === 12) plugin.device()!.destroy(); // 8 steps per epoch: mid-epoch 2, after the checkpoint at step 10
    });
    const xs = tf.tensor2d(x, [256, 8]);
    const ys = tf.tensor1d(y, 'int32');
    const error = await within(trainer.fit({ x: xs, y: ys }, { epochs: 4, batchSize: 32, seed: 2, checkpoint: { to: dir, everySteps: 5 } }), 30_000).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WebGpuDeviceLostError);
    expect((error as Error).message).toContain('reload the weights from your last checkpoint');
    const checkpoints = readdirSync(dir).filter((f) => f.endsWith('.ckpt'));
    expect(checkpoints.length).toBeGreaterThanOrEqual(1);

    // Resume on the CPU from the checkpoint written before the loss.
    await useBackend('cpu');
    const again = new Trainer(mlp() as never, { loss: sparseCategoricalCrossentropy({ fromLogits: true }), optimizer: new Adam({ learningRate: 0.01 }) });
    let resumedAt = -1;
    again.on('fitStart', (e) => (resumedAt = e.initialStep));
    const history = await again.fit({ x: tf.tensor2d(x, [256, 8]), y: tf.tensor1d(y, 'int32') }, { epochs: 4, batchSize: 32, seed: 2, resume: dir });
    expect(resumedAt).toBe(10);
    const losses = history.logs.loss;
    expect(losses[losses.length - 1]).toBeLessThan(losses[0]);
  });
});
