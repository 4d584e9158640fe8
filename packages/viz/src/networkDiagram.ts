import { formatShape } from '@nutshell/tensor';
import { VizError } from './errors.js';
import { makeFigure, type Figure } from './figure.js';
import { h, num, text } from './svg.js';
import { classNameOf, type LayerLike, type ModelLike } from './types.js';

/** One box of a network diagram: a layer (or the input), its output shape, parameter count and inputs. @public */
export interface DiagramNode {
  /** Unique id (the layer's name). */
  readonly id: string;
  readonly className: string;
  readonly outputShape: readonly (number | null)[];
  readonly params: number;
  /** Ids of the nodes feeding this one (several for a merge such as an inception module's concatenation). */
  readonly inputs: readonly string[];
}

/** The parts of a graph model's symbolic tensors the diagram follows (`@nutshell/layers`' `SymbolicTensor`). */
interface SymbolicLike {
  readonly shape: readonly (number | null)[];
  readonly sourceLayer: LayerLike;
  readonly inputs: readonly SymbolicLike[];
}

function paramsOf(layer: LayerLike): number {
  if (layer.countParams) return layer.countParams();
  return layer.weights.reduce((a, w) => a + w.variable.size, 0);
}

/**
 * The layers of a model as diagram nodes. A graph model (one with symbolic `outputs`) is followed from its outputs
 * back to its inputs, so branches and merges appear as they were wired; a sequential model is a chain.
 * @public
 */
export function describeModel(model: ModelLike): DiagramNode[] {
  const outputs = (model as unknown as { outputs?: readonly SymbolicLike[] }).outputs;
  if (Array.isArray(outputs) && outputs.length > 0 && outputs[0]?.sourceLayer) {
    const nodes = new Map<string, DiagramNode>();
    const visit = (s: SymbolicLike): string => {
      const id = s.sourceLayer.name;
      if (!nodes.has(id)) {
        const inputs = s.inputs.map(visit);
        nodes.set(id, { id, className: s.inputs.length === 0 ? 'Input' : classNameOf(s.sourceLayer), outputShape: s.shape, params: paramsOf(s.sourceLayer), inputs });
      }
      return id;
    };
    outputs.forEach(visit);
    return [...nodes.values()];
  }
  const nodes: DiagramNode[] = [{ id: 'input', className: 'Input', outputShape: [...model.inputShape], params: 0, inputs: [] }];
  let shape: (number | null)[] | null = [...model.inputShape];
  for (const layer of model.layers) {
    try {
      shape = shape && layer.computeOutputShape ? layer.computeOutputShape(shape) : null;
    } catch {
      shape = null;
    }
    nodes.push({ id: layer.name, className: classNameOf(layer), outputShape: shape ?? [], params: paramsOf(layer), inputs: [nodes[nodes.length - 1]!.id] });
  }
  return nodes;
}

/** Options of {@link networkDiagram}. @public */
export interface NetworkDiagramOptions {
  title?: string;
}

/**
 * The network as a diagram: one box per layer (`<g class="node">`) with its class, output shape and parameter
 * count, arrows (`<path class="edge">`) from each layer to the next. Layers at the same depth sit side by side, so
 * the parallel branches of an inception module are visible as branches.
 *
 * @param source - a model, or nodes from {@link describeModel} (or built by hand)
 * @public
 */
export function networkDiagram(source: ModelLike | readonly DiagramNode[], opts: NetworkDiagramOptions = {}): Figure {
  const nodes = Array.isArray(source) ? (source as readonly DiagramNode[]) : describeModel(source as ModelLike);
  if (nodes.length === 0) throw new VizError('networkDiagram', 'the model has no layers.');
  const byId = new Map(nodes.map((n) => [n.id, n]));
  for (const n of nodes) for (const i of n.inputs) if (!byId.has(i)) throw new VizError('networkDiagram', `node "${n.id}" takes input "${i}", which is not a node.`);
  // Depth = longest path from an input; nodes of one depth form a row.
  const depth = new Map<string, number>();
  const depthOf = (id: string, seen: Set<string> = new Set()): number => {
    if (depth.has(id)) return depth.get(id)!;
    if (seen.has(id)) throw new VizError('networkDiagram', `the graph has a cycle through "${id}".`);
    seen.add(id);
    const n = byId.get(id)!;
    const d = n.inputs.length ? 1 + Math.max(...n.inputs.map((i) => depthOf(i, seen))) : 0;
    depth.set(id, d);
    return d;
  };
  nodes.forEach((n) => depthOf(n.id));
  const rows: DiagramNode[][] = [];
  for (const n of nodes) (rows[depth.get(n.id)!] ??= []).push(n);
  const bw = 168;
  const bh = 50;
  const gx = 18;
  const gy = 34;
  const top = 36;
  // Each node sits under the mean of its inputs; nodes of a row keep their order and are pushed apart to not overlap.
  const pos = new Map<string, { x: number; y: number }>();
  rows.forEach((row, d) => {
    const want = row.map((n) => (n.inputs.length ? n.inputs.reduce((a, i) => a + pos.get(i)!.x, 0) / n.inputs.length : 0));
    const order = row.map((_, i) => i).sort((a, b) => want[a]! - want[b]! || a - b);
    const xs: number[] = [];
    order.forEach((i, j) => (xs[j] = j === 0 ? want[i]! : Math.max(want[i]!, xs[j - 1]! + bw + gx)));
    const shift = order.reduce((a, i, j) => a + want[i]! - xs[j]!, 0) / order.length;
    order.forEach((i, j) => pos.set(row[i]!.id, { x: xs[j]! + shift, y: top + d * (bh + gy) }));
  });
  const minX = Math.min(...[...pos.values()].map((p) => p.x));
  const maxX = Math.max(...[...pos.values()].map((p) => p.x));
  for (const p of pos.values()) p.x += 20 - minX;
  const width = Math.max(360, maxX - minX + bw + 40);
  const total = nodes.reduce((a, n) => a + n.params, 0);
  const title = opts.title ?? `Network: ${nodes.length - nodes.filter((n) => n.inputs.length === 0).length} layers, ${total.toLocaleString('en-US')} parameters`;
  let edges = '';
  for (const n of nodes) {
    const p = pos.get(n.id)!;
    for (const i of n.inputs) {
      const q = pos.get(i)!;
      // Straight down the source's column to the row above the target, then a curve into it: skips never cross boxes.
      const [x1, y1, x2, y2] = [q.x + bw / 2, q.y + bh, p.x + bw / 2, p.y];
      const ys = y2 - gy;
      const my = (ys + y2) / 2;
      edges += h('path', { d: `M${num(x1)},${num(y1)}V${num(ys)}C${num(x1)},${num(my)} ${num(x2)},${num(my)} ${num(x2)},${num(y2 - 4)}`, fill: 'none', stroke: '#888', 'stroke-width': 1.3, 'marker-end': 'url(#arrow)', class: 'edge' });
    }
  }
  const fills: Record<string, string> = { Input: '#eeeeee', Conv2D: '#dbe9f6', Dense: '#fde0c5', MaxPool2D: '#e5f5e0', AvgPool2D: '#e5f5e0', Concatenate: '#f2e0f7', Flatten: '#f4f4f4' };
  let boxes = '';
  for (const n of nodes) {
    const p = pos.get(n.id)!;
    const shape = n.outputShape.length ? formatShape(n.outputShape) : '?';
    boxes += h(
      'g',
      { class: 'node', 'data-id': n.id },
      h('rect', { x: p.x, y: p.y, width: bw, height: bh, rx: 6, fill: fills[n.className] ?? '#fff7bc', stroke: '#666' }),
      text(p.x + 8, p.y + 15, n.id, { 'font-size': 11, 'font-weight': 'bold', fill: '#111' }),
      text(p.x + 8, p.y + 29, n.className, { 'font-size': 10, fill: '#333' }),
      text(p.x + 8, p.y + 43, `${shape}${n.params ? ` · ${n.params.toLocaleString('en-US')} params` : ''}`, { 'font-size': 9, fill: '#444' }),
    );
  }
  const defs = h('defs', {}, h('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto' }, h('path', { d: 'M0,0L10,5L0,10z', fill: '#888' })));
  const height = top + rows.length * (bh + gy);
  return makeFigure(title, width, height, defs + text(10, 20, title, { 'font-size': 13, 'font-weight': 'bold', fill: '#111' }) + edges + boxes);
}
