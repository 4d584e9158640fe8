// conv2d forward + backward on cpu and wasm: every algorithm and 'auto', kernel sizes × image sizes, in one run.
//
//   pnpm --filter @nutshell/bench bench:conv [--backends cpu,wasm] [--kernels 3,5,7,11,15] [--sizes 28,64,128]
//                                            [--batch 1] [--in 3] [--out 8] [--budget-ms 400] [--json file]
//
// Problem: x [batch, size, size, in] * w [k, k, in, out], stride 1, 'same' padding; one timed run is the forward
// pass plus the gradients of sum(y · r) with respect to x and w, ended by reading both gradients. Each algorithm
// is run once to warm up, then repeated in a block of its own until --budget-ms has passed and at least
// 3 runs are in (a run slower than 3 s is timed once: its warm-up). The figure is the median. 'auto' is timed after it has
// tuned (its one-off tuning time is reported on its own). Batch and channels are small so that the whole sweep
// takes minutes on 2 cores: cpu's own conv backprop is slow (see the README).
import { writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { autotuneDecisions, clearAutotuneCache, conv2d, setAutotuneOptions, type ConvAlgorithm } from '@nutshell/conv';
import { Rng, tf, useBackend, type Tensor } from '@nutshell/tensor';

const { values: args } = parseArgs({
  options: {
    backends: { type: 'string', default: 'cpu,wasm' },
    kernels: { type: 'string', default: '3,5,7,11,15' },
    sizes: { type: 'string', default: '28,64,128' },
    batch: { type: 'string', default: '1' },
    in: { type: 'string', default: '3' },
    out: { type: 'string', default: '8' },
    'budget-ms': { type: 'string', default: '400' },
    json: { type: 'string' },
  },
});
const list = (s: string) => s.split(',').map(Number);
const BATCH = Number(args.batch);
const CIN = Number(args.in);
const COUT = Number(args.out);
const BUDGET = Number(args['budget-ms']);
const ALGORITHMS: ConvAlgorithm[] = ['direct', 'im2col', 'fft', 'winograd', 'auto'];

function randomTensor(shape: number[], seed: number): Tensor {
  const rng = new Rng(seed);
  const v = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < v.length; i++) v[i] = rng.nextFloat() * 2 - 1;
  return tf.tensor(v, shape);
}

interface Row {
  backend: string;
  size: number;
  kernel: number;
  ms: Partial<Record<ConvAlgorithm, number>>;
  runs: Partial<Record<ConvAlgorithm, number>>;
  autoChoice?: string;
  autoTuneMs?: number;
  maxRelDiff: number;
}

async function runOnce(x: Tensor, w: Tensor, r: Tensor, algorithm: ConvAlgorithm): Promise<{ ms: number; grads: Float32Array[] }> {
  const t0 = performance.now();
  const grads = tf.grads((a: Tensor, b: Tensor) => tf.sum(tf.mul(conv2d(a, b, { padding: 'same', algorithm }), r)))([x, w]);
  const data = (await Promise.all(grads.map((g) => g.data()))) as Float32Array[];
  const ms = performance.now() - t0;
  tf.dispose(grads);
  return { ms, grads: data };
}

function relDiff(a: Float32Array, b: Float32Array): number {
  let d = 0;
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    d = Math.max(d, Math.abs(a[i] - b[i]));
    s = Math.max(s, Math.abs(b[i]));
  }
  return d / Math.max(s, 1e-12);
}

async function sweep(backend: string): Promise<Row[]> {
  await useBackend(backend);
  clearAutotuneCache();
  const rows: Row[] = [];
  for (const size of list(args.sizes!)) {
    for (const kernel of list(args.kernels!)) {
      const x = randomTensor([BATCH, size, size, CIN], 1);
      const w = randomTensor([kernel, kernel, CIN, COUT], 2);
      const r = randomTensor([BATCH, size, size, COUT], 3);
      const algs = ALGORITHMS.filter((a) => a !== 'winograd' || kernel === 3);
      const samples = new Map<ConvAlgorithm, number[]>(algs.map((a) => [a, []]));
      const row: Row = { backend, size, kernel, ms: {}, runs: {}, maxRelDiff: 0 };
      let reference: Float32Array[] | undefined;
      const slow = new Set<ConvAlgorithm>();
      for (const a of algs) {
        // Warm-up (for 'auto' this is where it measures the candidates and caches its choice).
        const warm = await runOnce(x, w, r, a);
        if (a === 'auto') {
          row.autoTuneMs = warm.ms;
          row.autoChoice = autotuneDecisions().at(-1)?.algorithm;
        }
        if (!reference) reference = warm.grads;
        else row.maxRelDiff = Math.max(row.maxRelDiff, relDiff(warm.grads[0], reference[0]), relDiff(warm.grads[1], reference[1]));
        if (warm.ms > 3000 && a !== 'auto') {
          slow.add(a);
          samples.get(a)!.push(warm.ms);
        }
      }
      if (row.autoChoice && slow.has(row.autoChoice as ConvAlgorithm)) {
        // 'auto' settled on a many-second algorithm: time its steady state once, like the others.
        samples.get('auto')!.push((await runOnce(x, w, r, 'auto')).ms);
        slow.add('auto');
      }
      // Each algorithm is timed in its own block of consecutive runs, so that every run pays for its own garbage
      // and not for the previous algorithm's (interleaving made whichever ran after im2col look slow).
      for (const a of algs) {
        if (slow.has(a)) continue;
        (globalThis as { gc?: () => void }).gc?.(); // with --expose-gc (bench:conv passes it): start each block clean
        const start = performance.now();
        while (samples.get(a)!.length < 3 || (performance.now() - start < BUDGET && samples.get(a)!.length < 50)) {
          samples.get(a)!.push((await runOnce(x, w, r, a)).ms);
        }
      }
      for (const [a, s] of samples) {
        const sorted = [...s].sort((p, q) => p - q);
        row.ms[a] = sorted[Math.floor((sorted.length - 1) / 2)];
        row.runs[a] = s.length;
      }
      tf.dispose([x, w, r]);
      rows.push(row);
      const fmt = (a: ConvAlgorithm) => (row.ms[a] === undefined ? '—' : row.ms[a]!.toFixed(1));
      console.log(
        `${backend.padEnd(5)} ${String(size).padStart(3)}² k${String(kernel).padEnd(2)} ` +
          algs.map((a) => `${a} ${fmt(a)}`).join('  ') +
          `  (auto chose ${row.autoChoice}; agreement ${row.maxRelDiff.toExponential(1)}; load ${loadavg()[0].toFixed(1)})`,
      );
    }
  }
  return rows;
}

function markdown(rows: Row[]): string {
  const head = '| backend | image | kernel | direct | im2col | fft | winograd | auto (choice) | fastest |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |';
  const lines = rows.map((r) => {
    const f = (a: ConvAlgorithm) => (r.ms[a] === undefined ? '—' : r.ms[a]!.toFixed(1));
    const concrete = (['direct', 'im2col', 'fft', 'winograd'] as ConvAlgorithm[]).filter((a) => r.ms[a] !== undefined);
    const fastest = concrete.reduce((b, a) => (r.ms[a]! < r.ms[b]! ? a : b));
    return `| ${r.backend} | ${r.size}² | ${r.kernel}×${r.kernel} | ${f('direct')} | ${f('im2col')} | ${f('fft')} | ${f('winograd')} | ${f('auto')} (${r.autoChoice}) | ${fastest} |`;
  });
  return [head, ...lines].join('\n');
}

const load0 = loadavg()[0];
const t0 = performance.now();
setAutotuneOptions({ mode: 'training' });
const rows: Row[] = [];
for (const backend of args.backends!.split(',')) {
  if (backend === 'wasm') await import('@nutshell/backend-wasm');
  rows.push(...(await sweep(backend)));
}
console.log(`\nconv2d forward + backward, x [${BATCH}, n, n, ${CIN}] * w [k, k, ${CIN}, ${COUT}], 'same', median ms`);
console.log(`load average ${load0.toFixed(1)} at start, ${loadavg()[0].toFixed(1)} at end; ${((performance.now() - t0) / 1000).toFixed(0)} s in all\n`);
console.log(markdown(rows));
if (args.json) await writeFile(args.json, JSON.stringify({ batch: BATCH, in: CIN, out: COUT, rows }, null, 2) + '\n');
