import type { ModelLike } from '../models/modelLike.js';
import { decodeSafetensors, type DecodeSafetensorsOptions } from './safetensors.js';
import { modelFromConfigAndWeights, modelToBytes, parseConfig } from './weights.js';

/**
 * Saves a model to a directory (created if needed) in Node: `model.json` (the config, readable) and
 * `model.safetensors` (the weights, with the config also in its metadata).
 * @public
 */
export async function saveModel(model: ModelLike, dir: string): Promise<void> {
  const fs = await import('node:fs/promises');
  const path = await import('node:path');
  await fs.mkdir(dir, { recursive: true });
  const bytes = await modelToBytes(model);
  await fs.writeFile(path.join(dir, 'model.json'), JSON.stringify(model.getConfig(), null, 2) + '\n');
  await fs.writeFile(path.join(dir, 'model.safetensors'), bytes);
}

/**
 * Loads a model saved with `saveModel`: rebuilds it from `model.json` and fills it from `model.safetensors`,
 * checking every weight's name, shape and dtype (see `decodeSafetensors` for the checks on the file itself).
 * @public
 */
export async function loadModel(dir: string, opts?: DecodeSafetensorsOptions): Promise<ModelLike> {
  const fs = await import('node:fs/promises');
  const path = await import('node:path');
  const configPath = path.join(dir, 'model.json');
  const config = parseConfig(await fs.readFile(configPath, 'utf8'), configPath);
  const bytes = await fs.readFile(path.join(dir, 'model.safetensors'));
  const { tensors } = decodeSafetensors(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), opts);
  return modelFromConfigAndWeights(config, tensors);
}
