// The gradient of tfjs's FusedConv2D kernel, for the conv layers' fused convolution + bias + activation
// (`directConv2dFused`). tfjs-core registers no gradient for that kernel: its `tf.fused.conv2d` op wraps the kernel in
// a `customGrad`, which computes the input gradient on every call, also for a first layer whose input is data, and
// under a gradient tape it does not fuse a relu at all. A registered gradient returns one closure per input, and
// tfjs's engine calls only the closures of inputs that lead to what is differentiated.
import { NutshellError, runReluBackprop, tf, type Tensor } from '@nutshell/tensor';

interface FusedConvAttrs {
  strides: [number, number] | number;
  pad: 'same' | 'valid' | number;
  dataFormat: string;
  dilations: [number, number] | number;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  activation: string;
}

const ones = (v: [number, number] | number) => (Array.isArray(v) ? v : [v, v]).every((d) => d === 1);

/**
 * dy through the activation (relu: where the output is positive; linear: as is), then the two convolution gradients
 * (the same kernels as `tf.conv2d`'s gradient) and the bias gradient (dy summed over batch, rows and columns, as
 * `tf.add`'s gradient sums a broadcast bias). NHWC, dilation 1 and a bias of one value per output channel only: the
 * forms `directConv2dFused` runs.
 */
const fusedConv2DGradConfig: tf.GradConfig = {
  kernelName: tf.FusedConv2D,
  inputsToSave: ['x', 'filter'],
  outputsToSave: [true],
  gradFunc: (dy, saved, attrs) => {
    const [x, filter, y] = saved as Tensor[];
    const a = attrs as unknown as FusedConvAttrs;
    if (
      a.dataFormat !== 'NHWC' ||
      !ones(a.dilations) ||
      !(a.activation === 'linear' || a.activation === 'relu')
    )
      throw new NutshellError(
        `FusedConv2D gradient: @nutshell/conv's gradient covers NHWC data, dilation 1 and a 'linear' or 'relu' activation; got ${a.dataFormat}, dilations ${String(a.dilations)}, '${a.activation}'.`,
      );
    const g = dy as Tensor;
    // A relu's backward pass and the bias gradient as one kernel where the backend has it (cpu, wasm, native);
    // otherwise Step and Multiply, and Sum below.
    const fused = a.activation === 'relu' ? runReluBackprop(g, y, true) : undefined;
    const dyAct = fused ? fused[0] : a.activation === 'relu' ? tf.mul(g, tf.step(y)) : g;
    const common = { strides: a.strides, pad: a.pad, dataFormat: 'NHWC', dimRoundingMode: a.dimRoundingMode };
    return {
      x: () =>
        tf.engine().runKernel(tf.Conv2DBackpropInput, { dy: dyAct, filter }, {
          ...common,
          inputShape: x.shape,
        } as unknown as tf.NamedAttrMap) as Tensor,
      filter: () =>
        tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy: dyAct }, {
          ...common,
          filterShape: filter.shape,
        } as unknown as tf.NamedAttrMap) as Tensor,
      bias: () => (fused ? fused[1] : tf.sum(dyAct, [0, 1, 2])),
    };
  },
};

let checked = false;
let ours = false;

/**
 * Registers the gradient the first time, unless another FusedConv2D gradient is registered already; true while the
 * registered one is this one (the fused layer path is taken only then).
 */
export function fusedConvGradientRegistered(): boolean {
  if (!checked) {
    checked = true;
    if (tf.getGradient(tf.FusedConv2D) === undefined) tf.registerGradient(fusedConv2DGradConfig);
  }
  ours = tf.getGradient(tf.FusedConv2D) === fusedConv2DGradConfig;
  return ours;
}
