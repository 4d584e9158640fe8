import { afterAll, describe, expect, it } from 'vitest';
import {
  GradientFlowRecorder,
  VizError,
  describeModel,
  gradientFlowChart,
  gradientFlowComparison,
  gradientNormsByLayer,
  networkDiagram,
  type DiagramNode,
} from './index.js';
import { marks } from './test-utils/svg.js';
import { tinyCnn } from './test-utils/tinyCnn.js';

const model = tinyCnn();
afterAll(() => model.dispose());

describe('networkDiagram', () => {
  it('draws a sequential model as a chain with shapes and parameter counts', () => {
    const nodes = describeModel(model);
    expect(nodes.map((n) => [n.id, n.className, n.outputShape, n.params])).toEqual([
      ['input', 'Input', [null, 8, 8, 1], 0],
      ['tiny_conv', 'Conv2D', [null, 6, 6, 2], 20],
      ['tiny_relu', 'ReLU', [null, 6, 6, 2], 0],
      ['tiny_pool', 'MaxPool2D', [null, 3, 3, 2], 0],
      ['tiny_flatten', 'Flatten', [null, 18], 0],
      ['tiny_dense', 'Dense', [null, 3], 54],
    ]);
    const fig = networkDiagram(model);
    expect(marks(fig, 'g', 'node')).toHaveLength(6);
    expect(marks(fig, 'path', 'edge')).toHaveLength(5);
    expect(fig.title).toBe('Network: 5 layers, 74 parameters');
    expect(marks(fig, 'text').map((t) => t.textContent)).toContain('[?, 6, 6, 2] · 20 params');
  });

  it('shows the branches of an inception-style module side by side', () => {
    const n = (id: string, inputs: string[], className = 'Conv2D'): DiagramNode => ({
      id,
      className,
      outputShape: [null, 8, 8, 4],
      params: 10,
      inputs,
    });
    const nodes = [
      n('in', [], 'Input'),
      n('stem', ['in']),
      n('b1', ['stem']),
      n('b2a', ['stem']),
      n('b2b', ['b2a']),
      n('b3', ['stem'], 'MaxPool2D'),
      n('cat', ['b1', 'b2b', 'b3'], 'Concatenate'),
    ];
    const fig = networkDiagram(nodes);
    const boxes = new Map(
      marks(fig, 'g', 'node').map((g) => [g.getAttribute('data-id'), g.getElementsByTagName('rect')[0]!]),
    );
    const y = (id: string) => Number(boxes.get(id)!.getAttribute('y'));
    const x = (id: string) => Number(boxes.get(id)!.getAttribute('x'));
    expect(y('b1')).toBe(y('b2a'));
    expect(y('b1')).toBe(y('b3'));
    expect(new Set([x('b1'), x('b2a'), x('b3')]).size).toBe(3);
    expect(x('b2b')).toBe(x('b2a')); // the 2-deep branch stays in its column
    expect(y('cat')).toBeGreaterThan(y('b2b'));
    expect(marks(fig, 'path', 'edge')).toHaveLength(8); // in→stem, stem→3 branches, b2a→b2b, 3 branches→cat
    expect(() => networkDiagram([n('a', ['missing'])])).toThrow(
      'networkDiagram: node "a" takes input "missing", which is not a node.',
    );
  });
});

describe('gradient flow', () => {
  // 3 layers whose kernel gradients shrink by 10× per layer towards the input; biases must be left out.
  const records = [0, 1, 2, 3].map((step) => ({
    step,
    gradNorms: {
      'd1/kernel': 0.001,
      'd1/bias': 5,
      'd2/kernel': 0.01,
      'd2/bias': 5,
      'd3/kernel': 0.1,
      'd3/bias': 5,
    },
  }));

  it('groups norms by layer in input-to-output order, kernels only by default', () => {
    const g = gradientNormsByLayer(records);
    expect(g.layers).toEqual(['d1', 'd2', 'd3']);
    expect(g.mean).toEqual([0.001, 0.01, 0.1]);
    const all = gradientNormsByLayer(records, { include: 'all' });
    expect(all.mean[0]).toBeCloseTo(Math.sqrt(5 * 5 + 0.001 * 0.001), 9);
  });

  it('draws one line per layer over the steps, and the comparison of two networks', () => {
    const fig = gradientFlowChart(records);
    expect(marks(fig, 'path', 'series')).toHaveLength(3 + 1);
    const cmp = gradientFlowComparison({ sigmoid: records, relu: records });
    expect(marks(cmp, 'path', 'series').map((p) => p.getAttribute('data-name'))).toEqual(['sigmoid', 'relu']);
    expect(marks(cmp, 'circle', 'point')).toHaveLength(6);
  });

  it('draws a long run as at most 400 points per layer, geometric means of neighbouring steps', () => {
    const long = Array.from({ length: 1000 }, (_, step) => ({
      step,
      gradNorms: { 'a/kernel': step % 2 ? 0.1 : 0.001 },
    }));
    const fig = gradientFlowChart(long);
    const d = marks(fig, 'path', 'series')[0]!.getAttribute('d')!;
    expect(d.split(/[ML]/).filter(Boolean)).toHaveLength(334); // bins of 3 steps
    // bins of alternating 0.001 and 0.1 settle on two levels (geometric means) instead of 1,000 zigzags
    const ys = new Set(
      d
        .split(/[ML]/)
        .filter(Boolean)
        .slice(0, -1)
        .map((p) => p.split(',')[1]),
    );
    expect(ys.size).toBeLessThanOrEqual(2);
  });

  it('records trainer batchEnd events and refuses to draw nothing', () => {
    const handlers: Record<string, (e: unknown) => void> = {};
    const trainer = { on: (type: string, h: (e: unknown) => void) => void (handlers[type] = h) };
    const rec = new GradientFlowRecorder({ every: 2 }).attach(trainer);
    for (let step = 0; step < 5; step++) handlers.batchEnd!({ step, gradNorms: { 'a/kernel': step } });
    handlers.batchEnd!({ step: 6 }); // no norms tracked: ignored
    expect(rec.records.map((r) => r.step)).toEqual([0, 2, 4]);
    expect(() => gradientFlowChart([])).toThrow(VizError);
    expect(() => gradientFlowChart([])).toThrow(/trackGradientNorms: true/);
  });
});
