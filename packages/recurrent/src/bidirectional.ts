// Reading a sequence both ways: one recurrent layer forwards, a copy backwards, outputs merged.
import {
  Layer,
  layerFromConfig,
  type ApplyOptions,
  type LayerArgs,
  type LayerConfig,
  type LayerInputShape,
  type Shape,
} from '@nutshell/layers';
import { tf, type Tensor } from '@nutshell/tensor';
import { RecurrentArgumentError } from './errors.js';
import { RNN, type RecurrentForwardOptions, type RecurrentResult } from './rnn.js';

/** How {@link Bidirectional} combines the two directions. @public */
export type MergeMode = 'concat' | 'sum' | 'mul' | 'ave';

const MODES: readonly MergeMode[] = ['concat', 'sum', 'mul', 'ave'];

/** Arguments of {@link Bidirectional}. @public */
export interface BidirectionalArgs extends LayerArgs {
  /** The recurrent layer to run forwards; a copy of its config with `goBackwards` flipped runs backwards. */
  readonly layer: RNN | LayerConfig;
  /** Default `'concat'` (output size 2·units). */
  readonly mergeMode?: MergeMode;
}

/**
 * A bidirectional recurrent layer (Schuster & Paliwal 1997): every step's output sees the whole sequence, the past
 * through the forward layer and the future through the backward one. With `returnSequences`, the backward
 * outputs are put back in time order before merging, so step t pairs both directions' views of step t.
 *
 * The two layers are sub-layers, their weights named `bidirectional/forward/cell/kernel` and
 * `bidirectional/backward/cell/kernel`.
 * @public
 */
export class Bidirectional extends Layer {
  readonly className: string = 'Bidirectional';
  /** The layer reading forwards. */
  readonly forward: RNN;
  /** The layer reading backwards. */
  readonly backward: RNN;
  /** How the two outputs are combined. */
  readonly mergeMode: MergeMode;

  constructor(args: BidirectionalArgs) {
    super(args);
    const op = `Bidirectional${args.name === undefined ? '' : ` '${args.name}'`}`;
    const mode = args.mergeMode ?? 'concat';
    if (!MODES.includes(mode))
      throw new RecurrentArgumentError(op, 'mergeMode', `one of ${MODES.join(', ')}`, args.mergeMode);
    this.mergeMode = mode;
    const config = args.layer instanceof RNN ? args.layer.getConfig() : args.layer;
    const make = (goBackwards: boolean, suffix: string): RNN => {
      const layer = layerFromConfig({ ...config, name: `${String(config.name)}${suffix}`, goBackwards });
      if (!(layer instanceof RNN))
        throw new RecurrentArgumentError(
          op,
          'layer',
          'a recurrent layer (SimpleRNN, LSTM, GRU)',
          config.className,
        );
      return layer;
    };
    const given = config.goBackwards === true;
    // The forward layer keeps the given layer's name (so the config round-trips); the backward one is a copy.
    this.forward = args.layer instanceof RNN && !given ? args.layer : make(false, given ? '_forward' : '');
    this.backward = make(true, '_backward');
  }

  override build(inputShape: LayerInputShape): void {
    this.forward.ensureBuilt(inputShape);
    this.backward.ensureBuilt(inputShape);
  }

  override computeOutputShape(inputShape: LayerInputShape): Shape {
    const out = this.forward.computeOutputShape(inputShape);
    if (this.mergeMode !== 'concat') return out;
    return [...out.slice(0, -1), 2 * (out[out.length - 1] as number)];
  }

  private merge(f: Tensor, b: Tensor): Tensor {
    const back = this.forward.returnSequences ? tf.reverse(b, 1) : b;
    switch (this.mergeMode) {
      case 'concat':
        return tf.concat([f, back], -1);
      case 'sum':
        return tf.add(f, back);
      case 'mul':
        return tf.mul(f, back);
      default:
        return tf.mul(tf.add(f, back), 0.5);
    }
  }

  call(inputs: Tensor | Tensor[], opts: ApplyOptions): Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return this.merge(this.forward.apply(x, opts), this.backward.apply(x, opts));
  }

  /** With a wrapped layer's `returnState`: the merged output, then the forward layer's states, then the backward's. */
  override get outputCount(): number {
    return this.forward.returnState ? 1 + 2 * this.forward.cell.stateCount : 1;
  }

  override computeOutputShapes(inputShape: LayerInputShape): Shape[] {
    const out = this.computeOutputShape(inputShape);
    const n = this.outputCount - 1;
    return [out, ...Array.from({ length: n }, () => [out[0], this.forward.units])];
  }

  override callAll(inputs: Tensor | Tensor[], opts: ApplyOptions): Tensor[] {
    if (!this.forward.returnState) return [this.call(inputs, opts)];
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const [f, ...fs] = this.forward.applyAll(x, opts);
    const [b, ...bs] = this.backward.applyAll(x, opts);
    return [this.merge(f, b), ...fs, ...bs];
  }

  /** A sequence output keeps the input's padding mask (as the layers it wraps). */
  override outputMask(_inputs: Tensor | Tensor[], mask: Tensor | undefined): Tensor | undefined {
    return this.forward.returnSequences ? mask : undefined;
  }

  /**
   * Runs both directions with an optional padding `mask` (see `RNN.forward`); returns the merged output and the
   * final states, the forward layer's then the backward layer's. The caller owns the result.
   */
  forwardWithStates(x: Tensor, opts: Omit<RecurrentForwardOptions, 'initialState'> = {}): RecurrentResult {
    this.computeOutputShape([...x.shape]);
    this.ensureBuilt([null, ...x.shape.slice(1)]);
    const f = this.forward.forward(x, opts);
    const b = this.backward.forward(x, opts);
    const output = tf.tidy(() => this.merge(f.output, b.output));
    tf.dispose([f.output, b.output]);
    return { output, states: [...f.states, ...b.states] };
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), layer: this.forward.getConfig(), mergeMode: this.mergeMode };
  }
}
