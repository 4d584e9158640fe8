// Padding masks and export: an `Embedding` with a `paddingIndex` makes a mask that `Sequential` and `Model` pass
// from layer to layer, and some layers read it (recurrent layers skip padded steps, 1-D global pools leave them
// out). An ONNX graph carries no mask, so such a model would export and then give other outputs on padded input.
// This walk follows the mask as `Layer.outputMask` passes it and refuses the first layer that would read it.
import type { Layer, Shape } from '@nutshell/layers';
import { UnsupportedLayerError } from './errors.js';

/** The layers whose outputs depend on a padding mask they are given (by class name, as exporters are keyed). */
const MASK_READERS = new Set([
  'SimpleRNN',
  'LSTM',
  'GRU',
  'Bidirectional',
  'GlobalAvgPool1D',
  'GlobalMaxPool1D',
]);

/** One application of a layer in export order, with value ids as in `exportOnnx`'s plan. @internal */
export interface MaskStep {
  readonly layer: Layer;
  readonly inputs: readonly number[];
  readonly output: number;
  readonly inputShapes: readonly Shape[];
  readonly outputShape: Shape;
}

// The default `Layer.outputMask`: a layer that keeps `[batch, steps, ...]` passes the mask on.
function keepsSteps(input: Shape | undefined, output: Shape): boolean {
  return !!input && input.length >= 3 && output.length >= 3 && input[1] === output[1];
}

/**
 * Throws `UnsupportedLayerError` for the first layer that would read a padding mask made by an
 * `Embedding(paddingIndex)`, naming both. A mask that only passes through or is dropped (Dense, Flatten, ...) is
 * fine: those layers' outputs do not depend on it. @internal
 */
export function refuseMaskReaders(steps: readonly MaskStep[]): void {
  const maskFrom = new Map<number, string>(); // value id → the Embedding whose padding mask it carries
  for (const step of steps) {
    const { layer } = step;
    const from = maskFrom.get(step.inputs[0]!);
    let passes: string | undefined;
    if (layer.className === 'Embedding') {
      if ((layer as { paddingIndex?: number }).paddingIndex !== undefined) passes = layer.name;
    } else if (from !== undefined) {
      if (MASK_READERS.has(layer.className)) {
        throw new UnsupportedLayerError(
          layer.name,
          layer.className,
          `it reads the padding mask of Embedding '${from}' (paddingIndex) to leave padded steps out, and an ONNX ` +
            'graph carries no mask, so the exported model would count them and give other outputs on padded input; ' +
            'export a copy of the model whose Embedding has no paddingIndex, and feed it unpadded sequences',
        );
      }
      if (keepsSteps(step.inputShapes[0], step.outputShape)) passes = from;
    }
    if (passes !== undefined) maskFrom.set(step.output, passes);
  }
}
