// What every recurrent cell shares: its arguments, its three weights, the input projection, and the Layer face
// (a cell is a layer over one step, so it can be used alone in a custom loop).
import { canonicalActivationName, getActivation } from '@nutshell/activations';
import {
  getInitializer,
  getRegularizer,
  initializers,
  Layer,
  type AddWeightOptions,
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
import { ShapeError, tf, type Tensor, type Variable } from '@nutshell/tensor';
import { RecurrentArgumentError } from './errors.js';
import type { FusedRecurrence } from './fusedSequence.js';

/** Arguments every recurrent cell (and so every recurrent layer) accepts. @public */
export interface RecurrentCellArgs extends LayerArgs {
  /** The number of units: the size of the output and of each state. */
  readonly units: number;
  /** The activation of the candidate and of the output (default `'tanh'`). */
  readonly activation?: string;
  /** Whether to add biases. Default true. */
  readonly useBias?: boolean;
  /** Initializer of the input kernel. Default glorotUniform seeded with `seed`. */
  readonly kernelInitializer?: InitializerSpec;
  /** Initializer of the recurrent kernel. Default orthogonal seeded with `seed + 1`. */
  readonly recurrentInitializer?: InitializerSpec;
  /** Initializer of the bias. Default zeros. */
  readonly biasInitializer?: InitializerSpec;
  /** A penalty on the input kernel. */
  readonly kernelRegularizer?: RegularizerSpec;
  /** A penalty on the recurrent kernel. */
  readonly recurrentRegularizer?: RegularizerSpec;
  /** A penalty on the bias. */
  readonly biasRegularizer?: RegularizerSpec;
  /** Fraction of the inputs dropped in training, in [0, 1). One mask per sequence, the same at every step. */
  readonly dropout?: number;
  /** Fraction of the recurrent state dropped before the recurrent matmul in training, in [0, 1). One mask per sequence. */
  readonly recurrentDropout?: number;
  /** Seed of the default initializers and of the dropout masks. */
  readonly seed?: number;
}

/** Creates one weight (a layer's `addWeight`, handed to `RecurrentCell.createWeights`). @public */
export type WeightAdder = (
  name: string,
  shape: readonly number[],
  initializer: InitializerSpec,
  opts?: AddWeightOptions,
) => Variable;

/** A cell's weights: `kernel` `[inputDim, gates·units]`, `recurrentKernel` `[units, gates·units]`, `bias`. @public */
export interface CellWeights {
  readonly kernel: Variable;
  readonly recurrentKernel: Variable;
  readonly bias?: Variable;
}

/** The result of one step: the output, and the new states (for an LSTM `[h, c]`). The caller owns them. @public */
export interface StepResult {
  readonly output: Tensor;
  readonly states: Tensor[];
}

const ser = (x: { className: string; config: Readonly<Record<string, unknown>> }) => ({
  className: x.className,
  config: { ...x.config },
});

/** A rate in [0, 1). */
export function rateArg(op: string, name: string, v: number | undefined): number {
  const r = v ?? 0;
  if (!(typeof r === 'number' && r >= 0 && r < 1))
    throw new RecurrentArgumentError(op, name, 'a rate in [0, 1)', v);
  return r;
}

/**
 * The base of `SimpleRNNCell`, `LSTMCell` and `GRUCell`. A subclass says how many gate blocks its kernels hold
 * (`gates`), how many states it carries, and what one step computes from the projected input.
 *
 * The weights are split the way Keras stores them: the input kernel `[inputDim, gates·units]`, the recurrent
 * kernel `[units, gates·units]` and a bias. All steps' inputs go through the input kernel in one matmul before
 * the loop (`projectInput`); each step then does one matmul of the state with the whole recurrent kernel,
 * every gate at once, and splits the result.
 * @public
 */
export abstract class RecurrentCell extends Layer {
  /** Units: the output and state size. */
  readonly units: number;
  /** The canonical activation name. */
  readonly activation: string;
  /** Whether the cell has biases. */
  readonly useBias: boolean;
  /** Input dropout rate (training only). */
  readonly dropout: number;
  /** Recurrent dropout rate (training only). */
  readonly recurrentDropout: number;
  /** The seed given, if any. */
  readonly seed?: number;
  protected readonly kernelInitializer: Initializer;
  protected readonly recurrentInitializer: Initializer;
  protected readonly biasInitializer: Initializer;
  protected readonly kernelRegularizer?: Regularizer;
  protected readonly recurrentRegularizer?: Regularizer;
  protected readonly biasRegularizer?: Regularizer;
  protected readonly activationFn: (t: Tensor) => Tensor;
  /** The weights once created by `build`. */
  protected vars?: CellWeights;

  /** Gate blocks in the kernels (LSTM 4, GRU 3, SimpleRNN 1). */
  abstract readonly gates: number;
  /** States carried from step to step (LSTM 2: h and c; GRU and SimpleRNN 1: h). */
  abstract readonly stateCount: number;

  constructor(args: RecurrentCellArgs) {
    super(args);
    // Not this.name: a subclass's className is not set yet while this constructor runs.
    const op = `${new.target.name}${args.name === undefined ? '' : ` '${args.name}'`}`;
    if (!Number.isInteger(args.units) || args.units < 1)
      throw new RecurrentArgumentError(op, 'units', 'a positive integer', args.units);
    this.units = args.units;
    this.activation = canonicalActivationName(args.activation ?? 'tanh');
    this.activationFn = getActivation(this.activation);
    this.useBias = args.useBias ?? true;
    this.dropout = rateArg(op, 'dropout', args.dropout);
    this.recurrentDropout = rateArg(op, 'recurrentDropout', args.recurrentDropout);
    this.seed = args.seed;
    this.kernelInitializer = getInitializer(
      args.kernelInitializer ?? initializers.glorotUniform({ seed: args.seed }),
    );
    this.recurrentInitializer = getInitializer(
      args.recurrentInitializer ??
        initializers.orthogonal({ seed: args.seed === undefined ? undefined : args.seed + 1 }),
    );
    this.biasInitializer = getInitializer(args.biasInitializer ?? 'zeros');
    this.kernelRegularizer = args.kernelRegularizer ? getRegularizer(args.kernelRegularizer) : undefined;
    this.recurrentRegularizer = args.recurrentRegularizer
      ? getRegularizer(args.recurrentRegularizer)
      : undefined;
    this.biasRegularizer = args.biasRegularizer ? getRegularizer(args.biasRegularizer) : undefined;
  }

  /** `ClassName 'name'`, for error messages. */
  get label(): string {
    return `${this.className} '${this.name}'`;
  }

  /** The bias shape (GRU with `resetAfter` keeps two rows: input and recurrent). */
  protected biasShape(): number[] {
    return [this.gates * this.units];
  }

  /**
   * Creates the three weights through `add` (the cell's `build` passes its own `addWeight`). Subclasses may adjust
   * initial values.
   */
  createWeights(inputDim: number, add: WeightAdder): void {
    const width = this.gates * this.units;
    const kernel = add('kernel', [inputDim, width], this.kernelInitializer, {
      regularizer: this.kernelRegularizer,
    });
    const recurrentKernel = add('recurrent_kernel', [this.units, width], this.recurrentInitializer, {
      regularizer: this.recurrentRegularizer,
    });
    const bias = this.useBias
      ? add('bias', this.biasShape(), this.biasInitializer, { regularizer: this.biasRegularizer })
      : undefined;
    this.vars = { kernel, recurrentKernel, bias };
  }

  /** The weights (throws before they exist). */
  protected get w(): CellWeights {
    if (!this.vars)
      throw new ShapeError(
        this.label,
        'a built cell',
        [],
        'call build() or apply the cell (or its layer) first',
      );
    return this.vars;
  }

  /** The input size the cell was built for, or undefined. */
  get inputDim(): number | undefined {
    return this.vars?.kernel.shape[0];
  }

  /** x `[n, inputDim]` → `[n, gates·units]`: x·kernel plus the input bias. One matmul for every gate. */
  projectInput(x: Tensor): Tensor {
    const w = this.w;
    const xw = tf.matMul(x, w.kernel);
    return w.bias ? tf.add(xw, this.inputBias(w.bias)) : xw;
  }

  /** The part of the bias added to the projected input (all of it, except GRU with `resetAfter`). */
  protected inputBias(bias: Tensor): Tensor {
    return bias;
  }

  /**
   * One step from the projected input `xp` `[batch, gates·units]` and the states (each `[batch, units]`);
   * `recurrentMask` (training only) multiplies the state before the recurrent matmul.
   */
  abstract recurrentStep(xp: Tensor, states: readonly Tensor[], recurrentMask?: Tensor): StepResult;

  /**
   * The cell's step split for a whole-sequence op with a hand-written backward pass (what the recurrent layers run
   * in training), or undefined where the cell cannot (an activation that is not element-wise, e.g. softmax; GRU
   * with `resetAfter: false`): the layer then runs `recurrentStep` step by step on the autodiff tape.
   */
  fusedRecurrence(): FusedRecurrence | undefined {
    return undefined;
  }

  /** The input kernel `[inputDim, gates·units]` (throws before the cell is built). */
  get kernel(): Variable {
    return this.w.kernel;
  }

  /** The bias added to x·kernel `[gates·units]` (part of the bias for GRU with `resetAfter`), or undefined. */
  inputBiasValue(): Tensor | undefined {
    const b = this.w.bias;
    return b ? this.inputBias(b) : undefined;
  }

  /** The recurrent kernel `[units, gates·units]` (throws before the cell is built). */
  get recurrentKernel(): Variable {
    return this.w.recurrentKernel;
  }

  /** A bias added to the recurrent product h·U at every step (GRU with `resetAfter`), or undefined. */
  recurrentBias(): Tensor | undefined {
    return undefined;
  }

  /** Zero states for a batch of `batch`. The caller owns them. */
  zeroStates(batch: number): Tensor[] {
    return Array.from({ length: this.stateCount }, () => tf.zeros([batch, this.units]));
  }

  /**
   * One step for a custom loop: x `[batch, inputDim]`, states as from the previous step (or `zeroStates`). Builds
   * the cell on first use. The caller owns the result (the output and each state are separate tensors).
   */
  step(x: Tensor, states: readonly Tensor[]): StepResult {
    const shapes = [x, ...states].map((t) => [...t.shape]);
    this.computeOutputShape(shapes);
    this.ensureBuilt(shapes.map((s) => [null, ...s.slice(1)]));
    const [output, ...next] = tf.tidy(() => {
      const r = this.recurrentStep(this.projectInput(x), states);
      // The output is also states[0]: a separate tensor, so each can be disposed on its own.
      return [tf.clone(r.output), ...r.states];
    });
    return { output, states: next };
  }

  override build(inputShape: LayerInputShape): void {
    const shapes = inputShape as Shape[];
    this.createWeights(shapes[0][1] as number, (n, s, i, o) => this.addWeight(n, s, i, o));
  }

  override computeOutputShape(inputShape: LayerInputShape): Shape {
    const shapes = (Array.isArray(inputShape[0]) ? inputShape : [inputShape]) as Shape[];
    const [x, ...states] = shapes;
    if (x.length !== 2 || x[1] == null)
      throw new ShapeError(this.label, 'rank 2 [batch, features] with known features', x as number[]);
    const dim = this.inputDim;
    if (dim !== undefined && x[1] !== dim)
      throw new ShapeError(
        this.label,
        `[?, ${dim}]`,
        x as number[],
        `the cell was built for ${dim} input features`,
      );
    if (states.length !== this.stateCount) {
      throw new ShapeError(
        this.label,
        `${this.stateCount} state(s) after the input, each [?, ${this.units}]`,
        [states.length],
        'the number of states given',
      );
    }
    for (const s of states) {
      if (s.length !== 2 || s[1] !== this.units)
        throw new ShapeError(this.label, `[?, ${this.units}]`, s as number[], 'a state');
    }
    return [x[0], this.units];
  }

  /** Layer face: `[x, ...states]` → the step's output. Use `step` to get the new states too. */
  call(inputs: Tensor | Tensor[], _opts: ApplyOptions): Tensor {
    const [x, ...states] = inputs as Tensor[];
    return this.recurrentStep(this.projectInput(x), states).output;
  }

  /** The hyperparameters a recurrent layer copies into its own config. */
  cellConfig(): Record<string, unknown> {
    return {
      units: this.units,
      activation: this.activation,
      useBias: this.useBias,
      kernelInitializer: ser(this.kernelInitializer),
      recurrentInitializer: ser(this.recurrentInitializer),
      biasInitializer: ser(this.biasInitializer),
      ...(this.kernelRegularizer ? { kernelRegularizer: ser(this.kernelRegularizer) } : {}),
      ...(this.recurrentRegularizer ? { recurrentRegularizer: ser(this.recurrentRegularizer) } : {}),
      ...(this.biasRegularizer ? { biasRegularizer: ser(this.biasRegularizer) } : {}),
      dropout: this.dropout,
      recurrentDropout: this.recurrentDropout,
      ...(this.seed === undefined ? {} : { seed: this.seed }),
    };
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), ...this.cellConfig() };
  }
}
