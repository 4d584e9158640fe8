import { tf, type Tensor } from '@nutshell/tensor';
import { LayerStateError } from '../errors.js';
import type { ApplyOptions, Layer, LayerWeight } from '../layer.js';
import { uniqueName } from '../naming.js';
import { fmt, shapeError, type Shape } from '../shape.js';
import { batchedPredict, checkUniqueNames, formatSummary, sumRegularization, weightsOf } from './common.js';
import type { LayerOutput, ModelConfig, ModelLike, PredictOptions } from './modelLike.js';

/** Options of {@link Sequential}. @public */
export interface SequentialArgs {
  /** The shape of one example, without the batch dimension. Given, the model builds at once; otherwise on first use. */
  readonly inputShape?: readonly (number | null)[];
  /** Default `sequential_N`. */
  readonly name?: string;
}

/**
 * A stack of layers, each feeding the next: the simplest neural network.
 *
 * @example
 * ```ts
 * const model = new Sequential([new Dense({ units: 32, activation: 'relu' }), new Dense({ units: 10 })], { inputShape: [784] });
 * console.log(model.summary());
 * ```
 * @public
 */
export class Sequential implements ModelLike {
  /** The class name written into configs. */
  readonly className: string = 'Sequential';
  /** The model's name. */
  readonly name: string;
  private readonly _layers: Layer[] = [];
  private _inputShape: Shape | undefined;

  constructor(layers: readonly Layer[] = [], opts: SequentialArgs = {}) {
    this.name = opts.name ?? uniqueName('sequential');
    for (const l of layers) this.add(l);
    if (opts.inputShape) this.build([null, ...opts.inputShape]);
  }

  /** The layers, in order. */
  get layers(): Layer[] {
    return [...this._layers];
  }

  /** Whether the model knows its input shape and every layer has its weights. */
  get built(): boolean {
    return this._inputShape !== undefined;
  }

  /** Appends a layer; if the model is built, the layer is built for the current output shape. */
  add(layer: Layer): void {
    checkUniqueNames(`Sequential '${this.name}'`, [...this._layers, layer]);
    if (this._layers.includes(layer)) throw new LayerStateError(`Sequential '${this.name}': layer '${layer.name}' is already in the model.`);
    if (this._inputShape) {
      const shape = this.outputShape;
      layer.computeOutputShape(shape);
      layer.ensureBuilt(shape);
    }
    this._layers.push(layer);
  }

  /** Builds every layer for inputs of `inputShape` (batch dimension first). */
  build(inputShape: Shape): void {
    let shape: Shape = [null, ...inputShape.slice(1)];
    for (const layer of this._layers) {
      const out = layer.computeOutputShape(shape);
      layer.ensureBuilt(shape);
      shape = out;
    }
    this._inputShape = [null, ...inputShape.slice(1)];
  }

  /** The input shape (batch `null` first). */
  get inputShape(): Shape {
    if (!this._inputShape) throw new LayerStateError(`Sequential '${this.name}' is not built: give inputShape, call build(), or apply it to a tensor first.`);
    return [...this._inputShape];
  }

  /** The output shape (batch `null` first). */
  get outputShape(): Shape {
    return this.layerShapes()[this._layers.length];
  }

  // The input shape followed by every layer's output shape.
  private layerShapes(): Shape[] {
    const shapes: Shape[] = [this.inputShape];
    for (const l of this._layers) shapes.push(l.computeOutputShape(shapes[shapes.length - 1]));
    return shapes;
  }

  private checkInput(x: Tensor): void {
    if (!this._inputShape) this.build([null, ...x.shape.slice(1)]);
    const expected = this._inputShape!;
    if (x.rank !== expected.length || expected.some((d, i) => d != null && d !== x.shape[i])) {
      throw shapeError(`Sequential '${this.name}'`, expected, x.shape, `the model was built for inputs ${fmt(expected)}`);
    }
  }

  /**
   * Forward pass through every layer; the caller owns the result. A padding mask made by a layer (an `Embedding`
   * with a padding id) is passed on to the next (see `Layer.outputMask`), so recurrent layers skip padded steps;
   * `opts.mask` is the input's own mask, if any.
   */
  apply(x: Tensor, opts: ApplyOptions = {}): Tensor {
    this.checkInput(x);
    return tf.tidy(() => {
      let h = x;
      let mask = opts.mask;
      for (const l of this._layers) {
        const out = l.apply(h, { ...opts, mask });
        mask = l.outputMask(h, mask, out);
        h = out;
      }
      // The caller owns the result, so the input itself is never handed back (no layers, or layers that return
      // their input). Cloning only then saves an Identity kernel, and its tape entry, on every forward pass.
      return h === x ? tf.clone(x) : h;
    });
  }

  /** Inference in batches of `batchSize` (default 32); the caller owns the result. */
  predict(x: Tensor, opts: PredictOptions = {}): Tensor {
    this.checkInput(x);
    return batchedPredict(`Sequential '${this.name}'`, x, opts.batchSize ?? 32, (b, o) => this.apply(b, o));
  }

  /** Every layer's output in order; the caller disposes them. */
  intermediateOutputs(x: Tensor, opts: ApplyOptions = {}): LayerOutput[] {
    this.checkInput(x);
    const outs = tf.tidy(() => {
      const list: Tensor[] = [];
      let h = x;
      let mask = opts.mask;
      for (const l of this._layers) {
        const out = l.apply(h, { ...opts, mask });
        mask = l.outputMask(h, mask, out);
        h = out;
        list.push(h);
      }
      return list;
    });
    return outs.map((output, i) => ({ layer: this._layers[i], output }));
  }

  /** Every weight, layer by layer. */
  get weights(): LayerWeight[] {
    return weightsOf(this._layers);
  }

  /** The weights an optimizer updates. */
  get trainableWeights(): LayerWeight[] {
    return this.weights.filter((w) => w.trainable);
  }

  /** The number of scalar parameters. */
  countParams(): number {
    return this.weights.reduce((n, w) => n + w.variable.size, 0);
  }

  /** The sum of the layers' regularisation penalties, or null. */
  regularizationLoss(): Tensor | null {
    return sumRegularization(this._layers);
  }

  /** A table of layer, output shape and parameter count. */
  summary(): string {
    const shapes = this.built ? this.layerShapes() : undefined;
    return formatSummary(
      this.name,
      this._layers.map((l, i) => ({ layer: `${l.name} (${l.className})`, outputShape: shapes ? shapes[i + 1] : null, params: l.countParams() })),
      this._layers,
    );
  }

  /** `{ className: 'Sequential', name, inputShape?, layers }`. */
  getConfig(): ModelConfig {
    return {
      className: this.className,
      name: this.name,
      ...(this._inputShape ? { inputShape: this._inputShape.slice(1) } : {}),
      layers: this._layers.map((l) => l.getConfig()),
    };
  }

  /** Frees every weight. */
  dispose(): void {
    for (const l of this._layers) l.dispose();
    this._inputShape = undefined;
  }
}
