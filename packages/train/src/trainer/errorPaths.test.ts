import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileError, ShapeError, numTensors, tf } from '@nutshell/tensor';
import { Trainer } from './Trainer.js';
import { SGD } from '../optimizers/sgd.js';
import { sparseCategoricalCrossentropy } from '../losses/sparseCategoricalCrossentropy.js';
import { MemoryCheckpointStore } from '../checkpoint/store.js';
import { FileCheckpointStore } from '../checkpoint/fileStore.js';
import { CheckpointError } from '../errors.js';
import type { Callback } from '../callbacks/callback.js';
import { tinyMlp } from '../test-utils/fixtures.js';

const n = 64;
const xs = tf.randomUniform([n, 5], -1, 1, 'float32', 8);
const ys = tf.argMax(xs, 1);
const root = mkdtempSync(join(tmpdir(), 'nutshell-errpaths-'));
afterAll(() => {
  tf.dispose([xs, ys]);
  rmSync(root, { recursive: true, force: true });
});
const loss = sparseCategoricalCrossentropy({ fromLogits: true });
const stopAt = (step: number): Callback => ({
  onBatchEnd: (e, ctx) => (e.step === step ? ctx.stop('crash') : undefined),
});

describe('Trainer error paths are typed, early and leak-free', () => {
  it('a loss shape error fails before the first step and leaks nothing (9 tensors per fit before)', async () => {
    const model = tinyMlp(5, 8, 5, 1);
    const t = new Trainer(model, { loss: 'meanSquaredError', optimizer: new SGD() });
    const y = tf.ones([n, 3]); // the model outputs 5 values per sample
    let steps = 0;
    t.on('batchEnd', () => void steps++);
    const before = numTensors();
    for (let i = 0; i < 3; i++) {
      const err = await t.fit({ x: xs, y }, { epochs: 1 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ShapeError);
      expect((err as Error).message).toMatch(/^meanSquaredError: expected shape \[1, 5\], got \[1, 3\]/);
    }
    expect(steps).toBe(0);
    expect(numTensors()).toBe(before);
    t.dispose();
    y.dispose();
    model.dispose();
  });

  it('validation data of the wrong shape is refused before training, leak-free', async () => {
    const model = tinyMlp(5, 8, 5, 2);
    const t = new Trainer(model, { loss, optimizer: new SGD() });
    const vx = tf.ones([10, 4]);
    const vy = tf.zeros([10], 'int32');
    let steps = 0;
    t.on('batchEnd', () => void steps++);
    const before = numTensors();
    const err = await t
      .fit({ x: xs, y: ys }, { epochs: 1, validationData: { x: vx, y: vy } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(steps).toBe(0);
    expect(numTensors()).toBe(before);
    // Evaluating such data directly is refused leak-free too.
    const e2 = await t.evaluate({ x: vx, y: vy }).catch((e: unknown) => e);
    expect(e2).toBeInstanceOf(Error);
    expect(numTensors()).toBe(before);
    t.dispose();
    tf.dispose([vx, vy]);
    model.dispose();
  });

  it('a refused resume does not leak the class-weights tensor', async () => {
    const model = tinyMlp(5, 8, 5, 3);
    const t = new Trainer(model, { loss, optimizer: new SGD() });
    const before = numTensors();
    const err = await t
      .fit(
        { x: xs, y: ys },
        { epochs: 1, classWeights: [1, 2, 1, 1, 1], resume: new MemoryCheckpointStore('empty') },
      )
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CheckpointError);
    expect(numTensors()).toBe(before);
    t.dispose();
    model.dispose();
  });
});

describe('file checkpoints: unreadable newest falls back, stale temp files go, folder problems are typed', () => {
  it('a directory in place of the newest checkpoint is skipped with a warning; the older good one is used', async () => {
    const dir = join(root, 'ckpt-dir');
    const model = tinyMlp(5, 8, 5, 4);
    const t = new Trainer(model, { loss, optimizer: new SGD() });
    await t.fit(
      { x: xs, y: ys },
      { epochs: 1, batchSize: 8, checkpoint: { to: dir, everySteps: 2, keep: 2 }, callbacks: [stopAt(5)] },
    );
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.ckpt'))
      .sort();
    expect(files).toHaveLength(2);
    const newest = join(dir, files[1]);
    rmSync(newest);
    mkdirSync(newest); // a directory where the newest checkpoint belongs
    const warnings: string[] = [];
    const t2 = new Trainer(model, { loss, optimizer: new SGD() });
    t2.on('warning', (e) => void warnings.push(e.message));
    let firstStep = -1;
    t2.on('fitStart', (e) => void (firstStep = e.initialStep));
    await t2.fit({ x: xs, y: ys }, { epochs: 1, batchSize: 8, resume: dir });
    expect(firstStep).toBe(4);
    expect(warnings.join(' ')).toMatch(
      new RegExp(
        `Checkpoint .*${files[1]} cannot be read: .*is a directory.*Resuming from the previous good checkpoint`,
      ),
    );
    t.dispose();
    t2.dispose();
    model.dispose();
  });

  it('temp files of a writer killed mid-write are removed by the next write; live writers’ are kept', async () => {
    const dir = join(root, 'temps');
    mkdirSync(dir, { recursive: true });
    const dead = join(dir, 'step-000000001.ckpt.tmp-999999999-abc'); // pid 999999999 does not run
    const live = join(dir, `step-000000002.ckpt.tmp-${process.ppid}-def`);
    writeFileSync(dead, 'partial');
    writeFileSync(live, 'partial');
    const store = new FileCheckpointStore(dir);
    await store.write('step-000000003.ckpt', new Uint8Array([1, 2, 3]));
    expect(readdirSync(dir).sort()).toEqual(
      ['step-000000002.ckpt.tmp-' + process.ppid + '-def', 'step-000000003.ckpt'].sort(),
    );
  });

  it('a checkpoint folder that is a file is a FileError naming it', async () => {
    const file = join(root, 'not-a-folder');
    writeFileSync(file, 'x');
    const err = await new FileCheckpointStore(file)
      .write('step-000000001.ckpt', new Uint8Array([1]))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FileError);
    expect((err as FileError).path).toBe(file);
    expect((err as Error).message).toMatch(
      /^checkpoints: .*not-a-folder already exists \(as a file\); expected a folder to write checkpoints in\.$/,
    );
    const listErr = await new FileCheckpointStore(join(file, 'sub')).list().catch((e: unknown) => e);
    expect(listErr).toBeInstanceOf(FileError);
    renameSync(file, `${file}.done`);
  });
});
