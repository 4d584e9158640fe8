const counters = new Map<string, number>();

/** `Dense` → `dense`, `BatchNormalization` → `batch_normalization`, `Conv2D` → `conv2d`. @internal */
export function snakeCase(className: string): string {
  return className
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
    .replace(/_(\d)d\b/g, '$1d');
}

/** The next free name for a prefix: `dense_1`, `dense_2`, ... (per process). @internal */
export function uniqueName(prefix: string): string {
  const n = (counters.get(prefix) ?? 0) + 1;
  counters.set(prefix, n);
  return `${prefix}_${n}`;
}
