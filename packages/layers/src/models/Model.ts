import { NutshellError, tf, type Tensor } from '@nutshell/tensor';
import { InputLayer } from '../core/Input.js';
import { outputSlot, type ApplyOptions, type Layer, type LayerConfig, type LayerWeight } from '../layer.js';
import { uniqueName } from '../naming.js';
import { fmt, shapeError, type Shape } from '../shape.js';
import { SymbolicTensor } from '../symbolic.js';
import { batchedPredict, checkUniqueNames, formatSummary, sumRegularization, weightsOf } from './common.js';
import type { LayerOutput, ModelConfig, ModelLike, PredictOptions } from './modelLike.js';

/** Arguments of {@link Model}. @public */
export interface ModelArgs {
  /** The input placeholder(s), made by `input(shape)`. */
  readonly inputs: SymbolicTensor | readonly SymbolicTensor[];
  /** The output(s): symbolic tensors computed from the inputs by applying layers. */
  readonly outputs: SymbolicTensor | readonly SymbolicTensor[];
  /** Default `model_N`. */
  readonly name?: string;
}

/** One node of a serialised graph: which layer ran on which nodes' outputs. @public */
export interface GraphNodeConfig {
  /** The node's id: the layer name for its first use, `name#k` for later uses of a shared layer. */
  id: string;
  /** The layer's name. */
  layer: string;
  /** Ids of the nodes whose outputs it took. */
  inputs: string[];
  /** Whether the layer got a list (merge layers). */
  multi: boolean;
  /** Which output of a multi-output call (`applyAll`) this node is; absent for single-output calls. */
  output?: number;
}

/**
 * A graph model: layers wired into a directed acyclic graph, with branches and merges (Inception modules,
 * residual connections). Wire it with symbolic tensors, then run it on real ones.
 *
 * @example
 * ```ts
 * const x = input([16]);
 * const a = new Dense({ units: 8, activation: 'relu' }).apply(x);
 * const b = new Dense({ units: 8, activation: 'tanh' }).apply(x);
 * const y = new Dense({ units: 2 }).apply(new Concatenate().apply([a, b]));
 * const model = new Model({ inputs: x, outputs: y });
 * ```
 * @public
 */
export class Model implements ModelLike {
  /** The class name written into configs. */
  readonly className: string = 'Model';
  /** The model's name. */
  readonly name: string;
  /** The input placeholders. */
  readonly inputs: readonly SymbolicTensor[];
  /** The outputs. */
  readonly outputs: readonly SymbolicTensor[];
  /** Every computed node in a valid order of computation (inputs excluded). */
  readonly nodes: readonly SymbolicTensor[];
  private readonly _layers: Layer[];

  constructor(args: ModelArgs) {
    this.name = args.name ?? uniqueName('model');
    const inputs = Array.isArray(args.inputs) ? [...args.inputs] : [args.inputs as SymbolicTensor];
    const outputs = Array.isArray(args.outputs) ? [...args.outputs] : [args.outputs as SymbolicTensor];
    const what = `Model '${this.name}'`;
    if (inputs.length === 0 || outputs.length === 0) throw new NutshellError(`${what}: needs at least one input and one output.`);
    for (const i of inputs) {
      if (!(i instanceof SymbolicTensor) || !(i.sourceLayer instanceof InputLayer)) {
        throw new NutshellError(`${what}: every input must come from input(shape).`);
      }
    }
    for (const o of outputs) if (!(o instanceof SymbolicTensor)) throw new NutshellError(`${what}: every output must be a symbolic tensor (layer.apply(input(...))).`);
    const inputIds = new Set(inputs.map((i) => i.id));
    const order: SymbolicTensor[] = [];
    const seen = new Set<number>();
    // Depth-first from the outputs: a post-order is a topological order.
    const visit = (t: SymbolicTensor): void => {
      if (seen.has(t.id)) return;
      seen.add(t.id);
      if (t.sourceLayer instanceof InputLayer) {
        if (!inputIds.has(t.id)) throw new NutshellError(`${what}: the outputs depend on input '${t.sourceLayer.name}', which is not among the model's inputs.`);
        return;
      }
      t.inputs.forEach(visit);
      order.push(t);
    };
    outputs.forEach(visit);
    this.inputs = inputs;
    this.outputs = outputs;
    this.nodes = order;
    this._layers = [...new Set(order.map((n) => n.sourceLayer))];
    checkUniqueNames(what, [...this._layers, ...inputs.map((i) => i.sourceLayer)]);
  }

  /** The layers in order of computation (a shared layer once; input placeholders excluded). */
  get layers(): Layer[] {
    return [...this._layers];
  }

  /** Graph models are built when wired. */
  build(_inputShape: Shape): void {}

  /** The first input's shape (batch `null` first). */
  get inputShape(): Shape {
    return [...this.inputs[0].shape];
  }

  /** The first output's shape (batch `null` first). */
  get outputShape(): Shape {
    return [...this.outputs[0].shape];
  }

  // Runs the graph; returns every node's tensor by node id (inputs included). Call inside a tidy.
  private run(x: Tensor | readonly Tensor[], opts: ApplyOptions): Map<number, Tensor> {
    const xs = Array.isArray(x) ? x : [x as Tensor];
    if (xs.length !== this.inputs.length) {
      throw new NutshellError(`Model '${this.name}': expected ${this.inputs.length} input tensor(s), got ${xs.length}.`);
    }
    const values = new Map<number, Tensor>();
    this.inputs.forEach((inp, i) => {
      const t = xs[i];
      const s = inp.shape;
      if (t.rank !== s.length || s.some((d, k) => d != null && d !== t.shape[k])) {
        throw shapeError(`Model '${this.name}' input '${inp.sourceLayer.name}'`, s, t.shape, `the model takes ${fmt(s)}`);
      }
      values.set(inp.id, t);
    });
    // Padding masks travel with the tensors (see Layer.outputMask); opts.mask is the first input's.
    const masks = new Map<number, Tensor | undefined>([[this.inputs[0].id, opts.mask]]);
    // The outputs of each multi-output call (applyAll), computed once for all its sibling nodes.
    const calls = new Map<readonly SymbolicTensor[], Tensor[]>();
    for (const node of this.nodes) {
      const ins = node.inputs.map((i) => values.get(i.id)!);
      const arg = node.multiInput ? ins : ins[0];
      const mask = masks.get(node.inputs[0].id);
      const o = { ...opts, mask };
      const slot = outputSlot(node);
      let out: Tensor;
      if (slot) {
        let all = calls.get(slot.group);
        if (!all) calls.set(slot.group, (all = node.sourceLayer.applyAll(arg, o)));
        out = all[slot.index];
      } else {
        out = node.sourceLayer.apply(arg, o);
      }
      values.set(node.id, out);
      masks.set(node.id, slot && slot.index > 0 ? undefined : node.sourceLayer.outputMask(arg, mask, out));
    }
    return values;
  }

  /** Forward pass (one input tensor, or one per input); the caller owns the result. Needs a single-output model. */
  apply(x: Tensor | Tensor[], opts: ApplyOptions = {}): Tensor {
    if (this.outputs.length !== 1) throw new NutshellError(`Model '${this.name}' has ${this.outputs.length} outputs: use applyAll().`);
    return tf.tidy(() => this.run(x, opts).get(this.outputs[0].id)!);
  }

  /** Forward pass returning every output, in the order given to the constructor; the caller owns them. */
  applyAll(x: Tensor | Tensor[], opts: ApplyOptions = {}): Tensor[] {
    return tf.tidy(() => {
      const values = this.run(x, opts);
      return this.outputs.map((o) => values.get(o.id)!);
    });
  }

  /** Inference in batches of `batchSize` (default 32); the caller owns the result. */
  predict(x: Tensor, opts: PredictOptions = {}): Tensor {
    return batchedPredict(`Model '${this.name}'`, x, opts.batchSize ?? 32, (b, o) => this.apply(b, o));
  }

  /** Every node's output in computation order (a shared layer appears once per use); the caller disposes them. */
  intermediateOutputs(x: Tensor | Tensor[], opts: ApplyOptions = {}): LayerOutput[] {
    const outs = tf.tidy(() => {
      const values = this.run(x, opts);
      return this.nodes.map((n) => values.get(n.id)!);
    });
    return outs.map((output, i) => ({ layer: this.nodes[i].sourceLayer, output }));
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

  /** A table of layer, output shape, parameter count and the layers each node reads. */
  summary(): string {
    const ids = this.nodeIds();
    const rows = [
      ...this.inputs.map((i) => ({ layer: `${i.sourceLayer.name} (InputLayer)`, outputShape: i.shape, params: 0, connectedTo: '' })),
      ...this.nodes.map((n) => ({
        layer: `${ids.get(n.id)} (${n.sourceLayer.className})`,
        outputShape: n.shape,
        params: n.sourceLayer.countParams(),
        connectedTo: n.inputs.map((i) => ids.get(i.id)).join(', '),
      })),
    ];
    return formatSummary(this.name, rows, this._layers);
  }

  private nodeIds(): Map<number, string> {
    const ids = new Map<number, string>();
    const uses = new Map<Layer, number>();
    for (const i of this.inputs) ids.set(i.id, i.sourceLayer.name);
    // The outputs of one multi-output call share its id: `lstm` (output 0), `lstm:1`, `lstm:2`.
    const callIds = new Map<readonly SymbolicTensor[], string>();
    for (const n of this.nodes) {
      const slot = outputSlot(n);
      let base = slot ? callIds.get(slot.group) : undefined;
      if (base === undefined) {
        const k = uses.get(n.sourceLayer) ?? 0;
        uses.set(n.sourceLayer, k + 1);
        base = k === 0 ? n.sourceLayer.name : `${n.sourceLayer.name}#${k}`;
        if (slot) callIds.set(slot.group, base);
      }
      ids.set(n.id, slot && slot.index > 0 ? `${base}:${slot.index}` : base);
    }
    return ids;
  }

  /** `{ className: 'Model', name, inputs, layers, nodes, outputs }`: enough to rewire the same graph. */
  getConfig(): ModelConfig {
    const ids = this.nodeIds();
    return {
      className: this.className,
      name: this.name,
      inputs: this.inputs.map((i) => i.sourceLayer.getConfig()),
      layers: this._layers.map((l) => l.getConfig()),
      nodes: this.nodes.map(
        (n): GraphNodeConfig => {
          const slot = outputSlot(n);
          const node = { id: ids.get(n.id)!, layer: n.sourceLayer.name, inputs: n.inputs.map((i) => ids.get(i.id)!), multi: n.multiInput };
          return slot ? { ...node, output: slot.index } : node;
        },
      ),
      outputs: this.outputs.map((o) => ids.get(o.id)!),
    };
  }

  /** Frees every weight. */
  dispose(): void {
    for (const l of this._layers) l.dispose();
  }

  /** Rebuilds a graph model from `getConfig()` output (weights freshly initialised). */
  static fromConfig(config: ModelConfig, layerFromConfig: (c: LayerConfig) => Layer): Model {
    const bad = (why: string) => new NutshellError(`Model config '${String(config.name)}': ${why}.`);
    const inputs = config.inputs as LayerConfig[];
    const layers = config.layers as LayerConfig[];
    const nodes = config.nodes as GraphNodeConfig[];
    const outputs = config.outputs as string[];
    if (![inputs, layers, nodes, outputs].every(Array.isArray)) throw bad('inputs, layers, nodes and outputs must be arrays');
    const values = new Map<string, SymbolicTensor>();
    const inputTensors = inputs.map((c) => {
      const t = (layerFromConfig(c) as InputLayer).output;
      if (!(t instanceof SymbolicTensor)) throw bad(`input '${c.name}' is not an InputLayer`);
      values.set(c.name, t);
      return t;
    });
    const byName = new Map(layers.map((c) => [c.name, layerFromConfig(c)]));
    const calls = new Map<string, SymbolicTensor[]>();
    try {
      for (const n of nodes) {
        const layer = byName.get(n.layer);
        if (!layer) throw bad(`node '${n.id}' uses unknown layer '${n.layer}'`);
        const ins = n.inputs.map((id) => {
          const v = values.get(id);
          if (!v) throw bad(`node '${n.id}' reads unknown node '${id}'`);
          return v;
        });
        if (n.output === undefined) {
          values.set(n.id, layer.apply(n.multi ? ins : ins[0]));
        } else {
          // One applyAll per call: its nodes are `id` (output 0) and `id:k`.
          const call = n.output === 0 ? n.id : n.id.slice(0, n.id.lastIndexOf(':'));
          let all = calls.get(call);
          if (!all) calls.set(call, (all = layer.applyAll(n.multi ? ins : ins[0])));
          if (!all[n.output]) throw bad(`node '${n.id}' reads output ${n.output} of a layer with ${all.length}`);
          values.set(n.id, all[n.output]);
        }
      }
      const outs = outputs.map((id) => {
        const v = values.get(id);
        if (!v) throw bad(`unknown output node '${id}'`);
        return v;
      });
      return new Model({ inputs: inputTensors, outputs: outs, name: config.name });
    } catch (e) {
      // A config that fails part-way must not leave the layers built so far holding their weights.
      for (const l of byName.values()) l.dispose();
      throw e;
    }
  }
}
