import { UnknownLayerError } from '../errors.js';
import type { Layer } from '../layer.js';
import { layerFromConfig } from '../registry.js';
import { Model } from './Model.js';
import type { ModelConfig, ModelLike } from './modelLike.js';
import { Sequential } from './Sequential.js';
import { LogisticRegression, type LogisticRegressionArgs } from '../logisticRegression.js';

const modelClasses = new Map<string, (config: ModelConfig) => ModelLike>([
  ['Model', (c) => Model.fromConfig(c, layerFromConfig)],
  ['LogisticRegression', (c) => new LogisticRegression(c as unknown as LogisticRegressionArgs)],
  [
    'Sequential',
    (c) => {
      if (!Array.isArray(c.layers)) throw new UnknownLayerError(String(c.className), [...modelClasses.keys()], 'model');
      const layers: Layer[] = (c.layers as never[]).map(layerFromConfig);
      return new Sequential(layers, { name: c.name, inputShape: c.inputShape as number[] | undefined });
    },
  ],
]);

/**
 * Registers how to rebuild a model class (a subclass of Sequential or Model with its own config) from its config.
 * @public
 */
export function registerModel(className: string, fromConfig: (config: ModelConfig) => ModelLike): void {
  modelClasses.set(className, fromConfig);
}

/**
 * Rebuilds a model from `model.getConfig()` (weights freshly initialised; load saved ones with `loadWeights`).
 * An unknown model or layer class is an `UnknownLayerError` listing the known ones.
 * @public
 */
export function modelFromConfig(config: ModelConfig): ModelLike {
  const make = config && typeof config === 'object' ? modelClasses.get(config.className) : undefined;
  if (!make) throw new UnknownLayerError(String(config?.className), [...modelClasses.keys()], 'model');
  return make(config);
}
