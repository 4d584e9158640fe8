import { NutshellError, Rng, randomUniform, tf, type Tensor } from '@nutshell/tensor';
import { Layer, type ApplyOptions, type LayerArgs, type LayerConfig } from '../layer.js';

// Layers built without a seed fork this generator, so even unseeded runs repeat within a program.
const unseeded = new Rng(0x5eed);

/** Arguments of {@link Dropout}. @public */
export interface DropoutArgs extends LayerArgs {
  /** The fraction of inputs zeroed in training, in [0, 1). */
  readonly rate: number;
  /**
   * Seed of the layer's own generator: the same seed drops the same units in the same order. Without one, the
   * layer forks a package-wide generator with a fixed seed, so a program still repeats run to run.
   */
  readonly seed?: number;
}

/**
 * Dropout (Srivastava et al. 2014): in training, zeroes each input with probability `rate` and scales the rest
 * by 1/(1 − rate), so the expected value is unchanged; in inference it is the identity. It stops units from
 * relying on each other. The masks come from the layer's own seeded generator.
 * @public
 */
export class Dropout extends Layer {
  readonly className: string = 'Dropout';
  /** The drop probability. */
  readonly rate: number;
  /** The seed given, if any. */
  readonly seed?: number;
  private readonly rng: Rng;

  constructor(args: DropoutArgs) {
    super(args);
    if (!(args.rate >= 0 && args.rate < 1)) throw new NutshellError(`Dropout '${this.name}': rate must be in [0, 1), got ${args.rate}.`);
    this.rate = args.rate;
    this.seed = args.seed;
    this.rng = args.seed === undefined ? unseeded.fork() : new Rng(args.seed);
  }

  call(inputs: Tensor | Tensor[], opts: ApplyOptions): Tensor {
    const x = inputs as Tensor;
    if (!opts.training || this.rate === 0) return tf.clone(x);
    const keep = tf.cast(tf.greaterEqual(randomUniform(x.shape, { rng: this.rng }), this.rate), x.dtype);
    return tf.mul(x, tf.mul(keep, 1 / (1 - this.rate)));
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), rate: this.rate, ...(this.seed === undefined ? {} : { seed: this.seed }) };
  }
}
