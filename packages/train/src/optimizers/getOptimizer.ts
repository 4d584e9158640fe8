import { ConfigError } from '../errors.js';
import type { Optimizer, OptimizerConfig } from './optimizer.js';
import { SGD, momentum, nesterov } from './sgd.js';
import { RMSProp } from './rmsprop.js';
import { Adagrad } from './adagrad.js';
import { Adam, AdamW } from './adam.js';

/** Optimizer names `getOptimizer` (and the Trainer's `optimizer` option) accept. @public */
export type OptimizerName = 'sgd' | 'momentum' | 'nesterov' | 'rmsprop' | 'adagrad' | 'adam' | 'adamw';

const BY_NAME: Record<OptimizerName, (c: OptimizerConfig) => Optimizer> = {
  sgd: (c) => new SGD(c),
  momentum: (c) => momentum(c),
  nesterov: (c) => nesterov(c),
  rmsprop: (c) => new RMSProp(c),
  adagrad: (c) => new Adagrad(c),
  adam: (c) => new Adam(c),
  adamw: (c) => new AdamW(c),
};

/**
 * An optimizer by name with its defaults (e.g. `getOptimizer('adam', { learningRate: 1e-3 })`), or the
 * optimizer itself when given one.
 * @public
 */
export function getOptimizer(optimizer: OptimizerName | Optimizer, config: OptimizerConfig = {}): Optimizer {
  if (typeof optimizer !== 'string') return optimizer;
  const make = (BY_NAME as Record<string, ((c: OptimizerConfig) => Optimizer) | undefined>)[optimizer.toLowerCase()];
  if (!make) {
    throw new ConfigError('optimizer', `Unknown optimizer '${optimizer}'. Known optimizers: ${Object.keys(BY_NAME).join(', ')}.`);
  }
  return make(config);
}
