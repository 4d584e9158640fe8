// @nutshell/train: losses, optimizers, schedules, metrics — and the Trainer that puts them to work.

// Errors
export { DataError, ConfigError, CheckpointError } from './errors.js';

// Losses
export { defineLoss, reduceLoss } from './losses/loss.js';
export type { Loss, LossOptions, LossValues, Reduction } from './losses/loss.js';
export { meanSquaredError } from './losses/meanSquaredError.js';
export { meanAbsoluteError } from './losses/meanAbsoluteError.js';
export { huber } from './losses/huber.js';
export { binaryCrossentropy } from './losses/binaryCrossentropy.js';
export { categoricalCrossentropy } from './losses/categoricalCrossentropy.js';
export { sparseCategoricalCrossentropy } from './losses/sparseCategoricalCrossentropy.js';
export { hinge } from './losses/hinge.js';
export { klDivergence } from './losses/klDivergence.js';
export { getLoss } from './losses/getLoss.js';
export type { LossName } from './losses/getLoss.js';

// Optimizers
export { Optimizer, clipByGlobalNorm } from './optimizers/optimizer.js';
export type { NamedVariable, OptimizerConfig, OptimizerState } from './optimizers/optimizer.js';
export { SGD, momentum, nesterov } from './optimizers/sgd.js';
export type { SgdConfig } from './optimizers/sgd.js';
export { RMSProp } from './optimizers/rmsprop.js';
export type { RmspropConfig } from './optimizers/rmsprop.js';
export { Adagrad } from './optimizers/adagrad.js';
export type { AdagradConfig } from './optimizers/adagrad.js';
export { Adam, AdamW } from './optimizers/adam.js';
export type { AdamConfig, AdamWConfig } from './optimizers/adam.js';
export { getOptimizer } from './optimizers/getOptimizer.js';
export type { OptimizerName } from './optimizers/getOptimizer.js';

// Learning-rate schedules
export { stepDecay, exponentialDecay, cosineDecay, linearWarmup, oneCycle } from './schedules/schedule.js';
export type { Schedule } from './schedules/schedule.js';
export { scheduledRate } from './schedules/scheduledRate.js';

// Metrics
export {
  binaryAccuracy,
  categoricalAccuracy,
  sparseCategoricalAccuracy,
  topKAccuracy,
} from './metrics/accuracy.js';
export {
  accuracyScore,
  confusionMatrix,
  precision,
  recall,
  f1Score,
  aucRoc,
  meanAbsoluteErrorScore,
  meanSquaredErrorScore,
} from './metrics/classification.js';
export type { Average, ClassScoreOptions } from './metrics/classification.js';
export { resolveMetric, isDatasetMetric } from './metrics/metric.js';
export type { BatchMetric, DatasetMetric, MetricSpec } from './metrics/metric.js';

// The short path: compile + fit
export { compile, CompiledModel } from './trainer/compile.js';
export type { ArrayData, NamedData, CompileOptions, CompiledFitOptions } from './trainer/compile.js';
export type { MultiIOModel, GraphEndpoint, PerName } from './trainer/multiIO.js';
export { predictProba, predictClasses } from './trainer/predictions.js';
export type { PredictClassOptions } from './trainer/predictions.js';

// Trainer
export { Trainer } from './trainer/Trainer.js';
export type {
  TrainerOptions,
  FitOptions,
  EvaluateOptions,
  CheckpointOptions,
  TrainerEventHandler,
} from './trainer/Trainer.js';
export type { DataSource, SourceValues, TensorData, FitData, Batch } from './trainer/dataSource.js';
export type { TrainableModel, ModelWeight } from './trainer/model.js';
export type {
  TrainerEvent,
  TrainerEventOf,
  FitStartEvent,
  EpochStartEvent,
  BatchStartEvent,
  BatchEndEvent,
  EpochEndEvent,
  CheckpointEvent,
  WarningEvent,
  FitEndEvent,
  History,
} from './trainer/events.js';

// Callbacks
export type { Callback, TrainingContext } from './callbacks/callback.js';
export type { MonitorMode } from './callbacks/monitor.js';
export { EarlyStopping } from './callbacks/EarlyStopping.js';
export type { EarlyStoppingOptions } from './callbacks/EarlyStopping.js';
export { ModelCheckpoint } from './callbacks/ModelCheckpoint.js';
export type { ModelCheckpointOptions } from './callbacks/ModelCheckpoint.js';
export { ReduceLROnPlateau } from './callbacks/ReduceLROnPlateau.js';
export type { ReduceLROnPlateauOptions } from './callbacks/ReduceLROnPlateau.js';
export { LearningRateScheduler } from './callbacks/LearningRateScheduler.js';
export { TerminateOnNaN } from './callbacks/TerminateOnNaN.js';
export { CSVLogger } from './callbacks/CSVLogger.js';
export { ProgressLogger, formatDuration } from './callbacks/ProgressLogger.js';
export type { ProgressLoggerOptions, ProgressMode, ProgressUpdate } from './callbacks/ProgressLogger.js';
export type { CsvTarget } from './callbacks/CSVLogger.js';

// Checkpoints
export { MemoryCheckpointStore } from './checkpoint/store.js';
export type { CheckpointStore } from './checkpoint/store.js';
export { FileCheckpointStore } from './checkpoint/fileStore.js';
export { saveWeightsCheckpoint, loadWeightsCheckpoint } from './checkpoint/weightsFile.js';
export { hasRunCheckpoint, listRunCheckpoints, resumePoint } from './checkpoint/runCheckpoint.js';
