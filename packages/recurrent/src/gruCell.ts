// The gated recurrent unit (Cho et al. 2014).
import { canonicalActivationName, getActivation } from '@nutshell/activations';
import { tf, type Tensor } from '@nutshell/tensor';
import { RecurrentCell, type RecurrentCellArgs, type StepResult } from './cell.js';
import { activationDerivative, hasClosedFormDerivative, type FusedRecurrence } from './fusedSequence.js';

/** Arguments of {@link GRUCell} (and of the `GRU` layer). @public */
export interface GRUCellArgs extends RecurrentCellArgs {
  /** The activation of the update and reset gates (default `'sigmoid'`). */
  readonly recurrentActivation?: string;
  /**
   * Apply the reset gate after the recurrent matmul (default true, as Keras 2+ and PyTorch/cuDNN do): then each
   * step is one matmul and the bias has two rows, input and recurrent. False is the original formulation.
   */
  readonly resetAfter?: boolean;
}

/**
 * A GRU unit: two gates and no separate memory cell.
 *
 * - **update gate** `z = σ(x·W_z + h·U_z + b_z)`: how much of the old state to keep;
 * - **reset gate** `r = σ(x·W_r + h·U_r + b_r)`: how much of the old state the candidate sees;
 * - **candidate** `h̃ = tanh(x·W_h + b_h + r ⊙ (h·U_h + b'_h))` (`resetAfter`, the default) or
 *   `tanh(x·W_h + (r ⊙ h)·U_h + b_h)` (`resetAfter: false`);
 * - `h' = z ⊙ h + (1 − z) ⊙ h̃`.
 *
 * Like the LSTM's memory, `h` is carried forward by a gated sum, so gradients survive where z stays near 1.
 *
 * **Weight layout** (the same as Keras): gates in the order **z, r, h**: `kernel` `[inputDim, 3·units]`,
 * `recurrentKernel` `[units, 3·units]`, `bias` `[2, 3·units]` with `resetAfter` (row 0 input, row 1 recurrent)
 * or `[3·units]` without. PyTorch orders the gates r, z, n (see `importPytorchGru`).
 * @public
 */
export class GRUCell extends RecurrentCell {
  readonly className: string = 'GRUCell';
  readonly gates = 3;
  readonly stateCount = 1;
  /** The canonical gate activation name. */
  readonly recurrentActivation: string;
  /** Whether the reset gate applies after the recurrent matmul. */
  readonly resetAfter: boolean;
  private readonly gateFn: (t: Tensor) => Tensor;

  constructor(args: GRUCellArgs) {
    super(args);
    this.recurrentActivation = canonicalActivationName(args.recurrentActivation ?? 'sigmoid');
    this.gateFn = getActivation(this.recurrentActivation);
    this.resetAfter = args.resetAfter ?? true;
  }

  protected override biasShape(): number[] {
    return this.resetAfter ? [2, 3 * this.units] : [3 * this.units];
  }

  protected override inputBias(bias: Tensor): Tensor {
    // Sliced from the flattened bias, so the result is rank 1 in its own data (the wasm backend's fused matmul reads
    // a bias's shape from its data, which a reshape shares).
    return this.resetAfter ? tf.slice(tf.reshape(bias, [-1]), 0, 3 * this.units) : bias;
  }

  recurrentStep(xp: Tensor, states: readonly Tensor[], recurrentMask?: Tensor): StepResult {
    const h = states[0];
    const hIn = recurrentMask ? tf.mul(h, recurrentMask) : h;
    const u = this.units;
    const [xz, xr, xh] = tf.split(xp, 3, 1);
    const U = this.w.recurrentKernel;
    let candidate: Tensor;
    let z: Tensor;
    if (this.resetAfter) {
      let hu = tf.matMul(hIn, U); // one matmul for the three gates
      const b = this.w.bias;
      if (b) hu = tf.add(hu, tf.reshape(tf.slice(b, [1, 0], [1, -1]), [-1]));
      const [hz, hr, hh] = tf.split(hu, 3, 1);
      z = this.gateFn(tf.add(xz, hz));
      const r = this.gateFn(tf.add(xr, hr));
      candidate = this.activationFn(tf.add(xh, tf.mul(r, hh)));
    } else {
      // The reset gate must be known before the candidate's matmul: two matmuls per step.
      const hzr = tf.matMul(hIn, tf.slice(U, [0, 0], [u, 2 * u]));
      const [hz, hr] = tf.split(hzr, 2, 1);
      z = this.gateFn(tf.add(xz, hz));
      const r = this.gateFn(tf.add(xr, hr));
      candidate = this.activationFn(tf.add(xh, tf.matMul(tf.mul(r, hIn), tf.slice(U, [0, 2 * u], [u, u]))));
    }
    const hNext = tf.add(tf.mul(z, h), tf.mul(tf.sub(1, z), candidate));
    return { output: hNext, states: [hNext] };
  }

  override recurrentBias(): Tensor | undefined {
    const b = this.w.bias;
    return this.resetAfter && b ? tf.slice(tf.reshape(b, [-1]), 3 * this.units, 3 * this.units) : undefined;
  }

  /**
   * The step for a whole-sequence op (`resetAfter` only: without it the candidate's matmul needs the reset gate
   * first). With `hu = h·U + b'` split into hz, hr, hh: backward from the gradient g of the new h,
   * `d pre_z = g ⊙ (h − h̃) ⊙ σ'`, `d pre_h = g ⊙ (1 − z) ⊙ act'`, `d pre_r = d pre_h ⊙ hh ⊙ σ'`, `d hh = d pre_h ⊙ r`,
   * and `g ⊙ z` straight to the previous h.
   */
  override fusedRecurrence(): FusedRecurrence | undefined {
    if (
      !this.resetAfter ||
      !hasClosedFormDerivative(this.activation) ||
      !hasClosedFormDerivative(this.recurrentActivation)
    )
      return undefined;
    const gate = this.gateFn;
    const act = this.activationFn;
    const dGate = (y: Tensor) => activationDerivative(this.recurrentActivation, y);
    const dAct = (y: Tensor) => activationDerivative(this.activation, y);
    return {
      forwardStep: ([xz, xr, xh], [hz, hr, hh], [h]) => {
        const z = gate(tf.add(xz, hz));
        const r = gate(tf.add(xr, hr));
        const candidate = act(tf.add(xh, tf.mul(r, hh)));
        const next = tf.add(candidate, tf.mul(z, tf.sub(h, candidate)));
        return { states: [next], save: [z, r, hh, candidate] };
      },
      backwardStep: ([g], [z, r, hh, candidate], [hPrev]) => {
        const dz = tf.mul(tf.mul(g, tf.sub(hPrev, candidate)), dGate(z));
        const dPreH = tf.mul(tf.mul(g, tf.sub(1, z)), dAct(candidate));
        const dr = tf.mul(tf.mul(dPreH, hh), dGate(r));
        return { dxp: [dz, dr, dPreH], dhu: [dz, dr, tf.mul(dPreH, r)], dStates: [tf.mul(g, z)] };
      },
    };
  }

  override cellConfig(): Record<string, unknown> {
    return {
      ...super.cellConfig(),
      recurrentActivation: this.recurrentActivation,
      resetAfter: this.resetAfter,
    };
  }
}
