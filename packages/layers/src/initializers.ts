import {
  NutshellError,
  Rng,
  tf,
  truncatedNormal,
  randomNormal,
  randomUniform,
  type RandomOptions,
  type Tensor,
} from '@nutshell/tensor';

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
function varianceScaling(
  className: string,
  scale: number,
  mode: Mode,
  distribution: 'uniform' | 'truncatedNormal',
  opts: SeedOptions,
): Initializer {
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

/**
 * The Q of a Householder QR of the `m × n` matrix `a` (row-major, m ≥ n), in float64, with each column's sign
 * chosen so that R's diagonal is positive: that Q is unique, and for a Gaussian `a` it is uniformly distributed
 * over the matrices with orthonormal columns (Mezzadri 2007). Plain JavaScript on purpose: tfjs's `linalg.qr`
 * builds it from hundreds of small tensor ops and takes about 50 s for an LSTM(128)'s 128 × 512 kernel on the cpu
 * backend, where these loops take milliseconds.
 */
function householderQ(a: Float64Array, m: number, n: number): Float64Array {
  const vs: Float64Array[] = []; // the reflectors H_k = I − 2 v vᵀ, v a unit vector over rows k … m−1
  const signs = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const v = new Float64Array(m - k);
    let norm = 0;
    for (let i = k; i < m; i++) norm += a[i * n + k] ** 2;
    norm = Math.sqrt(norm);
    const x0 = a[k * n + k];
    // Reflect x onto −sign(x0)·‖x‖·e1 (no cancellation in x0 − alpha); R's diagonal entry is then alpha.
    const alpha = x0 >= 0 ? -norm : norm;
    signs[k] = alpha > 0 ? 1 : -1; // a zero column (probability 0) keeps the sign +1
    for (let i = k; i < m; i++) v[i - k] = a[i * n + k];
    v[0] -= alpha;
    let vNorm = 0;
    for (const x of v) vNorm += x * x;
    vNorm = Math.sqrt(vNorm);
    if (vNorm > 0) for (let i = 0; i < v.length; i++) v[i] /= vNorm;
    vs.push(v);
    for (let j = k; j < n; j++) {
      let dot = 0;
      for (let i = k; i < m; i++) dot += v[i - k] * a[i * n + j];
      for (let i = k; i < m; i++) a[i * n + j] -= 2 * dot * v[i - k];
    }
  }
  // Q = H_0 H_1 … H_{n−1} applied to the first n columns of the identity, the last reflector first.
  const q = new Float64Array(m * n);
  for (let j = 0; j < n; j++) q[j * n + j] = 1;
  for (let k = n - 1; k >= 0; k--) {
    const v = vs[k];
    for (let j = 0; j < n; j++) {
      let dot = 0;
      for (let i = k; i < m; i++) dot += v[i - k] * q[i * n + j];
      for (let i = k; i < m; i++) q[i * n + j] -= 2 * dot * v[i - k];
    }
  }
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) q[i * n + j] *= signs[j];
  return q;
}

/** `count` standard normal numbers from the seeded or the global generator (the numbers `randomNormal` draws). */
function gaussians(count: number, seed: number | undefined): Float32Array {
  if (seed !== undefined) {
    const rng = new Rng(seed);
    return Float32Array.from({ length: count }, () => rng.nextNormal());
  }
  // The global generator is reached only through the tensor functions. A tensor just made from host values still
  // holds them on the host on every tfjs backend (WebGPU and WebGL upload lazily), so this read is synchronous.
  const t = randomNormal([count]);
  const values = t.dataSync() as Float32Array;
  t.dispose();
  return values;
}

function orthogonal(opts: SeedOptions & { gain?: number } = {}): Initializer {
  const gain = opts.gain ?? 1;
  return {
    className: 'orthogonal',
    config: { ...(opts.seed === undefined ? {} : { seed: opts.seed }), gain },
    init(shape) {
      if (shape.length < 2)
        throw new NutshellError(
          `orthogonal initializer: needs a shape of rank >= 2, got [${shape.join(', ')}].`,
        );
      const cols = shape[shape.length - 1];
      const rows = shape.slice(0, -1).reduce((a, b) => a * b, 1);
      // QR of a Gaussian matrix gives a uniformly random orthogonal Q. For a wide matrix, orthogonalise its
      // transpose: the rows come out orthonormal.
      const [m, n] = rows < cols ? [cols, rows] : [rows, cols];
      const q = householderQ(Float64Array.from(gaussians(m * n, opts.seed)), m, n);
      const w = new Float32Array(rows * cols);
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) w[rows < cols ? j * m + i : i * n + j] = gain * q[i * n + j];
      }
      return tf.tensor(w, [...shape], 'float32');
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
  constant: (opts: { value: number }): Initializer => ({
    className: 'constant',
    config: { value: opts.value },
    init: (s) => tf.fill([...s], opts.value),
  }),
  /** Uniform on [min, max) (default [−0.05, 0.05)). */
  randomUniform: (opts: SeedOptions & { min?: number; max?: number } = {}): Initializer => {
    const min = opts.min ?? -0.05;
    const max = opts.max ?? 0.05;
    return {
      className: 'randomUniform',
      config: { ...opts, min, max },
      init: (s) => randomUniform(s, { ...rand(opts.seed), min, max }),
    };
  },
  /** Normal with the given mean and standard deviation (default 0, 0.05). */
  randomNormal: (opts: SeedOptions & { mean?: number; std?: number } = {}): Initializer => {
    const mean = opts.mean ?? 0;
    const std = opts.std ?? 0.05;
    return {
      className: 'randomNormal',
      config: { ...opts, mean, std },
      init: (s) => randomNormal(s, { ...rand(opts.seed), mean, std }),
    };
  },
  /** Glorot/Xavier uniform: U(±√(6 / (fanIn + fanOut))). */
  glorotUniform: (opts: SeedOptions = {}): Initializer =>
    varianceScaling('glorotUniform', 1, 'fanAvg', 'uniform', opts),
  /** Glorot/Xavier normal: std √(2 / (fanIn + fanOut)). */
  glorotNormal: (opts: SeedOptions = {}): Initializer =>
    varianceScaling('glorotNormal', 1, 'fanAvg', 'truncatedNormal', opts),
  /** Alias of `glorotUniform`. */
  xavierUniform: (opts: SeedOptions = {}): Initializer =>
    varianceScaling('glorotUniform', 1, 'fanAvg', 'uniform', opts),
  /** Alias of `glorotNormal`. */
  xavierNormal: (opts: SeedOptions = {}): Initializer =>
    varianceScaling('glorotNormal', 1, 'fanAvg', 'truncatedNormal', opts),
  /** He (Kaiming) uniform: U(±√(6 / fanIn)). */
  heUniform: (opts: SeedOptions = {}): Initializer =>
    varianceScaling('heUniform', 2, 'fanIn', 'uniform', opts),
  /** He (Kaiming) normal: std √(2 / fanIn). */
  heNormal: (opts: SeedOptions = {}): Initializer =>
    varianceScaling('heNormal', 2, 'fanIn', 'truncatedNormal', opts),
  /** LeCun uniform: U(±√(3 / fanIn)). */
  lecunUniform: (opts: SeedOptions = {}): Initializer =>
    varianceScaling('lecunUniform', 1, 'fanIn', 'uniform', opts),
  /** LeCun normal: std √(1 / fanIn). */
  lecunNormal: (opts: SeedOptions = {}): Initializer =>
    varianceScaling('lecunNormal', 1, 'fanIn', 'truncatedNormal', opts),
  /** A random orthogonal matrix (rows or columns orthonormal), times `gain` (Saxe et al. 2014). */
  orthogonal: (opts: SeedOptions & { gain?: number } = {}): Initializer => orthogonal(opts),
};

/** The names accepted where an initializer is expected. @public */
export type InitializerName = keyof typeof initializers;

const custom = new Map<string, (config: Record<string, unknown>) => Initializer>();

/**
 * Registers how to rebuild an initializer of your own from its `{ className, config }`, so a saved layer config
 * that names it loads again (as `registerLayer` does for layers). The factory gets the `config` the initializer
 * recorded. A built-in name cannot be replaced (`NutshellError`); re-registering your own name replaces it.
 *
 * @example
 * ```ts
 * const ramp = (c: { n?: number } = {}): Initializer => ({
 *   className: 'ramp', config: c, init: (shape) => tf.reshape(tf.range(0, sizeOf(shape)), shape),
 * });
 * registerInitializer('ramp', ramp);
 * ```
 * @public
 */
export function registerInitializer(
  className: string,
  make: (config: Record<string, unknown>) => Initializer,
): void {
  if (Object.hasOwn(initializers, className)) {
    throw new NutshellError(
      `registerInitializer: '${className}' is a built-in initializer; choose another name.`,
    );
  }
  custom.set(className, make);
}

/**
 * Resolves an initializer given as an object, a name or a serialised `{ className, config }`: a built-in, or one
 * registered with {@link registerInitializer}.
 * @public
 */
export function getInitializer(spec: InitializerSpec): Initializer {
  if (typeof spec === 'object' && 'init' in spec) return spec;
  const name = typeof spec === 'string' ? spec : spec.className;
  const config = typeof spec === 'string' ? {} : (spec.config ?? {});
  const make = Object.hasOwn(initializers, name)
    ? (initializers as Record<string, (c: any) => Initializer>)[name]
    : custom.get(name);
  if (!make) {
    const known = [...Object.keys(initializers), ...custom.keys()].join(', ');
    throw new NutshellError(
      `Unknown initializer '${name}'. Known initializers: ${known}. Register your own with registerInitializer.`,
    );
  }
  return make(config);
}

/** The JSON form of an initializer for a layer config. @internal */
export function serializeInitializer(i: Initializer): { className: string; config: Record<string, unknown> } {
  return { className: i.className, config: { ...i.config } };
}

/** Re-exported for layers that draw their own random numbers (Dropout). @internal */
export { Rng };
