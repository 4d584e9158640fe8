// Where a training step's time goes, kernel by kernel: W2 (MLP 784-128-10, Adam) and W3 (LeNet, Adam) at batch 64,
// trained with Nutshell's Trainer on one backend, profiled with tf.profile over a few steps after warm-up.
//
//   pnpm --filter @nutshell/bench exec tsx src/step-profile.ts [--backend wasm] [--workloads W2,W3] [--steps 20]
//
// tf.profile times each kernel synchronously (wasm and native kernels are synchronous, so the time is the kernel's
// own); "step" is the wall time of an un-profiled step, so "other" is what happens between kernels (the Trainer,
// the optimizer's bookkeeping, tfjs's engine, reads).
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    backend: { type: 'string', default: 'wasm' },
    workloads: { type: 'string', default: 'W2,W3' },
    steps: { type: 'string', default: '20' },
  },
});
const BATCH = 64;
const STEPS = Number(args.steps);

const { tf, useBackend } = await import('@nutshell/backend');
await import('@nutshell/backend-wasm');
if (args.backend === 'native' || args.backend === 'auto') await import('@nutshell/backend-native');
tf.enableProdMode();
const selection = await useBackend(args.backend);
const { loadMnist, ArrayDataset } = await import('@nutshell/datasets');
const { Dense, Sequential } = await import('@nutshell/layers');
const { lenet } = await import('@nutshell/conv');
const { Trainer, categoricalCrossentropy, getOptimizer } = await import('@nutshell/train');

console.log(
  `backend ${selection.name}; load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);

for (const w of args.workloads.split(',')) {
  const model =
    w === 'W2'
      ? new Sequential([new Dense({ units: 128, activation: 'relu' }), new Dense({ units: 10 })], {
          inputShape: [784],
        })
      : lenet({ inputShape: [28, 28, 1], numClasses: 10, filters: [8, 16], kernelSize: 5, seed: 1 });
  const trainer = new Trainer(model, {
    loss: categoricalCrossentropy({ fromLogits: true }),
    optimizer: getOptimizer('adam', { learningRate: 1e-3 }),
    metrics: ['accuracy'],
    seed: 1,
  });
  const data = loadMnist({ split: 'train', limit: BATCH * STEPS });
  const source = new ArrayDataset(data, { target: 'oneHot', ...(w === 'W2' ? { shape: [784] } : {}) });
  const fit = () => trainer.fit(source, { epochs: 1, batchSize: BATCH, shuffle: false, seed: 1 });
  await fit(); // warm-up: kernels set up, weights packed
  let t0 = performance.now();
  await fit();
  const stepMs = (performance.now() - t0) / STEPS;
  t0 = performance.now();
  const profile = await tf.profile(async () => {
    await fit();
  });
  const profiledMs = (performance.now() - t0) / STEPS;
  const byKernel = new Map<string, { ms: number; calls: number }>();
  for (const k of profile.kernels) {
    const e = byKernel.get(k.name) ?? { ms: 0, calls: 0 };
    e.ms += k.kernelTimeMs as number;
    e.calls += 1;
    byKernel.set(k.name, e);
  }
  const rows = [...byKernel.entries()].sort((a, b) => b[1].ms - a[1].ms);
  const kernelMs = rows.reduce((s, [, e]) => s + e.ms, 0) / STEPS;
  console.log(
    `\n${w} on ${selection.name}: ${stepMs.toFixed(2)} ms a step (${Math.round((BATCH / stepMs) * 1000)} samples/s), kernels ${kernelMs.toFixed(2)} ms, other ${(stepMs - kernelMs).toFixed(2)} ms (profiled step ${profiledMs.toFixed(2)} ms)`,
  );
  console.log('| kernel | ms / step | calls / step | share of step |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const [name, e] of rows.slice(0, 14)) {
    console.log(
      `| ${name} | ${(e.ms / STEPS).toFixed(3)} | ${(e.calls / STEPS).toFixed(1)} | ${((e.ms / STEPS / stepMs) * 100).toFixed(1)}% |`,
    );
  }
}
console.log(
  `\nload average after: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
