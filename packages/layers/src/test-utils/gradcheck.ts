// Central finite-difference checks of a layer's gradients, with respect to its input and to every weight.
import { Rng, randomNormal, tf, type Tensor } from '@nutshell/tensor';
import { expect } from 'vitest';
import type { Layer, ApplyOptions } from '../layer.js';

export interface GradCheckOptions extends ApplyOptions {
  /** Finite-difference step (default 1e-2; float32 arithmetic). */
  readonly h?: number;
  /** Allowed absolute error, scaled by max(1, |fd|) (default 5e-3). */
  readonly tol?: number;
  /** Entries checked per tensor (default 8, chosen at random). */
  readonly samples?: number;
}

async function scalar(t: Tensor): Promise<number> {
  const v = (await t.data())[0];
  t.dispose();
  return v;
}

/**
 * Checks d loss / d input and d loss / d weight against central differences, where loss = Σ r ⊙ layer(x)
 * with a fixed random r (so every output element contributes with a different weight).
 */
export async function gradCheck(layer: Layer, x: Tensor | Tensor[], opts: GradCheckOptions = {}): Promise<void> {
  const h = opts.h ?? 1e-2;
  const tol = opts.tol ?? 5e-3;
  const rng = new Rng(99);
  const xs = Array.isArray(x) ? x : [x];
  const run = (ins: Tensor[]) => layer.apply(Array.isArray(x) ? ins : ins[0], { training: opts.training });
  const probe = run(xs);
  const r = randomNormal(probe.shape, { seed: 5 });
  probe.dispose();
  const loss = (ins: Tensor[]) => tf.tidy(() => tf.sum(tf.mul(r, run(ins))));

  // Input gradients.
  const gx = tf.tidy(() => tf.grads((...ins: Tensor[]) => loss(ins))(xs));
  for (let k = 0; k < xs.length; k++) {
    const base = Array.from(await xs[k].data());
    const g = await gx[k].data();
    for (let s = 0; s < (opts.samples ?? 8); s++) {
      const i = rng.nextInt(base.length);
      const at = (d: number) => {
        const v = [...base];
        v[i] += d;
        return tf.tensor(v, xs[k].shape);
      };
      const up = at(h);
      const down = at(-h);
      const fu = await scalar(loss(xs.map((t, j) => (j === k ? up : t))));
      const fdn = await scalar(loss(xs.map((t, j) => (j === k ? down : t))));
      tf.dispose([up, down]);
      const fd = (fu - fdn) / (2 * h);
      expect(Math.abs(g[i] - fd), `${layer.name} d/dinput${k}[${i}]: autodiff ${g[i]} vs fd ${fd}`).toBeLessThan(tol * Math.max(1, Math.abs(fd)));
    }
  }
  tf.dispose(gx);

  // Weight gradients.
  const trainable = layer.trainableWeights;
  if (trainable.length === 0) return;
  const { grads, value } = tf.variableGrads(() => loss(xs) as tf.Scalar, trainable.map((w) => w.variable));
  value.dispose();
  for (const w of trainable) {
    const base = Array.from(await w.variable.data());
    const g = await grads[w.variable.name].data();
    for (let s = 0; s < (opts.samples ?? 8); s++) {
      const i = rng.nextInt(base.length);
      const evalAt = async (d: number) => {
        const v = [...base];
        v[i] += d;
        const t = tf.tensor(v, w.variable.shape);
        w.variable.assign(t);
        t.dispose();
        return scalar(loss(xs));
      };
      const fd = ((await evalAt(h)) - (await evalAt(-h))) / (2 * h);
      const restore = tf.tensor(base, w.variable.shape);
      w.variable.assign(restore);
      restore.dispose();
      expect(Math.abs(g[i] - fd), `${w.name}[${i}]: autodiff ${g[i]} vs fd ${fd}`).toBeLessThan(tol * Math.max(1, Math.abs(fd)));
    }
  }
  tf.dispose(grads);
  r.dispose();
}
