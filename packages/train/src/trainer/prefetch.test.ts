import { describe, expect, it } from 'vitest';
import { tf } from '@nutshell/tensor';
import { BatchReader, isPromise } from './prefetch.js';
import type { Batch, DataSource } from './dataSource.js';

/** A source of 6 one-value rows (row i holds i), synchronous or not; logs each gather. */
function rows(async: boolean, log: number[][]): DataSource {
  const make = (idx: ArrayLike<number>): Batch => {
    log.push(Array.from(idx));
    return { x: tf.tensor1d(Array.from(idx)), y: tf.tensor1d(Array.from(idx)) };
  };
  return { size: 6, gather: (idx) => (async ? Promise.resolve(make(idx)) : make(idx)) };
}
const indicesOf = (b: number) => Int32Array.from([2 * b, 2 * b + 1]);

describe('BatchReader', () => {
  it('hands a synchronous source its batch as it is (no promise) and reads nothing ahead', async () => {
    const log: number[][] = [];
    const before = tf.memory().numTensors;
    const reader = new BatchReader(rows(false, log), indicesOf, 3);
    const got = reader.read(1);
    expect(isPromise(got)).toBe(false);
    expect(Array.from(await (got as Batch).x.data())).toEqual([2, 3]);
    expect(log).toEqual([[2, 3]]);
    tf.dispose([(got as Batch).x, (got as Batch).y]);
    await reader.close();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('reads the next batch of an asynchronous source ahead, and frees it when not used', async () => {
    const log: number[][] = [];
    const before = tf.memory().numTensors;
    const reader = new BatchReader(rows(true, log), indicesOf, 3);
    const got = reader.read(0);
    expect(isPromise(got)).toBe(true);
    const b0 = await got;
    expect(log).toEqual([
      [0, 1],
      [2, 3],
    ]);
    // Batch 2 asked for while batch 1 waits ahead: batch 1 is freed, batch 2 read.
    const b2 = await reader.read(2);
    expect(Array.from(await b2.x.data())).toEqual([4, 5]);
    tf.dispose([b0.x, b0.y, b2.x, b2.y]);
    await reader.close();
    expect(tf.memory().numTensors).toBe(before);
  });
});
