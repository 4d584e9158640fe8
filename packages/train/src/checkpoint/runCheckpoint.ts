import { Rng, tf } from '@nutshell/tensor';
import type { RngState, Tensor } from '@nutshell/tensor';
import { CheckpointError } from '../errors.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import type { Callback } from '../callbacks/callback.js';
import type { History } from '../trainer/events.js';
import type { TrainableModel } from '../trainer/model.js';
import type { CheckpointStore } from './store.js';
import { decodeCheckpointFile, encodeCheckpointFile } from './checkpointFile.js';
import type { StTensor } from './safetensors.js';

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
  readonly weights: Map<string, StTensor>;
  readonly optimizer: { className: string; iterations: number; learningRate: number; slots: Map<string, StTensor> };
  readonly callbacks: unknown[];
  readonly layerRngs: Record<string, RngState>;
}

const PATTERN = /^step-(\d+)\.ckpt$/;
const fileName = (step: number) => `step-${String(step).padStart(10, '0')}.ckpt`;

// JSON cannot hold NaN or ±Infinity (a NaN validation AUC, a loss that blew up): spell them out.
const replacer = (_k: string, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? { $num: String(v) } : v);
const reviver = (_k: string, v: unknown) => (v && typeof v === 'object' && '$num' in (v as object) ? Number((v as { $num: string }).$num) : v);

async function toSt(t: Tensor): Promise<StTensor> {
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

/** Layers that draw random numbers (dropout) from their own seeded generator, by name. */
function randomLayers(model: TrainableModel): Map<string, RandomLayer> {
  const out = new Map<string, RandomLayer>();
  const layers = (model as { layers?: unknown }).layers;
  if (!Array.isArray(layers)) return out;
  for (const l of layers as RandomLayer[]) {
    if (l && typeof l.name === 'string' && (typeof l.getRandomState === 'function' || l.rng instanceof Rng)) out.set(l.name, l);
  }
  return out;
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
  const tensors: Record<string, StTensor> = {};
  for (const w of run.model.weights) tensors[`weight:${w.name}`] = await toSt(w.variable);
  const opt = run.optimizer.getState();
  try {
    for (const [k, t] of Object.entries(opt.slots)) tensors[`slot:${k}`] = await toSt(t);
  } finally {
    tf.dispose(Object.values(opt.slots));
  }
  const { order, ...progress } = run.state;
  if (order) tensors.order = { dtype: 'I32', shape: [order.length], data: order };
  const layerRngs: Record<string, RngState> = {};
  for (const [name, l] of randomLayers(run.model)) layerRngs[name] = l.getRandomState ? l.getRandomState() : (l.rng as Rng).state();
  const metadata = {
    format: 'nutshell-run-checkpoint',
    version: '1',
    progress: JSON.stringify(progress, replacer),
    optimizer: JSON.stringify({ className: opt.className, iterations: opt.iterations, learningRate: opt.learningRate }),
    callbacks: JSON.stringify(run.callbacks.map((c) => (c.getState ? c.getState() : null)), replacer),
    layerRngs: JSON.stringify(layerRngs),
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
  const weights = new Map<string, StTensor>();
  const slots = new Map<string, StTensor>();
  for (const [k, t] of tensors) {
    if (k.startsWith('weight:')) weights.set(k.slice(7), t);
    else if (k.startsWith('slot:')) slots.set(k.slice(5), t);
  }
  const order = tensors.get('order')?.data as Int32Array | undefined;
  return {
    ...progress,
    order,
    file,
    weights,
    optimizer: { ...(JSON.parse(metadata.optimizer) as { className: string; iterations: number; learningRate: number }), slots },
    callbacks: JSON.parse(metadata.callbacks, reviver) as unknown[],
    layerRngs: JSON.parse(metadata.layerRngs) as Record<string, RngState>,
  };
}

/** The names of the run checkpoints in a store, newest first. */
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

/** Puts a checkpoint's weights, optimizer state and callback state back. */
export function applyRunState(state: RunState, model: TrainableModel, optimizer: Optimizer, callbacks: readonly Callback[]): void {
  const weights = model.weights;
  for (const w of weights) {
    const saved = state.weights.get(w.name);
    if (!saved) throw new CheckpointError(state.file, `Checkpoint ${state.file} has no weight '${w.name}': it was written for a different model.`);
    if (saved.shape.length !== w.variable.shape.length || saved.shape.some((d, i) => d !== w.variable.shape[i])) {
      throw new CheckpointError(
        state.file,
        `Checkpoint ${state.file}: weight '${w.name}' has shape [${saved.shape.join(', ')}], the model's is [${w.variable.shape.join(', ')}].`,
      );
    }
  }
  if (state.optimizer.className !== optimizer.className) {
    throw new CheckpointError(state.file, `Checkpoint ${state.file} holds ${state.optimizer.className} state, the Trainer uses ${optimizer.className}.`);
  }
  tf.tidy(() => {
    for (const w of weights) {
      const saved = state.weights.get(w.name)!;
      w.variable.assign(tf.tensor(saved.data, saved.shape, w.variable.dtype));
    }
  });
  const slots: Record<string, Tensor> = {};
  for (const [k, t] of state.optimizer.slots) slots[k] = tf.tensor(t.data, t.shape, 'float32');
  try {
    optimizer.setState({ className: state.optimizer.className, iterations: state.optimizer.iterations, learningRate: state.optimizer.learningRate, slots });
  } finally {
    tf.dispose(Object.values(slots));
  }
  callbacks.forEach((c, i) => {
    const s = state.callbacks[i];
    if (s !== null && s !== undefined && c.setState) c.setState(s);
  });
  for (const [name, l] of randomLayers(model)) {
    const s = state.layerRngs[name];
    if (!s) continue;
    if (l.setRandomState) l.setRandomState(s);
    else l.rng = Rng.fromState(s);
  }
}
