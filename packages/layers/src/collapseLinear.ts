import { NutshellError, tf, type Tensor } from '@nutshell/tensor';
import { Activation } from './core/Activation.js';
import { Dense } from './core/Dense.js';
import { Sequential } from './models/Sequential.js';
import type { ModelLike } from './models/modelLike.js';

/**
 * `collapseLinear` was given a model with a non-linear (or non-Dense) layer. The message names the layer.
 * @public
 */
export class NotLinearError extends NutshellError {
  /** The first layer that is not linear. */
  readonly layer: string;
  constructor(layer: string, why: string) {
    super(`collapseLinear: layer '${layer}' ${why}; only Dense layers with activation 'linear' (and 'linear' Activation layers) collapse into one.`);
    this.layer = layer;
  }
}

/**
 * Turns a stack of Dense layers with no non-linearity between them into the one Dense layer that computes the
 * same function: x·W₁ + b₁ then ·W₂ + b₂ is x·(W₁W₂) + (b₁W₂ + b₂). However many linear layers are stacked,
 * they are one linear layer, which is why networks need non-linear activations.
 *
 * Returns a new built Sequential with a single Dense layer (the input model is untouched). A model with any
 * non-linear layer is refused with a `NotLinearError` naming it.
 * @public
 */
export function collapseLinear(model: ModelLike): Sequential {
  if (!(model instanceof Sequential)) throw new NutshellError(`collapseLinear: needs a Sequential model, got '${model.name}'.`);
  const dense: Dense[] = [];
  for (const l of model.layers) {
    if (l instanceof Activation) {
      if (l.activation !== 'linear') throw new NotLinearError(l.name, `is an Activation '${l.activation}'`);
    } else if (l instanceof Dense && l.className === 'Dense') {
      if (l.activation !== 'linear') throw new NotLinearError(l.name, `has activation '${l.activation}'`);
      dense.push(l);
    } else {
      throw new NotLinearError(l.name, `is a ${l.className}`);
    }
  }
  if (dense.length === 0) throw new NutshellError(`collapseLinear: model '${model.name}' has no Dense layer to collapse.`);
  if (!model.built) throw new NutshellError(`collapseLinear: model '${model.name}' is not built; build it or apply it once first.`);
  const [kernel, bias] = tf.tidy(() => {
    let w: Tensor | undefined;
    let b: Tensor | undefined;
    for (const d of dense) {
      const [k, bk] = d.weights.map((x) => x.variable);
      w = w ? tf.matMul(w, k) : k;
      b = b ? tf.reshape(tf.matMul(tf.expandDims(b, 0), k), [-1]) : tf.zeros([k.shape[1] as number]);
      if (d.useBias) b = tf.add(b, bk);
    }
    return [tf.clone(w!), b!];
  });
  const out = new Sequential([new Dense({ units: dense[dense.length - 1].units, name: `${model.name}_collapsed` })], {
    inputShape: model.inputShape.slice(1),
    name: `${model.name}_collapsed`,
  });
  out.layers[0].setWeights([kernel, bias]);
  tf.dispose([kernel, bias]);
  return out;
}
