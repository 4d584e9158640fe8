import { numTensors } from '@nutshell/tensor';
import { describe, expect, it } from 'vitest';
import { DEPTH, main } from './vanishing-gradient.js';

describe('vanishing gradient example', () => {
  it("the sigmoid network's first-layer gradient is decades below its last layer's; ReLU's is not", async () => {
    const before = numTensors();
    const lines: string[] = [];
    const { sigmoid, relu } = await main({ epochs: 1, limit: 320, write: false, log: (l) => lines.push(l) });
    expect(numTensors()).toBe(before);
    expect(sigmoid).toHaveLength(DEPTH + 1);
    // each sigmoid layer passes back at most a quarter of the gradient: 10 layers shrink it by more than 1e-3
    expect(sigmoid[0]! / sigmoid[DEPTH - 1]!).toBeLessThan(1e-3);
    expect(relu[0]! / relu[DEPTH - 1]!).toBeGreaterThan(0.1);
    expect(relu[0]!).toBeGreaterThan(1000 * sigmoid[0]!);
    expect(lines[0]).toMatch(/^sigmoid +first layer \|g\| = \d\.\d\de-\d+/);
  }, 60_000);
});
