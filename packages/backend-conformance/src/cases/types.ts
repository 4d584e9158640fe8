import type { Tensor } from '@tensorflow/tfjs-core';
import type { Nd } from '../reference/ndarray.js';

/**
 * How a case's input is made: seeded uniform values in [min, max), kept away from `avoid` (kinks).
 * @public
 */
export interface InputSpec {
  readonly shape: readonly number[];
  readonly min?: number;
  readonly max?: number;
  /** Points (kinks, ties) no value may be within 0.05 of, so finite differences stay smooth. */
  readonly avoid?: readonly number[];
  /** Fixed values instead of random ones (e.g. gather indices). */
  readonly values?: readonly number[];
  readonly dtype?: 'float32' | 'int32';
  /** Whether the gradient with respect to this input is checked (default: every float32 input). */
  readonly grad?: boolean;
}

/**
 * One operation checked forward (against float64 and the CPU backend) and, optionally, backward (against
 * float64 central differences and the CPU backend). Packages above the backend (conv, layers, train, ...)
 * write cases of this shape for what they compose and pass them in `ConformanceOptions.cases`.
 * @public
 */
export interface OpCase {
  /** Unique, human-readable, e.g. `conv2d stride 2 same`. */
  readonly name: string;
  /** The package or family it checks, e.g. `'conv'`, `'layers'` (reports group by it). Default `'ops'`. */
  readonly family?: string;
  /** The tfjs kernels its forward pass runs. */
  readonly kernels: readonly string[];
  readonly inputs: readonly InputSpec[];
  /** The computation on the backend under test. */
  readonly run: (inputs: Tensor[]) => Tensor;
  /**
   * The same computation in float64 on the host, independent of the code under test. Without one (a whole
   * layer, an optimizer step) the case is compared with the CPU backend only, and the report says so.
   */
  readonly reference?: (inputs: Nd[]) => Nd;
  /** Why the case cannot run on the named backend, or `undefined` when it can: reported skipped, never passed. */
  readonly unsupported?: (backend: string) => string | undefined;
  /** Whether gradients are checked; false for integer outputs and what tfjs cannot differentiate. */
  readonly gradient?: boolean;
  /** Tolerance of the forward check (default 1e-5). */
  readonly forwardTolerance?: number;
  /** Tolerance of the gradient check (default 1e-4). */
  readonly gradientTolerance?: number;
  /** Why a gradient is not checked, when it is not. */
  readonly note?: string;
  /**
   * Bad input the op must refuse on every backend: `run` must throw an error whose message matches, and leave no
   * tensor behind, instead of returning values. Such a case has no reference and no gradient check.
   */
  readonly refuses?: RegExp;
}
