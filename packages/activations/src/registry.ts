import { NutshellError, type Tensor } from '@nutshell/tensor';
import type { ActivationFn } from './activation.js';
import { elu, selu } from './elu.js';
import { gelu, geluTanh } from './gelu.js';
import { hardSigmoid, hardSwish, linear } from './hard.js';
import { leakyRelu, relu, relu6 } from './relu.js';
import { sigmoid } from './sigmoid.js';
import { logSoftmax, softmax } from './softmax.js';
import { softplus, softsign } from './softplus.js';
import { mish, silu, swish } from './swish.js';
import { tanh } from './tanh.js';

/** The names of the built-in activations (`getActivation` also accepts snake_case, e.g. `'leaky_relu'`). @public */
export type ActivationName =
  | 'linear'
  | 'sigmoid'
  | 'tanh'
  | 'relu'
  | 'relu6'
  | 'leakyRelu'
  | 'elu'
  | 'selu'
  | 'gelu'
  | 'geluTanh'
  | 'swish'
  | 'silu'
  | 'mish'
  | 'softplus'
  | 'softsign'
  | 'hardSigmoid'
  | 'hardSwish'
  | 'softmax'
  | 'logSoftmax';

/**
 * An activation name was not found in the registry. The message lists every known name.
 * @public
 */
export class UnknownActivationError extends NutshellError {
  /** The name that was asked for. */
  readonly activation: string;
  /** The names that exist. */
  readonly known: readonly string[];
  constructor(activation: string, known: readonly string[]) {
    super(`Unknown activation '${activation}'. Known activations: ${known.join(', ')}.`);
    this.activation = activation;
    this.known = known;
  }
}

const builtins: Record<ActivationName, ActivationFn> = {
  linear,
  sigmoid,
  tanh,
  relu,
  relu6,
  leakyRelu: (x: Tensor) => leakyRelu(x),
  elu: (x: Tensor) => elu(x),
  selu,
  gelu: (x: Tensor) => gelu(x),
  geluTanh,
  swish: (x: Tensor) => swish(x),
  silu,
  mish,
  softplus,
  softsign,
  hardSigmoid,
  hardSwish,
  softmax: (x: Tensor) => softmax(x),
  logSoftmax: (x: Tensor) => logSoftmax(x),
};

const registry = new Map<string, { name: string; fn: ActivationFn }>();

// 'leaky_relu', 'LeakyReLU' and 'leakyRelu' are the same name.
function key(name: string): string {
  return name.replace(/[_\s-]/g, '').toLowerCase();
}

/**
 * Adds an activation to the registry under `name`, so layers can refer to it by name in their configs.
 * Replacing a built-in is refused; replacing one's own registration is allowed.
 * @public
 */
export function registerActivation(name: string, fn: ActivationFn): void {
  const k = key(name);
  if (k in lowerBuiltins) throw new NutshellError(`registerActivation: '${name}' is a built-in activation and cannot be replaced.`);
  registry.set(k, { name, fn });
}

const lowerBuiltins: Record<string, ActivationName> = Object.fromEntries(
  (Object.keys(builtins) as ActivationName[]).map((n) => [key(n), n]),
);

/**
 * The names of every registered activation: the built-ins, then any added with `registerActivation`.
 * @public
 */
export function activationNames(): string[] {
  return [...Object.keys(builtins), ...[...registry.values()].map((e) => e.name)];
}

/**
 * Looks an activation up by name, e.g. `getActivation('relu')`. Case, `_` and `-` are ignored, so
 * `'leaky_relu'` finds `leakyRelu`. Parameterised activations use their defaults (leakyRelu α = 0.01,
 * elu α = 1, swish β = 1, softmax over the last axis). An unknown name throws `UnknownActivationError`,
 * listing the known names.
 * @public
 */
export function getActivation(name: ActivationName | (string & {})): ActivationFn {
  const k = key(String(name));
  const b = lowerBuiltins[k];
  if (b) return builtins[b];
  const custom = registry.get(k);
  if (custom) return custom.fn;
  throw new UnknownActivationError(String(name), activationNames());
}

/**
 * The canonical name of an activation (`'leaky_relu'` → `'leakyRelu'`); throws `UnknownActivationError` if unknown.
 * @public
 */
export function canonicalActivationName(name: string): string {
  const k = key(name);
  const b = lowerBuiltins[k];
  if (b) return b;
  const custom = registry.get(k);
  if (custom) return custom.name;
  throw new UnknownActivationError(name, activationNames());
}
