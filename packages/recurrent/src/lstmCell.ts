// The long short-term memory unit (Hochreiter & Schmidhuber 1997, with the forget gate of Gers et al. 2000).
import { canonicalActivationName, getActivation } from '@nutshell/activations';
import { tf, type Tensor } from '@nutshell/tensor';
import { RecurrentCell, type RecurrentCellArgs, type StepResult, type WeightAdder } from './cell.js';
import { activationDerivative, hasClosedFormDerivative, type FusedRecurrence } from './fusedSequence.js';

/** One LSTM step laid open, each `[batch, units]`. @public */
export interface LSTMGates {
  /** i: how much of the candidate is written. */
  readonly input: Tensor;
  /** f: how much of the old memory is kept. */
  readonly forget: Tensor;
  /** c̃: what could be written. */
  readonly candidate: Tensor;
  /** o: how much of the memory is shown. */
  readonly output: Tensor;
  /** c': the new memory. */
  readonly cell: Tensor;
  /** h': the new output. */
  readonly hidden: Tensor;
}

/** Arguments of {@link LSTMCell} (and of the `LSTM` layer). @public */
export interface LSTMCellArgs extends RecurrentCellArgs {
  /** The activation of the three gates (default `'sigmoid'`): it must map into [0, 1] for a gate to mean "how much". */
  readonly recurrentActivation?: string;
  /**
   * Start the forget gate's bias at 1 (Jozefowicz et al. 2015), so the cell remembers by default until it learns
   * to forget. Default true.
   */
  readonly unitForgetBias?: boolean;
}

/**
 * An LSTM unit: a memory cell `c` guarded by three gates.
 *
 * At each step, from the input x and the previous output h:
 *
 * - **input gate** `i = σ(x·Wᵢ + h·Uᵢ + bᵢ)`: how much of the candidate to write;
 * - **forget gate** `f = σ(x·W_f + h·U_f + b_f)`: how much of the old memory to keep;
 * - **cell candidate** `c̃ = tanh(x·W_c + h·U_c + b_c)`: what could be written;
 * - **output gate** `o = σ(x·W_o + h·U_o + b_o)`: how much of the memory to show;
 * - the memory `c' = f ⊙ c + i ⊙ c̃`, and the output `h' = o ⊙ tanh(c')`.
 *
 * σ is `recurrentActivation` (sigmoid), tanh is `activation`. Why it remembers: the memory is carried forward
 * by an addition, not by a matrix product and a squashing function. The gradient of c' with respect to c is just
 * f, so while the forget gate stays near 1 the error signal flows back through hundreds of steps undiminished,
 * where a simple RNN multiplies it at every step by U and by tanh' (at most 1) and it vanishes after a few tens.
 *
 * **Weight layout** (the same as Keras): the gates sit side by side in the order **i, f, c, o**:
 * `kernel` `[inputDim, 4·units]`, `recurrentKernel` `[units, 4·units]`, `bias` `[4·units]`; columns
 * `[0, units)` are the input gate, `[units, 2·units)` the forget gate, then the candidate, then the output gate.
 * PyTorch's order i, f, g, o is the same; it stores transposed matrices and two biases (see `importPytorchLstm`).
 *
 * One step is one matmul `h·U` for all four gates; the input part `x·W + b` of every step is computed before
 * the loop, in one matmul, by the `LSTM` layer.
 * @public
 */
export class LSTMCell extends RecurrentCell {
  readonly className: string = 'LSTMCell';
  readonly gates = 4;
  readonly stateCount = 2;
  /** The canonical gate activation name. */
  readonly recurrentActivation: string;
  /** Whether the forget gate's bias starts at 1. */
  readonly unitForgetBias: boolean;
  private readonly gateFn: (t: Tensor) => Tensor;

  constructor(args: LSTMCellArgs) {
    super(args);
    this.recurrentActivation = canonicalActivationName(args.recurrentActivation ?? 'sigmoid');
    this.gateFn = getActivation(this.recurrentActivation);
    this.unitForgetBias = args.unitForgetBias ?? true;
  }

  override createWeights(inputDim: number, add: WeightAdder): void {
    super.createWeights(inputDim, add);
    const bias = this.vars!.bias;
    if (bias && this.unitForgetBias) {
      // Forget-gate block [units, 2·units) to 1; the others keep the bias initializer's values.
      const u = this.units;
      const ones = tf.tidy(() => {
        const [i, , c, o] = tf.split(bias, 4);
        return tf.concat([i, tf.ones([u]), c, o]);
      });
      bias.assign(ones);
      ones.dispose();
    }
  }

  /** Every gate's activation for one step, and the new memory and output: what `recurrentStep` computes, laid open. */
  gateActivations(xp: Tensor, states: readonly Tensor[], recurrentMask?: Tensor): LSTMGates {
    const [h, c] = states;
    const hIn = recurrentMask ? tf.mul(h, recurrentMask) : h;
    const z = tf.add(xp, tf.matMul(hIn, this.w.recurrentKernel)); // all four gates' pre-activations, [batch, 4·units]
    const [zi, zf, zc, zo] = tf.split(z, 4, 1);
    const input = this.gateFn(zi);
    const forget = this.gateFn(zf);
    const candidate = this.activationFn(zc);
    const output = this.gateFn(zo);
    const cell = tf.add(tf.mul(forget, c), tf.mul(input, candidate)); // the additive memory path
    const hidden = tf.mul(output, this.activationFn(cell));
    return { input, forget, candidate, output, cell, hidden };
  }

  recurrentStep(xp: Tensor, states: readonly Tensor[], recurrentMask?: Tensor): StepResult {
    const g = this.gateActivations(xp, states, recurrentMask);
    return { output: g.hidden, states: [g.hidden, g.cell] };
  }

  /**
   * The step for a whole-sequence op. Backward, per step, from the gradients gh, gc of the new h and c:
   * `dc = gc + gh ⊙ o ⊙ act'(c)`; the gates' pre-activation gradients `dc ⊙ c̃ ⊙ σ'(i)`, `dc ⊙ c_prev ⊙ σ'(f)`,
   * `dc ⊙ i ⊙ act'(c̃)`, `gh ⊙ act(c) ⊙ σ'(o)`; and `dc_prev = dc ⊙ f`: the additive memory path, whose gradient
   * is only scaled by the forget gate.
   */
  override fusedRecurrence(): FusedRecurrence | undefined {
    if (!hasClosedFormDerivative(this.activation) || !hasClosedFormDerivative(this.recurrentActivation))
      return undefined;
    const gate = this.gateFn;
    const act = this.activationFn;
    const dGate = (y: Tensor) => activationDerivative(this.recurrentActivation, y);
    const dAct = (y: Tensor) => activationDerivative(this.activation, y);
    return {
      forwardStep: (xp, hu, [, c]) => {
        const [i, f, g, o] = [0, 1, 2, 3].map((k) => (k === 2 ? act : gate)(tf.add(xp[k], hu[k])));
        const cell = tf.add(tf.mul(f, c), tf.mul(i, g));
        const tc = act(cell);
        return { states: [tf.mul(o, tc), cell], save: [i, f, g, o, tc] };
      },
      backwardStep: ([gh, gc], [i, f, g, o, tc], [, cPrev]) => {
        const dc = tf.add(gc, tf.mul(tf.mul(gh, o), dAct(tc)));
        const dz = [
          tf.mul(tf.mul(dc, g), dGate(i)),
          tf.mul(tf.mul(dc, cPrev), dGate(f)),
          tf.mul(tf.mul(dc, i), dAct(g)),
          tf.mul(tf.mul(gh, tc), dGate(o)),
        ];
        return { dxp: dz, dhu: dz, dStates: [undefined, tf.mul(dc, f)] };
      },
    };
  }

  override cellConfig(): Record<string, unknown> {
    return {
      ...super.cellConfig(),
      recurrentActivation: this.recurrentActivation,
      unitForgetBias: this.unitForgetBias,
    };
  }
}
