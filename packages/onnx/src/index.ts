// @nutshell/onnx: export Nutshell models to ONNX.

// Export
export { exportOnnx } from './exportOnnx.js';
export type { ExportOnnxOptions } from './exportOnnx.js';
export { ONNX_OPSET } from './proto.js';
export { ONNX_ACTIVATIONS } from './exporters/activation.js';

// Errors
export { UnsupportedLayerError, OnnxExportError } from './errors.js';

// Writing your own layers
export { registerOnnxExporter, onnxExportableLayers } from './exporter.js';
export type { LayerExporter, LayerExportContext, WeightValue } from './exporter.js';
export { OnnxGraphBuilder, float } from './graphBuilder.js';
export type { OnnxAttribute } from './graphBuilder.js';
