import { ConfigError } from '../errors.js';
import { splitSource } from './dataSource.js';
import type { DataSource } from './dataSource.js';

/**
 * The data a fit trains on and validates on: `validationData` as given, or, with `validationSplit`, the last
 * fraction of the samples held out before shuffling (as Keras does). Both at once, or a split that leaves either
 * side empty, is a `ConfigError`.
 */
export function holdOutValidation(
  all: DataSource,
  validationData: DataSource | undefined,
  validationSplit: number | undefined,
): { train: DataSource; validation: DataSource | undefined } {
  if (validationSplit === undefined || validationSplit <= 0)
    return { train: all, validation: validationData };
  if (validationData)
    throw new ConfigError('validationSplit', 'fit: give validationData or validationSplit, not both.');
  const split = splitSource(all, validationSplit);
  if (split.train.size === 0 || split.validation.size === 0) {
    throw new ConfigError(
      'validationSplit',
      `fit: validationSplit ${validationSplit} of ${all.size} samples leaves ${split.train.size} to train on and ${split.validation.size} to validate.`,
    );
  }
  return split;
}
