// Nutshell (like TensorFlow) keeps channels last; ONNX's Conv and pooling ops want channels first.
import type { OnnxGraphBuilder } from '../graphBuilder.js';

/** [N, ...spatial, C] → [N, C, ...spatial]. */
export function toChannelsFirst(g: OnnxGraphBuilder, x: string, rank: number, base: string): string {
  return g.op('Transpose', [x], `${base}/nchw`, {
    perm: [0, rank - 1, ...Array.from({ length: rank - 2 }, (_, i) => i + 1)],
  });
}

/** [N, C, ...spatial] → [N, ...spatial, C]. */
export function toChannelsLast(g: OnnxGraphBuilder, x: string, rank: number, base: string): string {
  return g.op('Transpose', [x], `${base}/nhwc`, {
    perm: [0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2), 1],
  });
}

/** Reorders a row-major array of shape `shape` by `perm` (like numpy's transpose). */
export function transposeValues(
  values: Float32Array,
  shape: readonly number[],
  perm: readonly number[],
): { values: Float32Array; shape: number[] } {
  const outShape = perm.map((p) => shape[p]);
  const inStrides = strides(shape);
  const out = new Float32Array(values.length);
  const idx = new Array<number>(outShape.length).fill(0);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let k = 0; k < perm.length; k++) src += idx[k] * inStrides[perm[k]];
    out[o] = values[src];
    for (let k = outShape.length - 1; k >= 0; k--) {
      if (++idx[k] < outShape[k]) break;
      idx[k] = 0;
    }
  }
  return { values: out, shape: outShape };
}

function strides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length).fill(1);
  for (let k = shape.length - 2; k >= 0; k--) s[k] = s[k + 1] * shape[k + 1];
  return s;
}

/**
 * ONNX `pads` for a channels-first op over `spatial` sizes: TensorFlow's 'same' rule (the odd extra cell goes
 * after), or zeros for 'valid'. Returns undefined when a size is unknown, for the caller to use `auto_pad`.
 */
export function onnxPads(
  spatial: readonly (number | null)[],
  kernel: readonly number[],
  strides: readonly number[],
  dilations: readonly number[],
  padding: 'valid' | 'same',
): number[] | undefined {
  if (padding === 'valid') return spatial.map(() => 0).concat(spatial.map(() => 0));
  if (spatial.some((s) => s == null)) return undefined;
  const before: number[] = [];
  const after: number[] = [];
  spatial.forEach((size, i) => {
    const effective = (kernel[i] - 1) * dilations[i] + 1;
    const out = Math.ceil((size as number) / strides[i]);
    const total = Math.max((out - 1) * strides[i] + effective - (size as number), 0);
    before.push(Math.floor(total / 2));
    after.push(total - Math.floor(total / 2));
  });
  return [...before, ...after];
}

/** The padding attributes of a channels-first op: explicit `pads`, or `auto_pad` when sizes are unknown. */
export function padAttrs(
  spatial: readonly (number | null)[],
  kernel: readonly number[],
  strides: readonly number[],
  dilations: readonly number[],
  padding: 'valid' | 'same',
): Record<string, number[] | string> {
  const pads = onnxPads(spatial, kernel, strides, dilations, padding);
  return pads ? { pads } : { auto_pad: 'SAME_UPPER' };
}
