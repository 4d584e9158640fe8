// Loads a tfjs-layers model (model.json + weight shards, as tfjs's model.save and the tfjs converter write them)
// into a Nutshell model, mapping each tfjs layer class to the Nutshell layer registered under the matching name.
import { canonicalActivationName } from '@nutshell/activations';
import { asFileError, NutshellError, tf, type Tensor } from '@nutshell/tensor';
import { input } from '../core/Input.js';
import type { Layer, LayerConfig } from '../layer.js';
import { Model } from '../models/Model.js';
import type { ModelLike } from '../models/modelLike.js';
import { Sequential } from '../models/Sequential.js';
import { layerFromConfig, registeredLayers } from '../registry.js';
import type { SymbolicTensor } from '../symbolic.js';

/**
 * A tfjs model cannot be brought in: a layer (or option, or activation) Nutshell has no equivalent for, a missing
 * or short weight shard, a missing weight, or a model.json that is not a tfjs-layers model. The message names the
 * layer, shard or weight.
 * @public
 */
export class TfjsModelError extends NutshellError {
  /** The tfjs layer at fault, when there is one. */
  readonly layer?: string;
  constructor(message: string, layer?: string) {
    super(message);
    this.layer = layer;
  }
}

/** One weight in a tfjs `weightsManifest` group. @public */
export interface TfjsWeightSpec {
  /** `<layer>/<weight>`, e.g. `dense_Dense1/kernel`. */
  readonly name: string;
  /** The weight's shape. */
  readonly shape: readonly number[];
  /** `float32` and `int32` load; others are refused. */
  readonly dtype: string;
  /** Set by the converter's quantization; such weights are refused. */
  readonly quantization?: unknown;
}

/** A tfjs-layers `model.json`. @public */
export interface TfjsModelJson {
  /** The Keras-style topology: `{ class_name: 'Sequential' | 'Model', config }` (or nested under `model_config`). */
  readonly modelTopology: unknown;
  /** Weight groups: a group's shard files laid end to end hold its weights in order. */
  readonly weightsManifest: readonly {
    readonly paths: readonly string[];
    readonly weights: readonly TfjsWeightSpec[];
  }[];
  /** `'layers-model'`. */
  readonly format?: string;
  /** e.g. `'TensorFlow.js tfjs-layers v4.22.0'`. */
  readonly generatedBy?: string;
}

interface TfjsLayer {
  readonly class_name: string;
  readonly config: Record<string, unknown>;
  readonly name?: string;
  readonly inbound_nodes?: unknown[];
}

// ---- options and activations --------------------------------------------------------------------------------

const key = (s: string) => s.replace(/[_\s-]/g, '').toLowerCase();

function activationOf(layer: string, cls: string, name: unknown): string {
  const n = String(name ?? 'linear');
  // tfjs's hard_sigmoid is clip(0.2x + 0.5, 0, 1); Nutshell's is relu6(x + 3) / 6: same name, other function.
  if (key(n) === 'hardsigmoid')
    throw unmappable(
      layer,
      cls,
      "activation 'hard_sigmoid' (tfjs: clip(0.2·x + 0.5, 0, 1)) differs from Nutshell's hardSigmoid (relu6(x + 3) / 6)",
    );
  if (key(n) === 'gelunew') return 'geluTanh';
  try {
    return canonicalActivationName(n);
  } catch {
    throw unmappable(layer, cls, `activation '${n}' has no Nutshell equivalent`);
  }
}

function unmappable(layer: string, cls: string, why: string): TfjsModelError {
  return new TfjsModelError(
    `tfjs model: layer '${layer}' (${cls}) cannot be mapped to a Nutshell layer: ${why}.`,
    layer,
  );
}

const list = (v: unknown): number[] => (Array.isArray(v) ? v.map(Number) : [Number(v)]);

type Mapper = (c: Record<string, unknown>, name: string, cls: string) => Omit<LayerConfig, 'name'>;

function channelsLast(c: Record<string, unknown>, name: string, cls: string): void {
  if (c.data_format !== undefined && c.data_format !== 'channels_last')
    throw unmappable(name, cls, `data_format '${String(c.data_format)}' (Nutshell is channels_last)`);
}

function padding(c: Record<string, unknown>, name: string, cls: string): 'valid' | 'same' {
  const p = String(c.padding ?? 'valid');
  if (p !== 'valid' && p !== 'same') throw unmappable(name, cls, `padding '${p}'`);
  return p;
}

function recurrentArgs(c: Record<string, unknown>, name: string, cls: string): Record<string, unknown> {
  if (c.stateful) throw unmappable(name, cls, 'stateful (state carried between batches)');
  if (c.return_state)
    throw unmappable(name, cls, 'return_state (Nutshell returns the states from forward())');
  return {
    units: c.units,
    activation: activationOf(name, cls, c.activation ?? 'tanh'),
    useBias: c.use_bias ?? true,
    returnSequences: c.return_sequences ?? false,
    goBackwards: c.go_backwards ?? false,
    dropout: c.dropout ?? 0,
    recurrentDropout: c.recurrent_dropout ?? 0,
  };
}

const conv2d: Mapper = (c, name, cls) => {
  channelsLast(c, name, cls);
  return {
    className: 'Conv2D',
    filters: c.filters,
    kernelSize: list(c.kernel_size),
    strides: list(c.strides ?? 1),
    dilationRate: list(c.dilation_rate ?? 1),
    padding: padding(c, name, cls),
    activation: activationOf(name, cls, c.activation),
    useBias: c.use_bias ?? true,
  };
};

const mappers: Record<string, Mapper> = {
  Dense: (c, name, cls) => ({
    className: 'Dense',
    units: c.units,
    activation: activationOf(name, cls, c.activation),
    useBias: c.use_bias ?? true,
  }),
  Activation: (c, name, cls) => ({
    className: 'Activation',
    activation: activationOf(name, cls, c.activation),
  }),
  Dropout: (c) => ({ className: 'Dropout', rate: c.rate }),
  Flatten: (c, name, cls) => (channelsLast(c, name, cls), { className: 'Flatten' }),
  Reshape: (c) => ({ className: 'Reshape', targetShape: c.target_shape }),
  BatchNormalization: (c, name, cls) => {
    const axis = list(c.axis ?? -1);
    if (axis.length !== 1) throw unmappable(name, cls, `axis [${axis.join(', ')}] (one axis only)`);
    return {
      className: 'BatchNormalization',
      axis: axis[0],
      momentum: c.momentum ?? 0.99,
      epsilon: c.epsilon ?? 1e-3,
      center: c.center ?? true,
      scale: c.scale ?? true,
    };
  },
  LayerNormalization: (c, name, cls) => {
    const axis = list(c.axis ?? -1);
    if (axis.length !== 1)
      throw unmappable(name, cls, `axis [${axis.join(', ')}] (Nutshell normalises the last axis only)`);
    // tfjs writes the axis resolved (2 for rank 3): checked against the input's rank once the model is built.
    return {
      className: 'LayerNormalization',
      epsilon: c.epsilon ?? 1e-3,
      center: c.center ?? true,
      scale: c.scale ?? true,
      [LAST_AXIS]: axis[0],
    };
  },
  Add: () => ({ className: 'Add' }),
  Multiply: () => ({ className: 'Multiply' }),
  Concatenate: (c) => ({ className: 'Concatenate', axis: c.axis ?? -1 }),
  ReLU: (c, name, cls) => {
    const max = c.max_value;
    if (max == null) return { className: 'Activation', activation: 'relu' };
    if (max === 6) return { className: 'Activation', activation: 'relu6' };
    throw unmappable(name, cls, `max_value ${String(max)} (Nutshell has relu and relu6)`);
  },
  LeakyReLU: (c, name, cls) => {
    if (c.alpha !== 0.01)
      throw unmappable(name, cls, `alpha ${String(c.alpha)} (Nutshell's leakyRelu has alpha 0.01)`);
    return { className: 'Activation', activation: 'leakyRelu' };
  },
  ELU: (c, name, cls) => {
    if ((c.alpha ?? 1) !== 1)
      throw unmappable(name, cls, `alpha ${String(c.alpha)} (Nutshell's elu has alpha 1)`);
    return { className: 'Activation', activation: 'elu' };
  },
  Softmax: (c, name, cls) => {
    if (list(c.axis ?? -1)[0] !== -1)
      throw unmappable(name, cls, `axis ${String(c.axis)} (Nutshell's softmax is over the last axis)`);
    return { className: 'Activation', activation: 'softmax' };
  },
  // The convolution and pooling layers live in @nutshell/conv, which registers them when imported.
  Conv2D: conv2d,
  Conv1D: (c, name, cls) => {
    channelsLast(c, name, cls);
    return {
      className: 'Conv1D',
      filters: c.filters,
      kernelSize: list(c.kernel_size)[0],
      strides: list(c.strides ?? 1)[0],
      dilationRate: list(c.dilation_rate ?? 1)[0],
      padding: padding(c, name, cls),
      activation: activationOf(name, cls, c.activation),
      useBias: c.use_bias ?? true,
    };
  },
  DepthwiseConv2D: (c, name, cls) => {
    channelsLast(c, name, cls);
    return {
      className: 'DepthwiseConv2D',
      kernelSize: list(c.kernel_size),
      depthMultiplier: c.depth_multiplier ?? 1,
      strides: list(c.strides ?? 1),
      dilationRate: list(c.dilation_rate ?? 1),
      padding: padding(c, name, cls),
      activation: activationOf(name, cls, c.activation),
      useBias: c.use_bias ?? true,
    };
  },
  SeparableConv2D: (c, name, cls) => {
    channelsLast(c, name, cls);
    return {
      className: 'SeparableConv2D',
      filters: c.filters,
      kernelSize: list(c.kernel_size),
      depthMultiplier: c.depth_multiplier ?? 1,
      strides: list(c.strides ?? 1),
      dilationRate: list(c.dilation_rate ?? 1),
      padding: padding(c, name, cls),
      activation: activationOf(name, cls, c.activation),
      useBias: c.use_bias ?? true,
    };
  },
  MaxPooling2D: (c, name, cls) => (
    channelsLast(c, name, cls),
    {
      className: 'MaxPool2D',
      poolSize: list(c.pool_size ?? 2),
      strides: c.strides == null ? undefined : list(c.strides),
      padding: padding(c, name, cls),
    }
  ),
  AveragePooling2D: (c, name, cls) => (
    channelsLast(c, name, cls),
    {
      className: 'AvgPool2D',
      poolSize: list(c.pool_size ?? 2),
      strides: c.strides == null ? undefined : list(c.strides),
      padding: padding(c, name, cls),
    }
  ),
  MaxPooling1D: (c, name, cls) => ({
    className: 'MaxPool1D',
    poolSize: list(c.pool_size ?? 2)[0],
    strides: c.strides == null ? undefined : list(c.strides)[0],
    padding: padding(c, name, cls),
  }),
  AveragePooling1D: (c, name, cls) => ({
    className: 'AvgPool1D',
    poolSize: list(c.pool_size ?? 2)[0],
    strides: c.strides == null ? undefined : list(c.strides)[0],
    padding: padding(c, name, cls),
  }),
  GlobalMaxPooling2D: (c, name, cls) => (channelsLast(c, name, cls), { className: 'GlobalMaxPool2D' }),
  GlobalAveragePooling2D: (c, name, cls) => (channelsLast(c, name, cls), { className: 'GlobalAvgPool2D' }),
  GlobalMaxPooling1D: () => ({ className: 'GlobalMaxPool1D' }),
  GlobalAveragePooling1D: () => ({ className: 'GlobalAvgPool1D' }),
  // The recurrent layers live in @nutshell/recurrent, which registers them when imported.
  SimpleRNN: (c, name, cls) => ({ className: 'SimpleRNN', ...recurrentArgs(c, name, cls) }),
  LSTM: (c, name, cls) => ({
    className: 'LSTM',
    ...recurrentArgs(c, name, cls),
    // tfjs's default gate activation is its hard_sigmoid, which Nutshell does not have (refused by activationOf).
    recurrentActivation: activationOf(name, cls, c.recurrent_activation ?? 'hard_sigmoid'),
    unitForgetBias: c.unit_forget_bias ?? true,
  }),
  GRU: (c, name, cls) => ({
    className: 'GRU',
    ...recurrentArgs(c, name, cls),
    recurrentActivation: activationOf(name, cls, c.recurrent_activation ?? 'hard_sigmoid'),
    resetAfter: c.reset_after ?? false,
  }),
  Embedding: (c, name, cls) => {
    if (c.mask_zero)
      throw unmappable(
        name,
        cls,
        'mask_zero (a mask passed from layer to layer; Nutshell passes masks to forward() only)',
      );
    return { className: 'Embedding', inputDim: c.input_dim, outputDim: c.output_dim };
  },
};
// Keras spellings the tfjs converter writes for the same classes.
mappers.Convolution2D = conv2d;
mappers.MaxPool2D = mappers.MaxPooling2D;
mappers.AvgPool2D = mappers.AveragePooling2D;

/**
 * The tfjs-layers classes `modelFromTfjs` maps (convolution and pooling need `@nutshell/conv` imported, recurrent
 * layers and Embedding `@nutshell/recurrent`).
 * @public
 */
export const TFJS_MAPPED_LAYERS: readonly string[] = Object.keys(mappers).sort();

// A mapped config may carry the tfjs axis that must turn out to be the last one (checked by `checkLastAxes`).
const LAST_AXIS = '__tfjsLastAxis';
const lastAxes = new WeakMap<Layer, { axis: number; cls: string }>();

function checkLastAxes(layers: readonly Layer[]): void {
  for (const layer of layers) {
    const want = lastAxes.get(layer);
    const rank = (layer.builtInputShape as readonly unknown[] | undefined)?.length;
    if (want && rank !== undefined && want.axis !== -1 && want.axis !== rank - 1) {
      throw unmappable(
        layer.name,
        want.cls,
        `axis ${want.axis} of a rank-${rank} input (Nutshell normalises the last axis, ${rank - 1})`,
      );
    }
  }
}

const RECURRENT = new Set(['SimpleRNN', 'LSTM', 'GRU', 'Embedding']);

function nutshellLayer(l: TfjsLayer): Layer {
  const name = String(l.config.name ?? l.name);
  const cls = l.class_name;
  const map = mappers[cls];
  if (!map)
    throw unmappable(
      name,
      cls,
      `no Nutshell layer for class '${cls}' (mapped: ${TFJS_MAPPED_LAYERS.join(', ')})`,
    );
  const config = {
    ...map(l.config, name, cls),
    name,
    trainable: l.config.trainable !== false,
  } as LayerConfig;
  if (!registeredLayers().includes(config.className)) {
    const [pkg, what] = RECURRENT.has(config.className)
      ? ['@nutshell/recurrent', 'recurrent layers']
      : ['@nutshell/conv', 'convolution and pooling layers'];
    throw unmappable(
      name,
      cls,
      `Nutshell's '${config.className}' is not registered: import '${pkg}' (it registers the ${what})`,
    );
  }
  const axis = config[LAST_AXIS] as number | undefined;
  delete config[LAST_AXIS];
  const layer = layerFromConfig(config);
  if (axis !== undefined) lastAxes.set(layer, { axis, cls });
  return layer;
}

// ---- topology -----------------------------------------------------------------------------------------------

function batchInputShape(c: Record<string, unknown>): (number | null)[] | undefined {
  const s = c.batch_input_shape ?? c.batch_shape;
  return Array.isArray(s) ? s.slice(1).map((d) => (d == null ? null : Number(d))) : undefined;
}

function buildSequential(config: Record<string, unknown>, made: Layer[]): Sequential {
  const layers = (Array.isArray(config) ? config : config.layers) as TfjsLayer[];
  if (!Array.isArray(layers) || layers.length === 0)
    throw new TfjsModelError('tfjs model: the Sequential topology has no layers.');
  let shape: (number | null)[] | undefined;
  for (const l of layers) {
    shape ??= batchInputShape(l.config);
    if (l.class_name === 'InputLayer') continue;
    made.push(nutshellLayer(l));
  }
  if (!shape)
    throw new TfjsModelError(
      "tfjs model: the first layer has no batch_input_shape, so the input's shape is unknown.",
    );
  return new Sequential(made, {
    name: typeof config.name === 'string' ? config.name : undefined,
    inputShape: shape as number[],
  });
}

type Ref = [string, number, number];

function buildGraph(config: Record<string, unknown>, made: Layer[]): Model {
  const layers = config.layers as TfjsLayer[];
  const inputsRef = config.input_layers as Ref[];
  const outputsRef = config.output_layers as Ref[];
  if (![layers, inputsRef, outputsRef].every(Array.isArray))
    throw new TfjsModelError(
      'tfjs model: a functional topology needs layers, input_layers and output_layers.',
    );
  const values = new Map<string, SymbolicTensor>(); // `${layer}#${node}` → its output
  const pending: { layer: TfjsLayer; made?: Layer; node: number; inputs: Ref[] }[] = [];
  for (const l of layers) {
    const name = String(l.name ?? l.config.name);
    if (l.class_name === 'InputLayer') {
      const shape = batchInputShape(l.config);
      if (!shape)
        throw new TfjsModelError(`tfjs model: input layer '${name}' has no batch_input_shape.`, name);
      values.set(`${name}#0`, input(shape, { name }));
      continue;
    }
    const layer = nutshellLayer(l);
    made.push(layer);
    (l.inbound_nodes ?? []).forEach((node, i) => {
      const refs = (node as unknown[][]).map((r) => [String(r[0]), Number(r[1]), Number(r[2])] as Ref);
      pending.push({ layer: l, made: layer, node: i, inputs: refs });
    });
  }
  // Apply each layer call once all its inputs exist (a topological order, found by passes).
  while (pending.length > 0) {
    const ready = pending.findIndex((p) => p.inputs.every(([n, k]) => values.has(`${n}#${k}`)));
    if (ready < 0)
      throw new TfjsModelError(
        `tfjs model: layer '${pending[0].made!.name}' reads an input that no layer produces (${pending[0].inputs.map((r) => r[0]).join(', ')}).`,
        pending[0].made!.name,
      );
    const [p] = pending.splice(ready, 1);
    const ins = p.inputs.map(([n, k]) => values.get(`${n}#${k}`)!);
    values.set(`${p.made!.name}#${p.node}`, p.made!.apply(ins.length === 1 ? ins[0] : ins));
  }
  const pick = (r: Ref) => {
    const v = values.get(`${r[0]}#${r[1]}`);
    if (!v) throw new TfjsModelError(`tfjs model: unknown model input/output '${r[0]}'.`, r[0]);
    return v;
  };
  return new Model({
    inputs: inputsRef.map(pick),
    outputs: outputsRef.map(pick),
    name: typeof config.name === 'string' ? config.name : undefined,
  });
}

// ---- weights ------------------------------------------------------------------------------------------------

const BYTES: Record<string, number> = { float32: 4, int32: 4 };

/** Every weight of the manifest by name, read from its group's shards laid end to end. Caller owns the tensors. */
function readWeights(
  json: TfjsModelJson,
  shard: (path: string) => Uint8Array | undefined,
): Map<string, Tensor> {
  const out = new Map<string, Tensor>();
  try {
    for (const group of json.weightsManifest) {
      const parts = group.paths.map((p) => {
        const bytes = shard(p);
        if (!bytes)
          throw new TfjsModelError(
            `tfjs model: weight shard '${p}' is missing; it holds ${group.weights.map((w) => w.name).join(', ')}.`,
          );
        return bytes;
      });
      const data = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
      parts.reduce((at, p) => (data.set(p, at), at + p.length), 0);
      let at = 0;
      for (const w of group.weights) {
        if (w.quantization)
          throw new TfjsModelError(
            `tfjs model: weight '${w.name}' is quantized; only float32 weights can be loaded.`,
          );
        const size = BYTES[w.dtype];
        if (!size)
          throw new TfjsModelError(
            `tfjs model: weight '${w.name}' has dtype ${w.dtype}; only float32 and int32 can be loaded.`,
          );
        const n = w.shape.reduce((a, b) => a * b, 1) * size;
        if (at + n > data.length) {
          throw new TfjsModelError(
            `tfjs model: shards ${group.paths.join(', ')} hold ${data.length} bytes, too few for weight '${w.name}' (needs bytes ${at}..${at + n}).`,
          );
        }
        const copy = data.slice(at, at + n).buffer;
        out.set(
          w.name,
          tf.tensor(
            w.dtype === 'int32' ? new Int32Array(copy) : new Float32Array(copy),
            [...w.shape],
            w.dtype as 'float32' | 'int32',
          ),
        );
        at += n;
      }
    }
    return out;
  } catch (e) {
    tf.dispose([...out.values()]);
    throw e;
  }
}

function assignWeights(model: ModelLike, weights: Map<string, Tensor>): void {
  for (const layer of model.layers) {
    const values = layer.weights.map((w) => {
      // tfjs names a weight `<layer>/<weight>`, sometimes under a scope (`<model>/<layer>/<weight>`).
      // A recurrent layer's weights sit in its cell (`lstm/cell/kernel`); tfjs names them `lstm/kernel`.
      const names = [w.name, w.name.replace('/cell/', '/')];
      const found = names
        .map((n) => weights.get(n) ?? [...weights].find(([k]) => k.endsWith(`/${n}`))?.[1])
        .find((t) => t);
      if (!found)
        throw new TfjsModelError(
          `tfjs model: no weight '${w.name}' for layer '${layer.name}' in the weights manifest (it has ${[...weights.keys()].join(', ')}).`,
          layer.name,
        );
      return found;
    });
    if (values.length > 0) layer.setWeights(values);
  }
}

// ---- entry points -------------------------------------------------------------------------------------------

function parseJson(text: string, where: string): TfjsModelJson {
  try {
    return JSON.parse(text) as TfjsModelJson;
  } catch (e) {
    throw new TfjsModelError(`tfjs model: ${where} is not valid JSON (${(e as Error).message}).`);
  }
}

/**
 * Builds a Nutshell model from a tfjs-layers `model.json` (object or text) and its weight shards, given as a map
 * from each manifest path to its bytes or a function returning them. Sequential topologies become a `Sequential`,
 * functional ones a graph `Model`; layer names are kept. Each tfjs layer class is mapped to the Nutshell layer
 * registered under the matching name (see `TFJS_MAPPED_LAYERS`; import `@nutshell/conv` for convolution and
 * pooling). Throws `TfjsModelError` naming any layer, option or activation it cannot map, and any missing shard
 * or weight, without leaking tensors.
 * @public
 */
export function modelFromTfjs(
  modelJson: TfjsModelJson | string,
  shards: ReadonlyMap<string, Uint8Array> | ((path: string) => Uint8Array | undefined),
): ModelLike {
  const json = typeof modelJson === 'string' ? parseJson(modelJson, 'model.json') : modelJson;
  const topology = json?.modelTopology as
    | {
        class_name?: string;
        config?: Record<string, unknown>;
        model_config?: { class_name?: string; config?: Record<string, unknown> };
      }
    | undefined;
  const top = topology?.model_config ?? topology; // the converter nests the topology under model_config
  if (!top?.class_name || !top.config || !Array.isArray(json.weightsManifest)) {
    throw new TfjsModelError(
      'tfjs model: not a tfjs-layers model.json (needs modelTopology with class_name and config, and weightsManifest).',
    );
  }
  const shard = typeof shards === 'function' ? shards : (p: string) => shards.get(p);
  const made: Layer[] = [];
  let model: ModelLike | undefined;
  let weights = new Map<string, Tensor>();
  try {
    model =
      top.class_name === 'Sequential' ? buildSequential(top.config, made) : buildGraph(top.config, made);
    checkLastAxes(made);
    weights = readWeights(json, shard);
    assignWeights(model, weights);
    return model;
  } catch (e) {
    if (model) model.dispose();
    else for (const l of made) l.dispose();
    throw e;
  } finally {
    tf.dispose([...weights.values()]);
  }
}

/**
 * Node: loads `model.json` at `path` with its weight shards from the same folder (see `modelFromTfjs`). A missing
 * shard is a `TfjsModelError` naming it; a missing model.json a `FileError`.
 * @public
 */
export async function loadTfjsModel(path: string): Promise<ModelLike> {
  const fs = await import('node:fs/promises');
  const { dirname, join } = await import('node:path');
  let text: string;
  try {
    text = await fs.readFile(path, 'utf8');
  } catch (e) {
    throw asFileError('loadTfjsModel', path, 'a tfjs model.json', e);
  }
  const json = parseJson(text, path);
  const shards = new Map<string, Uint8Array>();
  for (const p of (json.weightsManifest ?? []).flatMap((g) => g.paths)) {
    try {
      shards.set(p, new Uint8Array(await fs.readFile(join(dirname(path), p))));
    } catch (e) {
      if ((e as { code?: string }).code !== 'ENOENT')
        throw asFileError('loadTfjsModel', join(dirname(path), p), 'a weight shard', e);
    }
  }
  return modelFromTfjs(json, shards);
}
