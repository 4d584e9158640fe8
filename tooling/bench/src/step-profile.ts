// Where a training step's time goes, kernel by kernel: W1 (softmax regression, SGD 0.1), W2 (MLP 784-128-10,
// Adam 1e-3) and W3 (LeNet 5×5×8 / 5×5×16, Adam 1e-3) at batch 64, trained with Nutshell's Trainer as the apps
// and tooling/bench's train-peers run them, on one backend; tf.profile over a few steps after warm-up.
//
//   pnpm --filter @nutshell/bench exec tsx src/step-profile.ts [--backend wasm] [--workloads W1,W2,W3] [--steps 100]
//     [--rounds 3] [--compare-unfused] [--compare-unfused-head] [--trace] [--no-profile]
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
    'compare-unfused': { type: 'boolean', default: false },
    'compare-unfused-head': { type: 'boolean', default: false },
  },
});
const BATCH = 64;
const STEPS = Number(args.steps);
const ROUNDS = Number(args.rounds);

const {
  tf,
  useBackend,
  ADAM_UPDATE,
  SGD_UPDATE,
  SOFTMAX_CROSS_ENTROPY,
  SOFTMAX_CROSS_ENTROPY_GRAD,
  CATEGORICAL_ACCURACY,
} = await import('@nutshell/backend');
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
  // Wall time and this process's CPU time (user + system): on a machine shared with other jobs, the CPU time of a
  // single-threaded backend (wasm; native with NUTSHELL_NATIVE_THREADS=1) is much less disturbed than the wall time.
  const time = async (s: typeof source, checkData = false) => {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    await fit(s, checkData);
    const c = process.cpuUsage(c0);
    return { wall: performance.now() - t0, cpu: (c.user + c.system) / 1000 };
  };
  await fit(source); // warm-up: kernels set up, weights packed
  // With --compare-unfused, the rounds alternate between the fused optimizer kernels and the tensor-op rule (the
  // kernels unregistered): the same numbers, so the difference is the optimizer's dispatch cost alone. With
  // --compare-unfused-head, between the fused loss and accuracy kernels, the loss's ops with the fused accuracy,
  // and both as ops.
  const variants = args['compare-unfused']
    ? ['fused', 'unfused']
    : args['compare-unfused-head']
      ? ['fused', 'loss unfused', 'loss+accuracy unfused']
      : ['as is'];
  const optimizerKernel = w === 'W1' ? SGD_UPDATE : ADAM_UPDATE;
  const loss = [SOFTMAX_CROSS_ENTROPY, SOFTMAX_CROSS_ENTROPY_GRAD];
  const unregistered: Record<string, string[]> = {
    unfused: [optimizerKernel],
    'loss unfused': loss,
    'loss+accuracy unfused': [...loss, CATEGORICAL_ACCURACY],
  };
  const toggled = [optimizerKernel, ...loss, CATEGORICAL_ACCURACY];
  const configs = new Map(toggled.map((k) => [k, tf.getKernel(k, tf.getBackend())]));
  const setVariant = (v: string) => {
    for (const k of toggled) {
      const off = (unregistered[v] ?? []).includes(k);
      const registered = tf.getKernel(k, tf.getBackend()) !== undefined;
      const config = configs.get(k);
      if (off && registered) tf.unregisterKernel(k, tf.getBackend());
      if (!off && !registered && config) tf.registerKernel(config);
    }
  };
  for (const v of variants) {
    setVariant(v);
    await fit(source); // each variant's constants made before the leak count starts
  }
  const before = tf.memory().numTensors;
  type Times = { wall: number; cpu: number };
  const times = new Map(
    variants.map((v) => [v, { long: [] as Times[], short: [] as Times[], checked: [] as Times[] }]),
  );
  for (let r = 0; r < ROUNDS; r++) {
    for (const v of variants) {
      setVariant(v);
      const t = times.get(v)!;
      t.long.push(await time(source));
      t.short.push(await time(short));
      if (r === ROUNDS - 1) t.checked.push(await time(source, true));
    }
  }
  const leaked = tf.memory().numTensors - before;
  const summary: Record<string, string[]> = {};
  for (const v of variants) {
    setVariant(v);
    const t = times.get(v)!;
    const per = (k: keyof Times, pick: (xs: number[]) => number) =>
      (pick(t.long.map((x) => x[k])) - pick(t.short.map((x) => x[k]))) / (STEPS - 2);
    const stepMs = per('wall', median);
    const cpuMs = per('cpu', median);
    const cpuMinMs = per('cpu', (xs) => Math.min(...xs));
    const setupMs = median(t.short.map((x) => x.wall)) - 2 * stepMs;
    const checkPer1000 = ((t.checked[0].cpu - t.long[ROUNDS - 1].cpu) / (BATCH * STEPS)) * 1000;
    console.log(
      `\n${w} on ${selection.name}, ${v}: ${stepMs.toFixed(3)} ms a step wall (${Math.round((BATCH / stepMs) * 1000)} samples/s), CPU ${cpuMs.toFixed(3)} ms (min ${cpuMinMs.toFixed(3)}); fit set-up ${setupMs.toFixed(1)} ms; data check ${checkPer1000.toFixed(2)} ms CPU per 1,000 samples; tensors leaked ${leaked}`,
    );
    if (args.trace) {
      // One step's kernels in order, with shapes: what a step asks of the backend.
      const one = new ArrayDataset(loadMnist({ split: 'train', limit: BATCH }), {
        target: 'oneHot',
        ...shape,
      });
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
    const kernelMs = rows.reduce((sum, [, e]) => sum + e.ms, 0) / STEPS;
    const calls = rows.reduce((sum, [, e]) => sum + e.calls, 0) / STEPS;
    summary[v] = [
      stepMs.toFixed(2),
      cpuMs.toFixed(2),
      kernelMs.toFixed(2),
      calls.toFixed(0),
      (cpuMs - kernelMs).toFixed(2),
    ];
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
  if (args['compare-unfused']) {
    // The optimizer step alone on this model's weights and fixed gradients, fused and not, interleaved; the
    // minimum over rounds is the figure least disturbed by other jobs on the machine.
    const weights = model.trainableWeights.map((x) => ({ name: x.name, variable: x.variable }));
    const grads = weights.map((x) => tf.randomNormal(x.variable.shape, 0, 1e-3, 'float32', 1));
    const opt = getOptimizer(w === 'W1' ? 'sgd' : 'adam', { learningRate: 1e-9 });
    opt.prepare(weights);
    const optTime = () => {
      const t0 = performance.now();
      for (let i = 0; i < 50; i++) opt.applyGradients(weights, grads);
      return ((performance.now() - t0) / 50) * 1000;
    };
    const optUs = new Map(variants.map((v) => [v, [] as number[]]));
    for (let r = 0; r < 15; r++) {
      for (const v of variants) {
        setVariant(v);
        optUs.get(v)!.push(optTime());
      }
    }
    opt.dispose();
    tf.dispose(grads);
    for (const v of variants) summary[v]?.push(Math.min(...optUs.get(v)!).toFixed(0));
    console.log(
      `optimizer step alone (µs, min of 15 interleaved rounds): ${variants.map((v) => `${v} ${Math.min(...optUs.get(v)!).toFixed(0)}`).join(', ')}`,
    );
  }
  if (args['compare-unfused-head']) {
    // The classifier head alone: the loss of [64, 10] logits, its gradient and the accuracy metric, as a training
    // step computes them; per variant, interleaved, minimum over rounds.
    const logits = tf.variable(tf.randomNormal([BATCH, 10], 0, 2, 'float32', 2));
    const labels = tf.oneHot(
      tf.tensor1d(
        Array.from({ length: BATCH }, (_, i) => i % 10),
        'int32',
      ),
      10,
      1,
      0,
      'float32',
    );
    const ce = categoricalCrossentropy({ fromLogits: true });
    const { categoricalAccuracy } = await import('@nutshell/train');
    const headTime = () => {
      const t0 = performance.now();
      for (let i = 0; i < 100; i++) {
        tf.tidy(() => {
          const { grads } = tf.variableGrads(
            () => ce.reduced!(labels, logits) as ReturnType<typeof tf.scalar>,
            [logits],
          );
          tf.mean(categoricalAccuracy(labels, logits));
          return grads[logits.name];
        }).dispose();
      }
      return ((performance.now() - t0) / 100) * 1000;
    };
    const headUs = new Map(variants.map((v) => [v, [] as number[]]));
    for (let r = 0; r < 15; r++) {
      for (const v of variants) {
        setVariant(v);
        headUs.get(v)!.push(headTime());
      }
    }
    tf.dispose([logits, labels]);
    console.log(
      `loss + gradient + accuracy alone (µs, min of 15 interleaved rounds of 100): ${variants.map((v) => `${v} ${Math.min(...headUs.get(v)!).toFixed(0)}`).join(', ')}`,
    );
  }
  setVariant('as is');
  if (Object.keys(summary).length > 1) {
    console.log(`\n| ${w} on ${selection.name} (ms a step) | ${variants.join(' | ')} |`);
    console.log(`| --- |${variants.map(() => ' ---: |').join('')}`);
    ['step (wall)', 'step (CPU)', 'all kernels', 'kernel calls', 'other (CPU step − kernels)'].forEach(
      (row, i) => console.log(`| ${row} | ${variants.map((v) => summary[v][i]).join(' | ')} |`),
    );
  }
}
console.log(`\nload average after: ${load()}`);
