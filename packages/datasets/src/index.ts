// @nutshell/datasets: data in, batches out. IDX (MNIST), CSV, the bundled sets, splits, scaling and batching.

// Data sets and their checks
export { createDataset, subset, rowSize, assertLabels, assertFinite, MAX_INFERRED_CLASSES } from './dataset.js';
export type { Dataset, DatasetInit } from './dataset.js';
export { DatasetError, DataFileError } from './errors.js';

// File formats
export { readIdx, parseIdx, encodeIdx } from './idx.js';
export type { IdxArray, IdxData, IdxDType, IdxReadOptions } from './idx.js';
export { readCsv, parseCsv, csvToDataset, loadCsvDataset } from './csv.js';
export type { CsvTable, CsvReadOptions, CsvDatasetOptions } from './csv.js';
export { csvTargets, loadCsvTargets, parseCsvTargets } from './csvTargets.js';
export type { CsvTargets, CsvTargetsOptions } from './csvTargets.js';
export { ImageFolder } from './imageFolder.js';
export type { ImageFolderOptions } from './imageFolder.js';

// Bundled and packaged data sets
export { loadMnist, mnistPaths } from './mnist.js';
export type { MnistOptions, MnistPaths } from './mnist.js';
export { loadBreastCancer } from './breastCancer.js';
export { loadDigits } from './digits.js';

// Preparing data
export { stratifiedSplit } from './stratifiedSplit.js';
export type { SplitOptions } from './stratifiedSplit.js';
export { Scaler, Standardizer, MinMaxScaler } from './scaling.js';
export type { FeatureMatrix, ScalerJSON } from './scaling.js';
export { oneHot } from './oneHot.js';

// Batching
export { ArrayDataset } from './ArrayDataset.js';
export type { ArrayDatasetOptions, TargetEncoding } from './ArrayDataset.js';
export { batchIndices, assertBatchSize } from './batches.js';
export type { BatchOptions } from './batches.js';

// Data that does not fit in memory: samples made on demand, batches transformed as they are read
export { SampleSource } from './sampleSource.js';
export type { Sample, SampleTarget, SampleSourceOptions } from './sampleSource.js';
export { mapBatches } from './mapBatches.js';
export type { Batch, BatchSource } from './mapBatches.js';
