import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Conv2D } from '@nutshell/conv';
import { Dense, Flatten, Sequential } from '@nutshell/layers';
import { numTensors, randomNormal, tf } from '@nutshell/tensor';
import { SGD, Trainer, meanSquaredError, type BatchEndEvent } from '@nutshell/train';
import { decode } from 'fast-png';
import { afterAll, describe, expect, it } from 'vitest';
import { LogDirError } from './errors.js';
import { TensorBoard } from './TensorBoard.js';
import { decodeEvent, readRecords, type DecodedEvent } from './test-utils/eventFileReader.js';

const tmp = mkdtempSync(join(tmpdir(), 'nutshell-tb-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function readEvents(dir: string): DecodedEvent[] {
  const files = readdirSync(dir).filter((f) => f.startsWith('events.out.tfevents.'));
  expect(files).toHaveLength(1);
  return readRecords(readFileSync(join(dir, files[0]))).map(decodeEvent);
}

const scalars = (events: DecodedEvent[], tag: string) =>
  events.flatMap((e) => e.values.filter((v) => v.tag === tag).map((v) => [e.step, v.simpleValue!] as const));

describe('TensorBoard callback', () => {
  it('writes batch and epoch scalars, lr, weight and gradient histograms and the filters, readable back', async () => {
    const model = new Sequential(
      [new Conv2D({ filters: 4, kernelSize: 3, seed: 1 }), new Flatten(), new Dense({ units: 2, seed: 2 })],
      { inputShape: [5, 5, 1] },
    );
    const x = randomNormal([12, 5, 5, 1], { seed: 3 });
    const y = randomNormal([12, 2], { seed: 4 });
    const probe = { x: tf.slice(x, 0, 4), y: tf.slice(y, 0, 4), loss: meanSquaredError };
    const dir = join(tmp, 'run');
    const trainer = new Trainer(model, {
      loss: meanSquaredError,
      optimizer: new SGD({ learningRate: 0.05 }),
      metrics: ['mae'],
    });
    const batches: BatchEndEvent[] = [];
    trainer.on('batchEnd', (e) => batches.push(e));
    const history = await trainer.fit(
      { x, y },
      { epochs: 2, batchSize: 4, shuffle: false, callbacks: [new TensorBoard(dir, { gradients: probe })] },
    );
    const events = readEvents(dir);

    expect(events[0].fileVersion).toBe('brain.Event:2');
    expect(events.every((e) => e.wallTime > 1.7e9)).toBe(true);
    // batch scalars: one per step, global steps 0..5, the values the trainer reported (stored as float32)
    expect(scalars(events, 'batch/loss')).toEqual(batches.map((b) => [b.step, Math.fround(b.loss)]));
    expect(scalars(events, 'batch/loss').map(([s]) => s)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(scalars(events, 'batch/mae')).toEqual(batches.map((b) => [b.step, Math.fround(b.metrics.mae)]));
    expect(scalars(events, 'batch/lr')).toEqual(batches.map((b) => [b.step, Math.fround(0.05)]));
    // epoch scalars at steps 1 and 2, equal to the history
    expect(scalars(events, 'epoch/loss')).toEqual(history.logs.loss.map((v, i) => [i + 1, Math.fround(v)]));
    expect(scalars(events, 'epoch/lr')).toEqual([
      [1, Math.fround(0.05)],
      [2, Math.fround(0.05)],
    ]);

    // weight histograms: the final ones describe the final weights
    const last = (tag: string) =>
      events
        .filter((e) => e.step === 2)
        .flatMap((e) => e.values)
        .find((v) => v.tag === tag)!;
    for (const w of model.weights) {
      const h = last(`weights/${w.name}`).histo!;
      const values = (await w.variable.data()) as Float32Array;
      expect(h.num).toBe(values.length);
      expect(h.min).toBe(Math.min(...values));
      expect(h.max).toBe(Math.max(...values));
      expect(h.bucket.reduce((a, b) => a + b, 0)).toBe(values.length);
      expect(h.bucketLimit.at(-1)).toBe(h.max);
      expect(h.sum).toBeCloseTo(
        values.reduce((a, b) => a + b, 0),
        5,
      );
    }
    // gradient histograms: the gradient on the probe batch at the final weights, computed here by hand for the
    // dense bias: d mean((p − y)²) / d b = 2 · mean over the batch of (p − y), per unit, divided by 2 units.
    const p = model.predict(probe.x);
    const residual = (await tf.sub(p, probe.y).array()) as number[][];
    const biasGrad = [0, 1].map((u) => (2 * residual.reduce((s, r) => s + r[u], 0)) / (4 * 2));
    const denseBias = model.weights.at(-1)!;
    expect(denseBias.name).toMatch(/^dense.*\/bias$/);
    const gh = last(`gradients/${denseBias.name}`).histo!;
    expect(gh.num).toBe(2);
    expect(gh.min).toBeCloseTo(Math.min(...biasGrad), 5);
    expect(gh.max).toBeCloseTo(Math.max(...biasGrad), 5);
    expect(events.flatMap((e) => e.values).filter((v) => v.tag.startsWith('gradients/'))).toHaveLength(
      2 * model.trainableWeights.length,
    );

    // the first conv kernel's 4 filters, 3×3 each drawn 4× in a 2×2 grid with 1-pixel gaps: 25×25 grey
    const img = last(`filters/${model.weights[0].name}`).image!;
    expect([img.height, img.width, img.colorspace]).toEqual([25, 25, 1]);
    const png = decode(img.png);
    expect([png.width, png.height, png.channels]).toEqual([25, 25, 1]);
    const k = (await model.weights[0].variable.data()) as Float32Array;
    const lo = Math.min(...k);
    const hi = Math.max(...k);
    // filter 0's top-left tap is k[0] (one input channel); filter 1 sits 13 pixels to the right
    expect(png.data[0]).toBe(Math.round((255 * (k[0] - lo)) / (hi - lo)));
    expect(png.data[13]).toBe(Math.round((255 * (k[1] - lo)) / (hi - lo)));
    expect(png.data[12]).toBe(0); // the gap
    tf.dispose([x, y, probe.x, probe.y, p]);
    trainer.dispose();
  });

  it("an MLP on images: the first Dense layer's units drawn as images of the input's shape", async () => {
    const model = new Sequential(
      [new Flatten(), new Dense({ units: 3, seed: 5 }), new Dense({ units: 2, seed: 6 })],
      { inputShape: [4, 4, 1] },
    );
    const x = randomNormal([8, 4, 4, 1], { seed: 1 });
    const y = randomNormal([8, 2], { seed: 2 });
    const dir = join(tmp, 'mlp');
    const trainer = new Trainer(model, {
      loss: meanSquaredError,
      optimizer: new SGD({ learningRate: 0.01 }),
    });
    await trainer.fit(
      { x, y },
      { epochs: 1, batchSize: 4, callbacks: [new TensorBoard(dir, { inputImageShape: [4, 4, 1] })] },
    );
    const images = readEvents(dir)
      .flatMap((e) => e.values)
      .filter((v) => v.image);
    expect(images.map((v) => v.tag)).toEqual([`filters/${model.weights[0].name}`]); // the first Dense only
    const png = decode(images[0].image!.png);
    // 3 units of 4×4 in a 2×2 grid, drawn 1:1 with 1-pixel gaps: 9×9
    expect([png.width, png.height]).toEqual([9, 9]);
    const k = (await model.weights[0].variable.data()) as Float32Array; // [16, 3]
    const lo = Math.min(...k);
    const hi = Math.max(...k);
    const level = (v: number) => Math.round((255 * (v - lo)) / (hi - lo));
    // unit 0's pixel (row 1, col 2) is kernel row 1·4 + 2; unit 1's top-left sits 5 pixels to the right
    expect(png.data[1 * 9 + 2]).toBe(level(k[(1 * 4 + 2) * 3 + 0]));
    expect(png.data[5]).toBe(level(k[1]));
    tf.dispose([x, y]);
    trainer.dispose();
  });

  it('a log folder that is a file, or under a file: LogDirError naming it, no tensor leaked', () => {
    const file = join(tmp, 'not-a-folder');
    writeFileSync(file, 'x');
    const before = numTensors();
    expect(() => new TensorBoard(file)).toThrow(LogDirError);
    expect(() => new TensorBoard(file)).toThrow(
      `TensorBoard log folder '${file}': it is a file, not a folder.`,
    );
    expect(() => new TensorBoard(join(file, 'tb'))).toThrow(
      `TensorBoard log folder '${join(file, 'tb')}': '${file}' above it is a file, not a folder.`,
    );
    expect(numTensors()).toBe(before);
  });
});
