import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { decode } from 'fast-png';
import { DataFileError, DatasetError } from './errors.js';
import { SampleSource } from './sampleSource.js';
import type { SampleTarget } from './sampleSource.js';

/** Options of {@link ImageFolder.open}. @public */
export interface ImageFolderOptions {
  /** 1 (grey, the default) or 3 (RGB) channels per pixel. */
  readonly channels?: 1 | 3;
  /** The class folders in label order (default: every sub-folder, sorted by name). */
  readonly classNames?: readonly string[];
  /** Target encoding (default `'sparse'`). */
  readonly target?: Exclude<SampleTarget, 'values'>;
  /** PNGs decoded at once within a batch (default 16). */
  readonly concurrency?: number;
}

/**
 * A folder of PNG images labelled by sub-folder (`dir/cat/1.png`, `dir/dog/7.png`: class 0 is `cat`, 1 is `dog`),
 * read lazily: only the file names are listed up front, and each batch decodes its own images, so the folder
 * need not fit in memory. Pixels become floats in [0, 1] (`[height, width, channels]`, channels-last, grey by
 * luminance); every image must have the size of the first, else a `DataFileError` names the file.
 * @example
 * ```ts
 * const train = await ImageFolder.open('digits/train', { channels: 1 });
 * await compile(model, { loss: sparseCategoricalCrossentropy({ fromLogits: true }), optimizer: 'adam' }).fit(train, { epochs: 3 });
 * ```
 * @public
 */
export class ImageFolder extends SampleSource {
  /** The class names (sub-folders), in label order. */
  readonly classNames: readonly string[];
  /** Every image's path and label, in sample order (class by class, files sorted by name). */
  readonly files: readonly { readonly path: string; readonly label: number }[];

  private constructor(
    files: { path: string; label: number }[],
    classNames: string[],
    shape: [number, number, number],
    options: ImageFolderOptions,
  ) {
    super({
      size: files.length,
      sampleShape: shape,
      target: options.target ?? 'sparse',
      numClasses: classNames.length,
      concurrency: options.concurrency,
      sample: async (i) => ({ x: await readPixels(files[i].path, shape), y: files[i].label }),
    });
    this.files = files;
    this.classNames = classNames;
  }

  /** Lists `dir`'s class sub-folders and their `.png` files and reads the first image for the sample shape. */
  static async open(dir: string, options: ImageFolderOptions = {}): Promise<ImageFolder> {
    const channels = options.channels ?? 1;
    if (channels !== 1 && channels !== 3)
      throw new DatasetError(`ImageFolder: channels must be 1 or 3, got ${String(channels)}.`);
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (e) {
      throw new DataFileError(dir, `cannot list the folder (${(e as Error).message}).`);
    }
    const folders = entries
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
    const classNames = options.classNames ? [...options.classNames] : folders;
    for (const c of classNames)
      if (!folders.includes(c))
        throw new DataFileError(dir, `has no sub-folder '${c}' (it has: ${folders.join(', ') || 'none'}).`);
    const files: { path: string; label: number }[] = [];
    for (const [label, c] of classNames.entries()) {
      const names = (await readdir(join(dir, c))).filter((f) => f.toLowerCase().endsWith('.png')).sort();
      for (const f of names) files.push({ path: join(dir, c, f), label });
    }
    if (files.length === 0)
      throw new DataFileError(dir, 'holds no .png image in a class sub-folder (dir/<class>/<image>.png).');
    const first = await decodePng(files[0].path);
    return new ImageFolder(files, classNames, [first.height, first.width, channels], options);
  }
}

async function decodePng(path: string): Promise<ReturnType<typeof decode>> {
  try {
    return decode(await readFile(path));
  } catch (e) {
    throw new DataFileError(path, `is not a readable PNG (${(e as Error).message}).`);
  }
}

/** The image at `path` as floats in [0, 1], `[height, width, channels]` row-major; refuses another size. */
async function readPixels(
  path: string,
  [height, width, channels]: [number, number, number],
): Promise<Float32Array> {
  const png = await decodePng(path);
  if (png.width !== width || png.height !== height) {
    throw new DataFileError(
      path,
      `is ${png.width}×${png.height}, but the folder's images are ${width}×${height} (the size of the first); resize it.`,
    );
  }
  const src = png.data;
  const max = png.depth === 16 ? 65535 : png.depth === 8 || png.palette ? 255 : 2 ** png.depth - 1;
  const out = new Float32Array(width * height * channels);
  for (let p = 0; p < width * height; p++) {
    let r: number, g: number, b: number;
    if (png.palette) {
      [r, g, b] = png.palette[src[p]];
    } else if (png.channels >= 3) {
      r = src[p * png.channels];
      g = src[p * png.channels + 1];
      b = src[p * png.channels + 2];
    } else {
      r = g = b = src[p * png.channels];
    }
    if (channels === 1) out[p] = (0.299 * r + 0.587 * g + 0.114 * b) / max;
    else {
      out[p * 3] = r / max;
      out[p * 3 + 1] = g / max;
      out[p * 3 + 2] = b / max;
    }
  }
  return out;
}
