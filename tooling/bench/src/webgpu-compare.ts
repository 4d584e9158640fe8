// matmul and conv2d forward + backward, and one LeNet training step, on 'webgpu' vs 'wasm' vs 'cpu', in one run.
//
//   pnpm --filter @nutshell/bench bench:webgpu [--reps 5] [--cpu-reps 1] [--size 256] [--batch 32] [--dawn vulkan|opengles]
//
// Every backend gets the same seeded inputs; each result is compared with the CPU's (max |difference|), so the
// table shows agreement as well as time. Every timed repetition ends with an asynchronous read, which waits
// for the GPU to finish. The WebGPU adapter is named: on a software adapter (lavapipe, llvmpipe, SwiftShader)
// the GPU is emulated on the CPU, so this run proves correctness, not speed.
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { tf, useBackend } from '@nutshell/backend';
import { wasmBackend } from '@nutshell/backend-wasm';
import { createWebgpuBackend } from '@nutshell/backend-webgpu';
import type { DawnBackend } from '@nutshell/backend-webgpu';
import { Rng } from '@nutshell/tensor';
import type { Tensor, Variable } from '@tensorflow/tfjs-core';

const { values: args } = parseArgs({
  options: {
    reps: { type: 'string', default: '5' },
    // The plain-JavaScript CPU backend takes seconds per convolution backward pass: one timed repetition.
    'cpu-reps': { type: 'string', default: '1' },
    size: { type: 'string', default: '256' },
    batch: { type: 'string', default: '32' },
    dawn: { type: 'string' },
  },
});
const REPS = Number(args.reps);
const CPU_REPS = Number(args['cpu-reps']);
const N = Number(args.size);
const BATCH = Number(args.batch);
const webgpu = createWebgpuBackend({ cpuForward: false, ...(args.dawn ? { dawnBackend: args.dawn as DawnBackend } : {}) });

function randomArray(size: number, seed: number, scale = 1): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: size }, () => (rng.nextFloat() * 2 - 1) * scale);
}

interface Workload {
  readonly name: string;
  /** Builds the inputs on the current backend; `run` computes and returns the tensor to compare and time. */
  setup(): { run(): Tensor; dispose(): void };
}

const matmul: Workload = {
  name: `matmul ${N}×${N} forward + backward`,
  setup() {
    const a = tf.tensor2d(randomArray(N * N, 1), [N, N]);
    const b = tf.tensor2d(randomArray(N * N, 2), [N, N]);
    const f = tf.grads((x: Tensor, y: Tensor) => tf.sum(tf.square(tf.matMul(x as tf.Tensor2D, y as tf.Tensor2D))));
    return {
      run: () => tf.tidy(() => tf.concat(f([a, b]).map((g) => tf.reshape(g, [-1])))),
      dispose: () => tf.dispose([a, b]),
    };
  },
};

const conv: Workload = {
  name: `conv2d [${BATCH},28,28,8] * 3×3×8×16 same, forward + backward`,
  setup() {
    const x = tf.tensor4d(randomArray(BATCH * 28 * 28 * 8, 3), [BATCH, 28, 28, 8]);
    const w = tf.tensor4d(randomArray(3 * 3 * 8 * 16, 4, 0.2), [3, 3, 8, 16]);
    const f = tf.grads((xx: Tensor, ww: Tensor) => tf.sum(tf.square(tf.conv2d(xx as tf.Tensor4D, ww as tf.Tensor4D, 1, 'same'))));
    return {
      run: () => tf.tidy(() => tf.concat(f([x, w]).map((g) => tf.reshape(g, [-1])))),
      dispose: () => tf.dispose([x, w]),
    };
  },
};

const LENET: Record<string, number[]> = {
  conv1: [5, 5, 1, 8],
  bias1: [8],
  conv2: [5, 5, 8, 16],
  bias2: [16],
  dense: [256, 10],
  biasD: [10],
};

const lenetStep: Workload = {
  name: `LeNet training step, batch ${BATCH} (forward + backward + SGD)`,
  setup() {
    const w: Record<string, Variable> = {};
    let seed = 10;
    for (const [name, shape] of Object.entries(LENET)) {
      const size = shape.reduce((p, q) => p * q, 1);
      w[name] = tf.variable(tf.tensor(shape.length > 1 ? randomArray(size, seed++, 0.2) : new Float32Array(size), shape));
    }
    const x = tf.tensor4d(randomArray(BATCH * 784, 5).map(Math.abs), [BATCH, 28, 28, 1]);
    const labels = new Float32Array(BATCH * 10);
    for (let i = 0; i < BATCH; i++) labels[i * 10 + (i % 10)] = 1;
    const y = tf.tensor2d(labels, [BATCH, 10]);
    const optimizer = tf.train.sgd(0.05);
    const net = () => {
      let h = tf.relu(tf.add(tf.conv2d(x, w.conv1 as tf.Tensor4D, 1, 'valid'), w.bias1));
      h = tf.maxPool(h as tf.Tensor4D, 2, 2, 'valid');
      h = tf.relu(tf.add(tf.conv2d(h as tf.Tensor4D, w.conv2 as tf.Tensor4D, 1, 'valid'), w.bias2));
      h = tf.maxPool(h as tf.Tensor4D, 2, 2, 'valid');
      return tf.add(tf.matMul(tf.reshape(h, [BATCH, -1]), w.dense as tf.Tensor2D), w.biasD);
    };
    return {
      // The loss of the step; the weights move, so repetitions differ, and only the first is compared.
      run: () => optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, net()) as tf.Scalar, true)!,
      dispose: () => {
        optimizer.dispose();
        tf.dispose([x, y, ...Object.values(w)]);
      },
    };
  },
};

interface Measured {
  ms: number;
  first: Float32Array;
}

async function measure(backend: string | typeof webgpu, work: Workload): Promise<Measured> {
  await useBackend(backend);
  const { run, dispose } = work.setup();
  const once = async () => {
    const t = run();
    const values = (await t.data()) as Float32Array;
    t.dispose();
    return values;
  };
  const first = await once(); // also the warm-up: shader compilation, kernel setup
  const reps = tf.getBackend() === 'cpu' ? CPU_REPS : REPS;
  const before = tf.memory().numTensors;
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) await once();
  const ms = (performance.now() - t0) / reps;
  if (tf.memory().numTensors !== before) throw new Error(`${work.name} on ${tf.getBackend()} leaks tensors`);
  dispose();
  return { ms, first };
}

function maxDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]) / (1 + Math.abs(b[i])));
  return m;
}

const loadBefore = loadavg().map((l) => l.toFixed(2)).join(' ');
const probe = await webgpu.probe();
const backends: (string | typeof webgpu)[] = ['cpu'];
if ((await wasmBackend.probe()).usable) backends.push('wasm');
if (probe.usable) backends.push(webgpu);
const nameOf = (b: string | typeof webgpu) => (typeof b === 'string' ? b : b.name);

const rows: Record<string, string>[] = [];
for (const work of [matmul, conv, lenetStep]) {
  const results = new Map<string, Measured>();
  for (const b of backends) results.set(nameOf(b), await measure(b, work));
  const cpu = results.get('cpu')!;
  for (const [name, r] of results) {
    rows.push({
      workload: work.name,
      backend: name,
      'ms/rep': r.ms.toFixed(1),
      'vs cpu (speed)': `${(cpu.ms / r.ms).toFixed(2)}×`,
      'max rel. diff vs cpu': name === 'cpu' ? '—' : maxDiff(r.first, cpu.first).toExponential(1),
    });
  }
}
await useBackend('cpu');

console.log(
  `webgpu vs wasm vs cpu: ${REPS} timed repetitions (cpu: ${CPU_REPS}) after one warm-up each; load average before: ${loadBefore}`,
);
if (probe.usable) {
  const adapter = webgpu.adapterInfo()!;
  console.log(`webgpu adapter: ${webgpu.info().device}`);
  if (adapter.isSoftware) {
    console.log(
      'NOTE: this is a software adapter (the GPU is emulated on the CPU). These figures prove that WebGPU computes the ' +
        'same results as the CPU; they say nothing about WebGPU speed on a real GPU.',
    );
  }
} else {
  console.log(`webgpu: not measured: ${probe.reason} Fix: ${probe.fix}`);
}
console.log(`wasm: ${backends.includes('wasm') ? wasmBackend.info().device : 'not usable'}`);
console.table(rows);
console.log(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
const worst = Math.max(...rows.filter((r) => r['max rel. diff vs cpu'] !== '—').map((r) => Number(r['max rel. diff vs cpu'])));
if (worst > 1e-3) {
  console.error(`A backend disagrees with the CPU (max relative difference ${worst.toExponential(1)}).`);
  process.exitCode = 1;
}
