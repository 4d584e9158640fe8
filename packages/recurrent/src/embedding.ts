// A lookup table from integer ids (words, characters, categories) to learned vectors.
import {
  getInitializer,
  getRegularizer,
  initializers,
  Layer,
  type ApplyOptions,
  type Initializer,
  type InitializerSpec,
  type LayerArgs,
  type LayerConfig,
  type LayerInputShape,
  type Regularizer,
  type RegularizerSpec,
  type Shape,
} from '@nutshell/layers';
import { DTypeError, ShapeError, tf, type Tensor, type Variable } from '@nutshell/tensor';
import { EmbeddingIndexError, RecurrentArgumentError } from './errors.js';

/** Arguments of {@link Embedding}. @public */
export interface EmbeddingArgs extends LayerArgs {
  /** The number of ids: valid ids are 0 … inputDim − 1. */
  readonly inputDim: number;
  /** The length of each vector. */
  readonly outputDim: number;
  /** The id that pads short sequences; `computeMask` marks its positions 0. Default none. */
  readonly paddingIndex?: number;
  /** Default randomUniform(±0.05) seeded with `seed`. */
  readonly embeddingsInitializer?: InitializerSpec;
  /** A penalty on the table. */
  readonly embeddingsRegularizer?: RegularizerSpec;
  /** Seed of the default initializer. */
  readonly seed?: number;
}

/**
 * An embedding: row `id` of a trained table `[inputDim, outputDim]` for every id, so `[batch, steps]` ids become
 * `[batch, steps, outputDim]` vectors. It is a Dense layer applied to one-hot vectors, without building them.
 *
 * Ids must be integers in [0, inputDim): anything else is an `EmbeddingIndexError` naming the id and where it
 * was (the ids are read back to check, so they should live where they can be read synchronously, as input batches do).
 * With a `paddingIndex`, `computeMask(ids)` gives the `[batch, steps]` mask a recurrent layer's `forward` takes.
 *
 * @example
 * ```ts
 * const embed = new Embedding({ inputDim: 27, outputDim: 8, paddingIndex: 0, seed: 1 });
 * const ids = tf.tensor2d([[3, 1, 0, 0]], undefined, 'int32');
 * const { output } = new LSTM({ units: 16 }).forward(embed.apply(ids), { mask: embed.computeMask(ids) });
 * ```
 * @public
 */
export class Embedding extends Layer {
  readonly className: string = 'Embedding';
  /** The number of ids. */
  readonly inputDim: number;
  /** The vector length. */
  readonly outputDim: number;
  /** The padding id, if any. */
  readonly paddingIndex?: number;
  /** The seed given, if any. */
  readonly seed?: number;
  private readonly initializer: Initializer;
  private readonly regularizer?: Regularizer;
  private table?: Variable;

  constructor(args: EmbeddingArgs) {
    super(args);
    const op = `Embedding${args.name === undefined ? '' : ` '${args.name}'`}`;
    for (const k of ['inputDim', 'outputDim'] as const) {
      if (!Number.isInteger(args[k]) || args[k] < 1)
        throw new RecurrentArgumentError(op, k, 'a positive integer', args[k]);
    }
    if (
      args.paddingIndex !== undefined &&
      !(Number.isInteger(args.paddingIndex) && args.paddingIndex >= 0 && args.paddingIndex < args.inputDim)
    ) {
      throw new RecurrentArgumentError(
        op,
        'paddingIndex',
        `an integer in [0, ${args.inputDim - 1}]`,
        args.paddingIndex,
      );
    }
    this.inputDim = args.inputDim;
    this.outputDim = args.outputDim;
    this.paddingIndex = args.paddingIndex;
    this.seed = args.seed;
    this.initializer = getInitializer(
      args.embeddingsInitializer ?? initializers.randomUniform({ seed: args.seed }),
    );
    this.regularizer = args.embeddingsRegularizer ? getRegularizer(args.embeddingsRegularizer) : undefined;
  }

  private get label(): string {
    return `Embedding '${this.name}'`;
  }

  override build(_inputShape: LayerInputShape): void {
    this.table = this.addWeight('embeddings', [this.inputDim, this.outputDim], this.initializer, {
      regularizer: this.regularizer,
    });
  }

  override computeOutputShape(inputShape: LayerInputShape): Shape {
    if (Array.isArray(inputShape[0]))
      throw new ShapeError(
        this.label,
        'one tensor of ids',
        [(inputShape as Shape[]).length],
        'a list of inputs',
      );
    return [...(inputShape as Shape), this.outputDim];
  }

  /** Checks that every id is an integer in range; returns them as int32. */
  private ids(x: Tensor): Tensor {
    if (x.dtype !== 'int32' && x.dtype !== 'float32')
      throw new DTypeError(this.label, 'int32 (or float32 holding integers)', x.dtype);
    const v = x.dataSync();
    for (let i = 0; i < v.length; i++) {
      if (!(Number.isInteger(v[i]) && v[i] >= 0 && v[i] < this.inputDim))
        throw new EmbeddingIndexError(this.label, v[i], i, this.inputDim);
    }
    return x.dtype === 'int32' ? x : tf.cast(x, 'int32');
  }

  call(inputs: Tensor | Tensor[], _opts: ApplyOptions): Tensor {
    const x = inputs as Tensor;
    const flat = tf.reshape(this.ids(x), [-1]);
    return tf.reshape(tf.gather(this.table!, flat), [...x.shape, this.outputDim]);
  }

  /** With a `paddingIndex`, the mask of the ids (passed on by `Sequential` and `Model`); without, none. */
  override outputMask(inputs: Tensor | Tensor[]): Tensor | undefined {
    const ids = Array.isArray(inputs) ? inputs[0] : inputs;
    return this.paddingIndex === undefined ? undefined : this.computeMask(ids);
  }

  /**
   * The mask of real (non-padding) positions: 1 where `ids` differs from `paddingIndex`, 0 where it is padding;
   * float32, the shape of `ids`. Without a `paddingIndex` every position is real. The caller owns it.
   */
  computeMask(ids: Tensor): Tensor {
    return tf.tidy(() =>
      this.paddingIndex === undefined
        ? tf.ones(ids.shape)
        : tf.cast(tf.notEqual(ids, this.paddingIndex), 'float32'),
    );
  }

  override getConfig(): LayerConfig {
    const ser = (x: { className: string; config: Readonly<Record<string, unknown>> }) => ({
      className: x.className,
      config: { ...x.config },
    });
    return {
      ...super.getConfig(),
      inputDim: this.inputDim,
      outputDim: this.outputDim,
      ...(this.paddingIndex === undefined ? {} : { paddingIndex: this.paddingIndex }),
      ...(this.seed === undefined ? {} : { seed: this.seed }),
      embeddingsInitializer: ser(this.initializer),
      ...(this.regularizer ? { embeddingsRegularizer: ser(this.regularizer) } : {}),
    };
  }
}
