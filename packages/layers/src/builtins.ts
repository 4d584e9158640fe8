// Registers the layers of this package. Called by the registry before every lookup (not as an import side
// effect), so a bundler cannot tree-shake the registrations away.
import { Activation, type ActivationArgs } from './core/Activation.js';
import { BatchNormalization, type BatchNormalizationArgs } from './core/BatchNormalization.js';
import { Dense, type DenseArgs } from './core/Dense.js';
import { Dropout, type DropoutArgs } from './core/Dropout.js';
import { Flatten } from './core/Flatten.js';
import { InputLayer, type InputLayerArgs } from './core/Input.js';
import { LayerNormalization, type LayerNormalizationArgs } from './core/LayerNormalization.js';
import { Maxout, type MaxoutArgs } from './core/Maxout.js';
import { Add, Concatenate, Multiply, type ConcatenateArgs } from './core/merge.js';
import { Reshape, type ReshapeArgs } from './core/Reshape.js';
import type { LayerConfig } from './layer.js';
import { registerLayer } from './registry.js';

let done = false;

/** Registers every built-in layer class (idempotent). @internal */
export function registerBuiltinLayers(): void {
  if (done) return;
  done = true;
  registerLayer('InputLayer', (c) => new InputLayer(c as unknown as InputLayerArgs));
  registerLayer('Dense', (c) => new Dense(c as unknown as DenseArgs));
  registerLayer('Activation', (c) => new Activation(c as unknown as ActivationArgs));
  registerLayer('Dropout', (c) => new Dropout(c as unknown as DropoutArgs));
  registerLayer('Flatten', (c: LayerConfig) => new Flatten(c));
  registerLayer('Reshape', (c) => new Reshape(c as unknown as ReshapeArgs));
  registerLayer('BatchNormalization', (c) => new BatchNormalization(c as unknown as BatchNormalizationArgs));
  registerLayer('LayerNormalization', (c) => new LayerNormalization(c as unknown as LayerNormalizationArgs));
  registerLayer('Maxout', (c) => new Maxout(c as unknown as MaxoutArgs));
  registerLayer('Concatenate', (c) => new Concatenate(c as unknown as ConcatenateArgs));
  registerLayer('Add', (c: LayerConfig) => new Add(c));
  registerLayer('Multiply', (c: LayerConfig) => new Multiply(c));
}

