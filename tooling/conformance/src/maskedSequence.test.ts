// A padded batch through the whole masked chain — Embedding(paddingIndex) → LSTM(returnSequences) → global pooling,
// three packages — must give what the same layers give the unpadded sequences one at a time. It crosses
// @nutshell/recurrent and @nutshell/conv, which may not depend on each other, so it lives here.
import { useBackend } from '@nutshell/backend';
import { GlobalAvgPool1D, GlobalMaxPool1D } from '@nutshell/conv';
import { Sequential } from '@nutshell/layers';
import { Embedding, LSTM } from '@nutshell/recurrent';
import { tf } from '@nutshell/tensor';
import { beforeAll, describe, expect, it } from 'vitest';

const ids = (rows: number[][]) => tf.tensor2d(rows, [rows.length, rows[0]!.length], 'int32');

/** Runs `f` in a tidy scope and reads its [batch, features] result back, leaving no tensor behind. */
async function rows(f: () => tf.Tensor): Promise<number[][]> {
  const t = tf.tidy(f);
  try {
    return (await t.array()) as number[][];
  } finally {
    t.dispose();
  }
}

describe('masks through Embedding → LSTM → global pooling (cpu)', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  for (const Pool of [GlobalAvgPool1D, GlobalMaxPool1D]) {
    it(`${Pool.name}: padded rows equal the unpadded sequences, and padding would change them without the mask`, async () => {
      const before = tf.memory().numTensors;
      const embedding = new Embedding({ inputDim: 5, outputDim: 3, paddingIndex: 0, seed: 1 });
      const lstm = new LSTM({ units: 4, returnSequences: true, seed: 2 });
      const pool = new Pool();
      const model = new Sequential([embedding, lstm, pool]);
      const padded = await rows(() =>
        model.apply(
          ids([
            [1, 2, 0, 0],
            [3, 4, 1, 0],
          ]),
        ),
      );
      // The same layers (same weights), one unpadded sequence at a time, no mask anywhere.
      const alone = async (seq: number[][]) =>
        (await rows(() => pool.apply(lstm.apply(embedding.apply(ids(seq))))))[0]!;
      const [a, b] = [await alone([[1, 2]]), await alone([[3, 4, 1]])];
      padded[0]!.forEach((v, i) => expect(v).toBeCloseTo(a[i]!, 5));
      padded[1]!.forEach((v, i) => expect(v).toBeCloseTo(b[i]!, 5));
      // Reading the padding as data (layers called one by one, so no mask passes) gives another answer.
      const unmasked = await alone([[1, 2, 0, 0]]);
      expect(Math.max(...unmasked.map((v, i) => Math.abs(v - a[i]!)))).toBeGreaterThan(1e-3);
      model.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  }
});
