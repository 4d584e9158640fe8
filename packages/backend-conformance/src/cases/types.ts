import type { Tensor } from '@tensorflow/tfjs-core';
import type { Nd } from '../reference/ndarray.js';

/** How a case's input is made: seeded uniform values in [min, max), kept away from `avoid` (kinks). */
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

/** One operation checked forward (against float64 and the CPU backend) and, optionally, backward. */
export interface OpCase {
  /** Unique, human-readable, e.g. `conv2d stride 2 same`. */
  readonly name: string;
  /** The tfjs kernels its forward pass runs. */
  readonly kernels: readonly string[];
  readonly inputs: readonly InputSpec[];
  /** The computation on the backend under test. */
  readonly run: (inputs: Tensor[]) => Tensor;
  /** The same computation in float64 on the host. */
  readonly reference: (inputs: Nd[]) => Nd;
  /** Whether gradients are checked; false for integer outputs and what tfjs cannot differentiate. */
  readonly gradient?: boolean;
  /** Tolerance of the forward check (default 1e-5). */
  readonly forwardTolerance?: number;
  /** Tolerance of the gradient check (default 1e-4). */
  readonly gradientTolerance?: number;
  /** Why a gradient is not checked, when it is not. */
  readonly note?: string;
}
