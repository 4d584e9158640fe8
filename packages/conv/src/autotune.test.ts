import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { numTensors, read, tf, useBackend } from '@nutshell/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { createWebgpuBackend } from '@nutshell/backend-webgpu';
import {
  autotuneDecisions,
  clearAutotuneCache,
  conv2d,
  loadAutotuneCache,
  saveAutotuneCache,
  setAutotuneOptions,
  tuneConv2d,
  type AutotuneDecision,
} from './index.js';

setAutotuneOptions({ minRepetitions: 3, budgetMs: 50 }); // keep the suite fast; the defaults measure longer

// Real WebGPU (Dawn in Node; lavapipe in CI), whose tensors cannot be read synchronously.
const webgpu = createWebgpuBackend({ cpuForward: false });
const webgpuProbe = await webgpu.probe();
const webgpuWhy = webgpuProbe.usable ? '' : ` (skipped: ${webgpuProbe.reason})`;

describe("algorithm: 'auto'", () => {
  const dir = mkdtemp(join(tmpdir(), 'nutshell-conv-'));
  afterAll(async () => rm(await dir, { recursive: true, force: true }));

  it('measures the candidates once per shape, reports its choice, and computes what direct computes', async () => {
    clearAutotuneCache();
    const seen: AutotuneDecision[] = [];
    setAutotuneOptions({ onDecision: (d) => seen.push(d) });
    const x = tf.randomNormal([2, 12, 12, 3], 0, 1, 'float32', 1);
    const w = tf.randomNormal([3, 3, 3, 4], 0, 1, 'float32', 2);
    const before = numTensors();
    const y = conv2d(x, w, { padding: 'same', algorithm: 'auto' });
    expect(numTensors()).toBe(before + 1); // measuring leaks nothing
    const ref = conv2d(x, w, { padding: 'same' });
    const [a, b] = [await read(y), await read(ref)];
    a.forEach((v, i) => expect(Math.abs(v - b[i])).toBeLessThan(1e-4));
    expect(seen).toHaveLength(1);
    const d = seen[0];
    expect(d.source).toBe('measured');
    expect(d.backend).toBe('cpu');
    expect(Object.keys(d.timings).sort()).toEqual(['direct', 'fft', 'im2col', 'winograd']);
    expect(d.reason).toContain(`${d.algorithm} measured fastest on cpu`);
    // The rule that keeps 'auto' from being slower than 'direct': another algorithm must beat direct's median.
    expect(d.timings[d.algorithm]!).toBeLessThanOrEqual(d.timings.direct!);
    expect(d.relativeToDirect.direct).toBe(1);
    if (d.algorithm !== 'direct') expect(d.relativeToDirect[d.algorithm]!).toBeLessThan(0.97);
    // Second call with the same shape: no new measurement.
    conv2d(x, w, { padding: 'same', algorithm: 'auto' }).dispose();
    expect(seen).toHaveLength(1);
    // A different shape (stride 2: Winograd does not apply) is a new decision without Winograd.
    conv2d(x, w, { strides: 2, algorithm: 'auto' }).dispose();
    expect(seen).toHaveLength(2);
    expect(Object.keys(seen[1].timings)).not.toContain('winograd');
    setAutotuneOptions({ onDecision: undefined });
    tf.dispose([x, w, y, ref]);
  });

  it('tuning inside a gradient tape (a training step) leaves the outer gradient right and leaks nothing', async () => {
    clearAutotuneCache();
    const x = tf.randomNormal([1, 9, 9, 2], 0, 1, 'float32', 3);
    const w = tf.randomNormal([3, 3, 2, 3], 0, 1, 'float32', 4);
    const before = numTensors();
    const loss = (a: tf.Tensor, b: tf.Tensor, algorithm: 'auto' | 'direct') => tf.sum(tf.square(conv2d(a, b, { padding: 'same', algorithm })));
    const auto = tf.grads((a: tf.Tensor, b: tf.Tensor) => loss(a, b, 'auto'))([x, w]);
    expect(autotuneDecisions()).toHaveLength(1);
    const direct = tf.grads((a: tf.Tensor, b: tf.Tensor) => loss(a, b, 'direct'))([x, w]);
    for (let i = 0; i < 2; i++) {
      const [p, q] = [await read(auto[i]), await read(direct[i])];
      p.forEach((v, j) => expect(Math.abs(v - q[j])).toBeLessThan(1e-3 * Math.max(1, Math.abs(q[j]))));
    }
    tf.dispose([...auto, ...direct]);
    expect(numTensors()).toBe(before);
    tf.dispose([x, w]);
  });

  it('candidates too slow to repeat (and a slow direct) are judged on their single run', () => {
    clearAutotuneCache();
    setAutotuneOptions({ budgetMs: 0 }); // every warm-up exceeds the budget: no rounds at all
    const x = tf.ones([1, 10, 10, 2]);
    const w = tf.ones([3, 3, 2, 2]);
    conv2d(x, w, { algorithm: 'auto' }).dispose();
    const d = autotuneDecisions()[0];
    expect(Object.values(d.repetitions)).toEqual([1, 1, 1, 1]);
    for (const [c, r] of Object.entries(d.relativeToDirect)) expect(r).toBeCloseTo(d.timings[c as 'fft']! / d.timings.direct!, 10);
    const best = Object.entries(d.relativeToDirect).reduce((a, b) => (b[1]! < a[1]! ? b : a));
    expect(d.algorithm).toBe(best[1]! < 0.97 ? best[0] : 'direct');
    setAutotuneOptions({ budgetMs: 50 });
    tf.dispose([x, w]);
  });

  it.skipIf(!webgpuProbe.usable)(
    `on WebGPU in Node (reads are asynchronous) it uses direct, says so, and tuneConv2d measures${webgpuWhy}`,
    async () => {
      await useBackend(webgpu);
      try {
        clearAutotuneCache();
        const x = tf.ones([1, 8, 8, 1]);
        const w = tf.ones([3, 3, 1, 1]);
        const before = numTensors();
        const y = conv2d(x, w, { algorithm: 'auto' });
        expect(Array.from(await y.data())).toEqual(new Array(36).fill(9)); // 3×3 windows of ones
        y.dispose();
        expect(numTensors()).toBe(before);
        const d = autotuneDecisions()[0];
        expect(d).toMatchObject({ source: 'fallback', algorithm: 'direct', backend: 'webgpu' });
        expect(d.reason).toMatch(/could not measure synchronously on webgpu \(webgpu: dataSync\(\)\/arraySync\(\) cannot read .*\); await tuneConv2d/);
        const tuned = await tuneConv2d([1, 8, 8, 1], [3, 3, 1, 1]);
        expect(tuned).toMatchObject({ source: 'measured', backend: 'webgpu' });
        expect(autotuneDecisions()).toEqual([tuned]);
        tf.dispose([x, w]);
      } finally {
        await useBackend('cpu');
      }
    },
  );

  it('tuneConv2d measures asynchronously; decisions round-trip through a cache file', async () => {
    clearAutotuneCache();
    const d = await tuneConv2d([1, 16, 16, 2], [5, 5, 2, 2], { padding: 'valid' });
    expect(d.source).toBe('measured');
    expect(await tuneConv2d([1, 16, 16, 2], [5, 5, 2, 2])).toBe(d); // cached
    const file = join(await dir, 'autotune.json');
    await saveAutotuneCache(file);
    expect(JSON.parse(await readFile(file, 'utf8')).decisions[0].key).toBe(d.key);
    clearAutotuneCache();
    expect(autotuneDecisions()).toHaveLength(0);
    expect(await loadAutotuneCache(file)).toBe(1);
    expect(await loadAutotuneCache(join(await dir, 'missing.json'))).toBe(0);
    const loaded = autotuneDecisions()[0];
    expect(loaded.source).toBe('disk');
    expect(loaded.algorithm).toBe(d.algorithm);
    // conv2d uses the loaded decision without measuring.
    const seen: AutotuneDecision[] = [];
    setAutotuneOptions({ onDecision: (x) => seen.push(x) });
    const [ones, kernel] = [tf.ones([1, 16, 16, 2]), tf.ones([5, 5, 2, 2])];
    conv2d(ones, kernel, { algorithm: 'auto' }).dispose();
    tf.dispose([ones, kernel]);
    expect(seen).toHaveLength(0);
    setAutotuneOptions({ onDecision: undefined });
  });
});
