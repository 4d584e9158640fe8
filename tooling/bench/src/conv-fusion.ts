// A LeNet training step with Conv2D's fused convolution + bias + activation (one FusedConv2D kernel, @nutshell/conv)
// against the unfused layer (Conv2D, then a broadcast Add and a Relu), on one backend, rounds interleaved in one
// process: W3 (LeNet 5×5×8 / 5×5×16, batch 64) and the main job's network (5×5×16 / 5×5×32, batch 32), Adam 1e-3.
//
//   pnpm --filter @nutshell/bench exec tsx src/conv-fusion.ts [--backend native] [--workloads W3,main] [--steps 40]
//     [--rounds 3]
//
// "unfused" patches the layer's fused path away (Conv2D.prototype.convolveFused returns undefined), so the only
// difference is the fusion. Per step: wall and this process's CPU time (fit of `steps` batches minus a fit of 2,
// over steps − 2), medians over rounds and the median of the per-round ratios; then each variant's kernels from one
// profiled fit, as the minimum per call (the figure least disturbed by other jobs) times calls per step.
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    backend: { type: 'string', default: 'native' },
    workloads: { type: 'string', default: 'W3,main' },
    steps: { type: 'string', default: '40' },
    rounds: { type: 'string', default: '3' },
  },
});
const STEPS = Number(args.steps);
const ROUNDS = Number(args.rounds);

const { tf, useBackend } = await import('@nutshell/backend');
await import('@nutshell/backend-wasm');
if (args.backend === 'native' || args.backend === 'auto') await import('@nutshell/backend-native');
tf.enableProdMode();
const selection = await useBackend(args.backend);
const { loadMnist, ArrayDataset } = await import('@nutshell/datasets');
const { Conv2D, lenet } = await import('@nutshell/conv');
const { Trainer, categoricalCrossentropy, getOptimizer } = await import('@nutshell/train');

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
console.log(`backend ${selection.name}; ${new Date().toISOString()}; load average ${load()}`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// The layer's fused path, and a stand-in that declines every call (the layer then composes conv, add, activation).
const proto = Conv2D.prototype as unknown as { convolveFused: (...a: unknown[]) => unknown };
const fusedPath = proto.convolveFused;
const setVariant = (v: string) => {
  proto.convolveFused = v === 'fused' ? fusedPath : () => undefined;
};
const variants = ['fused', 'unfused'];

for (const w of args.workloads.split(',')) {
  const [filters, batch] = w === 'main' ? ([[16, 32], 32] as const) : ([[8, 16], 64] as const);
  const model = lenet({
    inputShape: [28, 28, 1],
    numClasses: 10,
    filters: [...filters],
    kernelSize: 5,
    seed: 1,
  });
  const trainer = new Trainer(model, {
    loss: categoricalCrossentropy({ fromLogits: true }),
    optimizer: getOptimizer('adam', { learningRate: 1e-3 }),
    metrics: ['accuracy'],
    seed: 1,
  });
  const data = (n: number) =>
    new ArrayDataset(loadMnist({ split: 'train', limit: batch * n }), { target: 'oneHot' });
  const source = data(STEPS);
  const short = data(2);
  const fit = (s: typeof source) =>
    trainer.fit(s, { epochs: 1, batchSize: batch, shuffle: true, seed: 1, checkData: false });
  const time = async (s: typeof source) => {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    await fit(s);
    const c = process.cpuUsage(c0);
    return { wall: performance.now() - t0, cpu: (c.user + c.system) / 1000 };
  };
  for (const v of variants) {
    setVariant(v);
    await fit(source); // warm-up of each variant's kernels and sessions
  }
  const before = tf.memory().numTensors;
  const per = new Map(variants.map((v) => [v, { wall: [] as number[], cpu: [] as number[] }]));
  for (let r = 0; r < ROUNDS; r++)
    for (const v of variants) {
      setVariant(v);
      const long = await time(source);
      const s = await time(short);
      per.get(v)!.wall.push((long.wall - s.wall) / (STEPS - 2));
      per.get(v)!.cpu.push((long.cpu - s.cpu) / (STEPS - 2));
    }
  const leaked = tf.memory().numTensors - before;
  const f = per.get('fused')!;
  const u = per.get('unfused')!;
  const ratio = (a: number[], b: number[]) => median(a.map((x, i) => b[i] / x));
  console.log(
    `\n${w} (batch ${batch}) on ${selection.name}, ms a step (median of ${ROUNDS} rounds), load ${load()}, tensors leaked ${leaked}`,
  );
  console.log('| variant | wall | CPU |');
  console.log('| --- | ---: | ---: |');
  for (const v of variants) {
    const t = per.get(v)!;
    console.log(`| ${v} | ${median(t.wall).toFixed(2)} | ${median(t.cpu).toFixed(2)} |`);
  }
  console.log(
    `unfused ÷ fused, median of per-round ratios: wall ${ratio(f.wall, u.wall).toFixed(2)}×, CPU ${ratio(f.cpu, u.cpu).toFixed(2)}×`,
  );

  const kernels = new Map<string, Map<string, { min: number; calls: number }>>();
  for (const v of variants) {
    setVariant(v);
    const profile = await tf.profile(async () => {
      await fit(source);
    });
    const byKernel = new Map<string, { min: number; calls: number }>();
    for (const k of profile.kernels) {
      const key = `${k.name} ${JSON.stringify(k.inputShapes[0])}`;
      const e = byKernel.get(key) ?? { min: Infinity, calls: 0 };
      e.min = Math.min(e.min, k.kernelTimeMs as number);
      e.calls += 1;
      byKernel.set(key, e);
    }
    kernels.set(v, byKernel);
  }
  const names = [...new Set(variants.flatMap((v) => [...kernels.get(v)!.keys()]))];
  const cost = (v: string, n: string) => {
    const e = kernels.get(v)!.get(n);
    return e ? (e.min * e.calls) / STEPS : 0;
  };
  names.sort(
    (a, b) => Math.max(cost('fused', b), cost('unfused', b)) - Math.max(cost('fused', a), cost('unfused', a)),
  );
  console.log('| kernel (first input shape), ms a step = min per call × calls | fused | unfused |');
  console.log('| --- | ---: | ---: |');
  for (const n of names.slice(0, Number(process.env.ROWS ?? 14)))
    console.log(`| ${n} | ${cost('fused', n).toFixed(3)} | ${cost('unfused', n).toFixed(3)} |`);
  const total = (v: string) => names.reduce((s, n) => s + cost(v, n), 0);
  console.log(`| all kernels | ${total('fused').toFixed(3)} | ${total('unfused').toFixed(3)} |`);
}
setVariant('fused');
