// Forward and gradient checks of one operation case: on the current backend, in float64 on the host, and
// (by the runner) against the CPU backend.
import { tf } from '@nutshell/backend';
import { Rng } from '@nutshell/tensor';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as R from './reference/ndarray.js';
import type { Nd } from './reference/ndarray.js';
import type { InputSpec, OpCase } from './cases/types.js';

/** A case's inputs: the float32/int32 values both sides see, and their float64 copies. */
export interface CaseInputs {
  readonly values: (Float32Array | Int32Array)[];
  readonly nd: Nd[];
}

function seedOf(name: string): number {
  let h = 2166136261;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619);
  return h >>> 0;
}

function draw(spec: InputSpec, rng: Rng): Float32Array | Int32Array {
  const size = spec.shape.reduce((a, b) => a * b, 1);
  if (spec.values)
    return spec.dtype === 'int32' ? Int32Array.from(spec.values) : Float32Array.from(spec.values);
  const { min = -1, max = 1, avoid = [] } = spec;
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    let v: number;
    do v = Math.fround(min + (max - min) * rng.nextFloat());
    while (avoid.some((a) => Math.abs(v - a) < 0.05));
    out[i] = v;
  }
  return out;
}

/** Seeded inputs of a case (the same on every backend and in every process). */
export function caseInputs(c: OpCase): CaseInputs {
  const rng = new Rng(seedOf(c.name));
  const values = c.inputs.map((spec) => draw(spec, rng));
  return { values, nd: values.map((v, i) => R.nd(c.inputs[i].shape, v)) };
}

/** Indices of the inputs whose gradient is checked. */
export function gradInputs(c: OpCase): number[] {
  if (c.gradient === false || c.refuses) return [];
  return c.inputs.flatMap((s, i) => (s.dtype !== 'int32' && s.grad !== false ? [i] : []));
}

/** Weights w of the scalar L = Σ w ⊙ f(inputs) whose gradient is checked; seeded by case and shape. */
export function lossWeights(c: OpCase, size: number): Float32Array {
  const rng = new Rng(seedOf(`${c.name}/weights`));
  return Float32Array.from({ length: size }, () => Math.fround(rng.nextFloat() * 2 - 1));
}

function toTensors(c: OpCase, inputs: CaseInputs): Tensor[] {
  return inputs.values.map((v, i) => tf.tensor(v, [...c.inputs[i].shape], c.inputs[i].dtype ?? 'float32'));
}

/** The forward output on the current backend, read asynchronously. */
export async function forwardOnBackend(
  c: OpCase,
  inputs: CaseInputs,
): Promise<{ shape: number[]; values: Float32Array | Int32Array }> {
  const xs = toTensors(c, inputs);
  let y: Tensor | undefined;
  try {
    y = tf.tidy(() => c.run(xs)); // composite cases make intermediates
    return { shape: y.shape, values: (await y.data()) as Float32Array | Int32Array };
  } finally {
    tf.dispose(y ? [y, ...xs] : xs);
  }
}

/** dL/d(input) on the current backend for each checked input, L = Σ w ⊙ f(inputs). */
export async function gradientsOnBackend(
  c: OpCase,
  inputs: CaseInputs,
  outShape: number[],
): Promise<Float32Array[]> {
  const which = gradInputs(c);
  const xs = toTensors(c, inputs);
  const w = tf.tensor(
    lossWeights(
      c,
      outShape.reduce((a, b) => a * b, 1),
    ),
    outShape,
  );
  const loss = (...free: Tensor[]) => {
    const all = xs.slice();
    which.forEach((k, j) => (all[k] = free[j]));
    return tf.sum(tf.mul(w, c.run(all)));
  };
  const grads = tf.grads(loss)(which.map((k) => xs[k]));
  try {
    return await Promise.all(grads.map(async (g) => (await g.data()) as Float32Array));
  } finally {
    tf.dispose([...grads, ...xs, w]);
  }
}

/** The forward output in float64 on the host. */
export function forwardReference(c: OpCase, inputs: CaseInputs): Nd {
  if (!c.reference) throw new Error(`the case '${c.name}' has no float64 reference`);
  return c.reference(inputs.nd);
}

/** dL/d(input) by central differences of the float64 reference (step 1e-5·max(1, |x|)). */
export function gradientsReference(c: OpCase, inputs: CaseInputs, outSize: number): Float64Array[] {
  const w = lossWeights(c, outSize);
  const reference = c.reference;
  if (!reference) throw new Error(`the case '${c.name}' has no float64 reference`);
  const loss = (nds: Nd[]) => {
    const y = reference(nds).data;
    let s = 0;
    for (let i = 0; i < y.length; i++) s += w[i] * y[i];
    return s;
  };
  return gradInputs(c).map((k) => {
    const x = inputs.nd[k];
    const g = new Float64Array(x.data.length);
    for (let i = 0; i < x.data.length; i++) {
      const v = x.data[i];
      const h = 1e-5 * Math.max(1, Math.abs(v));
      const nds = inputs.nd.slice();
      const probe = R.nd(x.shape, x.data);
      nds[k] = probe;
      probe.data[i] = v + h;
      const up = loss(nds);
      probe.data[i] = v - h;
      const down = loss(nds);
      g[i] = (up - down) / (2 * h);
    }
    return g;
  });
}
