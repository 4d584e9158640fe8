import { describe, expect, it } from 'vitest';
import { numTensors, randomNormal, setSeed, tf } from '@nutshell/tensor';
import {
  Dense,
  computeFans,
  getInitializer,
  getRegularizer,
  initializers,
  layerFromConfig,
  registerInitializer,
  regularizers,
  type Initializer,
} from './index.js';

async function stats(name: keyof typeof initializers, shape: number[]) {
  const t = (initializers[name] as (o: { seed: number }) => { init: (s: number[]) => tf.Tensor })({
    seed: 3,
  }).init(shape);
  const v = Array.from(await t.data());
  t.dispose();
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const std = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
  return { v, mean, std, max: Math.max(...v.map(Math.abs)) };
}

describe('initializers', () => {
  it('computes fans the Keras way', () => {
    expect(computeFans([300, 100])).toEqual({ fanIn: 300, fanOut: 100 });
    expect(computeFans([5, 5, 3, 8])).toEqual({ fanIn: 75, fanOut: 200 });
    expect(computeFans([7])).toEqual({ fanIn: 7, fanOut: 7 });
  });

  // shape [300, 100]: fanIn 300, fanOut 100, fanAvg 200.
  it.each([
    ['glorotUniform', Math.sqrt(6 / 400), Math.sqrt(2 / 400)],
    ['xavierUniform', Math.sqrt(6 / 400), Math.sqrt(2 / 400)],
    ['heUniform', Math.sqrt(6 / 300), Math.sqrt(2 / 300)],
    ['lecunUniform', Math.sqrt(3 / 300), Math.sqrt(1 / 300)],
  ] as const)('%s: U(±limit) with the intended standard deviation', async (name, limit, std) => {
    const s = await stats(name, [300, 100]);
    expect(s.max).toBeLessThanOrEqual(limit);
    expect(s.max).toBeGreaterThan(0.99 * limit);
    expect(Math.abs(s.std - std) / std).toBeLessThan(0.02);
    expect(Math.abs(s.mean)).toBeLessThan(0.05 * std);
  });

  it.each([
    ['glorotNormal', Math.sqrt(2 / 400)],
    ['xavierNormal', Math.sqrt(2 / 400)],
    ['heNormal', Math.sqrt(2 / 300)],
    ['lecunNormal', Math.sqrt(1 / 300)],
  ] as const)('%s: truncated normal rescaled to the intended standard deviation', async (name, std) => {
    const s = await stats(name, [300, 100]);
    expect(Math.abs(s.std - std) / std).toBeLessThan(0.02);
    expect(s.max).toBeLessThanOrEqual((2 * std) / 0.8796256610342398 + 1e-6);
  });

  it('zeros, ones, constant', async () => {
    expect(Array.from(await initializers.zeros().init([3]).data())).toEqual([0, 0, 0]);
    expect(Array.from(await initializers.ones().init([2]).data())).toEqual([1, 1]);
    expect(Array.from(await initializers.constant({ value: 0.5 }).init([2]).data())).toEqual([0.5, 0.5]);
  });

  it('orthogonal gives orthonormal columns (tall) or rows (wide), times gain', async () => {
    for (const [shape, gain] of [
      [[6, 4], 1],
      [[3, 5], 2],
    ] as const) {
      const w = initializers.orthogonal({ seed: 1, gain }).init([...shape]);
      const tall = shape[0] >= shape[1];
      const g = tf.tidy(() => (tall ? tf.matMul(w, w, true, false) : tf.matMul(w, w, false, true)));
      const n = tall ? shape[1] : shape[0];
      const v = Array.from(await g.data());
      v.forEach((x, i) => expect(x).toBeCloseTo(Math.floor(i / n) === i % n ? gain * gain : 0, 4));
      tf.dispose([w, g]);
    }
    expect(() => initializers.orthogonal().init([4])).toThrow(/rank >= 2/);
  });

  // Q with R's diagonal positive is unique, so Gram–Schmidt on the same Gaussian numbers (which gives exactly that
  // Q) is an independent reference for the Householder QR.
  it('orthogonal is the Q of the seeded Gaussian matrix, as float64 Gram–Schmidt computes it (tall and wide)', async () => {
    for (const [rows, cols] of [
      [7, 4],
      [3, 5],
    ] as const) {
      const [m, n] = rows < cols ? [cols, rows] : [rows, cols];
      const g = randomNormal([m * n], { seed: 5 });
      const a = Array.from(await g.data());
      g.dispose();
      const q: number[][] = []; // columns
      for (let j = 0; j < n; j++) {
        const v = Array.from({ length: m }, (_, i) => a[i * n + j]);
        for (const u of q) {
          const d = u.reduce((s, x, i) => s + x * v[i], 0);
          for (let i = 0; i < m; i++) v[i] -= d * u[i];
        }
        const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
        q.push(v.map((x) => x / norm));
      }
      const w = initializers.orthogonal({ seed: 5, gain: 1.5 }).init([rows, cols]);
      const got = await w.data();
      w.dispose();
      for (let i = 0; i < rows; i++) {
        for (let j = 0; j < cols; j++) {
          const want = rows < cols ? q[i][j] : q[j][i];
          expect(Math.abs(got[i * cols + j] - 1.5 * want)).toBeLessThan(1e-6);
        }
      }
    }
  });

  it("orthogonal builds an LSTM(128)'s 128 × 512 recurrent kernel in well under a second, rows orthonormal to 1e-6", async () => {
    const started = performance.now();
    const w = initializers.orthogonal({ seed: 2 }).init([128, 512]);
    const ms = performance.now() - started; // tfjs's linalg.qr took about 50 s here on the cpu backend
    const v = await w.data();
    w.dispose();
    let worst = 0;
    for (let r = 0; r < 128; r++) {
      for (let s = r; s < 128; s++) {
        let dot = 0;
        for (let c = 0; c < 512; c++) dot += v[r * 512 + c] * v[s * 512 + c];
        worst = Math.max(worst, Math.abs(dot - (r === s ? 1 : 0)));
      }
    }
    expect(worst).toBeLessThan(1e-6);
    expect(ms).toBeLessThan(5_000); // measured about 20 ms; generous for a loaded machine
  });

  it('orthogonal without a seed draws from the global generator: setSeed repeats it', async () => {
    setSeed(11);
    const a = initializers.orthogonal().init([4, 6]);
    setSeed(11);
    const b = initializers.orthogonal().init([4, 6]);
    const c = initializers.orthogonal().init([4, 6]);
    const [av, bv, cv] = [Array.from(await a.data()), Array.from(await b.data()), Array.from(await c.data())];
    expect(av).toEqual(bv);
    expect(av).not.toEqual(cv);
    tf.dispose([a, b, c]);
  });

  it('the same seed gives the same values bit for bit; a different seed does not', async () => {
    const a = await initializers.heNormal({ seed: 9 }).init([20]).data();
    const b = await initializers.heNormal({ seed: 9 }).init([20]).data();
    const c = await initializers.heNormal({ seed: 10 }).init([20]).data();
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });

  it('resolves names and serialised forms; unknown names list the known ones', () => {
    expect(getInitializer('heUniform').className).toBe('heUniform');
    expect(getInitializer({ className: 'glorotNormal', config: { seed: 4 } }).config).toEqual({ seed: 4 });
    expect(() => getInitializer('kaiming')).toThrow(
      /Unknown initializer 'kaiming'. Known initializers: zeros, ones/,
    );
  });

  it('rebuilds a registered initializer of your own from a saved layer config', async () => {
    // 'testRamp' fills a weight with start, start + 1, ...: values no built-in gives, so the loaded layer's kernel
    // shows which initializer made it and with which config.
    const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
    const ramp = (config: Record<string, unknown>): Initializer => ({
      className: 'testRamp',
      config,
      init: (shape) => {
        const start = config.start as number;
        return tf.reshape(tf.range(start, start + size(shape)), [...shape]);
      },
    });
    const saved = JSON.parse(
      JSON.stringify(new Dense({ units: 2, kernelInitializer: ramp({ start: 5 }) }).getConfig()),
    );
    expect(() => layerFromConfig(saved)).toThrow(/Unknown initializer 'testRamp'.*registerInitializer/);
    registerInitializer('testRamp', ramp);
    const loaded = layerFromConfig(saved) as Dense;
    const x = tf.ones([1, 3]);
    loaded.apply(x).dispose();
    expect(Array.from(await loaded.weights[0]!.variable.data())).toEqual([5, 6, 7, 8, 9, 10]);
    expect(getInitializer('testRamp').className).toBe('testRamp');
    expect(() => getInitializer('kaiming')).toThrow(/Known initializers: zeros, .*testRamp/);
    x.dispose();
    loaded.dispose();
  });

  it('refuses to replace a built-in, and does not take inherited names for initializers', () => {
    expect(() => registerInitializer('heNormal', () => initializers.zeros())).toThrow(
      /registerInitializer: 'heNormal' is a built-in initializer/,
    );
    expect(getInitializer('heNormal').className).toBe('heNormal');
    expect(() => getInitializer('toString')).toThrow(/Unknown initializer 'toString'/);
  });

  it('leaks nothing', () => {
    const before = numTensors();
    for (const name of Object.keys(initializers) as (keyof typeof initializers)[]) {
      const init =
        name === 'constant'
          ? initializers.constant({ value: 1 })
          : (initializers[name] as () => { init: (s: number[]) => tf.Tensor })();
      init.init([4, 3]).dispose();
    }
    expect(numTensors()).toBe(before);
  });
});

describe('regularizers', () => {
  it('l1, l2 and l1l2 penalties, checked by hand; their gradients are λ·sign(w) and 2λ·w', async () => {
    const w = tf.tensor1d([1, -2, 3]);
    expect((await regularizers.l1(0.1).apply(w).data())[0]).toBeCloseTo(0.6, 6);
    expect((await regularizers.l2(0.1).apply(w).data())[0]).toBeCloseTo(1.4, 6);
    expect((await regularizers.l1l2({ l1: 0.1, l2: 0.1 }).apply(w).data())[0]).toBeCloseTo(2.0, 6);
    const g1 = await tf
      .grad((t: tf.Tensor) => regularizers.l1(0.1).apply(t))(w)
      .data();
    const g2 = await tf
      .grad((t: tf.Tensor) => regularizers.l2(0.1).apply(t))(w)
      .data();
    Array.from(g1).forEach((v, i) => expect(v).toBeCloseTo(0.1 * Math.sign([1, -2, 3][i]), 6));
    Array.from(g2).forEach((v, i) => expect(v).toBeCloseTo(0.2 * [1, -2, 3][i], 6));
    expect(getRegularizer({ className: 'l2', config: { l2: 0.3 } }).config).toEqual({ l2: 0.3 });
    expect(() => getRegularizer({ className: 'l3' })).toThrow(/Unknown regularizer 'l3'/);
    expect(() => regularizers.l2(-1)).toThrow(/l2 must be a finite number >= 0/);
    w.dispose();
  });
});
