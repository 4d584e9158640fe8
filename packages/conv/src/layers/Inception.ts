import { initializers, Layer, type ApplyOptions, type Initializer, type LayerConfig, type LayerInputShape, type Shape } from '@nutshell/layers';
import { ShapeError, tf, type Tensor, type Variable } from '@nutshell/tensor';
import { conv2d } from '../conv2d.js';
import type { ConvAlgorithm } from '../geometry.js';
import { maxPool2d } from '../pooling.js';
import { intArg } from './common.js';

/** Arguments of {@link Inception}: the six channel counts of GoogLeNet's table 1, plus options. @public */
export interface InceptionArgs {
  readonly name?: string;
  readonly trainable?: boolean;
  /** Filters of the 1×1 branch. */
  readonly filters1x1: number;
  /** 1×1 "reduce" filters before the 3×3 convolution. */
  readonly filters3x3Reduce: number;
  /** Filters of the 3×3 convolution. */
  readonly filters3x3: number;
  /** 1×1 "reduce" filters before the 5×5 convolution. */
  readonly filters5x5Reduce: number;
  /** Filters of the 5×5 convolution. */
  readonly filters5x5: number;
  /** 1×1 filters after the 3×3 max-pool ("pool proj"). */
  readonly poolProjection: number;
  /** Seed of the kernels' glorotUniform initializers (each branch derives its own). */
  readonly seed?: number;
  /** How the convolutions are computed. Default `'direct'`. */
  readonly algorithm?: ConvAlgorithm;
}

const BRANCHES = [
  // name, kernel size, which count gives its filters, which its input channels ('input' = the module's input)
  ['branch1x1', 1, 'filters1x1', 'input'],
  ['branch3x3_reduce', 1, 'filters3x3Reduce', 'input'],
  ['branch3x3', 3, 'filters3x3', 'filters3x3Reduce'],
  ['branch5x5_reduce', 1, 'filters5x5Reduce', 'input'],
  ['branch5x5', 5, 'filters5x5', 'filters5x5Reduce'],
  ['pool_projection', 1, 'poolProjection', 'input'],
] as const;

type Count = (typeof BRANCHES)[number][2];

/**
 * The Inception module of GoogLeNet (Szegedy et al. 2015): four parallel branches over the same input,
 * concatenated on channels: a 1×1 convolution; 1×1 then 3×3; 1×1 then 5×5; 3×3 max-pool (stride 1) then 1×1.
 * The 1×1 "reduce" convolutions shrink the channels before the expensive 3×3 and 5×5 ones. Every convolution
 * uses 'same' padding, a bias and ReLU, so the output keeps the input's height and width and has
 * `filters1x1 + filters3x3 + filters5x5 + poolProjection` channels.
 *
 * With GoogLeNet's inception (3a) counts (64, 96, 128, 16, 32, 32) on a 28×28×192 input, it has 163,328
 * weights and 368 biases and outputs 28×28×256.
 * @public
 */
export class Inception extends Layer {
  readonly className: string = 'Inception';
  readonly filters1x1: number;
  readonly filters3x3Reduce: number;
  readonly filters3x3: number;
  readonly filters5x5Reduce: number;
  readonly filters5x5: number;
  readonly poolProjection: number;
  readonly seed?: number;
  readonly algorithm: ConvAlgorithm;
  private readonly vars = new Map<string, { kernel: Variable; bias: Variable }>();

  constructor(args: InceptionArgs) {
    super(args);
    const op = `Inception '${this.name}'`;
    this.filters1x1 = intArg(op, 'filters1x1', args.filters1x1);
    this.filters3x3Reduce = intArg(op, 'filters3x3Reduce', args.filters3x3Reduce);
    this.filters3x3 = intArg(op, 'filters3x3', args.filters3x3);
    this.filters5x5Reduce = intArg(op, 'filters5x5Reduce', args.filters5x5Reduce);
    this.filters5x5 = intArg(op, 'filters5x5', args.filters5x5);
    this.poolProjection = intArg(op, 'poolProjection', args.poolProjection);
    this.seed = args.seed;
    this.algorithm = args.algorithm ?? 'direct';
  }

  /** Output channels: the four branches concatenated. */
  get outChannels(): number {
    return this.filters1x1 + this.filters3x3 + this.filters5x5 + this.poolProjection;
  }

  private count(c: Count): number {
    return this[c];
  }

  override build(inputShape: LayerInputShape): void {
    const inC = (inputShape as Shape)[3] as number;
    BRANCHES.forEach(([name, k, filters, from], i) => {
      const init: Initializer = initializers.glorotUniform({ seed: this.seed === undefined ? undefined : this.seed + i });
      const cin = from === 'input' ? inC : this.count(from);
      const kernel = this.addWeight(`${name}/kernel`, [k, k, cin, this.count(filters)], init);
      const bias = this.addWeight(`${name}/bias`, [this.count(filters)], 'zeros');
      this.vars.set(name, { kernel, bias });
    });
  }

  override computeOutputShape(inputShape: LayerInputShape): Shape {
    const s = inputShape as Shape;
    const op = `Inception '${this.name}'`;
    if (s.length !== 4 || s[3] == null) throw new ShapeError(op, 'rank 4 [batch, height, width, channels] with known channels', s as number[]);
    const built = this.vars.get('branch1x1')?.kernel.shape[2];
    if (built !== undefined && s[3] !== built) throw new ShapeError(op, `[?, ?, ?, ${built}]`, s as number[], `the module was built for ${built} input channels`);
    return [s[0], s[1], s[2], this.outChannels];
  }

  private conv(name: string, x: Tensor): Tensor {
    const { kernel, bias } = this.vars.get(name)!;
    return tf.relu(tf.add(conv2d(x, kernel, { padding: 'same', algorithm: this.algorithm }), bias));
  }

  call(inputs: Tensor | Tensor[], _opts: ApplyOptions): Tensor {
    const x = inputs as Tensor;
    const b1 = this.conv('branch1x1', x);
    const b3 = this.conv('branch3x3', this.conv('branch3x3_reduce', x));
    const b5 = this.conv('branch5x5', this.conv('branch5x5_reduce', x));
    const bp = this.conv('pool_projection', maxPool2d(x, { poolSize: 3, strides: 1, padding: 'same' }));
    return tf.concat([b1, b3, b5, bp], 3);
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      filters1x1: this.filters1x1,
      filters3x3Reduce: this.filters3x3Reduce,
      filters3x3: this.filters3x3,
      filters5x5Reduce: this.filters5x5Reduce,
      filters5x5: this.filters5x5,
      poolProjection: this.poolProjection,
      algorithm: this.algorithm,
      ...(this.seed === undefined ? {} : { seed: this.seed }),
    };
  }
}
