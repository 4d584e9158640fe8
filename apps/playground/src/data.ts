// The data sets the playground serves from itself (written by scripts/prepare-data.mjs at build time).
import { tf } from '@nutshell/tensor';
import type { Tensor } from '@nutshell/tensor';

/** One entry of public/data/manifest.json. */
export interface DataSetMeta {
  readonly id: string;
  readonly title: string;
  readonly file: string;
  readonly n: number;
  readonly height: number;
  readonly width: number;
  /** The first `train` images are for training, the rest for testing. */
  readonly train: number;
}

/** A data set in memory: pixels in [0, 1], row-major `[n, height, width]`, and labels 0–9. */
export interface DataSet extends DataSetMeta {
  readonly x: Float32Array;
  readonly y: Uint8Array;
}

export async function loadManifest(base: string): Promise<DataSetMeta[]> {
  const res = await fetch(`${base}data/manifest.json`);
  if (!res.ok) throw new Error(`playground: data/manifest.json: HTTP ${res.status} (run pnpm --filter playground prepare-data)`);
  return (await res.json()) as DataSetMeta[];
}

export async function loadDataSet(base: string, meta: DataSetMeta): Promise<DataSet> {
  const res = await fetch(`${base}data/${meta.file}`);
  if (!res.ok) throw new Error(`playground: data/${meta.file}: HTTP ${res.status}`);
  const bytes = new Uint8Array(await res.arrayBuffer());
  const pixels = meta.height * meta.width;
  if (bytes.length !== meta.n * (pixels + 1)) {
    throw new Error(`playground: data/${meta.file} has ${bytes.length} bytes; expected ${meta.n * (pixels + 1)}.`);
  }
  const x = new Float32Array(meta.n * pixels);
  for (let i = 0; i < x.length; i++) x[i] = bytes[i] / 255;
  return { ...meta, x, y: bytes.slice(meta.n * pixels) };
}

/** Images `indices` as a `[b, h, w, 1]` tensor and their labels as `[b]` int32; the caller disposes both. */
export function gather(ds: DataSet, indices: ArrayLike<number>): { x: Tensor; y: Tensor } {
  const pixels = ds.height * ds.width;
  const x = new Float32Array(indices.length * pixels);
  const y = new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const k = indices[i];
    x.set(ds.x.subarray(k * pixels, (k + 1) * pixels), i * pixels);
    y[i] = ds.y[k];
  }
  return { x: tf.tensor4d(x, [indices.length, ds.height, ds.width, 1]), y: tf.tensor1d(y, 'int32') };
}
