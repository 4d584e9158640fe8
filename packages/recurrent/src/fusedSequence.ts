// A whole sequence as one differentiable op: the forward loop, and the backward pass through time written by hand.
//
// Why: run step by step through ordinary ops, a 100-step LSTM records about 1,500 small ops on the autodiff tape,
// and the tape's generic backward adds as many again (split → concat with zeros, a weight-gradient matmul per
// step, ...). Here the forward loop runs with the tape off (inside `tf.customGrad`) and keeps the gate values it
// computes anyway; the backward does per step only what the recurrence forces (element-wise ops and one matmul
// with Uᵀ), and the weight and input gradients for all steps at once, in a few large matmuls. Slicing a large
// tensor per step is avoided (see `timeSteps`): on the wasm backend it costs more than the arithmetic.
import { tf, type Tensor } from '@nutshell/tensor';

/** What one step of a cell computes, as {@link FusedRecurrence.forwardStep} returns it. @public */
export interface FusedStepResult {
  /** The new states (before any padding mask), the first being the output h. */
  readonly states: Tensor[];
  /** Tensors of this step that the backward pass needs (the same count every step). */
  readonly save: Tensor[];
}

/** What one backward step returns, as {@link FusedRecurrence.backwardStep} computes it. @public */
export interface FusedBackResult {
  /** d loss / d (the step's projected input x·W + b), one `[batch, units]` per gate. */
  readonly dxp: Tensor[];
  /** d loss / d (the step's recurrent product h·U + recurrent bias), one `[batch, units]` per gate. */
  readonly dhu: Tensor[];
  /** d loss / d (each state before the step) through every path except h·U; undefined for none. */
  readonly dStates: (Tensor | undefined)[];
}

/**
 * One cell's recurrence, split so that a whole sequence can run as one op with a hand-written backward pass
 * (see `runFusedSequence`). A cell returns one from `RecurrentCell.fusedRecurrence()` when its activations allow.
 * @public
 */
export interface FusedRecurrence {
  /**
   * One step from the projected input `xp` (x·W + b), the recurrent product `hu` (h·U + b'), each one
   * `[batch, units]` per gate, and the states.
   */
  forwardStep(xp: readonly Tensor[], hu: readonly Tensor[], states: readonly Tensor[]): FusedStepResult;
  /**
   * One step backward: from d loss / d (the step's new states), what `forwardStep` saved at that step, and the
   * states before it.
   */
  backwardStep(
    grads: readonly Tensor[],
    saved: readonly Tensor[],
    previous: readonly Tensor[],
  ): FusedBackResult;
}

/** The inputs of {@link runFusedSequence}. @public */
export interface FusedSequenceInputs {
  /** The input `[steps, batch, features]`, time-major, in processing order. */
  readonly x: Tensor;
  /** The input kernel `[features, gates·units]`. */
  readonly kernel: Tensor;
  /** The bias added to x·W, `[gates·units]`. */
  readonly inputBias?: Tensor;
  /** The recurrent kernel `[units, gates·units]`. */
  readonly recurrentKernel: Tensor;
  /** A bias added to h·U (GRU with `resetAfter`), `[gates·units]`. */
  readonly recurrentBias?: Tensor;
  /** The initial states, each `[batch, units]`. */
  readonly initial: readonly Tensor[];
  /** `[steps, batch, 1]` float 0/1 in processing order: a 0 step keeps the states and outputs zeros. */
  readonly mask?: Tensor;
  /** Recurrent dropout `[batch, units]`, multiplied into h before h·U. */
  readonly recurrentMask?: Tensor;
  /** Whether the per-step outputs are wanted (else only the final states). */
  readonly returnSequences: boolean;
}

/** What {@link runFusedSequence} returns. @public */
export interface FusedSequenceResult {
  /** `[steps, batch, units]` (masked steps zero), with `returnSequences`. */
  readonly outputs?: Tensor;
  /** The final states, each `[batch, units]`. */
  readonly states: Tensor[];
}

/**
 * `x` `[steps, ...]` → one tensor per step. `tf.unstack` slices, and the wasm backend's slice copies the whole
 * input out of its heap for every slice (steps × size: seconds for a 100-step batch); a gather reads only the
 * step. The CPU backend slices in place, so it keeps `unstack`, as do very short sequences.
 */
export function timeSteps(x: Tensor): Tensor[] {
  const steps = x.shape[0];
  if (tf.getBackend() === 'cpu' || steps <= 4) return tf.unstack(x);
  const rest = x.shape.slice(1);
  return Array.from({ length: steps }, (_, t) => {
    const index = tf.tensor1d([t], 'int32');
    const step = tf.reshape(tf.gather(x, index), rest);
    index.dispose();
    return step;
  });
}

// x·W (+ b) for one step's rows, as one kernel where there is a bias.
const affine = (a: Tensor, w: Tensor, b: Tensor | undefined): Tensor =>
  b ? tf.fused.matMul({ a: a as tf.Tensor2D, b: w as tf.Tensor2D, bias: b }) : tf.matMul(a, w);

/**
 * Runs `rec` over every step of `inputs.x` as one op on the autodiff tape, whose gradient (with respect to the
 * input, both kernels, both biases and the initial states) is the hand-written backward pass through time. Each
 * step does x·W + b and h·U (+ b') per gate block (no slicing of a product); the backward pass does the matmuls
 * with Uᵀ per step and the weight gradients (Xᵀ·dZ, Hᵀ·dZ) and dx for all steps at once. Without a tape (inference) it runs the same
 * loop and saves nothing.
 * @public
 */
export function runFusedSequence(rec: FusedRecurrence, inputs: FusedSequenceInputs): FusedSequenceResult {
  const { returnSequences } = inputs;
  const extras = [inputs.mask, inputs.recurrentMask].filter((t): t is Tensor => t !== undefined);
  const nStates = inputs.initial.length;
  const [steps, batch, features] = inputs.x.shape as [number, number, number];
  const units = inputs.initial[0].shape[1] as number;
  let perStep = 0; // tensors saved per step, known after the first step
  const gates = (inputs.kernel.shape[1] as number) / units;
  // A kernel [in, gates·units] (or a bias [gates·units]) as one block per gate.
  const byGate = (w: Tensor): Tensor[] => (gates === 1 ? [w] : tf.split(w, gates, w.rank - 1));

  interface Params {
    x: Tensor;
    W: Tensor;
    bi?: Tensor;
    U: Tensor;
    br?: Tensor;
    s0: Tensor[];
  }
  const order = (p: Params) => [p.x, p.W, ...(p.bi ? [p.bi] : []), p.U, ...(p.br ? [p.br] : []), ...p.s0];
  const params = (ts: Tensor[]): Params => {
    let k = 2;
    const bi = inputs.inputBias ? ts[k++] : undefined;
    const U = ts[k++];
    const br = inputs.recurrentBias ? ts[k++] : undefined;
    return { x: ts[0], W: ts[1], bi, U, br, s0: ts.slice(k) };
  };

  // The loop; with `save`, it also hands over what the backward pass needs.
  const forward = (p: Params, save?: (t: Tensor[]) => void): Tensor => {
    const { mask, recurrentMask } = inputs;
    // One block of columns per gate, so no step needs to split a product (a split is a slice per output, which
    // costs more than the matmul on the wasm backend); the per-gate matmuls do the same arithmetic.
    const [Wg, Ug] = [byGate(p.W), byGate(p.U)];
    const [big, brg] = [p.bi ? byGate(p.bi) : undefined, p.br ? byGate(p.br) : undefined];
    const xs = timeSteps(p.x);
    const ms = mask ? timeSteps(mask) : undefined;
    const keeps = mask ? timeSteps(tf.sub(1, mask)) : undefined;
    let states = p.s0;
    const before: Tensor[] = [];
    const saved: Tensor[] = [];
    const outs: Tensor[] = [];
    for (let t = 0; t < steps; t++) {
      before.push(...states);
      const hin = recurrentMask ? tf.mul(states[0], recurrentMask) : states[0];
      const r = rec.forwardStep(
        Wg.map((w, k) => affine(xs[t], w, big?.[k])),
        Ug.map((u, k) => affine(hin, u, brg?.[k])),
        states,
      );
      perStep = r.save.length;
      saved.push(...r.save);
      if (ms && keeps) {
        const prev = states;
        states = r.states.map((s, j) => tf.add(tf.mul(ms[t], s), tf.mul(keeps[t], prev[j])));
        if (returnSequences) outs.push(tf.mul(ms[t], r.states[0]));
      } else {
        states = r.states;
        if (returnSequences) outs.push(r.states[0]);
      }
    }
    // The masks are saved too: the closure's copies may be disposed before the backward pass runs.
    save?.([p.x, p.W, p.U, ...extras, ...before, ...saved]);
    return tf.concat([
      ...(returnSequences ? [tf.stack(outs)] : []),
      ...states.map((s) => tf.expandDims(s, 0)),
    ]);
  };

  const backward = (dy: Tensor, saved: Tensor[]): Tensor[] => {
    const [x, W, U] = saved;
    let k = 3;
    const mask = inputs.mask ? saved[k++] : undefined;
    const recurrentMask = inputs.recurrentMask ? saved[k++] : undefined;
    const before = saved.slice(k, k + steps * nStates);
    const cellSaved = saved.slice(k + steps * nStates);
    const off = returnSequences ? steps : 0;
    const dOut = returnSequences ? timeSteps(tf.slice(dy, 0, steps)) : undefined;
    let g: Tensor[] = Array.from({ length: nStates }, (_, j) =>
      tf.reshape(tf.slice(dy, [off + j, 0, 0], [1, batch, units]), [batch, units]),
    );
    const ms = mask ? timeSteps(mask) : undefined;
    const keeps = mask ? timeSteps(tf.sub(1, mask)) : undefined;
    const Ug = byGate(U);
    const dxps: Tensor[][] = new Array<Tensor[]>(steps);
    const dhus: Tensor[][] = new Array<Tensor[]>(steps);
    let shared = true; // dhu is dxp at every step (LSTM, SimpleRNN): one stack instead of two
    for (let t = steps - 1; t >= 0; t--) {
      // A masked step's new states reach the carried states (and the output) through the mask; the old ones
      // pass through its complement.
      const gOut = dOut ? tf.add(g[0], dOut[t]) : g[0];
      const gNew = ms ? [gOut, ...g.slice(1)].map((x) => tf.mul(ms[t], x)) : [gOut, ...g.slice(1)];
      const r = rec.backwardStep(
        gNew,
        cellSaved.slice(t * perStep, (t + 1) * perStep),
        before.slice(t * nStates, (t + 1) * nStates),
      );
      let dh = r.dhu.map((d, k) => tf.matMul(d, Ug[k], false, true)).reduce((a, b) => tf.add(a, b));
      if (recurrentMask) dh = tf.mul(dh, recurrentMask);
      const next = r.dStates.map((d, j) => (j === 0 ? (d ? tf.add(d, dh) : dh) : (d ?? tf.zerosLike(g[j]))));
      g = keeps ? next.map((x, j) => tf.add(x, tf.mul(keeps[t], g[j]))) : next;
      dxps[t] = r.dxp;
      dhus[t] = r.dhu;
      shared &&= r.dhu === r.dxp;
    }
    // [steps·batch, gates·units], the gates side by side as in the kernels.
    const joined = (per: Tensor[][]) =>
      tf.concat(
        per[0].map((_, k) => tf.reshape(tf.stack(per.map((d) => d[k])), [steps * batch, units])),
        1,
      );
    const dXp = joined(dxps);
    const dHU = shared ? dXp : joined(dhus);
    const hs = tf.stack(before.filter((_, i) => i % nStates === 0));
    const hin = tf.reshape(recurrentMask ? tf.mul(hs, recurrentMask) : hs, [steps * batch, units]);
    // Every step at once: dx = dZ·Wᵀ, dW = Xᵀ·dZ, dU = H_inᵀ·dZ, the biases' sums.
    return order({
      x: tf.reshape(tf.matMul(dXp, W, false, true), [steps, batch, features]),
      W: tf.matMul(tf.reshape(x, [steps * batch, features]), dXp, true),
      bi: inputs.inputBias ? tf.sum(dXp, 0) : undefined,
      U: tf.matMul(hin, dHU, true),
      br: inputs.recurrentBias ? tf.sum(dHU, 0) : undefined,
      s0: g,
    });
  };

  const args = order({
    x: inputs.x,
    W: inputs.kernel,
    bi: inputs.inputBias,
    U: inputs.recurrentKernel,
    br: inputs.recurrentBias,
    s0: [...inputs.initial],
  });
  let value: Tensor;
  if (tf.engine().isTapeOn()) {
    const op = tf.customGrad((...a: unknown[]) => {
      const save = a.pop() as (t: Tensor[]) => void;
      return { value: forward(params(a as Tensor[]), save), gradFunc: backward };
    });
    value = op(...args);
  } else {
    value = forward(params(args));
  }
  const off = returnSequences ? steps : 0;
  const states = Array.from({ length: nStates }, (_, j) =>
    tf.reshape(tf.slice(value, [off + j, 0, 0], [1, batch, units]), [batch, units]),
  );
  return { outputs: returnSequences ? tf.slice(value, 0, steps) : undefined, states };
}

/**
 * The derivative of an activation that {@link hasClosedFormDerivative}, from its output `y` alone (so the forward
 * pass saves only what it computes anyway). Autodiff of the activation itself cannot run here: the backward pass
 * runs inside the tape's own backward.
 */
export function activationDerivative(name: string, y: Tensor): Tensor {
  switch (name) {
    case 'sigmoid':
      return tf.mul(y, tf.sub(1, y));
    case 'tanh':
      return tf.sub(1, tf.square(y));
    case 'relu':
      return tf.cast(tf.greater(y, 0), 'float32');
    case 'linear':
      return tf.onesLike(y);
    case 'hardSigmoid': // relu6(x + 3) / 6: slope 1/6 where the output is strictly between 0 and 1
      return tf.mul(tf.cast(tf.logicalAnd(tf.greater(y, 0), tf.less(y, 1)), 'float32'), 1 / 6);
    case 'elu': // α = 1: 1 where y > 0, else eˣ = y + 1
      return tf.where(tf.greater(y, 0), tf.onesLike(y), tf.add(y, 1));
    default:
      throw new Error(`activationDerivative: no closed form for '${name}'`);
  }
}

/** Whether the fused sequence can use activation `name`; others run step by step on the autodiff tape. */
export function hasClosedFormDerivative(name: string): boolean {
  return ['sigmoid', 'tanh', 'relu', 'linear', 'hardSigmoid', 'elu'].includes(name);
}
