import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tf } from '@nutshell/tensor';
import { Trainer } from '../trainer/Trainer.js';
import { Adam } from '../optimizers/adam.js';
import { sparseCategoricalCrossentropy } from '../losses/sparseCategoricalCrossentropy.js';
import { MemoryCheckpointStore } from './store.js';
import { FileCheckpointStore } from './fileStore.js';
import { hasRunCheckpoint, listRunCheckpoints } from './runCheckpoint.js';
import { CheckpointError } from '../errors.js';
import { EarlyStopping } from '../callbacks/EarlyStopping.js';
import type { Callback } from '../callbacks/callback.js';
import { tinyMlp } from '../test-utils/fixtures.js';

const n = 300;
const xs = tf.randomUniform([n, 6], 0, 1, 'float32', 5);
const ys = tf.argMax(xs, 1);
afterAll(() => tf.dispose([xs, ys]));
const loss = sparseCategoricalCrossentropy({ fromLogits: true });
const fitOptions = { epochs: 3, batchSize: 16, validationSplit: 0.2, seed: 9 } as const;

async function weightsOf(model: ReturnType<typeof tinyMlp>): Promise<number[][]> {
  return Promise.all(model.weights.map(async (w) => Array.from(await w.variable.data())));
}

/** A callback that stops training at a given step, as a crash would (but without killing the process). */
const crashAt = (step: number): Callback => ({ onBatchEnd: (e, ctx) => (e.step === step ? ctx.stop('crash') : undefined) });

async function uninterrupted() {
  const model = tinyMlp(6, 16, 6, 1);
  const t = new Trainer(model, { loss, optimizer: new Adam({ learningRate: 0.01 }), metrics: ['accuracy'] });
  const history = await t.fit({ x: xs, y: ys }, { ...fitOptions, callbacks: [new EarlyStopping({ patience: 5 })] });
  const w = await weightsOf(model);
  t.dispose();
  model.dispose();
  return { w, history };
}

describe('run checkpoints and resume', () => {
  it('a run interrupted mid-epoch and resumed ends with the same weights and history, bit for bit', async () => {
    const reference = await uninterrupted();
    const store = new MemoryCheckpointStore();
    const first = tinyMlp(6, 16, 6, 1);
    const t1 = new Trainer(first, { loss, optimizer: new Adam({ learningRate: 0.01 }), metrics: ['accuracy'] });
    // 15 steps per epoch; checkpoints every 4 steps → the newest before step 21 is at step 20 (epoch 1, batch 5).
    await t1.fit({ x: xs, y: ys }, { ...fitOptions, checkpoint: { to: store, everySteps: 4 }, callbacks: [crashAt(21), new EarlyStopping({ patience: 5 })] });
    t1.dispose();
    first.dispose();
    expect(await listRunCheckpoints(store)).toEqual(['step-0000000020.ckpt', 'step-0000000016.ckpt']);
    expect(await hasRunCheckpoint(store)).toBe(true);

    const second = tinyMlp(6, 16, 6, 99); // different initial weights: all must come from the checkpoint
    const t2 = new Trainer(second, { loss, optimizer: new Adam({ learningRate: 0.5 }), metrics: ['accuracy'] });
    let start: unknown;
    t2.on('fitStart', (e) => void (start = { epoch: e.initialEpoch, step: e.initialStep }));
    const history = await t2.fit({ x: xs, y: ys }, { ...fitOptions, resume: store, callbacks: [new EarlyStopping({ patience: 5 })] });
    expect(start).toEqual({ epoch: 1, step: 20 });
    expect(await weightsOf(second)).toEqual(reference.w);
    expect(history.logs).toEqual(reference.history.logs);
    expect(t2.optimizer.learningRate).toBe(0.01);
    t2.dispose();
    second.dispose();
  }, 30_000);

  it('EarlyStopping with restore-best keeps its best weights across a resume', async () => {
    // mode 'max' on val_loss: epoch 0 (the highest loss) stays "best", so the end restores epoch 0's weights.
    const es = () => new EarlyStopping({ monitor: 'val_loss', mode: 'max', patience: 10, restoreBestWeights: true });
    const ref = tinyMlp(6, 16, 6, 1);
    const tr = new Trainer(ref, { loss, optimizer: new Adam({ learningRate: 0.01 }) });
    await tr.fit({ x: xs, y: ys }, { ...fitOptions, callbacks: [es()] });
    const store = new MemoryCheckpointStore();
    const m1 = tinyMlp(6, 16, 6, 1);
    const t1 = new Trainer(m1, { loss, optimizer: new Adam({ learningRate: 0.01 }) });
    await t1.fit({ x: xs, y: ys }, { ...fitOptions, checkpoint: { to: store, everySteps: 4 }, callbacks: [crashAt(37), es()] });
    const m2 = tinyMlp(6, 16, 6, 3);
    const t2 = new Trainer(m2, { loss, optimizer: new Adam({ learningRate: 0.01 }) });
    await t2.fit({ x: xs, y: ys }, { ...fitOptions, resume: store, callbacks: [es()] });
    expect(await weightsOf(m2)).toEqual(await weightsOf(ref));
    [tr, t1, t2].forEach((t) => t.dispose());
    [ref, m1, m2].forEach((m) => m.dispose());
  }, 30_000);

  it('a corrupt newest checkpoint is refused, named, and the previous good one is used', async () => {
    const reference = await uninterrupted();
    const store = new MemoryCheckpointStore('run');
    const m1 = tinyMlp(6, 16, 6, 1);
    const t1 = new Trainer(m1, { loss, optimizer: new Adam({ learningRate: 0.01 }), metrics: ['accuracy'] });
    await t1.fit({ x: xs, y: ys }, { ...fitOptions, checkpoint: { to: store, everySteps: 4 }, callbacks: [crashAt(21), new EarlyStopping({ patience: 5 })] });
    t1.dispose();
    m1.dispose();
    const newest = store.files.get('step-0000000020.ckpt')!;
    store.files.set('step-0000000020.ckpt', newest.subarray(0, newest.length - 100)); // truncated

    const m2 = tinyMlp(6, 16, 6, 2);
    const t2 = new Trainer(m2, { loss, optimizer: new Adam({ learningRate: 0.01 }), metrics: ['accuracy'] });
    const warnings: string[] = [];
    t2.on('warning', (e) => void warnings.push(e.message));
    await t2.fit({ x: xs, y: ys }, { ...fitOptions, resume: store, callbacks: [new EarlyStopping({ patience: 5 })] });
    expect(warnings).toEqual([
      'Checkpoint run/step-0000000020.ckpt is corrupt or truncated: its SHA-256 checksum does not match its contents. Resuming from the previous good checkpoint run/step-0000000016.ckpt instead.',
    ]);
    expect(await weightsOf(m2)).toEqual(reference.w);
    t2.dispose();
    m2.dispose();
  }, 30_000);

  it('refuses to resume with no usable checkpoint, naming every file and why', async () => {
    const model = tinyMlp(6, 4, 6, 1);
    const t = new Trainer(model, { loss, optimizer: 'adam' });
    const empty = new MemoryCheckpointStore('empty-run');
    expect(await hasRunCheckpoint(empty)).toBe(false);
    await expect(t.fit({ x: xs, y: ys }, { epochs: 1, resume: empty })).rejects.toThrow(CheckpointError);
    await expect(t.fit({ x: xs, y: ys }, { epochs: 1, resume: empty })).rejects.toThrow(
      'No checkpoint to resume from in empty-run (expected files named step-<n>.ckpt).',
    );
    const bad = new MemoryCheckpointStore('bad-run');
    bad.files.set('step-0000000001.ckpt', new Uint8Array([1, 2, 3]));
    bad.files.set('step-0000000002.ckpt', new TextEncoder().encode('NUTCKPT1' + 'x'.repeat(60)));
    await expect(t.fit({ x: xs, y: ys }, { epochs: 1, resume: bad })).rejects.toThrow(
      'No usable checkpoint in bad-run: Checkpoint bad-run/step-0000000002.ckpt is corrupt or truncated: its SHA-256 checksum does not match its contents. ' +
        'Checkpoint bad-run/step-0000000001.ckpt is not a Nutshell checkpoint or is truncated (3 bytes).',
    );
    // A mid-epoch checkpoint of a run on other data is refused.
    const mid = new MemoryCheckpointStore('mid');
    const m4 = tinyMlp(6, 4, 6, 1);
    const t4 = new Trainer(m4, { loss, optimizer: 'adam' });
    await t4.fit({ x: xs, y: ys }, { epochs: 1, batchSize: 10, checkpoint: { to: mid, everySteps: 4 }, callbacks: [crashAt(5)] });
    await expect(t4.fit({ x: xs, y: ys }, { epochs: 1, batchSize: 10, resume: mid, validationSplit: 0.5 })).rejects.toThrow(
      'Checkpoint mid/step-0000000004.ckpt was written while training on 300 samples; this fit has 150. Resume with the same data (and validation split).',
    );
    t4.dispose();
    m4.dispose();
    // A checkpoint of another model is refused too.
    const other = new MemoryCheckpointStore('other');
    const m2 = tinyMlp(6, 5, 6, 1);
    const t2 = new Trainer(m2, { loss, optimizer: 'adam' });
    await t2.fit({ x: xs, y: ys }, { epochs: 1, batchSize: 100, checkpoint: other });
    await expect(t.fit({ x: xs, y: ys }, { epochs: 2, resume: other })).rejects.toThrow(
      "Checkpoint other/step-0000000003.ckpt: weight 'dense_1/kernel' has shape [6, 5], the model's is [6, 4].",
    );
    const m3 = tinyMlp(5, 4, 6, 1);
    m3.weights.forEach((w, i) => ((w as { name: string }).name = `renamed_${i}`));
    const t3 = new Trainer(m3, { loss, optimizer: 'adam' });
    await expect(t3.fit({ x: tf.slice(xs, [0, 0], [n, 5]), y: ys }, { epochs: 2, resume: other })).rejects.toThrow(
      "Checkpoint other/step-0000000003.ckpt has no weight 'renamed_0', and its 4 weights do not match the model's 4 by position: it was written for a different model.",
    );
    [t, t2, t3].forEach((x) => x.dispose());
    [model, m2, m3].forEach((x) => x.dispose());
  });
});

describe('FileCheckpointStore', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nutshell-ckpt-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes atomically (no temporary file left), lists, reads and removes', async () => {
    const store = new FileCheckpointStore(join(dir, 'nested', 'run'));
    expect(await store.list()).toEqual([]);
    await store.write('a.ckpt', new Uint8Array([1, 2, 3]));
    await store.write('a.ckpt', new Uint8Array([4, 5]));
    expect(readdirSync(join(dir, 'nested', 'run'))).toEqual(['a.ckpt']);
    expect(Array.from(await store.read('a.ckpt'))).toEqual([4, 5]);
    await store.remove('a.ckpt');
    await store.remove('a.ckpt');
    expect(await store.list()).toEqual([]);
  });
});
