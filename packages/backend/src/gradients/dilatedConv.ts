// Gradients of dilated convolutions. tfjs-core 4.22 refuses them on every backend ("dilation rates greater
// than 1 are not yet supported in gradients"). A filter dilated by d is the same as a filter d·(k−1)+1
// wide with zeros between its taps, so the gradients are the undilated backprop kernels applied with that
// spread-out filter; the filter gradient is the spread-out one sampled every d taps.
import * as tf from '@tensorflow/tfjs-core';
import type { GradConfig, NamedAttrMap, Tensor, Tensor4D } from '@tensorflow/tfjs-core';

type Pair = [number, number];

function pair(v: number | number[] | undefined): Pair {
  if (v == null) return [1, 1];
  return typeof v === 'number' ? [v, v] : [v[0], v[1] ?? v[0]];
}

/** Puts d−1 zeros between neighbouring entries along `axis` (0 or 1) of a [KH, KW, A, B] filter. */
function spreadAxis(f: Tensor, axis: 0 | 1, d: number): Tensor {
  if (d === 1) return f;
  const [kh, kw, a, b] = f.shape;
  const k = axis === 0 ? kh : kw;
  const outer = axis === 0 ? 1 : kh;
  const inner = axis === 0 ? kw * a * b : a * b;
  const taps = tf.reshape(f, [outer, k, 1, inner]);
  const spread = tf.concat([taps, tf.zeros([outer, k, d - 1, inner])], 2);
  const trimmed = tf.slice(tf.reshape(spread, [outer, k * d, inner]), [0, 0, 0], [outer, (k - 1) * d + 1, inner]);
  return tf.reshape(trimmed, axis === 0 ? [(k - 1) * d + 1, kw, a, b] : [kh, (k - 1) * d + 1, a, b]);
}

function spread(f: Tensor, [dh, dw]: Pair): Tensor4D {
  return spreadAxis(spreadAxis(f, 0, dh), 1, dw) as Tensor4D;
}

/** Every d-th tap of a spread-out filter gradient: the gradient of the dilated filter. */
function sample(g: Tensor, [dh, dw]: Pair, shape: number[]): Tensor {
  return tf.stridedSlice(g, [0, 0, 0, 0], shape.map((s, i) => (i === 0 ? (s - 1) * dh + 1 : i === 1 ? (s - 1) * dw + 1 : s)), [dh, dw, 1, 1]);
}

function run(kernel: string, inputs: Record<string, Tensor>, attrs: Record<string, unknown>): Tensor {
  return tf.engine().runKernel(kernel, inputs, attrs as NamedAttrMap) as Tensor;
}

function isDilated(d: Pair): boolean {
  return d[0] > 1 || d[1] > 1;
}

/**
 * Wraps tfjs's own gradient config: undilated calls go to it unchanged, dilated ones are computed here.
 */
export function dilatedConv2DGradConfig(original: GradConfig): GradConfig {
  return {
    ...original,
    gradFunc: (dy, saved, attrs) => {
      const a = attrs as unknown as { dilations?: number | number[]; strides: number | number[]; pad: unknown; dataFormat: string; dimRoundingMode?: string };
      const d = pair(a.dilations);
      if (!isDilated(d)) return original.gradFunc(dy, saved, attrs);
      const [x, filter] = saved;
      const common = { strides: a.strides, pad: a.pad, dataFormat: a.dataFormat, dimRoundingMode: a.dimRoundingMode };
      return {
        x: () => run(tf.Conv2DBackpropInput, { dy: dy as Tensor, filter: spread(filter, d) }, { ...common, inputShape: x.shape }),
        filter: () => {
          const wide = spread(filter, d).shape;
          return sample(run(tf.Conv2DBackpropFilter, { x, dy: dy as Tensor }, { ...common, filterShape: wide }), d, filter.shape);
        },
      };
    },
  };
}

/** The same for depthwise convolutions. */
export function dilatedDepthwiseGradConfig(original: GradConfig): GradConfig {
  return {
    ...original,
    gradFunc: (dy, saved, attrs) => {
      const a = attrs as unknown as { dilations?: number | number[]; strides: number | number[]; pad: unknown; dimRoundingMode?: string };
      const d = pair(a.dilations);
      if (!isDilated(d)) return original.gradFunc(dy, saved, attrs);
      const [x, filter] = saved;
      const common = { strides: a.strides, pad: a.pad, dimRoundingMode: a.dimRoundingMode, dilations: [1, 1] };
      return {
        x: () => run(tf.DepthwiseConv2dNativeBackpropInput, { dy: dy as Tensor, filter: spread(filter, d) }, { ...common, inputShape: x.shape }),
        filter: () => {
          const wide = spread(filter, d).shape;
          return sample(run(tf.DepthwiseConv2dNativeBackpropFilter, { x, dy: dy as Tensor }, { ...common, filterShape: wide }), d, filter.shape);
        },
      };
    },
  };
}
