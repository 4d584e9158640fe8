import { UnknownLayerError } from './errors.js';
import { registerBuiltinLayers } from './builtins.js';
import type { Layer, LayerConfig } from './layer.js';

const layerClasses = new Map<string, (config: LayerConfig) => Layer>();

/**
 * Registers how to rebuild a layer class from its config, so models containing it load from JSON. Packages
 * with their own layers (`@nutshell/conv`) call it for each class; re-registering a name replaces it.
 * @public
 */
export function registerLayer(className: string, fromConfig: (config: LayerConfig) => Layer): void {
  registerBuiltinLayers();
  layerClasses.set(className, fromConfig);
}

/** The class names `layerFromConfig` knows. @public */
export function registeredLayers(): string[] {
  registerBuiltinLayers();
  return [...layerClasses.keys()];
}

/**
 * Rebuilds a layer (unbuilt: weights are created on first use) from its config. An unregistered class is an
 * `UnknownLayerError` listing the registered ones.
 * @public
 */
export function layerFromConfig(config: LayerConfig): Layer {
  registerBuiltinLayers();
  const make = config && typeof config === 'object' ? layerClasses.get(config.className) : undefined;
  if (!make) throw new UnknownLayerError(String(config?.className), registeredLayers());
  return make(config);
}
