// The loop that runs a recurrent cell over the steps of a sequence, shared by SimpleRNN, LSTM and GRU.
import {
  Layer,
  type ApplyOptions,
  type LayerArgs,
  type LayerConfig,
  type LayerInputShape,
  type Shape,
} from '@nutshell/layers';
import { Rng, ShapeError, randomUniform, tf, type Tensor } from '@nutshell/tensor';
import type { RecurrentCell } from './cell.js';
import { runFusedSequence } from './fusedSequence.js';

// Layers built without a seed fork this generator, so even unseeded runs repeat within a program.
const unseeded = new Rng(0x5eed5);

let fusedEnabled = true;

/**
 * Tests only: turn the whole-sequence op off (every layer then runs its cell step by step on the autodiff tape),
 * so the two paths can be compared on the same dropout masks. Returns the previous setting.
 * @internal
 */
export function setFusedSequences(on: boolean): boolean {
  const was = fusedEnabled;
  fusedEnabled = on;
  return was;
}

/** Arguments of every recurrent layer, besides its cell's. @public */
export interface RecurrentLayerArgs extends LayerArgs {
  /** Output the whole sequence `[batch, steps, units]` instead of the last output `[batch, units]`. Default false. */
  readonly returnSequences?: boolean;
  /**
   * Read the sequence from its last step to its first. The output sequence is then in the order the steps were
   * processed (reversed), as in Keras. Default false.
   */
  readonly goBackwards?: boolean;
  /**
   * Also output the final states (Keras' `returnState`): `applyAll(x)` (concrete or symbolic, in a graph `Model`)
   * returns `[output, h]`, or `[output, h, c]` for an LSTM. `apply` still returns the output alone. Default false.
   */
  readonly returnState?: boolean;
}

/** Options of {@link RNN.forward}. @public */
export interface RecurrentForwardOptions extends ApplyOptions {
  /** Initial states, each `[batch, units]` (an LSTM takes `[h0, c0]`). Default zeros. */
  readonly initialState?: readonly Tensor[];
  /**
   * `[batch, steps]`, 1 (or true) for a real step and 0 for padding: a padded step leaves the states unchanged
   * and outputs zeros, so the last output is the one of the last real step. `Embedding.computeMask` makes one.
   */
  readonly mask?: Tensor;
}

/** What {@link RNN.forward} returns: the layer's output and the final states. The caller owns them. @public */
export interface RecurrentResult {
  /** `[batch, units]`, or `[batch, steps, units]` with `returnSequences`. */
  readonly output: Tensor;
  /** The states after the last step (`[h, c]` for an LSTM, `[h]` otherwise), each `[batch, units]`. */
  readonly states: Tensor[];
}

/**
 * A recurrent layer: runs its cell over the steps of `[batch, steps, features]` inputs. The weights are the
 * cell's, tracked as the layer's (`lstm/cell/kernel`, `lstm/cell/recurrent_kernel`, `lstm/cell/bias`).
 *
 * How a sequence runs: the inputs of all steps go through the input kernel in one matmul
 * (`[batch·steps, features] × [features, gates·units]`), then each step does one matmul of the state with the recurrent kernel
 * for all gates. Dropout masks are drawn once per sequence (variational dropout, Gal & Ghahramani 2016).
 *
 * `apply(x)` returns the output; `apply([x, ...initialStates])` starts from given states (so a graph model can
 * feed an encoder's states to a decoder); `forward(x, { initialState, mask })` also returns the final states
 * (Keras' `returnState`) and takes a padding mask.
 * @public
 */
export abstract class RNN extends Layer {
  /** The cell run at each step. */
  abstract readonly cell: RecurrentCell;
  /** Whether the whole output sequence is returned. */
  readonly returnSequences: boolean;
  /** Whether the sequence is read backwards. */
  readonly goBackwards: boolean;
  /** Whether `applyAll` also returns the final states. */
  readonly returnState: boolean;
  private rng?: Rng;

  constructor(args: RecurrentLayerArgs) {
    super(args);
    this.returnSequences = args.returnSequences ?? false;
    this.goBackwards = args.goBackwards ?? false;
    this.returnState = args.returnState ?? false;
  }

  /** `ClassName 'name'`, for error messages. */
  protected get label(): string {
    return `${this.className} '${this.name}'`;
  }

  /** The number of units. */
  get units(): number {
    return this.cell.units;
  }

  override build(inputShape: LayerInputShape): void {
    const x = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    // The cell owns the weights; the layer tracks it as a sub-layer, so they are named `lstm/cell/kernel`.
    const u = this.cell.units;
    this.cell.ensureBuilt([[null, x[2]], ...Array.from({ length: this.cell.stateCount }, () => [null, u])]);
  }

  override computeOutputShape(inputShape: LayerInputShape): Shape {
    const shapes = (Array.isArray(inputShape[0]) ? inputShape : [inputShape]) as Shape[];
    const [x, ...states] = shapes;
    const u = this.cell.units;
    if (x.length !== 3)
      throw new ShapeError(
        this.label,
        'rank 3 [batch, steps, features]',
        x as number[],
        'a sequence layer reads one vector per step',
      );
    if (x[2] == null) throw new ShapeError(this.label, '[?, ?, features] with known features', x as number[]);
    if (x[1] === 0) throw new ShapeError(this.label, '[?, steps ≥ 1, ?]', x as number[], 'an empty sequence');
    const dim = this.cell.inputDim;
    if (dim !== undefined && x[2] !== dim)
      throw new ShapeError(
        this.label,
        `[?, ?, ${dim}]`,
        x as number[],
        `the layer was built for ${dim} features per step`,
      );
    if (states.length !== 0 && states.length !== this.cell.stateCount) {
      throw new ShapeError(
        this.label,
        `${this.cell.stateCount} initial state(s), each [?, ${u}]`,
        [states.length],
        'the number of initial states given',
      );
    }
    for (const s of states) {
      if (s.length !== 2 || s[1] !== u || (s[0] != null && x[0] != null && s[0] !== x[0])) {
        throw new ShapeError(this.label, `[${x[0] ?? '?'}, ${u}]`, s as number[], 'an initial state');
      }
    }
    return this.returnSequences ? [x[0], x[1], u] : [x[0], u];
  }

  call(inputs: Tensor | Tensor[], opts: ApplyOptions): Tensor {
    return this.callAll(inputs, opts)[0];
  }

  /** With `returnState`: the output, then the final states. */
  override get outputCount(): number {
    return this.returnState ? 1 + this.cell.stateCount : 1;
  }

  override computeOutputShapes(inputShape: LayerInputShape): Shape[] {
    const out = this.computeOutputShape(inputShape);
    if (!this.returnState) return [out];
    const batch = out[0];
    return [out, ...Array.from({ length: this.cell.stateCount }, () => [batch, this.cell.units])];
  }

  /** `[output]`, or with `returnState` `[output, ...final states]`; `opts.mask` skips padded steps. */
  override callAll(inputs: Tensor | Tensor[], opts: ApplyOptions): Tensor[] {
    const [x, ...initial] = Array.isArray(inputs) ? inputs : [inputs];
    if (opts.mask) this.checkMask(x, opts.mask);
    const r = this.run(x, {
      training: opts.training,
      mask: opts.mask,
      initialState: initial.length > 0 ? initial : undefined,
    });
    if (!this.returnState) return [r.output];
    return [r.states.includes(r.output) ? tf.clone(r.output) : r.output, ...r.states];
  }

  /** A sequence output keeps the input's padding mask; the last output (or a state) has no steps to mask. */
  override outputMask(_inputs: Tensor | Tensor[], mask: Tensor | undefined): Tensor | undefined {
    return this.returnSequences ? mask : undefined;
  }

  private checkMask(x: Tensor, mask: Tensor): void {
    if (mask.rank !== 2 || mask.shape[0] !== x.shape[0] || mask.shape[1] !== x.shape[1]) {
      throw new ShapeError(
        this.label,
        [x.shape[0] as number, x.shape[1] as number],
        mask.shape,
        'the mask is [batch, steps]',
      );
    }
  }

  /**
   * Runs the layer and returns its output and final states (`returnState`), optionally from `initialState`
   * and skipping padded steps (`mask`). Builds the layer on first use. The caller owns the result.
   */
  forward(x: Tensor, opts: RecurrentForwardOptions = {}): RecurrentResult {
    const initial = opts.initialState ?? [];
    const shapes = [x, ...initial].map((t) => [...t.shape]);
    this.computeOutputShape(initial.length > 0 ? shapes : shapes[0]);
    if (opts.mask) this.checkMask(x, opts.mask);
    this.ensureBuilt([null, ...x.shape.slice(1)]);
    const r = tf.tidy(() => {
      const { output, states } = this.run(x, {
        ...opts,
        initialState: initial.length > 0 ? initial : undefined,
      });
      // Without returnSequences the output is also states[0]: a separate tensor, so each can be disposed on its own.
      return [states.includes(output) ? tf.clone(output) : output, ...states];
    });
    return { output: r[0], states: r.slice(1) };
  }

  /** A dropout mask `[batch, size]` scaled by 1/(1 − rate), from the layer's own seeded generator. */
  private dropoutMask(batch: number, size: number, rate: number): Tensor {
    this.rng ??= this.cell.seed === undefined ? unseeded.fork() : new Rng(this.cell.seed + 2);
    const keep = tf.cast(tf.greaterEqual(randomUniform([batch, size], { rng: this.rng }), rate), 'float32');
    return tf.mul(keep, 1 / (1 - rate));
  }

  // The loop itself; runs inside a tidy.
  private run(x: Tensor, opts: RecurrentForwardOptions): RecurrentResult {
    const cell = this.cell;
    const [batch, steps, features] = x.shape as [number, number, number];
    const training = opts.training ?? false;
    let xin = x;
    if (training && cell.dropout > 0)
      xin = tf.mul(x, tf.expandDims(this.dropoutMask(batch, features, cell.dropout), 1));
    const recurrentMask =
      training && cell.recurrentDropout > 0
        ? this.dropoutMask(batch, cell.units, cell.recurrentDropout)
        : undefined;

    const initial: Tensor[] = opts.initialState ? [...opts.initialState] : cell.zeroStates(batch);

    const fused = fusedEnabled ? cell.fusedRecurrence() : undefined;
    if (fused) {
      // The whole loop as one op with its backward pass through time written by hand (fusedSequence.ts).
      // Time-major, in processing order: reading backwards is reading the reversed sequence forwards.
      const order = (t: Tensor) => (this.goBackwards ? tf.reverse(t, 0) : t);
      const r = runFusedSequence(fused, {
        x: order(tf.transpose(xin, [1, 0, 2])),
        kernel: cell.kernel,
        inputBias: cell.inputBiasValue(),
        recurrentKernel: cell.recurrentKernel,
        recurrentBias: cell.recurrentBias(),
        initial,
        mask: opts.mask ? order(tf.expandDims(tf.transpose(tf.cast(opts.mask, 'float32')), 2)) : undefined,
        recurrentMask,
        returnSequences: this.returnSequences,
      });
      const output = r.outputs ? tf.transpose(r.outputs, [1, 0, 2]) : tf.clone(r.states[0]);
      return { output, states: r.states };
    }

    // Step by step on the tape: every step's input projection in one matmul, before the loop.
    const projected = tf.reshape(cell.projectInput(tf.reshape(xin, [batch * steps, features])), [
      batch,
      steps,
      -1,
    ]);
    const inputs = tf.unstack(projected, 1);
    const masks = opts.mask
      ? tf.unstack(tf.cast(opts.mask, 'float32'), 1).map((m) => tf.reshape(m, [batch, 1]))
      : undefined;

    let states: Tensor[] = initial;
    const outputs: Tensor[] = [];
    for (let k = 0; k < steps; k++) {
      const t = this.goBackwards ? steps - 1 - k : k;
      const r = cell.recurrentStep(inputs[t], states, recurrentMask);
      if (masks) {
        const m = masks[t];
        const keepOld = tf.sub(1, m);
        states = r.states.map((s, j) => tf.add(tf.mul(m, s), tf.mul(keepOld, states[j])));
        outputs.push(tf.mul(m, r.output));
      } else {
        states = r.states;
        outputs.push(r.output);
      }
    }
    // The last output is the state h (carried over padded steps), for every cell type.
    const output = this.returnSequences ? tf.stack(outputs, 1) : states[0];
    return { output, states };
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      ...this.cell.cellConfig(),
      returnSequences: this.returnSequences,
      goBackwards: this.goBackwards,
      ...(this.returnState ? { returnState: true } : {}),
    };
  }
}
