// Shared checks: a recurrent layer against the float64 reference, forward and gradients (finite differences of
// the reference, so autodiff is never checked against itself).
import { read, tf, type Tensor, type Variable } from '@nutshell/tensor';
import { expect } from 'vitest';
import { GRU, LSTM, SimpleRNN, type RNN } from '../index.js';
import {
  cube,
  matrix,
  runReference,
  values,
  type Kind,
  type RefOptions,
  type RefWeights,
} from './reference.js';

export interface Case {
  kind: Kind;
  batch: number;
  steps: number;
  features: number;
  units: number;
  goBackwards?: boolean;
  returnSequences?: boolean;
  withInitial?: boolean;
  withMask?: boolean;
  useBias?: boolean;
  seed?: number;
}

export interface Prepared {
  layer: RNN;
  x: Tensor;
  initial: Tensor[];
  mask?: Tensor;
  ref: { x: number[][][]; w: RefWeights; o: RefOptions };
  dispose(): void;
}

const gatesOf = (k: Kind) => (k === 'lstm' ? 4 : k === 'simple' ? 1 : 3);

/** A layer of the case's kind with fixed weights, an input, initial states and a mask, and their plain copies. */
export function prepare(c: Case): Prepared {
  const s = c.seed ?? 1;
  const args = {
    units: c.units,
    goBackwards: c.goBackwards,
    returnSequences: c.returnSequences,
    useBias: c.useBias,
  };
  const layer: RNN =
    c.kind === 'lstm'
      ? new LSTM(args)
      : c.kind === 'simple'
        ? new SimpleRNN(args)
        : new GRU({ ...args, resetAfter: c.kind === 'gru' });
  const g = gatesOf(c.kind) * c.units;
  const kernel = values(c.features * g, s + 1, 0.6);
  const recurrent = values(c.units * g, s + 2, 0.6);
  const biasRows = c.kind === 'gru' ? 2 : 1;
  const bias = values(biasRows * g, s + 3, 0.4);
  const xs = values(c.batch * c.steps * c.features, s + 4, 1);
  const nStates = c.kind === 'lstm' ? 2 : 1;
  const init = c.withInitial
    ? Array.from({ length: nStates }, (_, i) => values(c.batch * c.units, s + 5 + i, 0.8))
    : [];
  const maskRows = c.withMask
    ? Array.from({ length: c.batch }, (_, n) =>
        Array.from({ length: c.steps }, (_, t) => (t >= c.steps - n ? 0 : t === 1 && n === 0 ? 0 : 1)),
      )
    : undefined;

  const x = tf.tensor3d(xs, [c.batch, c.steps, c.features]);
  layer.apply(x).dispose(); // build
  const w: Tensor[] = [tf.tensor2d(kernel, [c.features, g]), tf.tensor2d(recurrent, [c.units, g])];
  if (c.useBias !== false) w.push(biasRows === 2 ? tf.tensor2d(bias, [2, g]) : tf.tensor1d(bias));
  layer.setWeights(w);
  tf.dispose(w);
  const initial = init.map((v) => tf.tensor2d(v, [c.batch, c.units]));
  const mask = maskRows ? tf.tensor2d(maskRows.flat(), [c.batch, c.steps]) : undefined;
  return {
    layer,
    x,
    initial,
    mask,
    ref: {
      x: cube(xs, c.batch, c.steps, c.features),
      w: {
        kernel: matrix(kernel, c.features, g),
        recurrent: matrix(recurrent, c.units, g),
        bias: c.useBias === false ? undefined : biasRows === 2 ? matrix(bias, 2, g) : bias,
      },
      o: {
        units: c.units,
        goBackwards: c.goBackwards,
        returnSequences: c.returnSequences,
        initial: c.withInitial ? init.map((v) => matrix(v, c.batch, c.units)) : undefined,
        mask: maskRows,
      },
    },
    dispose() {
      tf.dispose([x, ...initial, ...(mask ? [mask] : [])]);
      layer.dispose();
    },
  };
}

function maxRelErr(a: ArrayLike<number>, b: readonly number[]): number {
  expect(a.length).toBe(b.length);
  let e = 0;
  for (let i = 0; i < b.length; i++) e = Math.max(e, Math.abs(a[i] - b[i]) / (1 + Math.abs(b[i])));
  return e;
}

/** Forward output and final states against the float64 reference. Returns the worst relative error. */
export async function checkForward(c: Case, tol = 2e-6): Promise<number> {
  const p = prepare(c);
  const before = tf.memory().numTensors;
  const r = p.layer.forward(p.x, { initialState: p.initial.length ? p.initial : undefined, mask: p.mask });
  const ref = runReference(c.kind, p.ref.x, p.ref.w, p.ref.o);
  let err = maxRelErr(await read(r.output), ref.output);
  for (let i = 0; i < ref.states.length; i++)
    err = Math.max(err, maxRelErr(await read(r.states[i]), ref.states[i]));
  expect(r.output.shape).toEqual(c.returnSequences ? [c.batch, c.steps, c.units] : [c.batch, c.units]);
  tf.dispose([r.output, ...r.states]);
  expect(tf.memory().numTensors).toBe(before);
  p.dispose();
  expect(err, `${c.kind} forward vs float64`).toBeLessThan(tol);
  return err;
}

/**
 * d loss / d (input, initial states, kernel, recurrent kernel, bias), where loss = Σ r ⊙ output + Σ q ⊙ (last
 * state), from tfjs autodiff, against central differences of the float64 reference at `samples` entries each.
 */
export async function checkGradients(c: Case, samples = 5, tol = 1e-4): Promise<number> {
  const p = prepare(c);
  const probe = p.layer.forward(p.x, {
    initialState: p.initial.length ? p.initial : undefined,
    mask: p.mask,
  });
  const rFlat = values(probe.output.size, 77, 1);
  const lastState = probe.states.length - 1;
  const qFlat = values(probe.states[lastState].size, 78, 1);
  const rT = tf.tensor(rFlat, probe.output.shape);
  const qT = tf.tensor(qFlat, probe.states[lastState].shape);
  tf.dispose([probe.output, ...probe.states]);
  const loss = (x: Tensor, init: Tensor[]) =>
    tf.tidy(() => {
      const out = p.layer.forward(x, { initialState: init.length ? init : undefined, mask: p.mask });
      return tf.add(tf.sum(tf.mul(rT, out.output)), tf.sum(tf.mul(qT, out.states[lastState])));
    });
  const inputGrads = tf.grads((...ins: Tensor[]) => loss(ins[0], ins.slice(1)))([p.x, ...p.initial]);
  const vars = p.layer.trainableWeights.map((w) => w.variable);
  const { value, grads } = tf.variableGrads(() => loss(p.x, p.initial) as tf.Scalar, vars as Variable[]);
  value.dispose();

  const refLoss = (mut: (ref: Prepared['ref']) => void) => {
    const ref = structuredClone(p.ref);
    mut(ref);
    const r = runReference(c.kind, ref.x, ref.w, ref.o);
    let s = 0;
    r.output.forEach((v, i) => (s += v * rFlat[i]));
    r.states[lastState].forEach((v, i) => (s += v * qFlat[i]));
    return s;
  };
  const h = 1e-5;
  // Each target: its autodiff gradient and how to nudge entry i of its reference copy.
  const targets: {
    name: string;
    grad: Tensor;
    nudge: (ref: Prepared['ref'], i: number, d: number) => void;
  }[] = [
    {
      name: 'input',
      grad: inputGrads[0],
      nudge: (r, i, d) =>
        (r.x[Math.floor(i / (c.steps * c.features))][Math.floor(i / c.features) % c.steps][i % c.features] +=
          d),
    },
    ...p.initial.map((_, k) => ({
      name: `initial state ${k}`,
      grad: inputGrads[1 + k],
      nudge: (r: Prepared['ref'], i: number, d: number) =>
        (r.o.initial![k][Math.floor(i / c.units)][i % c.units] += d),
    })),
  ];
  const g = vars[0].shape[1] as number;
  for (const v of vars) {
    const name = p.layer.weights
      .find((w) => w.variable === v)!
      .name.split('/')
      .pop()!;
    const nudge =
      name === 'kernel'
        ? (r: Prepared['ref'], i: number, d: number) => (r.w.kernel[Math.floor(i / g)][i % g] += d)
        : name === 'recurrent_kernel'
          ? (r: Prepared['ref'], i: number, d: number) => (r.w.recurrent[Math.floor(i / g)][i % g] += d)
          : c.kind === 'gru'
            ? (r: Prepared['ref'], i: number, d: number) =>
                ((r.w.bias as number[][])[Math.floor(i / g)][i % g] += d)
            : (r: Prepared['ref'], i: number, d: number) => ((r.w.bias as number[])[i] += d);
    targets.push({ name, grad: grads[v.name], nudge });
  }
  let worst = 0;
  for (const t of targets) {
    const gv = await read(t.grad);
    for (let s = 0; s < samples; s++) {
      const i = Math.floor((((s * 7919 + 13) % 1000) / 1000) * gv.length);
      const fd = (refLoss((r) => t.nudge(r, i, h)) - refLoss((r) => t.nudge(r, i, -h))) / (2 * h);
      const err = Math.abs(gv[i] - fd) / (1 + Math.abs(fd));
      worst = Math.max(worst, err);
      expect(
        err,
        `${c.kind} d loss/d ${t.name}[${i}]: autodiff ${gv[i]} vs float64 central difference ${fd}`,
      ).toBeLessThan(tol);
    }
  }
  tf.dispose([rT, qT, ...inputGrads, ...Object.values(grads)]);
  p.dispose();
  return worst;
}
