// What the convolution layers share: argument parsing, weight specs, config serialisation, shape inference.
import { canonicalActivationName, getActivation } from '@nutshell/activations';
import { getInitializer, getRegularizer, initializers, type Initializer, type InitializerSpec, type Regularizer, type RegularizerSpec, type Shape } from '@nutshell/layers';
import { ShapeError, type Tensor } from '@nutshell/tensor';
import { ConvArgumentError } from '../errors.js';
import { conv2dGeometry, type ConvAlgorithm } from '../geometry.js';

/**
 * Arguments shared by the convolution layers.
 * @public
 */
export interface ConvLayerCommonArgs {
  /** A name, unique within a model. */
  readonly name?: string;
  /** Set false to freeze the weights. */
  readonly trainable?: boolean;
  /** `'valid'` (default) or `'same'`. */
  readonly padding?: 'valid' | 'same';
  /** An activation name from `@nutshell/activations` (default `'linear'`: none). */
  readonly activation?: string;
  /** Whether to add a bias per output channel. Default true. */
  readonly useBias?: boolean;
  /** Default glorotUniform, seeded with `seed`. */
  readonly kernelInitializer?: InitializerSpec;
  /** Default zeros. */
  readonly biasInitializer?: InitializerSpec;
  /** A penalty on the kernel, added to `regularizationLoss()`. */
  readonly kernelRegularizer?: RegularizerSpec;
  /** A penalty on the bias. */
  readonly biasRegularizer?: RegularizerSpec;
  /** Seed of the default kernel initializer. */
  readonly seed?: number;
  /** How the convolution is computed (see `ConvAlgorithm`). Default `'direct'`. */
  readonly algorithm?: ConvAlgorithm;
}

/** The parsed arguments every convolution layer shares (padding, activation, bias, initializers, regularizers, algorithm). @public */
export class ConvCommon {
  readonly padding: 'valid' | 'same';
  readonly activation: string;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer?: Regularizer;
  readonly biasRegularizer?: Regularizer;
  readonly algorithm: ConvAlgorithm;
  private readonly activationFn?: (t: Tensor) => Tensor;

  constructor(op: string, args: ConvLayerCommonArgs) {
    this.padding = args.padding ?? 'valid';
    if (this.padding !== 'valid' && this.padding !== 'same') throw new ConvArgumentError(op, 'padding', "'valid' or 'same'", args.padding);
    this.activation = canonicalActivationName(args.activation ?? 'linear');
    this.activationFn = this.activation === 'linear' ? undefined : getActivation(this.activation);
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = getInitializer(args.kernelInitializer ?? initializers.glorotUniform({ seed: args.seed }));
    this.biasInitializer = getInitializer(args.biasInitializer ?? 'zeros');
    this.kernelRegularizer = args.kernelRegularizer ? getRegularizer(args.kernelRegularizer) : undefined;
    this.biasRegularizer = args.biasRegularizer ? getRegularizer(args.biasRegularizer) : undefined;
    this.algorithm = args.algorithm ?? 'direct';
  }

  activate(y: Tensor): Tensor {
    return this.activationFn ? this.activationFn(y) : y;
  }

  config(): Record<string, unknown> {
    const ser = (x: { className: string; config: Readonly<Record<string, unknown>> }) => ({ className: x.className, config: { ...x.config } });
    return {
      padding: this.padding,
      activation: this.activation,
      useBias: this.useBias,
      algorithm: this.algorithm,
      kernelInitializer: ser(this.kernelInitializer),
      biasInitializer: ser(this.biasInitializer),
      ...(this.kernelRegularizer ? { kernelRegularizer: ser(this.kernelRegularizer) } : {}),
      ...(this.biasRegularizer ? { biasRegularizer: ser(this.biasRegularizer) } : {}),
    };
  }
}

/** A positive integer or a pair of them, as a pair. */
export function pairArg(op: string, name: string, v: number | readonly [number, number] | undefined, dflt: number): [number, number] {
  const p: [number, number] = v === undefined ? [dflt, dflt] : typeof v === 'number' ? [v, v] : [v[0], v[1]];
  if (!p.every((x) => Number.isInteger(x) && x >= 1)) throw new ConvArgumentError(op, name, 'a positive integer or a pair of them', v);
  return p;
}

/** A positive integer. */
export function intArg(op: string, name: string, v: number | undefined, dflt?: number): number {
  const x = v ?? dflt;
  if (x === undefined || !Number.isInteger(x) || x < 1) throw new ConvArgumentError(op, name, 'a positive integer', v);
  return x;
}

/**
 * Output shape of a 2-D convolution on a layer input shape `[batch?, h?, w?, c]` (unknown sizes stay unknown),
 * checked with the same rules and errors as `conv2d`.
 */
export function conv2dOutputShape(
  op: string,
  shape: Shape,
  kernel: [number, number],
  inChannelsPerGroup: number | undefined,
  filters: number,
  opts: { strides: [number, number]; padding: 'valid' | 'same'; dilations: [number, number]; groups: number },
): Shape {
  if (shape.length !== 4) throw new ShapeError(op, 'rank 4 [batch, height, width, channels]', shape as number[]);
  const c = shape[3];
  if (c == null) throw new ShapeError(op, 'a known number of channels', shape as number[]);
  const groups = opts.groups;
  const expectIn = inChannelsPerGroup ?? c / groups;
  const probe = [1, shape[1] ?? 1e6, shape[2] ?? 1e6, c];
  const g = conv2dGeometry(op, probe, [kernel[0], kernel[1], expectIn, filters], opts);
  return [shape[0], shape[1] == null ? null : g.outHeight, shape[2] == null ? null : g.outWidth, filters];
}
