// A training run in its own process, for the SIGKILL test (run with node against dist/).
//   node killableRun.mjs <checkpoint dir> <fresh|resume> <weights out file> [ms per step] [SIGKILL itself after step]
// Prints "start <epoch> <step>" once and "step <n>" after each batch; writes the final weights as raw float32.
import { writeFileSync } from 'node:fs';
import { Rng, tf } from '@nutshell/tensor';
import { Adam, Trainer, sparseCategoricalCrossentropy } from '@nutshell/train';

const [dir, mode, out, slow = '2', selfKill = ''] = process.argv.slice(2);

// Deterministic data: 1,024 samples of 16 features, class = arg-max of a fixed random projection.
const rng = new Rng(42);
const n = 1024;
const d = 16;
const k = 6;
const proj = Float32Array.from({ length: d * k }, () => rng.nextNormal());
const xv = Float32Array.from({ length: n * d }, () => rng.nextFloat());
const yv = new Int32Array(n);
for (let i = 0; i < n; i++) {
  let best = -Infinity;
  for (let c = 0; c < k; c++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += xv[i * d + j] * proj[j * k + c];
    if (s > best) [best, yv[i]] = [s, c];
  }
}
const x = tf.tensor2d(xv, [n, d]);
const y = tf.tensor1d(yv, 'int32');

// A two-layer perceptron with seeded weights (a fresh and a resumed process start from different weights).
const init = new Rng(mode === 'resume' ? 7 : 1);
const glorot = (a, b) => tf.variable(tf.tensor2d(Float32Array.from({ length: a * b }, () => (init.nextFloat() * 2 - 1) * Math.sqrt(6 / (a + b))), [a, b]));
const weights = [
  { name: 'dense_1/kernel', variable: glorot(d, 32) },
  { name: 'dense_1/bias', variable: tf.variable(tf.zeros([32])) },
  { name: 'dense_2/kernel', variable: glorot(32, k) },
  { name: 'dense_2/bias', variable: tf.variable(tf.zeros([k])) },
];
const [w1, b1, w2, b2] = weights.map((w) => w.variable);
const model = {
  weights,
  trainableWeights: weights,
  apply: (input) => tf.tidy(() => tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(input, w1), b1)), w2), b2)),
};

const trainer = new Trainer(model, {
  loss: sparseCategoricalCrossentropy({ fromLogits: true }),
  optimizer: new Adam({ learningRate: 0.01 }),
  metrics: ['accuracy'],
});
trainer.on('fitStart', (e) => console.log(`start ${e.initialEpoch} ${e.initialStep}`));
trainer.on('batchEnd', async (e) => {
  console.log(`step ${e.step}`);
  if (selfKill !== '' && e.step === Number(selfKill)) process.kill(process.pid, 'SIGKILL');
  // Slow the run down a little so that the parent can kill it at a chosen point.
  await new Promise((r) => setTimeout(r, Number(slow)));
});
await trainer.fit({ x, y }, {
  epochs: 3,
  batchSize: 32,
  seed: 3,
  validationSplit: 0.125,
  checkpoint: { to: dir, everySteps: 5, keep: 2 },
  ...(mode === 'resume' ? { resume: dir } : {}),
});
const parts = await Promise.all(weights.map((w) => w.variable.data()));
const all = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
let o = 0;
for (const p of parts) {
  all.set(p, o);
  o += p.length;
}
writeFileSync(out, new Uint8Array(all.buffer));
console.log('done');
