import { ConfigError } from '../errors.js';
import type { Loss } from './loss.js';
import { meanSquaredError } from './meanSquaredError.js';
import { meanAbsoluteError } from './meanAbsoluteError.js';
import { huber } from './huber.js';
import { binaryCrossentropy } from './binaryCrossentropy.js';
import { categoricalCrossentropy } from './categoricalCrossentropy.js';
import { sparseCategoricalCrossentropy } from './sparseCategoricalCrossentropy.js';
import { hinge } from './hinge.js';
import { klDivergence } from './klDivergence.js';

/**
 * The loss names `getLoss` (and the Trainer's `loss` option) accept. Cross-entropies by name take
 * probabilities; call the factory with `{ fromLogits: true }` for logits (what every Nutshell builder outputs).
 * Given logits, a cross-entropy by name throws a `ConfigError` saying so (the Trainer checks the first batch).
 * @public
 */
export type LossName =
  | 'meanSquaredError'
  | 'mse'
  | 'meanAbsoluteError'
  | 'mae'
  | 'huber'
  | 'binaryCrossentropy'
  | 'categoricalCrossentropy'
  | 'sparseCategoricalCrossentropy'
  | 'hinge'
  | 'klDivergence'
  | 'kld';

const BY_NAME: Record<LossName, () => Loss> = {
  meanSquaredError: () => meanSquaredError,
  mse: () => meanSquaredError,
  meanAbsoluteError: () => meanAbsoluteError,
  mae: () => meanAbsoluteError,
  huber: () => huber(),
  binaryCrossentropy: () => binaryCrossentropy(),
  categoricalCrossentropy: () => categoricalCrossentropy(),
  sparseCategoricalCrossentropy: () => sparseCategoricalCrossentropy(),
  hinge: () => hinge,
  klDivergence: () => klDivergence,
  kld: () => klDivergence,
};

/**
 * A loss by name, or the loss itself when given one.
 * @public
 */
export function getLoss(loss: LossName | Loss): Loss {
  if (typeof loss === 'function') return loss;
  const make = (BY_NAME as Record<string, (() => Loss) | undefined>)[loss];
  if (!make) {
    throw new ConfigError('loss', `Unknown loss '${String(loss)}'. Known losses: ${Object.keys(BY_NAME).join(', ')}.`);
  }
  return make();
}
