// Where a training step's time goes, kernel by kernel: W1 (softmax regression, SGD 0.1), W2 (MLP 784-128-10,
// Adam 1e-3) and W3 (LeNet 5×5×8 / 5×5×16, Adam 1e-3) at batch 64, trained with Nutshell's Trainer as the apps
// and tooling/bench's train-peers run them, on one backend; tf.profile over a few steps after warm-up.
//
//   pnpm --filter @nutshell/bench exec tsx src/step-profile.ts [--backend wasm] [--workloads W1,W2,W3] [--steps 100]
//
// tf.profile times each kernel synchronously (wasm and native kernels are synchronous, so the time is the kernel's
// own). "step" is the wall time of an un-profiled step: the difference between a fit of `steps` batches and a fit
// of 2 batches, divided by `steps` − 2, so the fit's fixed cost (first-batch checks, optimizer set-up) is not spread
// over the steps; it is printed on its own as "fit set-up". These fits skip the data check (`checkData: false`),
// whose cost grows with the data, not the steps: it is printed apart, per 1,000 samples (the same fit with and
// without it). "other" = step − kernels: what happens between kernels (the Trainer, the optimizer's bookkeeping,
// tfjs's engine, reads). Rounds are interleaved; each figure is the median over rounds.
// For a CPU profile of the same run: node --cpu-prof --import tsx src/step-profile.ts ...
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    backend: { type: 'string', default: 'wasm' },
    workloads: { type: 'string', default: 'W1,W2,W3' },
    steps: { type: 'string', default: '100' },
    rounds: { type: 'string', default: '3' },
    'no-profile': { type: 'boolean', default: false },
    trace: { type: 'boolean', default: false },
  },
});
const BATCH = 64;
const STEPS = Number(args.steps);
const ROUNDS = Number(args.rounds);

const { tf, useBackend } = await import('@nutshell/backend');
await import('@nutshell/backend-wasm');
if (args.backend === 'native' || args.backend === 'auto') await import('@nutshell/backend-native');
tf.enableProdMode();
const selection = await useBackend(args.backend);
const { loadMnist, ArrayDataset } = await import('@nutshell/datasets');
const { Dense, Sequential } = await import('@nutshell/layers');
const { lenet } = await import('@nutshell/conv');
const { Trainer, categoricalCrossentropy, getOptimizer } = await import('@nutshell/train');

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
console.log(`backend ${selection.name}; ${new Date().toISOString()}; load average ${load()}`);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

for (const w of args.workloads.split(',')) {
  const model =
    w === 'W1'
      ? new Sequential([new Dense({ units: 10 })], { inputShape: [784] })
      : w === 'W2'
        ? new Sequential([new Dense({ units: 128, activation: 'relu' }), new Dense({ units: 10 })], {
            inputShape: [784],
          })
        : lenet({ inputShape: [28, 28, 1], numClasses: 10, filters: [8, 16], kernelSize: 5, seed: 1 });
  const trainer = new Trainer(model, {
    loss: categoricalCrossentropy({ fromLogits: true }),
    optimizer:
      w === 'W1' ? getOptimizer('sgd', { learningRate: 0.1 }) : getOptimizer('adam', { learningRate: 1e-3 }),
    metrics: ['accuracy'],
    seed: 1,
  });
  const shape = w === 'W3' ? {} : { shape: [784] };
  const data = loadMnist({ split: 'train', limit: BATCH * STEPS });
  const source = new ArrayDataset(data, { target: 'oneHot', ...shape });
  const short = new ArrayDataset(loadMnist({ split: 'train', limit: BATCH * 2 }), {
    target: 'oneHot',
    ...shape,
  });
  const fit = (s: typeof source, checkData = false) =>
    trainer.fit(s, { epochs: 1, batchSize: BATCH, shuffle: true, seed: 1, checkData });
  const time = async (s: typeof source, checkData = false) => {
    const t0 = performance.now();
    await fit(s, checkData);
    return performance.now() - t0;
  };
  await fit(source); // warm-up: kernels set up, weights packed
  const before = tf.memory().numTensors;
  const longMs: number[] = [];
  const shortMs: number[] = [];
  const checkedMs: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    longMs.push(await time(source));
    shortMs.push(await time(short));
    checkedMs.push(await time(source, true));
  }
  const leaked = tf.memory().numTensors - before;
  const stepMs = (median(longMs) - median(shortMs)) / (STEPS - 2);
  const setupMs = median(shortMs) - 2 * stepMs;
  const checkPer1000 = ((median(checkedMs) - median(longMs)) / (BATCH * STEPS)) * 1000;
  console.log(
    `\n${w} on ${selection.name}: ${stepMs.toFixed(3)} ms a step (${Math.round((BATCH / stepMs) * 1000)} samples/s); fit set-up ${setupMs.toFixed(1)} ms; data check ${checkPer1000.toFixed(2)} ms per 1,000 samples; tensors leaked ${leaked}`,
  );
  if (args.trace) {
    // One step's kernels in order, with shapes: what a step asks of the backend.
    const one = new ArrayDataset(loadMnist({ split: 'train', limit: BATCH }), { target: 'oneHot', ...shape });
    const p = await tf.profile(async () => {
      await trainer.fit(one, { epochs: 1, batchSize: BATCH, shuffle: false, seed: 1, checkData: false });
    });
    for (const k of p.kernels)
      console.log(`  ${k.name} ${JSON.stringify(k.inputShapes)} -> ${JSON.stringify(k.outputShapes)}`);
  }
  if (args['no-profile']) continue;
  const t0 = performance.now();
  const profile = await tf.profile(async () => {
    await fit(source);
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
  const calls = rows.reduce((s, [, e]) => s + e.calls, 0) / STEPS;
  console.log(
    `kernels ${kernelMs.toFixed(3)} ms (${calls.toFixed(1)} calls), other ${(stepMs - kernelMs).toFixed(3)} ms (profiled step ${profiledMs.toFixed(2)} ms)`,
  );
  console.log('| kernel | ms / step | calls / step | share of step |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const [name, e] of rows.slice(0, 16)) {
    console.log(
      `| ${name} | ${(e.ms / STEPS).toFixed(3)} | ${(e.calls / STEPS).toFixed(1)} | ${((e.ms / STEPS / stepMs) * 100).toFixed(1)}% |`,
    );
  }
}
console.log(`\nload average after: ${load()}`);
