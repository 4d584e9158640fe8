import type { Tensor } from '@nutshell/tensor';

/**
 * What the visualisers need of a layer: its name, class and weights. `@nutshell/layers`' `Layer` fits; so does any
 * object with these members.
 * @public
 */
export interface LayerLike {
  /** Unique name within the model (`conv2d_1`). */
  readonly name: string;
  /** The weights, named `<layer>/<weight>` (`conv2d_1/kernel`). */
  readonly weights: readonly { readonly name: string; readonly variable: Tensor }[];
  /** The layer's config; `className` names its class. */
  getConfig?(): { className?: string; [key: string]: unknown };
  /** Number of scalar parameters (default: the sum of the weights' sizes). */
  countParams?(): number;
  /** The output shape for an input shape (batch first), for diagrams of sequential models. */
  computeOutputShape?(inputShape: (number | null)[]): (number | null)[];
}

/**
 * What the visualisers need of a model: `@nutshell/layers`' `Sequential` and `Model` fit.
 * @public
 */
export interface ModelLike {
  /** The model's name, used in headings and messages. */
  readonly name: string;
  /** The layers in order of computation. */
  readonly layers: readonly LayerLike[];
  /** The model's input shape with `null` for the batch, e.g. `[null, 28, 28, 1]`. */
  readonly inputShape: readonly (number | null)[];
  /** Every layer's output for `x`, in order; the caller disposes the tensors. */
  intermediateOutputs(x: Tensor, opts?: { training?: boolean }): { layer: LayerLike; output: Tensor }[];
  /** Inference on a batch (used for confusion matrices); the caller disposes the result. */
  predict?(x: Tensor, opts?: { batchSize?: number }): Tensor;
  /** The model's JSON config. */
  getConfig?(): unknown;
  /** Number of scalar parameters. */
  countParams?(): number;
}

/** The class name of a layer (`Conv2D`), from its config or its constructor. */
export function classNameOf(layer: LayerLike): string {
  try {
    const c = layer.getConfig?.().className;
    if (typeof c === 'string') return c;
  } catch {
    // fall through to the constructor's name
  }
  return (layer as object).constructor?.name ?? 'Layer';
}
