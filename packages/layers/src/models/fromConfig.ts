import { NutshellError } from '@nutshell/tensor';
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
      if (!Array.isArray(c.layers)) throw new NutshellError(`Sequential config '${String(c.name)}': layers must be an array.`);
      const shape = c.inputShape;
      if (shape !== undefined && (!Array.isArray(shape) || shape.some((d) => d !== null && (!Number.isInteger(d) || d < 1)))) {
        throw new NutshellError(`Sequential config '${String(c.name)}': inputShape must be an array of positive integers, got ${JSON.stringify(shape)}.`);
      }
      const layers: Layer[] = (c.layers as never[]).map(layerFromConfig);
      try {
        return new Sequential(layers, { name: typeof c.name === 'string' ? c.name : undefined, inputShape: shape as number[] | undefined });
      } catch (e) {
        for (const l of layers) l.dispose(); // a layer that cannot take its input must not leave earlier ones built
        throw e;
      }
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
  try {
    return make(config);
  } catch (e) {
    if (e instanceof NutshellError) throw e;
    // A config with values of the wrong type (a string where a shape belongs...) is a config error, not a crash.
    throw new NutshellError(`Invalid ${config.className} config '${String(config.name)}': ${(e as Error).message}.`);
  }
}
