// Where a convolutional training step's time goes on 'native' against 'wasm', kernel by kernel and shape by shape,
// robust to a shared, loaded machine: each kernel call's time is taken over many profiled steps and both the
// median and the minimum are kept (the minimum is what the kernel costs when it gets a core to itself).
//
//   pnpm --filter @nutshell/bench exec tsx src/native-profile.ts [--backends wasm,native] [--models W3,main]
//     [--steps 30] [--rounds 2] [--threads 2]
//   pnpm --filter @nutshell/bench exec tsx src/native-profile.ts --threads-sweep [--rounds 3]
//   pnpm --filter @nutshell/bench exec tsx src/native-profile.ts --rss [--rounds 2] [--steps 300]
//
// --rss trains each model for `steps` batches in a fresh child process per backend (alternating over rounds) and
// prints each child's peak resident set size (process.resourceUsage().maxRSS) and where its memory is at the end.
//
// --threads-sweep times the convolution kernels of both models (forward, input and filter gradient) and a 256³
// product on 'native' with 1 and 2 threads, alternating within each round (median and minimum of the calls).
//
// W3 = LeNet 5×5×8 / 5×5×16, batch 64; main = the CLI's mnist-cnn (LeNet 5×5×16 / 5×5×32, batch 32); both Adam with
// Nutshell's Trainer. Rounds alternate the backends, so both see the same load. "Σ min" sums each kernel's minimum
// over the calls of one step: an estimate of the kernels' cost on a quiet machine.
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    backends: { type: 'string', default: 'wasm,native' },
    models: { type: 'string', default: 'W3,main' },
    steps: { type: 'string', default: '30' },
    rounds: { type: 'string', default: '2' },
    threads: { type: 'string' },
    top: { type: 'string', default: '16' },
    'threads-sweep': { type: 'boolean', default: false },
    rss: { type: 'boolean', default: false },
    'rss-child': { type: 'string' },
  },
});
const STEPS = Number(args.steps);

const { tf, useBackend } = await import('@nutshell/backend');
await import('@nutshell/backend-wasm');
const native = await import('@nutshell/backend-native');
if (args.threads) await native.configureNative({ threads: Number(args.threads) });
tf.enableProdMode();
const { loadMnist, ArrayDataset } = await import('@nutshell/datasets');
const { lenet } = await import('@nutshell/conv');
const { Trainer, categoricalCrossentropy, getOptimizer } = await import('@nutshell/train');

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
console.log(`${new Date().toISOString()}; load average ${load()}`);

const models = {
  W3: { filters: [8, 16] as [number, number], batch: 64, lr: 1e-3 },
  main: { filters: [16, 32] as [number, number], batch: 32, lr: 2e-3 },
};

if (args.rss) {
  const { spawnSync } = await import('node:child_process');
  console.log(
    '| model | backend | ms / step | peak RSS MB | RSS at end | JS heap | external (of it array buffers) |',
  );
  console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: |');
  for (let round = 0; round < Number(args.rounds); round++)
    for (const name of args.models.split(','))
      for (const backend of args.backends.split(',')) {
        const r = spawnSync(
          process.execPath,
          [...process.execArgv, process.argv[1], '--rss-child', `${name},${backend}`, '--steps', args.steps],
          { encoding: 'utf8' },
        );
        const line = r.stdout.trim().split('\n').pop() ?? '';
        console.log(
          r.status === 0 ? line : `| ${name} | ${backend} | failed: ${r.stderr.trim().split('\n').pop()} |`,
        );
      }
  console.log(`\n${new Date().toISOString()}; load average after: ${load()}`);
  process.exit(0);
}

/** A fresh LeNet of `name`'s shape and `fit`, which trains it one epoch of STEPS batches. */
function lenetFit(name: keyof typeof models) {
  const m = models[name];
  const model = lenet({
    inputShape: [28, 28, 1],
    numClasses: 10,
    filters: m.filters,
    kernelSize: 5,
    seed: 1,
  });
  const trainer = new Trainer(model, {
    loss: categoricalCrossentropy({ fromLogits: true }),
    optimizer: getOptimizer('adam', { learningRate: m.lr }),
    seed: 1,
  });
  const source = new ArrayDataset(loadMnist({ split: 'train', limit: m.batch * STEPS }), {
    target: 'oneHot',
  });
  return {
    model,
    fit: () => trainer.fit(source, { epochs: 1, batchSize: m.batch, shuffle: false, seed: 1 }),
  };
}

if (args['rss-child']) {
  const [name, backend] = args['rss-child'].split(',') as [keyof typeof models, string];
  await useBackend(backend);
  const { fit } = lenetFit(name);
  const t0 = performance.now();
  await fit();
  const ms = (performance.now() - t0) / STEPS;
  const mb = (n: number) => Math.round(n / 1048576);
  const u = process.memoryUsage();
  console.log(
    `| ${name} | ${backend} | ${ms.toFixed(1)} | ${mb(process.resourceUsage().maxRSS * 1024)} | ${mb(u.rss)} | ${mb(u.heapTotal)} | ${mb(u.external)} (${mb(u.arrayBuffers)}) |`,
  );
  process.exit(0);
}

if (args['threads-sweep']) {
  await useBackend('native');
  const times = new Map<string, number[]>();
  const bench = (name: string, fn: () => void, reps = 10) => {
    fn();
    fn();
    for (let i = 0; i < reps; i++) {
      const t0 = performance.now();
      fn();
      times.set(name, [...(times.get(name) ?? []), performance.now() - t0]);
    }
  };
  const K = 5;
  const convs = [
    { name: 'W3 conv 1', B: 64, H: 28, CI: 1, CO: 8 },
    { name: 'W3 conv 2', B: 64, H: 12, CI: 8, CO: 16 },
    { name: 'main conv 1', B: 32, H: 28, CI: 1, CO: 16 },
    { name: 'main conv 2', B: 32, H: 12, CI: 16, CO: 32 },
  ];
  for (let round = 0; round < Number(args.rounds); round++)
    for (const threads of [1, 2]) {
      await native.configureNative({ threads, adaptiveThreads: false });
      for (const c of convs) {
        const OH = c.H - K + 1;
        const x = tf.randomNormal([c.B, c.H, c.H, c.CI]) as import('@nutshell/backend').tf.Tensor4D;
        const f = tf.randomNormal([K, K, c.CI, c.CO]) as import('@nutshell/backend').tf.Tensor4D;
        const dy = tf.randomNormal([c.B, OH, OH, c.CO]) as import('@nutshell/backend').tf.Tensor4D;
        const run = (t: () => import('@nutshell/backend').tf.Tensor) => () =>
          tf.tidy(() => void t().dataSync());
        bench(
          `${c.name} forward, ${threads}`,
          run(() => tf.conv2d(x, f, 1, 'valid')),
        );
        if (c.CI > 1)
          bench(
            `${c.name} input gradient, ${threads}`,
            run(() => tf.conv2dTranspose(dy, f, [c.B, c.H, c.H, c.CI], 1, 'valid')),
          );
        bench(
          `${c.name} filter gradient, ${threads}`,
          run(
            () =>
              tf.engine().runKernel(
                tf.Conv2DBackpropFilter,
                { x, dy },
                {
                  strides: 1,
                  pad: 'valid',
                  dataFormat: 'NHWC',
                  filterShape: [K, K, c.CI, c.CO],
                },
              ) as import('@nutshell/backend').tf.Tensor,
          ),
        );
        tf.dispose([x, f, dy]);
      }
      const a = tf.randomNormal([256, 256]);
      bench(`matmul 256³, ${threads}`, () => tf.tidy(() => void tf.matMul(a, a).dataSync()));
      a.dispose();
    }
  console.log('| kernel, threads | median ms | min ms |\n| --- | ---: | ---: |');
  for (const [name, ts] of [...times.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const s = [...ts].sort((p, q) => p - q);
    console.log(`| ${name} | ${s[s.length >> 1].toFixed(3)} | ${s[0].toFixed(3)} |`);
  }
  console.log(`\n${new Date().toISOString()}; load average after: ${load()}`);
  process.exit(0);
}

interface Row {
  times: number[];
  calls: number;
}
/** backend → model → "kernel shapes" → times of every call. */
const table = new Map<string, Map<string, Row>>();
const stepTimes = new Map<string, number[]>();

for (let round = 0; round < Number(args.rounds); round++) {
  for (const backend of args.backends.split(',')) {
    await useBackend(backend);
    if (args.threads && backend === 'native') await native.configureNative({ threads: Number(args.threads) });
    for (const name of args.models.split(',') as (keyof typeof models)[]) {
      const { model, fit } = lenetFit(name);
      await fit(); // warm-up
      const t0 = performance.now();
      await fit();
      const key = `${name} ${backend}`;
      stepTimes.set(key, [...(stepTimes.get(key) ?? []), (performance.now() - t0) / STEPS]);
      const profile = await tf.profile(async () => {
        await fit();
      });
      const rows = table.get(key) ?? new Map<string, Row>();
      for (const k of profile.kernels) {
        const id = `${k.name} ${k.inputShapes.map((s) => `[${s}]`).join(' ')}`;
        const row = rows.get(id) ?? { times: [], calls: 0 };
        row.times.push(k.kernelTimeMs as number);
        row.calls++;
        rows.set(id, row);
      }
      table.set(key, rows);
      model.dispose?.();
    }
  }
}

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
for (const [key, rows] of table) {
  const steps = Number(args.rounds) * STEPS;
  const stats = [...rows.entries()].map(([id, r]) => {
    const s = sorted(r.times);
    const perStep = r.calls / steps;
    return { id, perStep, min: s[0] * perStep, med: s[s.length >> 1] * perStep };
  });
  stats.sort((a, b) => b.med - a.med);
  const sumMin = stats.reduce((t, s) => t + s.min, 0);
  const sumMed = stats.reduce((t, s) => t + s.med, 0);
  const step = sorted(stepTimes.get(key)!);
  console.log(
    `\n${key}: step ${step[0].toFixed(2)}–${step[step.length - 1].toFixed(2)} ms; kernels Σ median ${sumMed.toFixed(2)} ms, Σ min ${sumMin.toFixed(2)} ms; ${stats.reduce((t, s) => t + s.perStep, 0).toFixed(0)} calls a step`,
  );
  console.log('| kernel and input shapes | calls / step | ms / step (median) | ms / step (min) |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const s of stats.slice(0, Number(args.top)))
    console.log(`| ${s.id} | ${s.perStep.toFixed(1)} | ${s.med.toFixed(3)} | ${s.min.toFixed(3)} |`);
}
console.log(`\n${new Date().toISOString()}; load average after: ${load()}`);
