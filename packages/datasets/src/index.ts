// @nutshell/datasets: data in, batches out. IDX (MNIST), CSV, the bundled sets, splits, scaling and batching.

// Data sets and their checks
export { createDataset, subset, rowSize, assertLabels, assertFinite } from './dataset.js';
export type { Dataset, DatasetInit } from './dataset.js';
export { DatasetError, DataFileError } from './errors.js';

// File formats
export { readIdx, parseIdx, encodeIdx } from './idx.js';
export type { IdxArray, IdxData, IdxDType, IdxReadOptions } from './idx.js';
export { readCsv, parseCsv, csvToDataset, loadCsvDataset } from './csv.js';
export type { CsvTable, CsvReadOptions, CsvDatasetOptions } from './csv.js';

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
