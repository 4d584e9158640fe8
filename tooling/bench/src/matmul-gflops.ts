// Matrix product speed, GFLOP/s: Nutshell's wasm and native backends against numpy (OpenBLAS), in one run,
// interleaved over rounds (the order rotating from round to round; median of rounds per cell).
//
//   pnpm --filter @nutshell/bench exec tsx src/matmul-gflops.ts [--size 1024] [--rounds 3] [--python /usr/bin/python3]
//
// numpy runs with this machine's OpenBLAS cap lifted (OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset, the pthread
// OpenBLAS selected) and OPENBLAS_NUM_THREADS 1 and 2; native runs with 1 and 2 threads (a count set explicitly, so
// the load-adaptive rule does not apply). "CPU ÷ wall" is the process's CPU time over the timed loop divided by its
// wall time: near 2 when both threads computed throughout, near 1 when the second thread found no free core. The
// fastest single product (over all rounds) is what each reached while it had its cores to itself.
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { backendInfo, tf, useBackend } from '@nutshell/backend';
import '@nutshell/backend-wasm';
import { configureNative } from '@nutshell/backend-native';
import { machine, median, rotate, utcNow } from './runStats.js';

const { values: args } = parseArgs({
  options: {
    size: { type: 'string', default: '1024' },
    rounds: { type: 'string', default: '3' },
    python: { type: 'string', default: '/usr/bin/python3' },
  },
});
const N = Number(args.size);
const FLOP = 2 * N ** 3;
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

/** One cell's figure: GFLOP/s and CPU time ÷ wall time over the timed loop. */
interface Cell {
  readonly gflops: number;
  readonly cpuPerWall: number;
  /** The fastest single product's GFLOP/s: what the implementation reaches while it gets its cores to itself. */
  readonly best: number;
}

/** `threads`: a count set explicitly (used whatever the load); `'default'`: one per core, adaptive to the load. */
async function nutshell(backend: 'wasm' | 'native', threads?: number | 'default'): Promise<Cell> {
  await useBackend(backend);
  if (threads === 'default') await configureNative({});
  else if (threads) await configureNative({ threads });
  const a = tf.randomUniform([N, N]);
  const b = tf.randomUniform([N, N]);
  tf.matMul(a, b).dispose(); // warm-up: sessions and packed weights
  if (typeof threads === 'number' && backendInfo().extra?.threads !== threads)
    throw new Error(`native runs ${String(backendInfo().extra?.threads)} threads, not ${threads}`);
  let reps = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let fastest = Infinity;
  while (performance.now() - t0 < 1500 || reps < 3) {
    // wasm and native kernels are synchronous: the product is done when matMul returns (no read, as numpy's a @ b).
    const t = performance.now();
    tf.matMul(a, b).dispose();
    fastest = Math.min(fastest, performance.now() - t);
    reps++;
  }
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  tf.dispose([a, b]);
  return {
    gflops: FLOP / (wall / reps) / 1e9,
    cpuPerWall: (cpu.user + cpu.system) / 1e6 / wall,
    best: FLOP / (fastest / 1000) / 1e9,
  };
}

const NUMPY = `
import numpy as np, time
a = np.random.rand(${N}, ${N}).astype(np.float32); b = np.random.rand(${N}, ${N}).astype(np.float32)
a @ b
reps, t0, c0, fastest = 0, time.perf_counter(), time.process_time(), float('inf')
while time.perf_counter() - t0 < 1.5 or reps < 3:
    t = time.perf_counter(); a @ b; fastest = min(fastest, time.perf_counter() - t); reps += 1
wall = time.perf_counter() - t0
print(${FLOP} / (wall / reps) / 1e9, (time.process_time() - c0) / wall, ${FLOP} / fastest / 1e9)
`;

function numpy(threads: number): Cell | string {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LD_LIBRARY_PATH: '/usr/lib/x86_64-linux-gnu/openblas-pthread',
    OPENBLAS_NUM_THREADS: String(threads),
  };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const r = spawnSync(args.python, ['-c', NUMPY], { encoding: 'utf8', env });
  if (r.status !== 0 || r.error)
    return `skipped: ${(r.stderr || String(r.error)).trim().split('\n').slice(-1)[0]}`;
  const [gflops, cpuPerWall, best] = r.stdout.trim().split(' ').map(Number);
  return { gflops, cpuPerWall, best };
}

const cells: Record<string, () => Promise<Cell | string>> = {
  'wasm (1 thread)': () => nutshell('wasm'),
  'native, 1 thread': () => nutshell('native', 1),
  'native, 2 threads': () => nutshell('native', 2),
  // What a user gets: one thread per core, the second used only while the others' load leaves a core free.
  'native, default (adaptive)': () => nutshell('native', 'default'),
  'numpy/OpenBLAS, 1 thread': async () => numpy(1),
  'numpy/OpenBLAS, 2 threads': async () => numpy(2),
};
const results: Record<string, (Cell | string)[]> = {};
const started = utcNow();
const loads: string[] = [load()];
for (let r = 0; r < Number(args.rounds); r++) {
  for (const [name, run] of rotate(Object.entries(cells), r)) (results[name] ??= []).push(await run());
  loads.push(load());
}
const cellsOf = (name: string) => results[name].filter((v): v is Cell => typeof v !== 'string');
const value = (name: string) => {
  const nums = cellsOf(name).map((c) => c.gflops);
  return nums.length ? median(nums) : undefined;
};
const cpuPerWall = (name: string) => {
  const nums = cellsOf(name).map((c) => c.cpuPerWall);
  return nums.length ? median(nums).toFixed(2) : '';
};
const best = (name: string) => {
  const nums = cellsOf(name).map((c) => c.best);
  return nums.length ? Math.max(...nums).toFixed(0) : '';
};
console.log(
  `\n### Matmul ${N}×${N}×${N}, float32, ${started}; ${machine()}; median of ${args.rounds} interleaved rounds; load average by round: ${loads.join(' → ')}\n`,
);
// numpy's better configuration in this run: with 2 threads OpenBLAS spin-waits for a core, and on a loaded machine
// that can make it slower than 1 thread, so "same threads" alone would flatter native.
const numpyBest = Math.max(
  ...['numpy/OpenBLAS, 1 thread', 'numpy/OpenBLAS, 2 threads'].map((n) => value(n) ?? 0),
);
console.log(
  "| implementation | GFLOP/s | vs numpy, same threads | vs numpy's better | CPU ÷ wall | fastest product, GFLOP/s |",
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
for (const name of Object.keys(cells)) {
  const v = value(name);
  const peer = name.startsWith('native')
    ? value(`numpy/OpenBLAS, ${name.endsWith('1 thread') ? '1 thread' : '2 threads'}`)
    : undefined;
  const text = v === undefined ? String(results[name][0]) : v.toFixed(1);
  const pct = (p: number | undefined) =>
    v !== undefined && p && name.startsWith('native') ? `${((v / p) * 100).toFixed(0)}%` : '';
  console.log(
    `| ${name} | ${text} | ${pct(peer)} | ${pct(numpyBest)} | ${cpuPerWall(name)} | ${best(name)} |`,
  );
}
