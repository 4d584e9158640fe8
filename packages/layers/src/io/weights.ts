import { NutshellError, tf, type Variable } from '@nutshell/tensor';
import { WeightsMismatchError } from '../errors.js';
import { legacyWeightName } from '../naming.js';
import { setWeightGuard } from '../layer.js';
import { fmt } from '../shape.js';
import { modelFromConfig } from '../models/fromConfig.js';
import type { ModelConfig, ModelLike } from '../models/modelLike.js';
import { decodeSafetensors, encodeSafetensors, SafetensorsError, type DecodeSafetensorsOptions, type SafetensorsDtype, type SafetensorsTensor } from './safetensors.js';

const CONFIG_KEY = 'nutshell.config';
const FORMAT_KEY = 'format';

const DTYPE_OF: Record<string, SafetensorsDtype> = { float32: 'F32', int32: 'I32', bool: 'BOOL' };

/**
 * A model's weights as safetensors bytes, named `layer/weight`, with the model config in the metadata
 * (`"nutshell.config"`) so that `modelFromBytes` rebuilds the model. Reads the weights asynchronously.
 * @public
 */
export async function modelToBytes(model: ModelLike, metadata: Record<string, string> = {}): Promise<Uint8Array> {
  const tensors: Record<string, SafetensorsTensor> = {};
  for (const w of model.weights) {
    const dtype = DTYPE_OF[w.variable.dtype];
    if (!dtype) throw new NutshellError(`modelToBytes: weight '${w.name}' has dtype ${w.variable.dtype}, which cannot be saved.`);
    const values = await w.variable.data();
    tensors[w.name] = { dtype, shape: [...w.variable.shape], data: values as Float32Array | Int32Array | Uint8Array };
  }
  return encodeSafetensors(tensors, { ...metadata, [FORMAT_KEY]: 'nutshell', [CONFIG_KEY]: JSON.stringify(model.getConfig()) });
}

/**
 * Assigns weights from decoded safetensors to a built model. Every weight of the model must be present with
 * the same shape and dtype, and the file may hold no others; everything is checked before anything is assigned,
 * so a bad file leaves the model unchanged. Mismatches are `WeightsMismatchError`s naming the weight.
 * @public
 */
export function setModelWeights(model: ModelLike, tensors: ReadonlyMap<string, SafetensorsTensor>): void {
  const weights = model.weights;
  const names = new Set(weights.map((w) => w.name));
  // A file written before layer names followed Keras (conv2_d_1/kernel) loads into a model built now (conv2d_1/kernel).
  const legacy = new Map(weights.map((w) => [legacyWeightName(w.name), w.name]));
  const lookup = (name: string) => tensors.get(name) ?? tensors.get(legacyWeightName(name) ?? name);
  for (const name of tensors.keys()) {
    if (!names.has(name) && !legacy.has(name)) throw new WeightsMismatchError(name, `the file holds it but model '${model.name}' has no such weight (its weights: ${[...names].join(', ') || 'none'}).`);
  }
  for (const w of weights) {
    const t = lookup(w.name);
    if (!t) throw new WeightsMismatchError(w.name, `missing from the file (model '${model.name}').`);
    const expected = DTYPE_OF[w.variable.dtype];
    if (t.dtype !== expected) throw new WeightsMismatchError(w.name, `expected dtype ${expected} (${w.variable.dtype}), got ${t.dtype}.`);
    if (t.shape.length !== w.variable.shape.length || t.shape.some((d, i) => d !== w.variable.shape[i])) {
      throw new WeightsMismatchError(w.name, `expected shape ${fmt(w.variable.shape)}, got ${fmt(t.shape)}.`);
    }
  }
  for (const w of weights) {
    const t = lookup(w.name)!;
    const value = tf.tensor(t.data as Float32Array, [...t.shape], w.variable.dtype);
    w.variable.assign(value);
    value.dispose();
  }
}

/**
 * Loads weights from safetensors bytes into an existing, built model (see `setModelWeights` for the checks).
 * @public
 */
export function loadWeights(model: ModelLike, bytes: Uint8Array, opts?: DecodeSafetensorsOptions): void {
  setModelWeights(model, decodeSafetensors(bytes, opts).tensors);
}

/**
 * Rebuilds a model from a config and decoded weights. While the layers build, each weight's shape is checked
 * against the file *before* it is allocated, so a hostile config cannot make a layer allocate more than the
 * file holds.
 * @public
 */
export function modelFromConfigAndWeights(config: ModelConfig, tensors: ReadonlyMap<string, SafetensorsTensor>): ModelLike {
  let model: ModelLike;
  const created: Variable[] = [];
  setWeightGuard({
    check(name, shape) {
      const t = tensors.get(name);
      if (!t) throw new WeightsMismatchError(name, 'missing from the file.');
      if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
        throw new WeightsMismatchError(name, `expected shape ${fmt(shape)}, got ${fmt(t.shape)}.`);
      }
    },
    created: (v) => created.push(v),
  });
  try {
    model = modelFromConfig(config);
  } catch (e) {
    // A config that fails half-way must not leave the layers built so far holding memory.
    for (const v of created) v.dispose();
    throw e;
  } finally {
    setWeightGuard(undefined);
  }
  try {
    setModelWeights(model, tensors);
  } catch (e) {
    model.dispose();
    throw e;
  }
  return model;
}

/**
 * Rebuilds a model saved with `modelToBytes`: its config from the metadata, its weights from the tensors.
 * For browsers (no file system); in Node `loadModel(dir)` reads the same format from disk.
 * @public
 */
export function modelFromBytes(bytes: Uint8Array, opts?: DecodeSafetensorsOptions): ModelLike {
  const { tensors, metadata } = decodeSafetensors(bytes, opts);
  const text = metadata[CONFIG_KEY];
  if (text === undefined) throw new SafetensorsError(`modelFromBytes: the file has no "${CONFIG_KEY}" metadata; load its weights into a model with loadWeights(model, bytes).`);
  return modelFromConfigAndWeights(parseConfig(text, 'the "nutshell.config" metadata'), tensors);
}

/** Parses a model config from JSON text, with a clear error. @internal */
export function parseConfig(text: string, where: string): ModelConfig {
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch (e) {
    throw new NutshellError(`${where} is not valid JSON (${(e as Error).message}).`);
  }
  if (config === null || typeof config !== 'object' || typeof (config as ModelConfig).className !== 'string') {
    throw new NutshellError(`${where} is not a model config (an object with a className).`);
  }
  return config as ModelConfig;
}
