// The simple (Elman) recurrent unit: the state is the output, fed back through one matrix.
import type { Tensor } from '@nutshell/tensor';
import { tf } from '@nutshell/tensor';
import { RecurrentCell, type RecurrentCellArgs, type StepResult } from './cell.js';
import { activationDerivative, hasClosedFormDerivative, type FusedRecurrence } from './fusedSequence.js';

/** Arguments of {@link SimpleRNNCell} (and of the `SimpleRNN` layer). @public */
export type SimpleRNNCellArgs = RecurrentCellArgs;

/**
 * A simple recurrent unit (Elman 1990): `h' = tanh(x·W + h·U + b)`.
 *
 * The whole memory passes through `U` and the activation at every step, so the gradient reaching a step k steps
 * back is a product of k Jacobians `diag(tanh')·Uᵀ`; it shrinks (or explodes) geometrically, which is why such a
 * unit remembers about ten steps (Bengio et al. 1994). Compare `LSTMCell`.
 *
 * Weight layout (as Keras): `kernel` `[inputDim, units]`, `recurrentKernel` `[units, units]`, `bias` `[units]`.
 * @public
 */
export class SimpleRNNCell extends RecurrentCell {
  readonly className: string = 'SimpleRNNCell';
  readonly gates = 1;
  readonly stateCount = 1;

  constructor(args: SimpleRNNCellArgs) {
    super(args);
  }

  recurrentStep(xp: Tensor, states: readonly Tensor[], recurrentMask?: Tensor): StepResult {
    const h = recurrentMask ? tf.mul(states[0], recurrentMask) : states[0];
    const hNext = this.activationFn(tf.add(xp, tf.matMul(h, this.w.recurrentKernel)));
    return { output: hNext, states: [hNext] };
  }

  /** The step for a whole-sequence op: backward, `d pre = gh ⊙ act'(pre)`, then through Uᵀ to the previous h. */
  override fusedRecurrence(): FusedRecurrence | undefined {
    if (!hasClosedFormDerivative(this.activation)) return undefined;
    const act = this.activationFn;
    return {
      forwardStep: ([xp], [hu]) => {
        const h = act(tf.add(xp, hu));
        return { states: [h], save: [h] };
      },
      backwardStep: ([gh], [h]) => {
        const dPre = tf.mul(gh, activationDerivative(this.activation, h));
        const d = [dPre];
        return { dxp: d, dhu: d, dStates: [undefined] };
      },
    };
  }
}
