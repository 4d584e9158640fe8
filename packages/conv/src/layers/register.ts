// Registers the convolution layers with @nutshell/layers so that model configs containing them load.
import { registerLayer, type LayerConfig } from '@nutshell/layers';
import { Conv1D, type Conv1DArgs } from './Conv1D.js';
import { Conv2D, type Conv2DArgs } from './Conv2D.js';
import { DepthwiseConv2D, type DepthwiseConv2DArgs } from './DepthwiseConv2D.js';
import { Inception, type InceptionArgs } from './Inception.js';
import {
  AvgPool1D,
  AvgPool2D,
  GlobalAvgPool1D,
  GlobalAvgPool2D,
  GlobalMaxPool1D,
  GlobalMaxPool2D,
  L2Pool2D,
  MaxPool1D,
  MaxPool2D,
  type Pool1DLayerArgs,
  type Pool2DLayerArgs,
} from './poolingLayers.js';
import { SeparableConv2D, type SeparableConv2DArgs } from './SeparableConv2D.js';

let done = false;

/**
 * Registers every layer of `@nutshell/conv` with `registerLayer` (idempotent). Importing `@nutshell/conv` does
 * this already; call it yourself only if a bundler dropped that import's side effect.
 * @public
 */
export function registerConvLayers(): void {
  if (done) return;
  done = true;
  const as = <T>(c: LayerConfig) => c as unknown as T;
  registerLayer('Conv1D', (c) => new Conv1D(as<Conv1DArgs>(c)));
  registerLayer('Conv2D', (c) => new Conv2D(as<Conv2DArgs>(c)));
  registerLayer('DepthwiseConv2D', (c) => new DepthwiseConv2D(as<DepthwiseConv2DArgs>(c)));
  registerLayer('SeparableConv2D', (c) => new SeparableConv2D(as<SeparableConv2DArgs>(c)));
  registerLayer('Inception', (c) => new Inception(as<InceptionArgs>(c)));
  registerLayer('MaxPool2D', (c) => new MaxPool2D(as<Pool2DLayerArgs>(c)));
  registerLayer('AvgPool2D', (c) => new AvgPool2D(as<Pool2DLayerArgs>(c)));
  registerLayer('L2Pool2D', (c) => new L2Pool2D(as<Pool2DLayerArgs>(c)));
  registerLayer('MaxPool1D', (c) => new MaxPool1D(as<Pool1DLayerArgs>(c)));
  registerLayer('AvgPool1D', (c) => new AvgPool1D(as<Pool1DLayerArgs>(c)));
  registerLayer('GlobalMaxPool2D', (c) => new GlobalMaxPool2D(c));
  registerLayer('GlobalAvgPool2D', (c) => new GlobalAvgPool2D(c));
  registerLayer('GlobalMaxPool1D', (c) => new GlobalMaxPool1D(c));
  registerLayer('GlobalAvgPool1D', (c) => new GlobalAvgPool1D(c));
}

registerConvLayers();
