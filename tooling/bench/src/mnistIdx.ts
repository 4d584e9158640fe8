// MNIST read straight from its IDX files, for the peers that must not load any Nutshell package (stock tfjs-layers,
// ConvNetJS): pixels scaled to [0, 1] as @nutshell/datasets and train_torch.py scale them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One MNIST split: `n` images of 784 floats in [0, 1], row-major, and their labels. */
export interface MnistArrays {
  readonly n: number;
  readonly x: Float32Array;
  readonly y: Uint8Array;
}

function idx(path: string): { dims: number[]; data: Uint8Array } {
  const buf = readFileSync(path);
  const ndim = buf[3];
  const dims = Array.from({ length: ndim }, (_, i) => buf.readUInt32BE(4 + 4 * i));
  return { dims, data: new Uint8Array(buf.buffer, buf.byteOffset + 4 + 4 * ndim) };
}

/** Reads the first `limit` images (all by default) of the train or test split from `dir`. */
export function readMnist(dir: string, split: 'train' | 'test', limit?: number): MnistArrays {
  const prefix = split === 'train' ? 'train' : 't10k';
  const images = idx(join(dir, `${prefix}-images-idx3-ubyte`));
  const labels = idx(join(dir, `${prefix}-labels-idx1-ubyte`));
  const n = Math.min(limit ?? images.dims[0], images.dims[0]);
  const x = new Float32Array(n * 784);
  for (let i = 0; i < x.length; i++) x[i] = images.data[i] / 255;
  return { n, x, y: labels.data.slice(0, n) };
}

/** A seeded permutation of 0..n-1 (mulberry32 + Fisher–Yates): the same epoch order on every run. */
export function seededOrder(n: number, seed = 1): Uint32Array {
  let s = seed >>> 0;
  const rand = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const order = Uint32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}
