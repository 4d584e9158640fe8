import { asFileError } from '@nutshell/tensor';
import type { ModelLike } from '../models/modelLike.js';
import { decodeSafetensors, type DecodeSafetensorsOptions } from './safetensors.js';
import { modelFromConfigAndWeights, modelToBytes, parseConfig } from './weights.js';

/**
 * Saves a model to a directory (created if needed) in Node: `model.json` (the config, readable) and
 * `model.safetensors` (the weights, with the config also in its metadata). A path that cannot be a folder
 * (a file, or under a file) or cannot be written is a `FileError` naming it.
 * @public
 */
export async function saveModel(model: ModelLike, dir: string): Promise<void> {
  const fs = await import('node:fs/promises');
  const path = await import('node:path');
  const bytes = await modelToBytes(model);
  await fileOp('saveModel', dir, 'a folder to save the model in', () => fs.mkdir(dir, { recursive: true }));
  const configPath = path.join(dir, 'model.json');
  await fileOp('saveModel', configPath, 'a file to write', () => fs.writeFile(configPath, JSON.stringify(model.getConfig(), null, 2) + '\n'));
  const weightsPath = path.join(dir, 'model.safetensors');
  await fileOp('saveModel', weightsPath, 'a file to write', () => fs.writeFile(weightsPath, bytes));
}

/**
 * Loads a model saved with `saveModel`: rebuilds it from `model.json` and fills it from `model.safetensors`,
 * checking every weight's name, shape and dtype (see `decodeSafetensors` for the checks on the file itself).
 * A missing folder or file, or a directory where a file belongs, is a `FileError` naming the path.
 * @public
 */
export async function loadModel(dir: string, opts?: DecodeSafetensorsOptions): Promise<ModelLike> {
  const fs = await import('node:fs/promises');
  const path = await import('node:path');
  const configPath = path.join(dir, 'model.json');
  const expected = 'a model folder written by saveModel (model.json and model.safetensors)';
  await fileOp('loadModel', dir, expected, async () => {
    if (!(await fs.stat(dir)).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
  });
  const text = await fileOp('loadModel', configPath, expected, () => fs.readFile(configPath, 'utf8'));
  const config = parseConfig(text, configPath);
  const weightsPath = path.join(dir, 'model.safetensors');
  const bytes = await fileOp('loadModel', weightsPath, expected, () => fs.readFile(weightsPath));
  const { tensors } = decodeSafetensors(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), opts);
  return modelFromConfigAndWeights(config, tensors);
}

// Runs a file-system call, turning its ENOENT/EISDIR/... into a FileError naming the path.
async function fileOp<T>(op: string, path: string, expected: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw asFileError(op, path, expected, e);
  }
}
