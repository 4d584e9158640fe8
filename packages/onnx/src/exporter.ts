import type { Layer, Shape } from '@nutshell/layers';
import { BUILTIN_EXPORTERS } from './builtins.js';
import type { UnsupportedLayerError } from './errors.js';
import type { OnnxGraphBuilder } from './graphBuilder.js';

/** A weight's values, read from the backend once before export. @public */
export interface WeightValue {
  /** Row-major float32 values. */
  readonly values: Float32Array;
  /** The weight's shape in Nutshell's layout (e.g. `[kh, kw, in, out]` for a Conv2D kernel). */
  readonly shape: readonly number[];
}

/** What an exporter gets for one application of a layer. @public */
export interface LayerExportContext {
  /** The layer being written. */
  readonly layer: Layer;
  /** The ONNX value names of its inputs (one, or several for merge layers). */
  readonly inputs: readonly string[];
  /** The Nutshell shapes of those inputs, batch dimension `null`. */
  readonly inputShapes: readonly Shape[];
  /** The graph to add nodes and constants to. */
  readonly graph: OnnxGraphBuilder;
  /** The layer's weight `layer.name + '/' + suffix` (e.g. `'kernel'`); throws if it has none such. */
  weight(suffix: string): WeightValue;
  /** An `UnsupportedLayerError` for this layer, to throw. */
  unsupported(detail: string): UnsupportedLayerError;
}

/**
 * Writes one layer as ONNX nodes and returns the ONNX value name of its output. Values between layers are in
 * Nutshell's layout (channels last, like the model's own tensors); an exporter that needs ONNX's channels-first
 * layout transposes in and back (ONNX Runtime cancels the adjacent pairs when it optimises the graph).
 * @public
 */
export type LayerExporter = (ctx: LayerExportContext) => string;

const exporters = new Map<string, LayerExporter>(Object.entries(BUILTIN_EXPORTERS));

/**
 * Registers how a layer class (by its registered `className`) is written to ONNX. Use it for your own layers;
 * the built-in layers of \@nutshell/layers and \@nutshell/conv are registered by \@nutshell/onnx itself.
 * @public
 */
export function registerOnnxExporter(className: string, exporter: LayerExporter): void {
  exporters.set(className, exporter);
}

/** The layer classes ONNX export can write. @public */
export function onnxExportableLayers(): string[] {
  return [...exporters.keys()].sort();
}

/** The exporter for a class, or undefined. @internal */
export function exporterFor(className: string): LayerExporter | undefined {
  return exporters.get(className);
}
