import { NutshellError, Rng, tf, truncatedNormal, randomNormal, randomUniform, type RandomOptions, type Tensor } from '@nutshell/tensor';

/**
 * Makes a layer's initial weights. `className` and `config` let a layer config record it and rebuild it.
 * @public
 */
export interface Initializer {
  /** Its name, e.g. `'glorotUniform'`. */
  readonly className: string;
  /** Its JSON-serialisable parameters (including the seed, when one was given). */
  readonly config: Readonly<Record<string, unknown>>;
  /** A new float32 tensor of the given shape; the caller owns it. */
  init(shape: readonly number[]): Tensor;
}

/** How an initializer is given to a layer: an object, a name (`'heNormal'`) or a serialised `{ className, config }`. @public */
export type InitializerSpec = Initializer | string | { className: string; config?: Record<string, unknown> };

/** Options shared by the random initializers. @public */
export interface SeedOptions {
  /** Same seed, same weights, bit for bit. Without one, numbers come from the global generator (`setSeed`). */
  readonly seed?: number;
}

/**
 * Fan-in and fan-out of a weight shape. A dense kernel `[in, out]` has fanIn = in, fanOut = out; a convolution
 * kernel `[kh, kw, in, out]` has fanIn = kh·kw·in and fanOut = kh·kw·out (the Keras convention).
 * @public
 */
export function computeFans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  if (shape.length === 0) return { fanIn: 1, fanOut: 1 };
  if (shape.length === 1) return { fanIn: shape[0], fanOut: shape[0] };
  if (shape.length === 2) return { fanIn: shape[0], fanOut: shape[1] };
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return { fanIn: receptive * shape[shape.length - 2], fanOut: receptive * shape[shape.length - 1] };
}

function rand(seed: number | undefined): RandomOptions {
  return seed === undefined ? {} : { seed };
}

// A normal truncated at 2σ has standard deviation 0.87962566σ; dividing by it restores the wanted variance.
const TRUNCATED_STD = 0.8796256610342398;

type Mode = 'fanIn' | 'fanOut' | 'fanAvg';
function varianceScaling(className: string, scale: number, mode: Mode, distribution: 'uniform' | 'truncatedNormal', opts: SeedOptions): Initializer {
  return {
    className,
    config: opts.seed === undefined ? {} : { seed: opts.seed },
    init(shape) {
      const { fanIn, fanOut } = computeFans(shape);
      const n = mode === 'fanIn' ? fanIn : mode === 'fanOut' ? fanOut : (fanIn + fanOut) / 2;
      const variance = scale / Math.max(1, n);
      if (distribution === 'uniform') {
        const limit = Math.sqrt(3 * variance);
        return randomUniform(shape, { ...rand(opts.seed), min: -limit, max: limit });
      }
      return truncatedNormal(shape, { ...rand(opts.seed), std: Math.sqrt(variance) / TRUNCATED_STD });
    },
  };
}

function orthogonal(opts: SeedOptions & { gain?: number } = {}): Initializer {
  const gain = opts.gain ?? 1;
  return {
    className: 'orthogonal',
    config: { ...(opts.seed === undefined ? {} : { seed: opts.seed }), gain },
    init(shape) {
      if (shape.length < 2) throw new NutshellError(`orthogonal initializer: needs a shape of rank >= 2, got [${shape.join(', ')}].`);
      const cols = shape[shape.length - 1];
      const rows = shape.slice(0, -1).reduce((a, b) => a * b, 1);
      // QR of a Gaussian matrix gives a uniformly random orthogonal Q once the signs of R's diagonal are fixed
      // (Mezzadri 2007). For a wide matrix, orthogonalise its transpose: the rows come out orthonormal.
      const [m, n] = rows < cols ? [cols, rows] : [rows, cols];
      return tf.tidy(() => {
        const a = randomNormal([m, n], rand(opts.seed));
        const [q, r] = tf.linalg.qr(a);
        const d = tf.sign(tf.sum(tf.mul(r, tf.eye(n)), 0));
        let w = tf.mul(q, d);
        if (rows < cols) w = tf.transpose(w);
        return tf.reshape(tf.mul(w, gain), [...shape]);
      });
    },
  };
}

/**
 * The weight initializers, each a function of its options returning an {@link Initializer}.
 * Glorot (Xavier) keeps the variance of activations and gradients balanced for tanh/sigmoid layers; He for
 * ReLU layers; LeCun for SELU. The `…Normal` variants draw from a normal truncated at 2σ, rescaled to the
 * intended variance (as Keras does).
 *
 * @example
 * ```ts
 * new Dense({ units: 64, kernelInitializer: initializers.heNormal({ seed: 1 }) });
 * ```
 * @public
 */
export const initializers = {
  /** All zeros. */
  zeros: (): Initializer => ({ className: 'zeros', config: {}, init: (s) => tf.zeros([...s]) }),
  /** All ones. */
  ones: (): Initializer => ({ className: 'ones', config: {}, init: (s) => tf.ones([...s]) }),
  /** Every weight `value`. */
  constant: (opts: { value: number }): Initializer => ({ className: 'constant', config: { value: opts.value }, init: (s) => tf.fill([...s], opts.value) }),
  /** Uniform on [min, max) (default [−0.05, 0.05)). */
  randomUniform: (opts: SeedOptions & { min?: number; max?: number } = {}): Initializer => {
    const min = opts.min ?? -0.05;
    const max = opts.max ?? 0.05;
    return { className: 'randomUniform', config: { ...opts, min, max }, init: (s) => randomUniform(s, { ...rand(opts.seed), min, max }) };
  },
  /** Normal with the given mean and standard deviation (default 0, 0.05). */
  randomNormal: (opts: SeedOptions & { mean?: number; std?: number } = {}): Initializer => {
    const mean = opts.mean ?? 0;
    const std = opts.std ?? 0.05;
    return { className: 'randomNormal', config: { ...opts, mean, std }, init: (s) => randomNormal(s, { ...rand(opts.seed), mean, std }) };
  },
  /** Glorot/Xavier uniform: U(±√(6 / (fanIn + fanOut))). */
  glorotUniform: (opts: SeedOptions = {}): Initializer => varianceScaling('glorotUniform', 1, 'fanAvg', 'uniform', opts),
  /** Glorot/Xavier normal: std √(2 / (fanIn + fanOut)). */
  glorotNormal: (opts: SeedOptions = {}): Initializer => varianceScaling('glorotNormal', 1, 'fanAvg', 'truncatedNormal', opts),
  /** Alias of `glorotUniform`. */
  xavierUniform: (opts: SeedOptions = {}): Initializer => varianceScaling('glorotUniform', 1, 'fanAvg', 'uniform', opts),
  /** Alias of `glorotNormal`. */
  xavierNormal: (opts: SeedOptions = {}): Initializer => varianceScaling('glorotNormal', 1, 'fanAvg', 'truncatedNormal', opts),
  /** He (Kaiming) uniform: U(±√(6 / fanIn)). */
  heUniform: (opts: SeedOptions = {}): Initializer => varianceScaling('heUniform', 2, 'fanIn', 'uniform', opts),
  /** He (Kaiming) normal: std √(2 / fanIn). */
  heNormal: (opts: SeedOptions = {}): Initializer => varianceScaling('heNormal', 2, 'fanIn', 'truncatedNormal', opts),
  /** LeCun uniform: U(±√(3 / fanIn)). */
  lecunUniform: (opts: SeedOptions = {}): Initializer => varianceScaling('lecunUniform', 1, 'fanIn', 'uniform', opts),
  /** LeCun normal: std √(1 / fanIn). */
  lecunNormal: (opts: SeedOptions = {}): Initializer => varianceScaling('lecunNormal', 1, 'fanIn', 'truncatedNormal', opts),
  /** A random orthogonal matrix (rows or columns orthonormal), times `gain` (Saxe et al. 2014). */
  orthogonal: (opts: SeedOptions & { gain?: number } = {}): Initializer => orthogonal(opts),
};

/** The names accepted where an initializer is expected. @public */
export type InitializerName = keyof typeof initializers;

/**
 * Resolves an initializer given as an object, a name or a serialised `{ className, config }`.
 * @public
 */
export function getInitializer(spec: InitializerSpec): Initializer {
  if (typeof spec === 'object' && 'init' in spec) return spec;
  const name = typeof spec === 'string' ? spec : spec.className;
  const config = typeof spec === 'string' ? {} : (spec.config ?? {});
  const make = (initializers as Record<string, (c: any) => Initializer>)[name];
  if (!make) {
    throw new NutshellError(`Unknown initializer '${name}'. Known initializers: ${Object.keys(initializers).join(', ')}.`);
  }
  return make(config);
}

/** The JSON form of an initializer for a layer config. @internal */
export function serializeInitializer(i: Initializer): { className: string; config: Record<string, unknown> } {
  return { className: i.className, config: { ...i.config } };
}

/** Re-exported for layers that draw their own random numbers (Dropout). @internal */
export { Rng };
