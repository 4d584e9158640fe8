import { describe, expect, it } from 'vitest';
import { ProgressLogger, formatDuration } from './ProgressLogger.js';
import type { ProgressUpdate } from './ProgressLogger.js';

const batch = (epoch: number, b: number, loss: number, accuracy: number, size = 10) => ({
  type: 'batchEnd' as const,
  epoch,
  batch: b,
  step: b,
  size,
  loss,
  metrics: { accuracy },
  samplesPerSec: 100,
  lr: 0.1,
});

describe('ProgressLogger', () => {
  it('formats durations', () => {
    expect([
      formatDuration(4.4),
      formatDuration(65),
      formatDuration(7380),
      formatDuration(-1),
      formatDuration(NaN),
    ]).toEqual(['4s', '1m 05s', '2h 03m', '?', '?']);
  });

  it("'lines': about ten lines per long epoch with size-weighted running means, then the epoch summary", async () => {
    const lines: string[] = [];
    const updates: ProgressUpdate[] = [];
    const p = new ProgressLogger({
      mode: 'lines',
      log: (l) => lines.push(l),
      onProgress: (u) => updates.push(u),
    });
    await p.onFitStart({
      type: 'fitStart',
      epochs: 2,
      stepsPerEpoch: 40,
      samples: 395,
      initialEpoch: 0,
      initialStep: 0,
    });
    p.onEpochStart({ type: 'epochStart', epoch: 0 });
    for (let b = 0; b < 40; b++) p.onBatchEnd(batch(0, b, b < 39 ? 1 : 3, b % 2, b < 39 ? 10 : 5));
    p.onEpochEnd({ type: 'epochEnd', epoch: 0, logs: { loss: 1.0253, accuracy: 0.5 }, lr: 0.1, seconds: 2 });
    expect(lines).toHaveLength(11);
    expect(lines[0]).toMatch(
      /^epoch 1\/2 {2}batch 1\/40 {2}loss 1\.0000 {2}accuracy 0\.0000 {2}100 samples\/s {2}ETA \d+s$/,
    );
    expect(lines.slice(0, 10).map((l) => Number(/batch (\d+)\//.exec(l)![1]))).toEqual([
      1, 5, 9, 13, 17, 21, 25, 29, 33, 37,
    ]);
    expect(lines[10]).toBe('epoch 1/2 done in 2s (198 samples/s): loss 1.0253, accuracy 0.5000');
    // After 40 batches: loss (39·10·1 + 5·3) / 395, accuracy 19·10 / 395 (odd batches are 1, batch 39 is odd but weighs 5).
    const last = updates[39];
    expect(last.logs.loss).toBeCloseTo((390 + 15) / 395, 12);
    expect(last.logs.accuracy).toBeCloseTo((19 * 10 + 5) / 395, 12);
    expect(updates[40]).toMatchObject({
      epochDone: true,
      batchesDone: 40,
      etaSeconds: 0,
      logs: { loss: 1.0253, accuracy: 0.5 },
    });
  });

  it("'lines' gives short epochs their summary only; 'epochs' and 'none' print what they say; a resume and a stop are told", async () => {
    for (const [mode, expected] of [
      [
        'lines',
        [
          'resumed at epoch 2, step 7',
          'epoch 2/2 done in 1s (30 samples/s): loss 0.5000',
          'stopped: EarlyStopping: enough',
        ],
      ],
      [
        'epochs',
        [
          'resumed at epoch 2, step 7',
          'epoch 2/2 done in 1s (30 samples/s): loss 0.5000',
          'stopped: EarlyStopping: enough',
        ],
      ],
      ['none', []],
    ] as const) {
      const lines: string[] = [];
      const p = new ProgressLogger({ mode, log: (l) => lines.push(l) });
      await p.onFitStart({
        type: 'fitStart',
        epochs: 2,
        stepsPerEpoch: 3,
        samples: 30,
        initialEpoch: 1,
        initialStep: 7,
      });
      p.onEpochStart({ type: 'epochStart', epoch: 1 });
      for (let b = 0; b < 3; b++) p.onBatchEnd(batch(1, b, 0.5, 1));
      p.onEpochEnd({ type: 'epochEnd', epoch: 1, logs: { loss: 0.5 }, lr: 0.1, seconds: 1 });
      p.onFitEnd({
        type: 'fitEnd',
        history: {
          epochs: [0, 1],
          logs: {},
          stopped: { epoch: 1, step: 10, reason: 'EarlyStopping: enough' },
        },
      });
      expect(lines, mode).toEqual(expected);
    }
  });
});
