import { describe, expect, it } from 'vitest';
import type { GraphNode, SmallGraph } from './onnxModel.js';
import { batchInputs } from './onnxModel.js';

const NCHWC = 'com.microsoft.nchwc';
const graph = (nodes: GraphNode[], inputs = 2): SmallGraph => ({
  nodes,
  inputRanks: Array.from({ length: inputs }, () => 4),
  outputRank: 4,
});
const toNchw: GraphNode = {
  opType: 'Transpose',
  inputs: ['x0'],
  outputs: ['xt'],
  attributes: { perm: [0, 3, 1, 2] },
};

describe('batchInputs', () => {
  it('finds the images of a channels-last convolution with bias and relu', () => {
    const g = graph(
      [
        toNchw,
        { opType: 'Conv', inputs: ['xt', 'x1', 'x2'], outputs: ['c'] },
        { opType: 'Relu', inputs: ['c'], outputs: ['r'] },
        { opType: 'Transpose', inputs: ['r'], outputs: ['y'], attributes: { perm: [0, 2, 3, 1] } },
      ],
      3,
    );
    expect(batchInputs(g)).toEqual([0]);
  });

  it('finds them through the NCHWc reorders, and for a ConvTranspose (input gradient)', () => {
    const nchwc = graph([
      {
        opType: 'ReorderInput',
        domain: NCHWC,
        inputs: ['x0'],
        outputs: ['xb'],
        attributes: { channels_last: 1 },
      },
      { opType: 'Conv', domain: NCHWC, inputs: ['xb', 'x1'], outputs: ['yb'] },
      { opType: 'ReorderOutput', domain: NCHWC, inputs: ['yb'], outputs: ['y'], attributes: { channels: 8 } },
    ]);
    expect(batchInputs(nchwc)).toEqual([0]);
    const transposed = graph([{ opType: 'ConvTranspose', inputs: ['x0', 'x1'], outputs: ['y'] }]);
    expect(batchInputs(transposed)).toEqual([0]);
  });

  it('finds none for a product, a filter gradient (axis 0 moved), a reshape or an unknown domain', () => {
    expect(batchInputs(graph([{ opType: 'MatMul', inputs: ['x0', 'x1'], outputs: ['y'] }]))).toEqual([]);
    const filterGradient = graph([
      { opType: 'Transpose', inputs: ['x0'], outputs: ['xt'], attributes: { perm: [3, 0, 1, 2] } },
      { opType: 'Transpose', inputs: ['x1'], outputs: ['dyt'], attributes: { perm: [3, 0, 1, 2] } },
      { opType: 'Conv', inputs: ['xt', 'dyt'], outputs: ['y'] },
    ]);
    expect(batchInputs(filterGradient)).toEqual([]);
    const reshaped = graph([
      toNchw,
      { opType: 'Reshape', inputs: ['xt', 'shape'], outputs: ['xr'] },
      { opType: 'Conv', inputs: ['xr', 'x1'], outputs: ['y'] },
    ]);
    expect(batchInputs(reshaped)).toEqual([]);
    expect(
      batchInputs(graph([{ opType: 'Conv', domain: 'elsewhere', inputs: ['x0', 'x1'], outputs: ['y'] }])),
    ).toEqual([]);
  });

  it('finds none where a per-sample tensor also fills a weight slot, or where y does not come from one', () => {
    expect(batchInputs(graph([{ opType: 'Conv', inputs: ['x0', 'x0'], outputs: ['y'] }], 1))).toEqual([]);
    // x1 through a row-keeping Transpose is taken as per-sample; it then reaches Conv's weight slot.
    const weightsTransposed = graph([
      { opType: 'Transpose', inputs: ['x1'], outputs: ['w'], attributes: { perm: [0, 1, 3, 2] } },
      { opType: 'Conv', inputs: ['x0', 'w'], outputs: ['y'] },
    ]);
    expect(batchInputs(weightsTransposed)).toEqual([]);
    const elsewhere = graph([
      { opType: 'Relu', inputs: ['x0'], outputs: ['r'] },
      { opType: 'MatMul', inputs: ['x1', 'x1'], outputs: ['y'] },
    ]);
    expect(batchInputs(elsewhere)).toEqual([]);
  });
});
