import { tf, type Tensor, type Variable } from '@nutshell/tensor';
import { LayerStateError, WeightsMismatchError } from './errors.js';
import { getInitializer, type InitializerSpec } from './initializers.js';
import { uniqueName, snakeCase } from './naming.js';
import { getRegularizer, type Regularizer, type RegularizerSpec } from './regularizers.js';
import { fmt, isShapeList, type LayerInputShape, type Shape } from './shape.js';
import { SymbolicTensor } from './symbolic.js';

/** Options of a forward pass. @public */
export interface ApplyOptions {
  /** Training mode (dropout active, batch statistics in BatchNormalization). Default false: inference. */
  readonly training?: boolean;
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
  readonly name: string;
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
    this.build(shape);
    this._inputShape = shape;
    this._built = true;
  }

  /**
   * Creates a weight named `this.name + '/' + name`, filled by `initializer`. Call it from `build`.
   */
  protected addWeight(name: string, shape: readonly number[], initializer: InitializerSpec, opts: AddWeightOptions = {}): Variable {
    if (this._weights.some((w) => w.name === `${this.name}/${name}`)) {
      throw new LayerStateError(`${this.className} '${this.name}': weight '${name}' already exists.`);
    }
    weightGuard?.check(`${this.name}/${name}`, shape);
    const trainable = opts.trainable ?? true;
    const init = getInitializer(initializer).init(shape);
    // The engine assigns the variable a unique internal name: two models may hold layers with the same name.
    const variable = tf.variable(init, trainable && this._trainable);
    init.dispose();
    weightGuard?.created(variable);
    this._weights.push({
      name: `${this.name}/${name}`,
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
    const tensors = list as Tensor[];
    const shapes: Shape[] = tensors.map((t) => [...t.shape]);
    this.computeOutputShape(multi ? shapes : shapes[0]); // validates the actual shapes
    const batchless = shapes.map((s) => (s.length > 0 ? [null, ...s.slice(1)] : s));
    this.ensureBuilt(multi ? batchless : batchless[0]);
    const training = opts.training ?? false;
    return tf.tidy(() => this.call(multi ? tensors : tensors[0], { training }));
  }

  /** Every weight of the layer, in creation order. */
  get weights(): LayerWeight[] {
    return this._weights.map((w) => ({ name: w.name, variable: w.variable, trainable: w.trainable && this._trainable }));
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
    return this._weights.reduce((n, w) => n + w.variable.size, 0);
  }

  /**
   * Replaces the weights' values, in the order of `weights`. Shapes must match exactly; a mismatch is a
   * `WeightsMismatchError` naming the weight and both shapes.
   */
  setWeights(values: readonly Tensor[]): void {
    if (values.length !== this._weights.length) {
      throw new WeightsMismatchError(this.name, `${this.className} '${this.name}' has ${this._weights.length} weights, got ${values.length} values.`);
    }
    this._weights.forEach((w, i) => {
      const v = values[i];
      if (v.shape.length !== w.variable.shape.length || v.shape.some((d, k) => d !== w.variable.shape[k])) {
        throw new WeightsMismatchError(w.name, `expected shape ${fmt(w.variable.shape)}, got ${fmt(v.shape)}.`);
      }
      if (v.dtype !== w.variable.dtype) throw new WeightsMismatchError(w.name, `expected dtype ${w.variable.dtype}, got ${v.dtype}.`);
    });
    this._weights.forEach((w, i) => w.variable.assign(values[i]));
  }

  /** The JSON-serialisable config: `{ className, name, trainable, ...hyperparameters }`. Subclasses add theirs. */
  getConfig(): LayerConfig {
    return { className: this.className, name: this.name, trainable: this._trainable };
  }

  /** The sum of the weights' regularisation penalties as a scalar (caller owns it), or null when there are none. */
  regularizationLoss(): Tensor | null {
    const rs = this._weights.filter((w) => w.regularizer && w.trainable && this._trainable);
    if (rs.length === 0) return null;
    return tf.tidy(() => tf.addN(rs.map((w) => w.regularizer!.apply(w.variable))));
  }

  /** Frees the weights. The layer builds afresh if applied again. */
  dispose(): void {
    for (const w of this._weights) w.variable.dispose();
    this._weights.length = 0;
    this._built = false;
    this._inputShape = undefined;
  }
}
