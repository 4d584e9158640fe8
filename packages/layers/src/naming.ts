const counters = new Map<string, number>();

/**
 * A layer class's name prefix, as Keras names them: `Dense` → `dense`, `BatchNormalization` →
 * `batch_normalization`, `Conv2D` → `conv2d`, `MaxPool2D` → `max_pooling2d`, `AvgPool2D` → `average_pooling2d`.
 * @internal
 */
export function snakeCase(className: string): string {
  return className
    .replace(/Avg(?=Pool)/g, 'Average')
    .replace(/Pool(\d)D$/, 'Pooling$1D')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
    .replace(/(\d)_d(?=_|$)/g, '$1d');
}

/**
 * The name a weight had before layer names followed Keras (until 0.2: `conv2_d_1/kernel`, `max_pool2_d_1`,
 * `avg_pool2_d_1`), so weights saved then still load into models built now. Undefined when it is the same.
 * @internal
 */
export function legacyWeightName(name: string): string | undefined {
  const old = name
    .replace(/(^|[_/])average_pooling(\d)d(?=_|\/|$)/g, '$1avg_pool$2d')
    .replace(/_pooling(\d)d(?=_|\/|$)/g, '_pool$1d')
    .replace(/(\d)d(?=_|\/|$)/g, '$1_d');
  return old === name ? undefined : old;
}

/** The next free name for a prefix: `dense_1`, `dense_2`, ... (per process). @internal */
export function uniqueName(prefix: string): string {
  const n = (counters.get(prefix) ?? 0) + 1;
  counters.set(prefix, n);
  return `${prefix}_${n}`;
}
