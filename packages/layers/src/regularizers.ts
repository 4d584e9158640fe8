import { NutshellError, tf, type Tensor } from '@nutshell/tensor';

/**
 * A penalty on a weight that is added to the training loss (see `Layer.regularizationLoss`).
 * @public
 */
export interface Regularizer {
  /** `'l1'`, `'l2'` or `'l1l2'`. */
  readonly className: string;
  /** Its JSON-serialisable parameters. */
  readonly config: Readonly<Record<string, number>>;
  /** The penalty for `w` as a scalar tensor; the caller owns it. */
  apply(w: Tensor): Tensor;
}

/** How a regularizer is given to a layer: an object or a serialised `{ className, config }`. @public */
export type RegularizerSpec = Regularizer | { className: string; config?: Record<string, number> };

function l1l2(opts: { l1?: number; l2?: number }): Regularizer {
  const a = opts.l1 ?? 0;
  const b = opts.l2 ?? 0;
  for (const [k, v] of [['l1', a], ['l2', b]] as const) {
    if (!(Number.isFinite(v) && v >= 0)) throw new NutshellError(`Regularizer: ${k} must be a finite number >= 0, got ${v}.`);
  }
  const className = a > 0 && b > 0 ? 'l1l2' : a > 0 ? 'l1' : 'l2';
  return {
    className,
    config: className === 'l1' ? { l1: a } : className === 'l2' ? { l2: b } : { l1: a, l2: b },
    apply: (w) =>
      tf.tidy(() => {
        let p = tf.scalar(0);
        if (a > 0) p = tf.add(p, tf.mul(a, tf.sum(tf.abs(w))));
        if (b > 0) p = tf.add(p, tf.mul(b, tf.sum(tf.square(w))));
        return p;
      }),
  };
}

/**
 * Weight penalties. `l1(λ)` adds λ·Σ|w| (pushes weights to exactly zero: sparse models); `l2(λ)` adds λ·Σw²
 * (weight decay: small, spread-out weights; note: no ½, as in Keras); `l1l2({ l1, l2 })` adds both.
 * @public
 */
export const regularizers = {
  /** λ·Σ|w|. */
  l1: (lambda = 0.01): Regularizer => l1l2({ l1: lambda }),
  /** λ·Σw². */
  l2: (lambda = 0.01): Regularizer => l1l2({ l2: lambda }),
  /** l1·Σ|w| + l2·Σw². */
  l1l2: (opts: { l1?: number; l2?: number }): Regularizer => l1l2(opts),
};

/**
 * Resolves a regularizer given as an object or a serialised `{ className, config }`.
 * @public
 */
export function getRegularizer(spec: RegularizerSpec): Regularizer {
  if ('apply' in spec) return spec;
  if (!['l1', 'l2', 'l1l2'].includes(spec.className)) {
    throw new NutshellError(`Unknown regularizer '${spec.className}'. Known regularizers: l1, l2, l1l2.`);
  }
  return l1l2(spec.config ?? {});
}
