import { tf, type Tensor, type Variable } from '@nutshell/tensor';
import { LayerStateError, WeightsMismatchError } from './errors.js';
import { getInitializer, type InitializerSpec } from './initializers.js';
import { uniqueName, snakeCase } from './naming.js';
import { getRegularizer, type Regularizer, type RegularizerSpec } from './regularizers.js';
import { fmt, isShapeList, type LayerInputShape, type Shape } from './shape.js';
import { findSubLayers, inheritedTraining, qualifiedWeightName, withOwner, withTraining, type SubLayer } from './subLayers.js';
import { SymbolicTensor } from './symbolic.js';

/** Options of a forward pass. @public */
export interface ApplyOptions {
  /** Training mode (dropout active, batch statistics in BatchNormalization). Default false: inference. */
  readonly training?: boolean;
  /**
   * The padding mask of the (first) input, `[batch, steps]`, 1 for a real step and 0 for padding. `Sequential` and
   * `Model` pass each layer the mask its input layer made (see `Layer.outputMask`); recurrent layers skip padded
   * steps. Layers that do not read it ignore it.
   */
  readonly mask?: Tensor;
}

/** Which output of a multi-output layer call a symbolic tensor is, and its siblings. @internal */
export interface OutputSlot {
  /** The output's position in the call's outputs. */
  readonly index: number;
  /** Every output of the same call, in order (one array object per call). */
  readonly group: readonly SymbolicTensor[];
}

const outputSlots = new WeakMap<SymbolicTensor, OutputSlot>();

/** The slot of a symbolic tensor made by `applyAll` on a multi-output layer, or undefined. @internal */
export function outputSlot(t: SymbolicTensor): OutputSlot | undefined {
  return outputSlots.get(t);
}

/** One of a layer's parameters. @public */
export interface LayerWeight {
  /** `layerName/weightName`, e.g. `dense_1/kernel`; unique within a model. */
  readonly name: string;
  /** The tensor variable holding its values. */
  readonly variable: Variable;
  /** Whether an optimizer should update it (false for moving statistics, or when the layer is frozen). */
  readonly trainable: boolean;
}

/** A layer's JSON-serialisable config: its class, its name and its hyperparameters. @public */
export interface LayerConfig {
  /** The registered class name, e.g. `'Dense'`. */
  className: string;
  /** The layer's name. */
  name: string;
  /** Whether the layer's weights are trainable. */
  trainable?: boolean;
  /** Hyperparameters. */
  [key: string]: unknown;
}

/** Arguments every layer accepts. @public */
export interface LayerArgs {
  /** A name, unique within a model. Default: the class name in snake_case with a counter, `dense_3`. */
  readonly name?: string;
  /** Set false to freeze the layer's weights. Default true. */
  readonly trainable?: boolean;
}

/** Options of `Layer.addWeight`. @public */
export interface AddWeightOptions {
  /** Default true. Moving statistics are added with false. */
  readonly trainable?: boolean;
  /** A penalty added to `regularizationLoss()`. */
  readonly regularizer?: RegularizerSpec;
}

/** Hooks a model loader sets while layers build. @internal */
export interface WeightGuard {
  /** Called before a weight is allocated; throws to refuse it. */
  check(name: string, shape: readonly number[]): void;
  /** Called after a weight is allocated (so a failed load can free it). */
  created(variable: Variable): void;
}

let weightGuard: WeightGuard | undefined;

/**
 * While a model loads, checks each weight against the file before it is allocated. @internal
 */
export function setWeightGuard(guard: WeightGuard | undefined): void {
  weightGuard = guard;
}

interface OwnWeight {
  /** The name given to `addWeight` (`kernel`); the weight's full name is the layer's path plus this. */
  readonly local: string;
  readonly variable: Variable;
  readonly trainable: boolean;
  readonly regularizer?: Regularizer;
}

/**
 * A layer: a function with parameters (weights) from tensors to tensors. Its weights are created lazily, by
 * `build`, from the shape of the first input it sees, so a layer needs to know only its own hyperparameters
 * (`new Dense({ units: 10 })`), not the size of its input.
 *
 * To write a layer: set `className`, create weights in `build` with `addWeight`, compute the output in `call`
 * with plain tensor ops (no `tidy`: `apply` wraps it), say how the shape changes in `computeOutputShape` (and
 * throw a `ShapeError` there for inputs it cannot take), add hyperparameters to `getConfig`, and
 * `registerLayer` the class so configs can be loaded.
 *
 * A composite layer holds other layers in its fields (`this.dense = new Dense(...)`), in arrays, maps or plain
 * objects, created in its constructor and applied in `call`. They are tracked as in Keras: their weights are the
 * composite's weights (named by the field path, `block/dense/kernel`), counted by `countParams` and `summary`,
 * trained, saved and loaded; `trainable` freezes them too; an inner `apply` without `training` inherits the
 * outer one's; `dispose` frees them. The composite builds them on its first input by running `call` once on a
 * zero batch, and, unless it overrides `computeOutputShape`, infers its output shape the same way.
 * @public
 */
export abstract class Layer {
  /** The class name written into configs; `registerLayer` maps it back to a constructor. */
  abstract readonly className: string;
  private _name: string | undefined;
  private _trainable: boolean;
  private _built = false;
  private readonly _weights: OwnWeight[] = [];
  private _inputShape: LayerInputShape | undefined;
  private readonly _outputShapes = new Map<string, Shape>();

  constructor(config: LayerArgs = {}) {
    this._name = config.name;
    this._trainable = config.trainable ?? true;
  }

  /** The layer's name. */
  get name(): string {
    this._name ??= uniqueName(snakeCase(this.className));
    return this._name;
  }

  /** Whether the layer's weights are trained. Setting it freezes or unfreezes them. */
  get trainable(): boolean {
    return this._trainable;
  }
  set trainable(value: boolean) {
    this._trainable = value;
    for (const w of this._weights) w.variable.trainable = value && w.trainable;
    for (const s of this.subLayers) s.layer.trainable = value;
  }

  /**
   * The layers this layer holds in its fields (directly, or in arrays, maps, sets, plain objects or models), each
   * with the property path to it (`dense`, `blocks/0`). Their own sub-layers are theirs, not listed here.
   */
  get subLayers(): { readonly path: string; readonly layer: Layer }[] {
    return findSubLayers<Layer>(this, isLayer, BASE_FIELDS);
  }

  /** Whether `build` has run (weights exist). */
  get built(): boolean {
    return this._built;
  }

  /** The input shape the layer was built for (batch dimension `null`), or undefined before building. */
  get builtInputShape(): LayerInputShape | undefined {
    return this._inputShape;
  }

  /**
   * Creates the layer's weights for inputs of shape `inputShape` (batch dimension first, `null`). Called once,
   * by `apply`, before the first `call`; subclasses override it and call `addWeight`.
   */
  build(inputShape: LayerInputShape): void {
    this._inputShape = inputShape;
    this._built = true;
  }

  /** Builds the layer if it is not built yet. */
  ensureBuilt(inputShape: LayerInputShape): void {
    if (this._built) return;
    const shape = isShapeList(inputShape) ? inputShape.map((s) => [...s]) : [...inputShape];
    withOwner(this, () => this.build(shape));
    this._inputShape = shape;
    this._built = true;
    const subs = this.subLayers;
    if (subs.some((s) => !s.layer.built)) this.dryRun(shape);
    // Sub-layers created after `super(args)` did not see `trainable: false`.
    if (!this._trainable) this.trainable = false;
  }

  // Runs `call` once on a batch of one zero example (unknown sizes 1), so sub-layers that build lazily in `call`
  // build now; returns the output shape with the input's batch dimension.
  private dryRun(inputShape: LayerInputShape): Shape {
    const key = JSON.stringify(inputShape);
    const cached = this._outputShapes.get(key);
    if (cached) return [...cached];
    const concrete = (s: Shape): number[] => s.map((d, i) => (i === 0 || d == null ? 1 : d));
    const result = tf.tidy(() => {
      const zeros = isShapeList(inputShape) ? inputShape.map((s) => tf.zeros(concrete(s))) : tf.zeros(concrete(inputShape));
      return withOwner(this, () => withTraining(false, () => this.call(zeros, { training: false })));
    });
    const out = result.shape;
    result.dispose();
    const first = isShapeList(inputShape) ? inputShape[0] : inputShape;
    const shape: Shape = [first[0] ?? null, ...out.slice(1)];
    this._outputShapes.set(key, shape);
    return [...shape];
  }

  /**
   * Creates a weight named `this.name + '/' + name`, filled by `initializer`. Call it from `build`.
   */
  protected addWeight(name: string, shape: readonly number[], initializer: InitializerSpec, opts: AddWeightOptions = {}): Variable {
    if (this._weights.some((w) => w.local === name)) {
      throw new LayerStateError(`${this.className} '${this.name}': weight '${name}' already exists.`);
    }
    weightGuard?.check(qualifiedWeightName(this, name, subLayerPath), shape);
    const trainable = opts.trainable ?? true;
    const init = getInitializer(initializer).init(shape);
    // The engine assigns the variable a unique internal name: two models may hold layers with the same name.
    const variable = tf.variable(init, trainable && this._trainable);
    init.dispose();
    weightGuard?.created(variable);
    this._weights.push({
      local: name,
      variable,
      trainable,
      regularizer: opts.regularizer ? getRegularizer(opts.regularizer) : undefined,
    });
    return variable;
  }

  /**
   * The forward computation, on concrete tensors, with plain tensor ops (`apply` frees the intermediates).
   * Merge layers receive an array.
   */
  abstract call(inputs: Tensor | Tensor[], opts: ApplyOptions): Tensor;

  /**
   * The output shape for an input shape (batch dimension `null` or a number). Layers throw a `ShapeError` here
   * for inputs they cannot take; `apply` calls it on every input, so a wrong shape fails before any compute.
   * The default is the identity.
   */
  computeOutputShape(inputShape: LayerInputShape): Shape {
    if (this.subLayers.length > 0) {
      const batchless = isShapeList(inputShape) ? inputShape.map((s) => [null, ...s.slice(1)]) : [null, ...inputShape.slice(1)];
      this.ensureBuilt(batchless);
      const out = this.dryRun(batchless);
      const first = isShapeList(inputShape) ? inputShape[0] : inputShape;
      return [first[0] ?? null, ...out.slice(1)];
    }
    return isShapeList(inputShape) ? [...inputShape[0]] : [...inputShape];
  }

  /** Applies the layer to a tensor: builds it from the first input's shape, checks the shape, computes. The caller owns the result. */
  apply(inputs: Tensor | Tensor[], opts?: ApplyOptions): Tensor;
  /** Applies the layer to symbolic tensors, wiring a graph model (see `Model`). */
  apply(inputs: SymbolicTensor | SymbolicTensor[]): SymbolicTensor;
  apply(inputs: Tensor | Tensor[] | SymbolicTensor | SymbolicTensor[], opts: ApplyOptions = {}): Tensor | SymbolicTensor {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    const multi = Array.isArray(inputs);
    if (list.length === 0) throw new LayerStateError(`${this.className} '${this.name}': apply() got an empty list of inputs.`);
    if (list[0] instanceof SymbolicTensor) {
      const sym = list as SymbolicTensor[];
      const shapes = sym.map((s) => [...s.shape]);
      const shape: LayerInputShape = multi ? shapes : shapes[0];
      const out = this.computeOutputShape(shape);
      this.ensureBuilt(shape);
      return new SymbolicTensor(out, this, sym, multi);
    }
    return this.applyConcrete(list as Tensor[], multi, opts, (x, o) => this.call(x, o));
  }

  // Builds, checks the shapes, and runs `f` in a tidy with the layer's training mode and the mask.
  private applyConcrete<T extends Tensor | Tensor[]>(tensors: Tensor[], multi: boolean, opts: ApplyOptions, f: (inputs: Tensor | Tensor[], opts: ApplyOptions) => T): T {
    const shapes: Shape[] = tensors.map((t) => [...t.shape]);
    this.computeOutputShape(multi ? shapes : shapes[0]); // validates the actual shapes
    const batchless = shapes.map((s) => (s.length > 0 ? [null, ...s.slice(1)] : s));
    this.ensureBuilt(multi ? batchless : batchless[0]);
    const training = opts.training ?? inheritedTraining() ?? false;
    const o: ApplyOptions = opts.mask ? { training, mask: opts.mask } : { training };
    return tf.tidy(() => withOwner(this, () => withTraining(training, () => f(multi ? tensors : tensors[0], o))));
  }

  /**
   * How many tensors one call of the layer makes. 1 for most layers; a recurrent layer with `returnState` makes its
   * output and its final states. `apply` returns the first; `applyAll` returns them all.
   */
  get outputCount(): number {
    return 1;
  }

  /** The shape of every output (see `outputCount`); the default is `[computeOutputShape(inputShape)]`. */
  computeOutputShapes(inputShape: LayerInputShape): Shape[] {
    return [this.computeOutputShape(inputShape)];
  }

  /** Every output of the forward computation (see `outputCount`); the default is `[call(...)]`. */
  callAll(inputs: Tensor | Tensor[], opts: ApplyOptions): Tensor[] {
    return [this.call(inputs, opts)];
  }

  /**
   * Applies the layer and returns every output (`outputCount` of them), e.g. an LSTM with `returnState`:
   * `const [output, h, c] = lstm.applyAll(x)`; on symbolic tensors, to wire a graph model with them. The caller
   * owns the result.
   */
  applyAll(inputs: Tensor | Tensor[], opts?: ApplyOptions): Tensor[];
  /** Every output as a symbolic tensor, for a graph model. */
  applyAll(inputs: SymbolicTensor | SymbolicTensor[]): SymbolicTensor[];
  applyAll(inputs: Tensor | Tensor[] | SymbolicTensor | SymbolicTensor[], opts: ApplyOptions = {}): Tensor[] | SymbolicTensor[] {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    const multi = Array.isArray(inputs);
    if (list.length === 0) throw new LayerStateError(`${this.className} '${this.name}': applyAll() got an empty list of inputs.`);
    if (list[0] instanceof SymbolicTensor) {
      if (this.outputCount === 1) return [this.apply(inputs as SymbolicTensor[])];
      const sym = list as SymbolicTensor[];
      const shape: LayerInputShape = multi ? sym.map((s) => [...s.shape]) : [...sym[0].shape];
      const outs = this.computeOutputShapes(shape);
      this.ensureBuilt(shape);
      const group: SymbolicTensor[] = outs.map((o) => new SymbolicTensor(o, this, sym, multi));
      group.forEach((t, index) => outputSlots.set(t, { index, group }));
      return group;
    }
    return this.applyConcrete(list as Tensor[], multi, opts, (x, o) => this.callAll(x, o));
  }

  /**
   * The padding mask of this layer's output, from its input(s), the input's mask and the output (`Sequential` and
   * `Model` call it to pass masks on). The default passes the mask on when the output keeps the input's first two
   * dimensions `[batch, steps]` (a per-step layer such as Dense or Dropout on a sequence), and drops it otherwise.
   * An embedding makes one from its padding id; a recurrent layer passes it on only with `returnSequences`.
   */
  outputMask(inputs: Tensor | Tensor[], mask: Tensor | undefined, output: Tensor): Tensor | undefined {
    if (!mask) return undefined;
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const keeps = x.rank >= 3 && output.rank >= 3 && x.shape[0] === output.shape[0] && x.shape[1] === output.shape[1];
    return keeps ? mask : undefined;
  }

  /** Every weight of the layer, in creation order, then its sub-layers' (each variable once). */
  get weights(): LayerWeight[] {
    const out: LayerWeight[] = [];
    this.collectWeights(this.name, true, out, new Set());
    return out;
  }

  // Own weights under `prefix`, then each sub-layer's under `prefix/path`.
  private collectWeights(prefix: string, trainable: boolean, out: LayerWeight[], seen: Set<Variable>): void {
    const on = trainable && this._trainable;
    for (const w of this._weights) {
      if (seen.has(w.variable)) continue;
      seen.add(w.variable);
      out.push({ name: `${prefix}/${w.local}`, variable: w.variable, trainable: w.trainable && on });
    }
    for (const s of this.subLayers) s.layer.collectWeights(`${prefix}/${s.path}`, on, out, seen);
  }

  /** The weights an optimizer updates. */
  get trainableWeights(): LayerWeight[] {
    return this.weights.filter((w) => w.trainable);
  }

  /** The weights an optimizer leaves alone (moving statistics, frozen weights). */
  get nonTrainableWeights(): LayerWeight[] {
    return this.weights.filter((w) => !w.trainable);
  }

  /** The number of scalar parameters (trainable or not). */
  countParams(): number {
    return this.weights.reduce((n, w) => n + w.variable.size, 0);
  }

  /**
   * Replaces the weights' values, in the order of `weights`. Shapes must match exactly; a mismatch is a
   * `WeightsMismatchError` naming the weight and both shapes.
   */
  setWeights(values: readonly Tensor[]): void {
    const weights = this.weights;
    if (values.length !== weights.length) {
      throw new WeightsMismatchError(this.name, `${this.className} '${this.name}' has ${weights.length} weights, got ${values.length} values.`);
    }
    weights.forEach((w, i) => {
      const v = values[i];
      if (v.shape.length !== w.variable.shape.length || v.shape.some((d, k) => d !== w.variable.shape[k])) {
        throw new WeightsMismatchError(w.name, `expected shape ${fmt(w.variable.shape)}, got ${fmt(v.shape)}.`);
      }
      if (v.dtype !== w.variable.dtype) throw new WeightsMismatchError(w.name, `expected dtype ${w.variable.dtype}, got ${v.dtype}.`);
    });
    weights.forEach((w, i) => w.variable.assign(values[i]));
  }

  /** The JSON-serialisable config: `{ className, name, trainable, ...hyperparameters }`. Subclasses add theirs. */
  getConfig(): LayerConfig {
    return { className: this.className, name: this.name, trainable: this._trainable };
  }

  /** The sum of the weights' regularisation penalties as a scalar (caller owns it), or null when there are none. */
  regularizationLoss(): Tensor | null {
    const rs = this._weights.filter((w) => w.regularizer && w.trainable && this._trainable);
    const subs = this.subLayers;
    if (rs.length === 0 && subs.length === 0) return null;
    const parts = rs.map((w) => tf.tidy(() => w.regularizer!.apply(w.variable)));
    for (const s of subs) {
      const p = s.layer.regularizationLoss();
      if (p) parts.push(p);
    }
    if (parts.length === 0) return null;
    const total = tf.addN(parts);
    tf.dispose(parts);
    return total;
  }

  /** Frees the weights, the sub-layers' too. The layer builds afresh if applied again. */
  dispose(): void {
    for (const w of this._weights) w.variable.dispose();
    for (const s of this.subLayers) s.layer.dispose();
    this._outputShapes.clear();
    this._weights.length = 0;
    this._built = false;
    this._inputShape = undefined;
  }
}

// The base class's own fields, never searched for sub-layers.
const BASE_FIELDS: ReadonlySet<string> = new Set(['_name', '_trainable', '_built', '_weights', '_inputShape', '_outputShapes', 'className']);

function isLayer(x: unknown): x is Layer {
  return x instanceof Layer;
}

// The path from `owner` to `layer` among the owner's sub-layers, if it holds it.
function subLayerPath(owner: { readonly name: string }, layer: { readonly name: string }): string | undefined {
  return owner instanceof Layer ? owner.subLayers.find((s: SubLayer<Layer>) => s.layer === layer)?.path : undefined;
}
