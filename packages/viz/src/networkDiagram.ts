import { formatShape } from '@nutshell/tensor';
import { VizError } from './errors.js';
import { makeFigure, type Figure } from './figure.js';
import { h, num, text } from './svg.js';
import { classNameOf, type LayerLike, type ModelLike } from './types.js';

/** One box of a network diagram: a layer (or the input), its output shape, parameter count and inputs. @public */
export interface DiagramNode {
  /** Unique id (the layer's name). */
  readonly id: string;
  /** The layer's class, drawn in its box (`Conv2D`, `Dense`, ...). */
  readonly className: string;
  /** Output shape with `null` for the batch; empty when unknown. */
  readonly outputShape: readonly (number | null)[];
  /** Number of scalar parameters (weights) the node holds. */
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

/**
 * Expands a composite layer into the nodes inside it, so its branches appear in the diagram. Receives the layer, the
 * id of the node feeding it and that node's output shape; returns the inner nodes, the last of which must have the
 * layer's name as its id (the next layer connects to it).
 * @public
 */
export type DiagramExpander = (
  layer: LayerLike,
  inputId: string,
  inputShape: readonly (number | null)[],
) => DiagramNode[];

const expanders = new Map<string, DiagramExpander>();

/**
 * Teaches {@link networkDiagram} to draw the inside of a composite layer class (an Inception module's four branches
 * are built in). Returns nothing; a later registration for the same class replaces the earlier one.
 * @public
 */
export function registerDiagramExpander(className: string, expand: DiagramExpander): void {
  expanders.set(className, expand);
}

function weightsParams(layer: LayerLike, part: string): number {
  return layer.weights.filter((w) => w.name.includes(`/${part}/`)).reduce((a, w) => a + w.variable.size, 0);
}

// GoogLeNet's Inception module (as @nutshell/conv's `Inception` builds it): 1×1 | 1×1→3×3 | 1×1→5×5 | pool→1×1, joined.
registerDiagramExpander('Inception', (layer, inputId, inputShape) => {
  const cfg = (layer.getConfig?.() ?? {}) as Record<string, unknown>;
  const count = (k: string) => (typeof cfg[k] === 'number' ? (cfg[k] as number) : null);
  const shape = (c: number | null) =>
    inputShape.length === 4 ? [inputShape[0]!, inputShape[1]!, inputShape[2]!, c] : [];
  const n = layer.name;
  const node = (part: string, className: string, c: number | null, inputs: string[]): DiagramNode => ({
    id: `${n}/${part}`,
    className,
    outputShape: shape(c),
    params: weightsParams(layer, part),
    inputs,
  });
  const parts = [
    node('branch1x1', 'Conv2D 1×1', count('filters1x1'), [inputId]),
    node('branch3x3_reduce', 'Conv2D 1×1', count('filters3x3Reduce'), [inputId]),
    node('branch3x3', 'Conv2D 3×3', count('filters3x3'), [`${n}/branch3x3_reduce`]),
    node('branch5x5_reduce', 'Conv2D 1×1', count('filters5x5Reduce'), [inputId]),
    node('branch5x5', 'Conv2D 5×5', count('filters5x5'), [`${n}/branch5x5_reduce`]),
    { ...node('pool', 'MaxPool2D 3×3', inputShape[3] ?? null, [inputId]), params: 0 },
    node('pool_projection', 'Conv2D 1×1', count('poolProjection'), [`${n}/pool`]),
  ];
  const total = ['filters1x1', 'filters3x3', 'filters5x5', 'poolProjection'].reduce(
    (a, k) => a + (count(k) ?? 0),
    0,
  );
  parts.push({
    id: n,
    className: 'Inception (concat)',
    outputShape: shape(total || null),
    params: 0,
    inputs: [`${n}/branch1x1`, `${n}/branch3x3`, `${n}/branch5x5`, `${n}/pool_projection`],
  });
  return parts;
});

/** A box's heading: the last part of a nested id (`inception_1/branch3x3` → `branch3x3`), cut to fit. */
function shortLabel(id: string): string {
  const last = id.slice(id.lastIndexOf('/') + 1);
  return last.length > 22 ? `${last.slice(0, 21)}…` : last;
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
        const expand = inputs.length === 1 ? expanders.get(classNameOf(s.sourceLayer)) : undefined;
        if (expand)
          for (const inner of expand(s.sourceLayer, inputs[0]!, s.inputs[0]!.shape))
            nodes.set(inner.id, inner);
        else
          nodes.set(id, {
            id,
            className: s.inputs.length === 0 ? 'Input' : classNameOf(s.sourceLayer),
            outputShape: s.shape,
            params: paramsOf(s.sourceLayer),
            inputs,
          });
      }
      return id;
    };
    outputs.forEach(visit);
    return [...nodes.values()];
  }
  const nodes: DiagramNode[] = [
    { id: 'input', className: 'Input', outputShape: [...model.inputShape], params: 0, inputs: [] },
  ];
  let shape: (number | null)[] | null = [...model.inputShape];
  for (const layer of model.layers) {
    const inShape = shape;
    try {
      shape = shape && layer.computeOutputShape ? layer.computeOutputShape(shape) : null;
    } catch {
      shape = null;
    }
    const prev = nodes[nodes.length - 1]!.id;
    const expand = expanders.get(classNameOf(layer));
    if (expand) nodes.push(...expand(layer, prev, inShape ?? []));
    else
      nodes.push({
        id: layer.name,
        className: classNameOf(layer),
        outputShape: shape ?? [],
        params: paramsOf(layer),
        inputs: [prev],
      });
  }
  return nodes;
}

/** Options of {@link networkDiagram}. @public */
export interface NetworkDiagramOptions {
  /** Heading (default: layer and parameter counts). */
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
export function networkDiagram(
  source: ModelLike | readonly DiagramNode[],
  opts: NetworkDiagramOptions = {},
): Figure {
  const nodes = Array.isArray(source)
    ? (source as readonly DiagramNode[])
    : describeModel(source as ModelLike);
  if (nodes.length === 0) throw new VizError('networkDiagram', 'the model has no layers.');
  const byId = new Map(nodes.map((n) => [n.id, n]));
  for (const n of nodes)
    for (const i of n.inputs)
      if (!byId.has(i))
        throw new VizError('networkDiagram', `node "${n.id}" takes input "${i}", which is not a node.`);
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
    const want = row.map((n) =>
      n.inputs.length ? n.inputs.reduce((a, i) => a + pos.get(i)!.x, 0) / n.inputs.length : 0,
    );
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
  const layerCount = Array.isArray(source)
    ? nodes.filter((n) => n.inputs.length > 0).length
    : (source as ModelLike).layers.length;
  const title = opts.title ?? `Network: ${layerCount} layers, ${total.toLocaleString('en-US')} parameters`;
  let edges = '';
  for (const n of nodes) {
    const p = pos.get(n.id)!;
    for (const i of n.inputs) {
      const q = pos.get(i)!;
      // Straight down the source's column to the row above the target, then a curve into it: skips never cross boxes.
      const [x1, y1, x2, y2] = [q.x + bw / 2, q.y + bh, p.x + bw / 2, p.y];
      const ys = y2 - gy;
      const my = (ys + y2) / 2;
      edges += h('path', {
        d: `M${num(x1)},${num(y1)}V${num(ys)}C${num(x1)},${num(my)} ${num(x2)},${num(my)} ${num(x2)},${num(y2 - 4)}`,
        fill: 'none',
        stroke: '#888',
        'stroke-width': 1.3,
        'marker-end': 'url(#arrow)',
        class: 'edge',
      });
    }
  }
  const fills: Record<string, string> = {
    Input: '#eeeeee',
    Conv2D: '#dbe9f6',
    Dense: '#fde0c5',
    MaxPool2D: '#e5f5e0',
    AvgPool2D: '#e5f5e0',
    GlobalAvgPool2D: '#e5f5e0',
    Concatenate: '#f2e0f7',
    Flatten: '#f4f4f4',
  };
  const fillOf = (c: string) =>
    fills[c] ?? fills[c.split(' ')[0]!] ?? (c.startsWith('Inception') ? fills.Concatenate : '#fff7bc');
  let boxes = '';
  for (const n of nodes) {
    const p = pos.get(n.id)!;
    const shape = n.outputShape.length ? formatShape(n.outputShape) : '?';
    boxes += h(
      'g',
      { class: 'node', 'data-id': n.id },
      h('rect', { x: p.x, y: p.y, width: bw, height: bh, rx: 6, fill: fillOf(n.className), stroke: '#666' }),
      text(p.x + 8, p.y + 15, shortLabel(n.id), { 'font-size': 11, 'font-weight': 'bold', fill: '#111' }),
      text(p.x + 8, p.y + 29, n.className, { 'font-size': 10, fill: '#333' }),
      text(p.x + 8, p.y + 43, `${shape}${n.params ? ` · ${n.params.toLocaleString('en-US')} params` : ''}`, {
        'font-size': 9,
        fill: '#444',
      }),
    );
  }
  const defs = h(
    'defs',
    {},
    h(
      'marker',
      {
        id: 'arrow',
        viewBox: '0 0 10 10',
        refX: 9,
        refY: 5,
        markerWidth: 7,
        markerHeight: 7,
        orient: 'auto',
      },
      h('path', { d: 'M0,0L10,5L0,10z', fill: '#888' }),
    ),
  );
  const height = top + rows.length * (bh + gy);
  return makeFigure(
    title,
    width,
    height,
    defs + text(10, 20, title, { 'font-size': 13, 'font-weight': 'bold', fill: '#111' }) + edges + boxes,
  );
}
