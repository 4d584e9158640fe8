import { Rng, tf } from '@nutshell/tensor';
import type { RngState, Tensor } from '@nutshell/tensor';
import { CheckpointError } from '../errors.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import type { Callback } from '../callbacks/callback.js';
import type { History } from '../trainer/events.js';
import type { TrainableModel } from '../trainer/model.js';
import { openStore } from './store.js';
import type { CheckpointStore } from './store.js';
import { decodeCheckpointFile, encodeCheckpointFile, valuesOf } from './checkpointFile.js';
import type { SafetensorsTensor } from '@nutshell/layers';

/** Where a run stands: enough, with the weights and optimizer state, to continue it exactly. */
export interface RunProgress {
  /** The epoch to continue in (or to start, when `order` is absent). */
  readonly epoch: number;
  /** The next batch of that epoch. */
  readonly batch: number;
  /** Updates made so far. */
  readonly step: number;
  /** The shuffling generator's state (after drawing this epoch's order). */
  readonly rng: RngState;
  /** This epoch's sample order; absent at an epoch boundary (the next order is drawn from `rng`). */
  readonly order: Int32Array | undefined;
  /** The epoch's running loss and metric sums so far, and the samples they cover. */
  readonly sums: number[];
  readonly seen: number;
  readonly history: History;
}

/** A checkpoint read back: the progress plus the values to put back. */
export interface RunState extends RunProgress {
  readonly file: string;
  readonly weights: Map<string, SafetensorsTensor>;
  readonly optimizer: { className: string; iterations: number; learningRate: number; slots: Map<string, SafetensorsTensor> };
  /** Callback states by `'<class>#<occurrence>'`. */
  readonly callbacks: Record<string, unknown>;
  /** The model's weight names when it was written, in order. */
  readonly weightNames: string[];
  /** The states of the layers with their own random generators, in layer order. */
  readonly layerRngs: { name: string; state: RngState }[];
}

const PATTERN = /^step-(\d+)\.ckpt$/;
const fileName = (step: number) => `step-${String(step).padStart(10, '0')}.ckpt`;

// JSON cannot hold NaN or ±Infinity (a NaN validation AUC, a loss that blew up): spell them out.
const replacer = (_k: string, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? { $num: String(v) } : v);
const reviver = (_k: string, v: unknown) => (v && typeof v === 'object' && '$num' in (v as object) ? Number((v as { $num: string }).$num) : v);

/**
 * Callbacks with state, keyed by class name and occurrence (`'EarlyStopping#0'`), so that a resumed run may pass
 * its callbacks in another order or with stateless ones added or removed.
 */
function callbackKeys(callbacks: readonly Callback[]): [string, Callback][] {
  const seen = new Map<string, number>();
  return callbacks
    .filter((c) => typeof c.getState === 'function')
    .map((c) => {
      const name = (c as object).constructor?.name || 'Object';
      const k = seen.get(name) ?? 0;
      seen.set(name, k + 1);
      return [`${name}#${k}`, c];
    });
}

/** A JSON replacer that moves typed arrays (a callback's saved weights) into the checkpoint's tensors. */
function arraysTo(tensors: Record<string, SafetensorsTensor>) {
  let count = 0;
  return (key: string, value: unknown): unknown => {
    if (value instanceof Float32Array || value instanceof Int32Array) {
      const name = `callback:${count++}`;
      tensors[name] = { dtype: value instanceof Float32Array ? 'F32' : 'I32', shape: [value.length], data: value };
      return { $array: name };
    }
    return replacer(key, value);
  };
}

/** The reviver that puts them back. */
function arraysFrom(tensors: Map<string, SafetensorsTensor>, file: string) {
  return (key: string, value: unknown): unknown => {
    if (value && typeof value === 'object' && '$array' in (value as object)) {
      const name = (value as { $array: string }).$array;
      const t = tensors.get(name);
      if (!t) throw new CheckpointError(file, `Checkpoint ${file} lacks the tensor '${name}' a callback saved.`);
      return valuesOf(t, name, file);
    }
    return reviver(key, value);
  };
}

async function toSt(t: Tensor): Promise<SafetensorsTensor> {
  const data = await t.data();
  if (t.dtype === 'int32') return { dtype: 'I32', shape: [...t.shape], data: data as Int32Array };
  if (t.dtype === 'bool') return { dtype: 'U8', shape: [...t.shape], data: data as Uint8Array };
  return { dtype: 'F32', shape: [...t.shape], data: data as Float32Array };
}

interface RandomLayer {
  name?: string;
  rng?: unknown;
  getRandomState?(): RngState;
  setRandomState?(s: RngState): void;
}

/**
 * Layers that draw random numbers (dropout) from their own seeded generator, in layer order: those with
 * `getRandomState`/`setRandomState`, or an `rng` field holding an `Rng` (as @nutshell/layers' Dropout does).
 */
function randomLayers(model: TrainableModel): RandomLayer[] {
  const layers = (model as { layers?: unknown }).layers;
  if (!Array.isArray(layers)) return [];
  // Depth first through composite layers' tracked sub-layers (a Dropout inside a residual block), each once.
  const all: RandomLayer[] = [];
  const seen = new Set<unknown>();
  const visit = (l: unknown): void => {
    if (!l || typeof l !== 'object' || seen.has(l)) return;
    seen.add(l);
    all.push(l as RandomLayer);
    const subs = (l as { subLayers?: unknown }).subLayers;
    if (Array.isArray(subs)) for (const s of subs) visit((s as { layer?: unknown }).layer);
  };
  layers.forEach(visit);
  return all.filter((l) => typeof l.getRandomState === 'function' || l.rng instanceof Rng);
}

/**
 * Writes a run checkpoint (weights, optimizer state, shuffling state, epoch, step, data order, callback state)
 * atomically into `store`, then deletes all but the newest `keep`. Returns where it was written.
 */
export async function writeRunCheckpoint(
  store: CheckpointStore,
  keep: number,
  run: { model: TrainableModel; optimizer: Optimizer; callbacks: readonly Callback[]; state: RunProgress },
): Promise<string> {
  const tensors: Record<string, SafetensorsTensor> = {};
  for (const w of run.model.weights) tensors[`weight:${w.name}`] = await toSt(w.variable);
  const opt = run.optimizer.getState();
  try {
    for (const [k, t] of Object.entries(opt.slots)) tensors[`slot:${k}`] = await toSt(t);
  } finally {
    tf.dispose(Object.values(opt.slots));
  }
  const { order, ...progress } = run.state;
  if (order) tensors.order = { dtype: 'I32', shape: [order.length], data: order };
  const layerRngs = randomLayers(run.model).map((l) => ({ name: String(l.name), state: l.getRandomState ? l.getRandomState() : (l.rng as Rng).state() }));
  const metadata = {
    format: 'nutshell-run-checkpoint',
    version: '1',
    progress: JSON.stringify(progress, replacer),
    optimizer: JSON.stringify({ className: opt.className, iterations: opt.iterations, learningRate: opt.learningRate }),
    callbacks: JSON.stringify(Object.fromEntries(callbackKeys(run.callbacks).map(([k, c]) => [k, c.getState!()])), arraysTo(tensors)),
    layerRngs: JSON.stringify(layerRngs),
    weightNames: JSON.stringify(run.model.weights.map((w) => w.name)),
  };
  const name = fileName(run.state.step);
  await store.write(name, await encodeCheckpointFile(tensors, metadata));
  const old = (await store.list()).filter((n) => PATTERN.test(n)).sort().reverse().slice(keep);
  for (const n of old) await store.remove(n);
  return `${store.location}/${name}`;
}

/** Reads and checks one run checkpoint file. */
export async function readRunCheckpoint(store: CheckpointStore, name: string): Promise<RunState> {
  const file = `${store.location}/${name}`;
  const { tensors, metadata } = await decodeCheckpointFile(await store.read(name), file);
  if (metadata.format !== 'nutshell-run-checkpoint') throw new CheckpointError(file, `Checkpoint ${file} is not a run checkpoint (format '${metadata.format}').`);
  const progress = JSON.parse(metadata.progress, reviver) as Omit<RunProgress, 'order'>;
  const weights = new Map<string, SafetensorsTensor>();
  const slots = new Map<string, SafetensorsTensor>();
  for (const [k, t] of tensors) {
    if (k.startsWith('weight:')) weights.set(k.slice(7), t);
    else if (k.startsWith('slot:')) slots.set(k.slice(5), t);
  }
  const orderT = tensors.get('order');
  const order = orderT ? (valuesOf(orderT, 'order', file) as Int32Array) : undefined;
  return {
    ...progress,
    order,
    file,
    weights,
    optimizer: { ...(JSON.parse(metadata.optimizer) as { className: string; iterations: number; learningRate: number }), slots },
    callbacks: JSON.parse(metadata.callbacks, arraysFrom(tensors, file)) as Record<string, unknown>,
    layerRngs: JSON.parse(metadata.layerRngs) as { name: string; state: RngState }[],
    weightNames: JSON.parse(metadata.weightNames) as string[],
  };
}

/** The names of the run checkpoints (`step-<n>.ckpt`) in a store, newest first. @public */
export async function listRunCheckpoints(store: CheckpointStore): Promise<string[]> {
  return (await store.list()).filter((n) => PATTERN.test(n)).sort().reverse();
}

/**
 * The newest run checkpoint that reads back intact. A corrupt or truncated newer one is skipped, with a warning
 * naming it; if none is usable, a CheckpointError names every file refused and why.
 */
export async function latestRunCheckpoint(store: CheckpointStore): Promise<{ state: RunState; warnings: string[] }> {
  const names = await listRunCheckpoints(store);
  if (names.length === 0) throw new CheckpointError(store.location, `No checkpoint to resume from in ${store.location} (expected files named step-<n>.ckpt).`);
  const refused: string[] = [];
  for (const name of names) {
    try {
      const state = await readRunCheckpoint(store, name);
      const warnings = refused.map((r) => `${r} Resuming from the previous good checkpoint ${state.file} instead.`);
      return { state, warnings };
    } catch (e) {
      if (!(e instanceof CheckpointError) && !(e instanceof SyntaxError)) throw e;
      refused.push(e instanceof CheckpointError ? e.message : `Checkpoint ${store.location}/${name} has unreadable metadata: ${e.message}.`);
    }
  }
  throw new CheckpointError(store.location, `No usable checkpoint in ${store.location}: ${refused.join(' ')}`);
}

/**
 * Which saved weight each of the model's weights takes: the one of the same name, or, when names differ (layer
 * names are numbered per process, so a model built twice in one process gets new names), the one in the same
 * position, provided every shape matches.
 */
function matchWeights(state: RunState, model: TrainableModel): Map<string, string> {
  const weights = model.weights;
  const byName = new Map(weights.map((w) => [w.name, w.name]));
  const sameShape = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, i) => d === b[i]);
  const missing = weights.find((w) => !state.weights.has(w.name));
  if (!missing) {
    for (const w of weights) {
      const saved = state.weights.get(w.name)!;
      if (!sameShape(saved.shape, w.variable.shape)) {
        throw new CheckpointError(
          state.file,
          `Checkpoint ${state.file}: weight '${w.name}' has shape [${saved.shape.join(', ')}], the model's is [${w.variable.shape.join(', ')}].`,
        );
      }
    }
    return byName;
  }
  const names = state.weightNames;
  if (names.length === weights.length && weights.every((w, i) => sameShape(state.weights.get(names[i])!.shape, w.variable.shape))) {
    return new Map(weights.map((w, i) => [w.name, names[i]]));
  }
  throw new CheckpointError(
    state.file,
    `Checkpoint ${state.file} has no weight '${missing.name}', and its ${names.length} weights do not match the model's ${weights.length} by position: it was written for a different model.`,
  );
}

/** Puts a checkpoint's weights, optimizer state, callback state and layer generators back. */
export function applyRunState(state: RunState, model: TrainableModel, optimizer: Optimizer, callbacks: readonly Callback[]): void {
  const match = matchWeights(state, model);
  if (state.optimizer.className !== optimizer.className) {
    throw new CheckpointError(state.file, `Checkpoint ${state.file} holds ${state.optimizer.className} state, the Trainer uses ${optimizer.className}.`);
  }
  tf.tidy(() => {
    for (const w of model.weights) {
      const saved = state.weights.get(match.get(w.name)!)!;
      w.variable.assign(tf.tensor(valuesOf(saved, w.name, state.file), [...saved.shape], w.variable.dtype));
    }
  });
  const current = new Map([...match].map(([now, saved]) => [saved, now]));
  const slots: Record<string, Tensor> = {};
  for (const [k, t] of state.optimizer.slots) {
    const cut = k.lastIndexOf('/');
    const weight = current.get(k.slice(0, cut)) ?? k.slice(0, cut);
    slots[`${weight}${k.slice(cut)}`] = tf.tensor(valuesOf(t, k, state.file), [...t.shape], 'float32');
  }
  try {
    optimizer.setState({ className: state.optimizer.className, iterations: state.optimizer.iterations, learningRate: state.optimizer.learningRate, slots });
  } finally {
    tf.dispose(Object.values(slots));
  }
  for (const [key, c] of callbackKeys(callbacks)) {
    const s = state.callbacks[key];
    if (s !== null && s !== undefined && c.setState) c.setState(s);
  }
  randomLayers(model).forEach((l, i) => {
    const saved = state.layerRngs[i];
    if (!saved) return;
    if (l.setRandomState) l.setRandomState(saved.state);
    else l.rng = Rng.fromState(saved.state);
  });
}

/**
 * Whether a folder or store holds a run checkpoint to resume from (it may still be corrupt: `fit({ resume })`
 * checks that, and falls back to an older one).
 * @public
 */
export async function hasRunCheckpoint(from: string | CheckpointStore): Promise<boolean> {
  return (await listRunCheckpoints(await openStore(from))).length > 0;
}

/**
 * Where `fit({ resume })` would continue from: the newest good checkpoint's epoch (the number of epochs already
 * completed) and step, or undefined when there is none. Lets a caller trim its own per-epoch logs to agree with
 * the checkpoint before resuming (a resume that falls back to an older checkpoint repeats later epochs).
 * @public
 */
export async function resumePoint(from: string | CheckpointStore): Promise<{ epoch: number; step: number; file: string } | undefined> {
  const store = await openStore(from);
  if ((await listRunCheckpoints(store)).length === 0) return undefined;
  try {
    const { state } = await latestRunCheckpoint(store);
    return { epoch: state.epoch, step: state.step, file: state.file };
  } catch (e) {
    if (e instanceof CheckpointError) return undefined;
    throw e;
  }
}
