// @nutshell/viz: pictures of what a network learned, as SVG, PNG, canvas drawings and self-contained HTML.

// Figures and their outputs
export {
  composeFigures,
  figureSvgFile,
  figureDataUri,
  figureToPng,
  drawFigure,
  drawRaster,
  rasterToImageData,
} from './figure.js';
export type { Figure, PlacedImage, ComposeOptions, PngOptions, DrawOptions } from './figure.js';
export { valuesToRaster, rgbToRaster, upscaleRaster, pixelAt, encodePng, rasterDataUri } from './raster.js';
export type { RasterImage, ValueScaleOptions } from './raster.js';
export { colorAt, seriesColor } from './color.js';
export type { Colormap, Rgb } from './color.js';
export { VizError } from './errors.js';
export type { LayerLike, ModelLike } from './types.js';

// Charts
export { lineChart, barChart } from './chart.js';
export type { LineSeries, LineChartOptions, BarChartOptions } from './chart.js';

// What a network learned
export { filterGrid } from './filterGrid.js';
export type { FilterGridOptions } from './filterGrid.js';
export { featureMaps, activationGrid } from './featureMaps.js';
export type { FeatureMapsOptions } from './featureMaps.js';
export { topActivatingInputs } from './topActivating.js';
export type { TopActivatingOptions, TopActivating } from './topActivating.js';
export { networkDiagram, describeModel, registerDiagramExpander } from './networkDiagram.js';
export type { DiagramNode, NetworkDiagramOptions, DiagramExpander } from './networkDiagram.js';

// Concepts explained
export { convolutionStep, poolingStep, kernelEffect } from './convolutionExplainer.js';
export type {
  Grid2D,
  ConvolutionStepOptions,
  ConvolutionStep,
  PoolingStepOptions,
  PoolingStep,
  KernelEffectOptions,
} from './convolutionExplainer.js';
export { activationPlot, activationPlots } from './activationPlot.js';
export type { ActivationPlotOptions } from './activationPlot.js';

// Training
export { gateHeatmaps, lstmGateRows } from './gateHeatmaps.js';
export type { GateRow, GateHeatmapsOptions, LSTMGateTrace } from './gateHeatmaps.js';
export { trainingCurves } from './trainingCurves.js';
export type { HistoryLike, TrainingCurvesOptions } from './trainingCurves.js';
export { batchCurves } from './batchCurves.js';
export type { BatchRecord } from './batchCurves.js';
export { confusionMatrix, confusionMatrixChart, perClassAccuracyChart } from './confusionMatrix.js';
export type { LabelsLike, ConfusionMatrixOptions, ConfusionMatrixCountOptions } from './confusionMatrix.js';
export {
  GradientFlowRecorder,
  gradientFlowChart,
  gradientFlowComparison,
  gradientNormsByLayer,
} from './gradientFlow.js';
export type { GradientNormRecord, GradientFlowOptions } from './gradientFlow.js';

// Reports
export { createReport } from './report.js';
export type { ReportSection, ReportOptions } from './report.js';
export { runFigures, buildRunReport, writeRunReport, visualizeRun } from './runReport.js';
export type { RunReportInput, NamedFigure, VisualizeRunOptions } from './runReport.js';
export { RunReporter } from './runReporter.js';
export type { RunReporterOptions } from './runReporter.js';
