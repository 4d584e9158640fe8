/**
 * @file Finding the layers a composite layer holds, and the training mode an inner layer inherits.
 *
 * Keras tracks sub-layers when they are assigned (`__setattr__`); JavaScript has no such hook, so a layer's
 * sub-layers are found by walking its own properties whenever they are needed: a `Layer` held in a field, in an
 * array, in a `Map`/`Set`, in a plain object, or a model (`Sequential`, `Model`) held in a field (its layers, by
 * position).
 * Each is found once, with a path made of the property names and keys that lead to it (`blocks/0/dense`), so
 * weight names do not depend on the auto-generated names of the inner layers and a model rebuilt from its
 * config loads the same file. `#private` fields are invisible to JavaScript and cannot be tracked.
 */

/** What the walk needs of a layer (`Layer` itself, kept structural to avoid an import cycle). @internal */
export interface Trackable {
  readonly name: string;
}

/** One tracked sub-layer and the property path that leads to it from its owner. @internal */
export interface SubLayer<L extends Trackable> {
  readonly path: string;
  readonly layer: L;
}

// Containers deeper than this are not searched: real layers nest a few levels, and the bound keeps a
// pathological structure (a huge or self-referencing plain object) from making `weights` slow.
const MAX_DEPTH = 4;

function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

// A model (Sequential, graph Model) held by a layer: duck-typed, models live in a module that imports this one.
function modelLayers<L extends Trackable>(v: object, isLayer: (x: unknown) => x is L): L[] | undefined {
  const m = v as { layers?: unknown; getConfig?: unknown; predict?: unknown };
  if (typeof m.getConfig !== 'function' || typeof m.predict !== 'function') return undefined;
  let layers: unknown;
  try {
    layers = m.layers;
  } catch {
    return undefined;
  }
  return Array.isArray(layers) && layers.every(isLayer) ? (layers as L[]) : undefined;
}

/**
 * The layers held by `owner`'s own enumerable properties (not `skip`), in property order, each once (the first
 * path wins), excluding `owner` itself. Layers inside the found layers are not listed: each layer tracks its own.
 * @internal
 */
export function findSubLayers<L extends Trackable>(
  owner: L,
  isLayer: (x: unknown) => x is L,
  skip: ReadonlySet<string>,
): SubLayer<L>[] {
  const found: SubLayer<L>[] = [];
  const seenLayers = new Set<L>([owner]);
  const seenContainers = new Set<object>();
  const visit = (value: unknown, path: string, depth: number): void => {
    if (value === null || typeof value !== 'object') return;
    if (isLayer(value)) {
      if (!seenLayers.has(value)) {
        seenLayers.add(value);
        found.push({ path, layer: value });
      }
      return;
    }
    if (depth >= MAX_DEPTH || seenContainers.has(value)) return;
    seenContainers.add(value);
    if (Array.isArray(value)) {
      value.forEach((v, i) => visit(v, `${path}/${i}`, depth + 1));
    } else if (value instanceof Map) {
      for (const [k, v] of value) visit(v, `${path}/${String(k)}`, depth + 1);
    } else if (value instanceof Set) {
      let i = 0;
      for (const v of value) visit(v, `${path}/${i++}`, depth + 1);
    } else if (isPlainObject(value)) {
      for (const [k, v] of Object.entries(value)) visit(v, `${path}/${k}`, depth + 1);
    } else {
      const layers = modelLayers(value, isLayer);
      // By position, not by the layers' auto-generated names, so a model rebuilt from config loads the same file.
      layers?.forEach((l, i) => visit(l, `${path}/${i}`, depth + 1));
    }
  };
  for (const [key, value] of Object.entries(owner)) {
    if (!skip.has(key)) visit(value, key, 0);
  }
  return found;
}

// The training mode of the innermost `apply` running now: an inner layer applied without `training` inherits it,
// as in Keras, so a composite layer need not pass the flag on by hand.
const trainingStack: boolean[] = [];

/** The training mode of the enclosing `apply`, or undefined outside any. @internal */
export function inheritedTraining(): boolean | undefined {
  return trainingStack.length === 0 ? undefined : trainingStack[trainingStack.length - 1];
}

/** Runs `fn` with `training` as the mode inner layers inherit. @internal */
export function withTraining<T>(training: boolean, fn: () => T): T {
  trainingStack.push(training);
  try {
    return fn();
  } finally {
    trainingStack.pop();
  }
}

// The layers whose weights are being created now (outermost first), so a sub-layer built inside its owner's
// `call` knows its full weight name (`block/dense/kernel`) when a model loader checks it against a file.
const buildingStack: Trackable[] = [];

/** Runs `fn` with `layer` as the innermost layer being built or called. @internal */
export function withOwner<T>(layer: Trackable, fn: () => T): T {
  buildingStack.push(layer);
  try {
    return fn();
  } finally {
    buildingStack.pop();
  }
}

/**
 * The name a weight will have in the model: `weightName` prefixed by the paths from the outermost owner being
 * built down to `layer` (`owner/path/weight`), or by `layer.name` when no owner is building it. @internal
 */
export function qualifiedWeightName(
  layer: Trackable,
  weightName: string,
  pathIn: (owner: Trackable, layer: Trackable) => string | undefined,
): string {
  let name = weightName;
  let current = layer;
  for (let i = buildingStack.length - 1; i >= 0; i--) {
    const owner = buildingStack[i];
    if (owner === current) continue;
    const path = pathIn(owner, current);
    if (path === undefined) break;
    name = `${path}/${name}`;
    current = owner;
  }
  return `${current.name}/${name}`;
}
