import { describe, expect, it } from 'vitest';
import { cosineDecay, exponentialDecay, linearWarmup, oneCycle, stepDecay } from './schedule.js';
import { ConfigError } from '../errors.js';

const close = (a: number, b: number) => expect(a).toBeCloseTo(b, 12);

describe('learning-rate schedules', () => {
  it('stepDecay: ×0.5 every 10 steps', () => {
    const s = stepDecay({ initial: 0.1, dropEvery: 10, factor: 0.5 });
    close(s(0), 0.1);
    close(s(9), 0.1);
    close(s(10), 0.05);
    close(s(25), 0.025);
  });

  it('exponentialDecay: continuous and staircase', () => {
    const s = exponentialDecay({ initial: 1, decayRate: 0.5, decaySteps: 4 });
    close(s(2), Math.SQRT1_2);
    close(s(8), 0.25);
    close(exponentialDecay({ initial: 1, decayRate: 0.5, decaySteps: 4, staircase: true })(7), 0.5);
  });

  it('cosineDecay: peak, half-way, floor; with warm restarts and a doubling period', () => {
    const s = cosineDecay({ initial: 1, decaySteps: 10, minimum: 0.1 });
    close(s(0), 1);
    close(s(5), 0.55);
    close(s(10), 0.1);
    close(s(50), 0.1);
    const r = cosineDecay({ initial: 1, decaySteps: 10, restarts: { periodMultiplier: 2, peakMultiplier: 0.5 } });
    close(r(10), 0.5); // restart: new peak 0.5
    close(r(20), 0.5 * 0.5 * (1 + Math.cos(Math.PI / 2))); // half-way through the 20-step second period
    close(r(30), 0.25); // third period starts
    close(cosineDecay({ initial: 1, decaySteps: 4, restarts: true })(6), 0.5);
  });

  it('linearWarmup: rises linearly, then hands over', () => {
    const s = linearWarmup({ target: 0.1, warmupSteps: 4 });
    close(s(0), 0);
    close(s(2), 0.05);
    close(s(4), 0.1);
    const w = linearWarmup({ target: 1, warmupSteps: 2, after: stepDecay({ initial: 1, dropEvery: 1, factor: 0.5 }) });
    close(w(1), 0.5);
    close(w(3), 0.5);
  });

  it('oneCycle: starts at max/25, peaks at 30%, ends at max/25e4 (PyTorch OneCycleLR)', () => {
    const s = oneCycle({ max: 1, totalSteps: 101, pctStart: 0.3 });
    close(s(0), 0.04);
    const peak = 0.3 * 101 - 1;
    expect(s(Math.round(peak))).toBeGreaterThan(0.99);
    close(s(100), 0.04 / 1e4);
    // monotone up, then down
    for (let i = 1; i <= 29; i++) expect(s(i)).toBeGreaterThan(s(i - 1));
    for (let i = 31; i <= 100; i++) expect(s(i)).toBeLessThan(s(i - 1));
  });

  it('bad options and steps are ConfigErrors naming them', () => {
    expect(() => stepDecay({ initial: 0.1, dropEvery: 0 })).toThrow(ConfigError);
    expect(() => stepDecay({ initial: 0.1, dropEvery: 0 })).toThrow('stepDecay: dropEvery must be a finite number > 0, got 0.');
    expect(() => oneCycle({ max: 1, totalSteps: 10, pctStart: 1 })).toThrow('oneCycle: pctStart must be in (0, 1), got 1.');
    expect(() => stepDecay({ initial: 0.1, dropEvery: 2 })(-1)).toThrow('stepDecay: step must be an integer ≥ 0, got -1.');
  });
});
