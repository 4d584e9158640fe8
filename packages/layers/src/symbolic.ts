import type { Shape } from './shape.js';
import type { Layer } from './layer.js';

let nextId = 0;

/**
 * A placeholder for a tensor in a graph model: it has a shape (batch dimension `null`) but no values, and
 * remembers which layer made it from which inputs. `input([784])` makes one; `layer.apply(symbolic)` makes the
 * next; `new Model({ inputs, outputs })` turns the resulting graph into a model.
 * @public
 */
export class SymbolicTensor {
  /** A process-unique id. */
  readonly id: number;
  /** The shape, batch dimension first (`null` for "any"). */
  readonly shape: Shape;
  /** The layer whose output this is. */
  readonly sourceLayer: Layer;
  /** The symbolic inputs the layer was applied to (empty for an input placeholder). */
  readonly inputs: readonly SymbolicTensor[];
  /** Whether the layer was given an array of inputs (merge layers) rather than one. */
  readonly multiInput: boolean;

  /** @internal */
  constructor(shape: Shape, sourceLayer: Layer, inputs: readonly SymbolicTensor[], multiInput: boolean) {
    this.id = nextId++;
    this.shape = [...shape];
    this.sourceLayer = sourceLayer;
    this.inputs = inputs;
    this.multiInput = multiInput;
  }
}
