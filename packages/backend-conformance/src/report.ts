import type { OpCase } from './cases/types.js';
import type { TrainingCase } from './training.js';
import type { BackendPlugin } from '@nutshell/backend';

/** What a conformance check compares. @public */
export type ConformanceKind = 'forward' | 'gradient' | 'training';

/**
 * One check of the suite. `maxError` is the largest mixed error |actual − expected| / (1 + |expected|)
 * over every element, against each reference the check uses; it passes when `maxError ≤ tolerance`.
 * @public
 */
export interface ConformanceResult {
  /** The case, e.g. `conv2d stride 2 same`. */
  readonly name: string;
  /** What the check compares: one op forward, its gradients, or a training run's loss curve. */
  readonly kind: ConformanceKind;
  /** `maxError ≤ tolerance` and nothing threw (a missing kernel, a leak, a wrong shape fails). */
  readonly passed: boolean;
  /** The largest mixed error against the CPU backend and the float64 reference (Infinity on failure). */
  readonly maxError: number;
  /** The stated tolerance of this check (times `toleranceScale`). */
  readonly tolerance: number;
  /** What was compared with what, or why it failed. */
  readonly message?: string;
  /** Milliseconds the check took on the backend under test. */
  readonly ms?: number;
  /** Why the backend cannot run this case (the case said so): not passed, and not a failure either. */
  readonly skipped?: string;
}

/**
 * The outcome of `runConformance`. When the backend's probe fails, `skipped` holds its reason and
 * `results` is empty: a skipped suite has not passed.
 * @public
 */
export interface ConformanceReport {
  /** The plugin's name. */
  readonly backend: string;
  /** The probe's reason (and fix) when the backend is unusable here. */
  readonly skipped?: string;
  /** Every check that ran, in order. */
  readonly results: readonly ConformanceResult[];
  /** The tfjs kernels the forward checks ran. */
  readonly kernels: readonly string[];
  /** True when the backend was usable and every result passed or was skipped with a reason (see `skipped`). */
  readonly passed: boolean;
  /** Wall-clock duration of the run, CPU reference included. */
  readonly seconds: number;
}

/** The 8×8 digits (1,797 images, pixels 0..16, labels 0..9), for the training runs. @public */
export interface DigitsData {
  /** Row-major pixels, 64 per image, values 0..16. */
  readonly x: Float32Array;
  /** Labels 0..9. */
  readonly y: Int32Array;
  /** Number of images. */
  readonly n: number;
}

/** Options of `runConformance` and `defineConformanceSuite`. @public */
export interface ConformanceOptions {
  /** Which kinds of checks to run (default all three). */
  readonly kinds?: readonly ConformanceKind[];
  /** Runs only the cases whose name contains this string or matches this pattern. */
  readonly filter?: string | RegExp;
  /**
   * The digits for the training runs. In Node they are read from the copy shipped in this package;
   * in a browser pass them in (e.g. fetched from the package's `data/digits.csv.gz`, see `parseDigitsCsv`).
   */
  readonly digits?: DigitsData;
  /** Multiplies every tolerance, for backends that compute in lower precision (default 1). */
  readonly toleranceScale?: number;
  /**
   * More operation cases, written by the packages above the backend (conv algorithms, layers, losses,
   * optimizer steps, ...): checked exactly like the built-in ones.
   */
  readonly cases?: readonly OpCase[];
  /** More training runs (e.g. a model built with Nutshell's layers and Trainer). */
  readonly trainingCases?: readonly TrainingCase[];
  /** Whether the built-in cases run too (default true); `false` runs only `cases` and `trainingCases`. */
  readonly builtIn?: boolean;
  /** Called as each result arrives (progress reporting). */
  readonly onResult?: (result: ConformanceResult) => void;
}

/** A backend plugin, as the suite accepts it. @public */
export type ConformancePlugin = BackendPlugin;
