import { tf } from '@nutshell/tensor';
import { CheckpointError } from '../errors.js';
import type { TrainableModel } from '../trainer/model.js';
import { decodeCheckpointFile, encodeCheckpointFile, valuesOf } from './checkpointFile.js';
import type { SafetensorsTensor } from '@nutshell/layers';
import { openStore } from './store.js';
import type { CheckpointStore } from './store.js';

/**
 * Writes a model's weights as a checksummed file `name` in a folder or store (atomically).
 * @public
 */
export async function saveWeightsCheckpoint(model: TrainableModel, to: string | CheckpointStore, name: string, metadata: Record<string, string> = {}): Promise<string> {
  const store = await openStore(to);
  const tensors: Record<string, SafetensorsTensor> = {};
  for (const w of model.weights) {
    tensors[w.name] = { dtype: w.variable.dtype === 'int32' ? 'I32' : 'F32', shape: [...w.variable.shape], data: (await w.variable.data()) as Float32Array };
  }
  await store.write(name, await encodeCheckpointFile(tensors, { ...metadata, format: 'nutshell-weights' }));
  return `${store.location}/${name}`;
}

/**
 * Loads weights written by `saveWeightsCheckpoint` (or `ModelCheckpoint`) into a model with the same weight names and
 * shapes. A corrupt or truncated file, or one for another model, is a CheckpointError naming it.
 * @public
 */
export async function loadWeightsCheckpoint(model: TrainableModel, from: string | CheckpointStore, name: string): Promise<Record<string, string>> {
  const store = await openStore(from);
  const file = `${store.location}/${name}`;
  let bytes: Uint8Array;
  try {
    bytes = await store.read(name);
  } catch (e) {
    throw new CheckpointError(file, `Cannot read weights ${file}: ${(e as Error).message}`);
  }
  const { tensors, metadata } = await decodeCheckpointFile(bytes, file);
  for (const w of model.weights) {
    const t = tensors.get(w.name);
    if (!t) throw new CheckpointError(file, `Weights ${file} have no weight '${w.name}': they were written for a different model.`);
    if (t.shape.length !== w.variable.shape.length || t.shape.some((d, i) => d !== w.variable.shape[i])) {
      throw new CheckpointError(file, `Weights ${file}: '${w.name}' has shape [${t.shape.join(', ')}], the model's is [${w.variable.shape.join(', ')}].`);
    }
  }
  tf.tidy(() => {
    for (const w of model.weights) {
      const t = tensors.get(w.name)!;
      w.variable.assign(tf.tensor(valuesOf(t, w.name, file), [...t.shape], w.variable.dtype));
    }
  });
  return metadata;
}
