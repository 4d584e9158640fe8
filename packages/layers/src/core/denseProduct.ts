// x·W + b as one kernel (tfjs's _FusedMatMul), with a gradient registered for it.
//
// Why. Dense ran MatMul and then a broadcast Add: two kernels forward and, backward, the Add's gradient (a Sum and
// Reshapes) besides the product's. Softmax regression's whole step is about 20 small kernels, so each one dropped
// counts. wasm (and native, for small products) runs the fused product with the bias inside the same pass.
//
// Why a registered gradient. `tf.fused.matMul` records a custom gradient that always computes every input's
// gradient, including x's (an extra [batch, units]·[units, features] product for a first layer, whose input needs
// none). A gradient registered for the kernel lets the tape ask only for the gradients it needs. tfjs 4.22 registers
// none for _FusedMatMul, and `tf.fused.matMul` never reaches this one: it runs the kernel inside its custom
// gradient, where the tape records nothing.
import { tf, type Tensor } from '@nutshell/tensor';

let registered: boolean | undefined;

/** Registers the gradient once; false when another one is already registered (then Dense keeps two kernels). */
function gradientRegistered(): boolean {
  if (registered !== undefined) return registered;
  if (tf.getGradient(tf._FusedMatMul)) return (registered = false);
  tf.registerGradient({
    kernelName: tf._FusedMatMul,
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, saved, attrs) => {
      const [a, b] = saved as Tensor[];
      const g = dy as Tensor;
      const { transposeA, transposeB, activation } = attrs as unknown as {
        transposeA: boolean;
        transposeB: boolean;
        activation?: string;
      };
      // Only Dense runs this kernel outside tf.fused.matMul, always linear; anything else is a bug here.
      if (activation !== undefined && activation !== 'linear')
        throw new Error(`@nutshell/layers: no gradient for _FusedMatMul with activation '${activation}'.`);
      // As tfjs's BatchMatMul gradient, for each pair of transposes.
      return {
        a: () => (!transposeA ? tf.matMul(g, b, false, !transposeB) : tf.matMul(b, g, transposeB, true)),
        b: () => (!transposeB ? tf.matMul(a, g, !transposeA, false) : tf.matMul(g, a, true, transposeA)),
        bias: () => tf.sum(g, 0),
      };
    },
  });
  return (registered = true);
}

/**
 * `x · kernel + bias` for a rank-2 float32 `x` whose width matches the kernel and a bias of one value per unit, as
 * one kernel where the backend has it; undefined otherwise (the caller multiplies and adds).
 */
export function denseProduct(x: Tensor, kernel: Tensor, bias: Tensor): Tensor | undefined {
  if (x.rank !== 2 || x.dtype !== 'float32' || kernel.dtype !== 'float32' || bias.dtype !== 'float32')
    return undefined;
  if (
    kernel.rank !== 2 ||
    x.shape[1] !== kernel.shape[0] ||
    bias.rank !== 1 ||
    bias.shape[0] !== kernel.shape[1]
  )
    return undefined;
  if (!tf.getKernel(tf._FusedMatMul, tf.getBackend()) || !gradientRegistered()) return undefined;
  return tf
    .engine()
    .runKernel(
      tf._FusedMatMul,
      { a: x, b: kernel, bias },
      { transposeA: false, transposeB: false, activation: 'linear' },
    ) as Tensor;
}
