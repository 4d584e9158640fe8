/**
 * @file The layer-test harness: one call checks what every layer must get right (output shape, weights and
 * trainable flags, config round-trip, save/load, gradients against finite differences, no leaked tensors).
 * Framework-free: it throws a `LayerTestError` listing every failed check, so it runs under vitest, jest,
 * node:test or a plain script.
 */
import { NutshellError, Rng, tf, type Tensor } from '@nutshell/tensor';
import { modelFromBytes, modelToBytes } from '../io/weights.js';
import type { Layer } from '../layer.js';
import { Sequential } from '../models/Sequential.js';
import { layerFromConfig } from '../registry.js';

/** A weight the layer must have: its name after the layer's (`kernel`, `cell/bias`), shape and trainable flag. @public */
export interface ExpectedWeight {
  readonly name: string;
  readonly shape: readonly number[];
  /** Default true. */
  readonly trainable?: boolean;
}

/** What {@link runLayerTest} checks, and how. @public */
export interface LayerTestSpec {
  /** Makes a fresh, unbuilt layer (called more than once). */
  readonly make: () => Layer;
  /** The input (or inputs); the caller keeps ownership. */
  readonly input: Tensor | Tensor[];
  /** The output shape `apply(input)` must have. */
  readonly expectedOutputShape?: readonly number[];
  /** The weights, in order. */
  readonly expectedWeights?: readonly ExpectedWeight[];
  /** Check d(Σ r ⊙ output)/d input against central differences (default true; false for integer inputs). */
  readonly inputGradients?: boolean;
  /** Check d/d every trainable weight against central differences (default true). */
  readonly weightGradients?: boolean;
  /** Run the gradient checks in training mode (default false). */
  readonly training?: boolean;
  /** Finite-difference step (default 1e-2: float32 arithmetic). */
  readonly h?: number;
  /** Allowed |autodiff − fd| / max(1, |fd|) (default 5e-3). */
  readonly tolerance?: number;
  /** Entries checked per tensor, chosen with a seeded generator (default 6). */
  readonly samples?: number;
  /** Save the layer in a `Sequential` as safetensors, load it back and compare outputs (default true for one input). */
  readonly saveLoad?: boolean;
}

/** What {@link runLayerTest} found: the checks that ran, and the worst gradient error. @public */
export interface LayerTestReport {
  readonly checks: string[];
  readonly worstGradientError: number;
}

/**
 * One or more checks of {@link runLayerTest} failed. `failures` has one line per failed check, naming the layer,
 * what was checked, what was expected and what was found.
 * @public
 */
export class LayerTestError extends NutshellError {
  /** One line per failed check. */
  readonly failures: readonly string[];
  constructor(layer: string, failures: readonly string[]) {
    super(`runLayerTest(${layer}): ${failures.length} check(s) failed:\n  - ${failures.join('\n  - ')}`);
    this.failures = [...failures];
  }
}

const same = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((d, i) => d === b[i]);
const fmt = (s: readonly (number | null)[]) => `[${s.map((d) => d ?? '?').join(', ')}]`;

async function maxAbsDiff(a: Tensor, b: Tensor): Promise<number> {
  const [x, y] = [await a.data(), await b.data()];
  let d = 0;
  for (let i = 0; i < x.length; i++) d = Math.max(d, Math.abs(x[i] - y[i]));
  return d;
}

/**
 * Runs the checks every layer should pass, on a fresh layer from `spec.make()`:
 *
 * - **shape**: `apply(input)` has `computeOutputShape(input shape)` and `expectedOutputShape`;
 * - **weights**: names (after the layer's name), shapes and trainable flags are `expectedWeights`; `countParams`
 *   is their total size; `trainable = false` freezes every one;
 * - **config**: `layerFromConfig(JSON of getConfig())` gives the same config, and with the same weights the same output;
 * - **save/load**: in a `Sequential`, `modelToBytes` → `modelFromBytes` gives the same output (one input only);
 * - **gradients**: d(Σ r ⊙ output) with respect to the input and every trainable weight, against central
 *   differences at `samples` seeded entries;
 * - **leaks**: inference, training and gradient passes leave `numTensors` unchanged.
 *
 * Throws a `LayerTestError` listing every failure; returns a report otherwise. The layer class must be
 * registered (`registerLayer`) for the config check.
 *
 * @example
 * ```ts
 * await runLayerTest({ make: () => new Dense({ units: 3, seed: 1 }), input: tf.randomNormal([2, 4]), expectedOutputShape: [2, 3],
 *   expectedWeights: [{ name: 'kernel', shape: [4, 3] }, { name: 'bias', shape: [3] }] });
 * ```
 * @public
 */
export async function runLayerTest(spec: LayerTestSpec): Promise<LayerTestReport> {
  const failures: string[] = [];
  const checks: string[] = [];
  const layer = spec.make();
  const inputs = Array.isArray(spec.input) ? spec.input : [spec.input];
  const multi = Array.isArray(spec.input);
  const run = (l: Layer, ins: Tensor[], training = false) => l.apply(multi ? ins : ins[0], { training });
  const shapes = inputs.map((t) => [...t.shape]);
  let worst = 0;
  const disposeLater: Tensor[] = [];
  try {
    // Shape.
    checks.push('shape');
    const y = run(layer, inputs);
    disposeLater.push(y);
    const predicted = layer.computeOutputShape(multi ? shapes : shapes[0]);
    if (!same(predicted as number[], y.shape))
      failures.push(`shape: computeOutputShape says ${fmt(predicted)}, apply gave ${fmt(y.shape)}`);
    if (spec.expectedOutputShape && !same(spec.expectedOutputShape, y.shape))
      failures.push(`shape: expected ${fmt(spec.expectedOutputShape)}, apply gave ${fmt(y.shape)}`);

    // Weights.
    checks.push('weights');
    const ws = layer.weights;
    if (spec.expectedWeights) {
      const got = ws.map(
        (w) =>
          `${w.name.startsWith(`${layer.name}/`) ? w.name.slice(layer.name.length + 1) : w.name} ${fmt(w.variable.shape)} ${w.trainable ? 'trainable' : 'frozen'}`,
      );
      const want = spec.expectedWeights.map(
        (w) => `${w.name} ${fmt(w.shape)} ${w.trainable === false ? 'frozen' : 'trainable'}`,
      );
      if (got.join('; ') !== want.join('; '))
        failures.push(`weights: expected ${want.join('; ')}; got ${got.join('; ')}`);
    }
    const total = ws.reduce((n, w) => n + w.variable.size, 0);
    if (layer.countParams() !== total)
      failures.push(`weights: countParams() is ${layer.countParams()}, the weights hold ${total}`);

    // Leaks: inference and training passes.
    checks.push('leaks');
    for (const training of [false, true]) {
      const before = tf.memory().numTensors;
      run(layer, inputs, training).dispose();
      const after = tf.memory().numTensors;
      if (after !== before)
        failures.push(
          `leaks: ${training ? 'a training' : 'an inference'} apply left ${after - before} tensor(s)`,
        );
    }

    // Config round-trip.
    checks.push('config');
    const config = layer.getConfig();
    let copy: Layer | undefined;
    try {
      copy = layerFromConfig(JSON.parse(JSON.stringify(config)));
      const again = copy.getConfig();
      if (JSON.stringify(again) !== JSON.stringify(config))
        failures.push(`config: round-trip changed it: ${JSON.stringify(config)} → ${JSON.stringify(again)}`);
      run(copy, inputs).dispose();
      copy.setWeights(ws.map((w) => w.variable));
      const y2 = run(copy, inputs);
      const d = await maxAbsDiff(y, y2);
      y2.dispose();
      if (!(d <= 1e-6))
        failures.push(`config: the layer rebuilt from its config, with the same weights, differs by ${d}`);
    } catch (e) {
      failures.push(`config: ${(e as Error).message}`);
    } finally {
      copy?.dispose();
    }

    // Save/load through safetensors.
    if ((spec.saveLoad ?? !multi) && !multi) {
      checks.push('saveLoad');
      const inModel = spec.make();
      try {
        const model = new Sequential([inModel]);
        model.apply(inputs[0]).dispose();
        inModel.setWeights(ws.map((w) => w.variable));
        const loaded = modelFromBytes(await modelToBytes(model));
        const y3 = loaded.apply(inputs[0]);
        const d = await maxAbsDiff(y, y3);
        y3.dispose();
        for (const w of loaded.weights) w.variable.dispose();
        if (!(d <= 1e-6)) failures.push(`saveLoad: the loaded model's output differs by ${d}`);
      } catch (e) {
        failures.push(`saveLoad: ${(e as Error).message}`);
      } finally {
        inModel.dispose();
      }
    }

    // Gradients against central differences.
    const h = spec.h ?? 1e-2;
    const tol = spec.tolerance ?? 5e-3;
    const samples = spec.samples ?? 6;
    const rng = new Rng(99);
    const r = tf.tidy(() => tf.randomNormal(y.shape, 0, 1, 'float32', 5));
    disposeLater.push(r);
    const training = spec.training ?? false;
    const loss = (ins: Tensor[]) => tf.tidy(() => tf.sum(tf.mul(r, run(layer, ins, training))));
    const lossAt = async (ins: Tensor[]) => {
      const t = loss(ins);
      const v = (await t.data())[0];
      t.dispose();
      return v;
    };
    const compare = (what: string, i: number, g: number, fd: number) => {
      const err = Math.abs(g - fd) / Math.max(1, Math.abs(fd));
      worst = Math.max(worst, err);
      if (!(err < tol))
        failures.push(`gradients: d/d${what}[${i}]: autodiff ${g} vs central difference ${fd}`);
    };
    if (spec.inputGradients ?? true) {
      checks.push('inputGradients');
      const before = tf.memory().numTensors;
      const gx = tf.grads((...ins: Tensor[]) => loss(ins))(inputs);
      for (let k = 0; k < inputs.length; k++) {
        const base = Array.from(await inputs[k].data());
        const g = await gx[k].data();
        for (let s = 0; s < samples; s++) {
          const i = rng.nextInt(base.length);
          const nudged = (d: number) =>
            tf.tensor(
              base.map((v, j) => (j === i ? v + d : v)),
              inputs[k].shape,
              inputs[k].dtype,
            );
          const [up, down] = [nudged(h), nudged(-h)];
          const fu = await lossAt(inputs.map((t, j) => (j === k ? up : t)));
          const fdn = await lossAt(inputs.map((t, j) => (j === k ? down : t)));
          tf.dispose([up, down]);
          compare(`input${inputs.length > 1 ? k : ''}`, i, g[i], (fu - fdn) / (2 * h));
        }
      }
      tf.dispose(gx);
      const after = tf.memory().numTensors;
      if (after !== before) failures.push(`leaks: the input-gradient pass left ${after - before} tensor(s)`);
    }
    const trainable = layer.trainableWeights;
    if ((spec.weightGradients ?? true) && trainable.length > 0) {
      checks.push('weightGradients');
      const before = tf.memory().numTensors;
      const { value, grads } = tf.variableGrads(
        () => loss(inputs) as tf.Scalar,
        trainable.map((w) => w.variable),
      );
      value.dispose();
      for (const w of trainable) {
        const base = Array.from(await w.variable.data());
        const g = await grads[w.variable.name].data();
        const setTo = (vals: number[]) => {
          const t = tf.tensor(vals, w.variable.shape);
          w.variable.assign(t);
          t.dispose();
        };
        for (let s = 0; s < samples; s++) {
          const i = rng.nextInt(base.length);
          setTo(base.map((v, j) => (j === i ? v + h : v)));
          const fu = await lossAt(inputs);
          setTo(base.map((v, j) => (j === i ? v - h : v)));
          const fdn = await lossAt(inputs);
          setTo(base);
          compare(w.name, i, g[i], (fu - fdn) / (2 * h));
        }
      }
      tf.dispose(Object.values(grads));
      const after = tf.memory().numTensors;
      if (after !== before) failures.push(`leaks: the weight-gradient pass left ${after - before} tensor(s)`);
    }

    // Freezing.
    checks.push('trainable');
    layer.trainable = false;
    if (layer.trainableWeights.length !== 0)
      failures.push(
        `trainable: after trainable = false, ${layer.trainableWeights.map((w) => w.name).join(', ')} still train`,
      );
  } catch (e) {
    failures.push(`unexpected error: ${(e as Error).message}`);
  } finally {
    tf.dispose(disposeLater);
    layer.dispose();
  }
  if (failures.length > 0) throw new LayerTestError(`${layer.className} '${layer.name}'`, failures);
  return { checks, worstGradientError: worst };
}
