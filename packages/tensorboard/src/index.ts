// @nutshell/tensorboard: TensorBoard logs of Nutshell training.

// The callback
export { TensorBoard } from './TensorBoard.js';
export type { TensorBoardOptions, GradientProbe } from './TensorBoard.js';

// Writing event files yourself
export { SummaryWriter } from './SummaryWriter.js';
export { histogram } from './histogram.js';
export type { Histogram } from './histogram.js';
export { filterImage } from './filterImage.js';
export type { PngImage } from './filterImage.js';
export { tfrecord, maskedCrc32c } from './tfrecord.js';

// Errors
export { LogDirError } from './errors.js';
