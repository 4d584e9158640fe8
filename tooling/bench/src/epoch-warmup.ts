// Where one measured epoch's time goes (issue 12's train-child.ts epoch), from batch-end timestamps: the fit's set-up
// before its first batch (the data check, the loss-value check), the first steps (warm-up: ONNX Runtime sessions
// created, operators and caches warmed), and the steady steps. Each round is a fresh child process, as in
// train-peers.ts, since warm-up is paid once per process; backends are interleaved round by round.
//
//   pnpm --filter @nutshell/bench exec tsx src/epoch-warmup.ts [--backends auto,wasm,auto+NAME=value] [--workload W3] [--rounds 3]
//     [--first 10] [--root <checkout>]
//
// "warm-up excess" = (main-thread CPU of the first `--first` steps) − `--first` × (median of the later steps): what the
// first steps cost beyond steady ones. The main thread's CPU time (Linux /proc/thread-self/schedstat; on this VM it
// advances in scheduler ticks, so only sums over many steps mean much) moves less with other processes' load than
// wall time; "all threads" adds V8's compiler and GC threads and ONNX Runtime's pool (EPOCH_THREADS=1 prints each
// thread's CPU in the epoch to stderr). Page faults are minor faults (first touches of memory): 18–27 µs each on this
// 2-core VM (a 64 MB array touched page by page, 2026-12-06), so 1,000 of them cost about 20 ms.
// `auto+NAME=value` runs 'auto' with that environment variable set, e.g. `auto+NUTSHELL_NATIVE_THREADS=1`.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { BATCH, buildWorkload, loadTree, type Workload } from './nutshellWorkload.js';
import { THIS_TREE } from './tree.js';

const { values: args } = parseArgs({
  options: {
    backends: { type: 'string', default: 'auto,wasm' },
    workload: { type: 'string', default: 'W3' },
    rounds: { type: 'string', default: '3' },
    first: { type: 'string', default: '10' },
    root: { type: 'string', default: THIS_TREE },
    child: { type: 'string' },
  },
});
const workload = args.workload as Workload;
const FIRST = Number(args.first);

interface Timing {
  backend: string;
  /** fit() called → first batch started (data check, loss check, optimizer set-up), ms. */
  setupMs: number;
  /** Minor page faults (first touches of memory) during the set-up, and in each step. */
  setupFaults: number;
  stepFaults: number[];
  /** Each step's wall time, ms (batch end − previous batch end; the first from the first batch start). */
  stepsMs: number[];
  totalMs: number;
  /** The main thread's CPU time: in the epoch, in the set-up, in each step (ms; robust to other processes' load). */
  mainCpuMs: number;
  setupMainCpuMs: number;
  stepsMainCpuMs: number[];
  /** CPU time of the epoch (all threads), ms, and the page faults in it. */
  cpuMs: number;
  faults: number;
  sessions?: number;
}

/** CPU time of the calling (main) thread, ms: Linux's /proc/thread-self/schedstat (ns), else NaN. */
function mainThreadCpuMs(): number {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return NaN;
  }
}

/** CPU ms of each of this process's threads (Linux /proc), in thread-id order. */
function threadsCpu(): number[] {
  if (process.env.EPOCH_THREADS !== '1') return [];
  return readdirSync('/proc/self/task')
    .map(Number)
    .sort((a, b) => a - b)
    .map((id) => {
      const stat = readFileSync(`/proc/self/task/${id}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return (Number(f[11]) + Number(f[12])) * 10;
    });
}

async function child(backend: string): Promise<Timing> {
  const tree = await loadTree(args.root);
  const selection = await tree.backend.useBackend(backend);
  const limit = workload === 'W3' ? 10000 : undefined;
  const train = tree.datasets.loadMnist({ split: 'train', limit });
  const { trainer, dataset } = buildWorkload(tree, workload);
  const marks: number[] = [];
  const faults: number[] = [];
  const minorFaults = () => process.resourceUsage().minorPageFault;
  const cpuMarks: number[] = [];
  trainer.on('batchStart', () => {
    if (marks.length === 0) {
      marks.push(performance.now());
      faults.push(minorFaults());
      cpuMarks.push(mainThreadCpuMs());
    }
  });
  trainer.on('batchEnd', () => {
    marks.push(performance.now());
    faults.push(minorFaults());
    cpuMarks.push(mainThreadCpuMs());
  });
  const threads0 = threadsCpu();
  const faults0 = minorFaults();
  const cpu0 = process.cpuUsage();
  const main0 = mainThreadCpuMs();
  const start = performance.now();
  await trainer.fit(dataset(train), { epochs: 1, batchSize: BATCH, shuffle: true, seed: 1 });
  const totalMs = performance.now() - start;
  const cpu = process.cpuUsage(cpu0);
  if (process.env.EPOCH_THREADS === '1')
    console.error(
      `threads' CPU in the epoch, ms: ${threadsCpu()
        .map((ms, i) => ms - (threads0[i] ?? 0))
        .join(' ')}; user ${cpu.user / 1000} sys ${cpu.system / 1000}`,
    );

  const cpuMs = (cpu.user + cpu.system) / 1000;
  const extra = tree.backend.backendInfo().extra as { sessions?: number } | undefined;
  return {
    backend: selection.name,
    setupMs: marks[0] - start,
    stepsMs: marks.slice(1).map((t, i) => t - marks[i]),
    setupFaults: faults[0] - faults0,
    stepFaults: faults.slice(1).map((n, i) => n - faults[i]),
    totalMs,
    cpuMs,
    mainCpuMs: mainThreadCpuMs() - main0,
    setupMainCpuMs: cpuMarks[0] - main0,
    stepsMainCpuMs: cpuMarks.slice(1).map((t, i) => t - cpuMarks[i]),
    faults: minorFaults() - faults0,
    sessions: extra?.sessions,
  };
}

/** The first steps' main-thread CPU, a steady step's (median of the rest), and what the first cost beyond steady. */
function phases(t: Timing) {
  const steadyCpu = median(t.stepsMainCpuMs.slice(FIRST));
  const firstCpu = t.stepsMainCpuMs.slice(0, FIRST).reduce((a, x) => a + x, 0);
  return { steadyCpu, firstCpu, excessCpu: firstCpu - FIRST * steadyCpu };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const f = (x: number) => x.toFixed(1);

if (args.child) {
  console.log(`RESULT ${JSON.stringify(await child(args.child))}`);
} else {
  const backends = args.backends.split(',');
  const rows = new Map<string, Timing[]>(backends.map((b) => [b, []]));
  console.log(
    `${workload}, ${new Date().toISOString()}, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  for (let r = 0; r < Number(args.rounds); r++) {
    const order = backends.map((_, i) => backends[(i + r) % backends.length]);
    for (const b of order) {
      // `auto+NAME=value+...`: the backend 'auto' with those environment variables set (a variant to compare).
      const [backend, ...vars] = b.split('+');
      const env = { ...process.env, ...Object.fromEntries(vars.map((v) => v.split('=', 2))) };
      const run = spawnSync(
        process.execPath,
        [...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2), '--child', backend],
        { encoding: 'utf8', maxBuffer: 1 << 24, env },
      );
      const line = run.stdout.split('\n').find((l) => l.startsWith('RESULT '));
      if (!line) throw new Error(`child ${b} failed: ${run.stderr.slice(-2000)}`);
      const t = JSON.parse(line.slice(7)) as Timing;
      rows.get(b)!.push(t);
      const w = phases(t);
      console.log(
        `round ${r + 1} ${b} (${t.backend}): epoch ${f(t.totalMs)} ms wall, main thread ${f(t.mainCpuMs)} ms CPU ` +
          `(set-up ${f(t.setupMainCpuMs)}, first ${FIRST} steps ${f(w.firstCpu)}: ${t.stepsMainCpuMs.slice(0, FIRST).map(f).join(' ')}; ` +
          `steady ${w.steadyCpu.toFixed(2)} a step; warm-up excess ${f(w.excessCpu)}), all threads ${f(t.cpuMs)} ms; ` +
          `page faults ${t.faults} (set-up ${t.setupFaults}, first steps ${t.stepFaults.slice(0, FIRST).join(' ')}, ` +
          `later ${t.stepFaults.slice(FIRST).reduce((a, x) => a + x, 0)})${t.sessions !== undefined ? `; ${t.sessions} sessions` : ''}; ` +
          `load ${loadavg()[0].toFixed(2)}`,
      );
    }
  }
  console.log(
    '\n| backend | epoch wall ms | main-thread CPU ms | set-up CPU ms | first steps CPU ms | steady step CPU ms | warm-up excess CPU ms | all threads CPU ms | page faults |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const [b, ts] of rows) {
    const ps = ts.map(phases);
    const m = (pick: (t: Timing) => number) => median(ts.map(pick));
    const mp = (pick: (p: ReturnType<typeof phases>) => number) => median(ps.map(pick));
    console.log(
      `| ${b} | ${f(m((t) => t.totalMs))} | ${f(m((t) => t.mainCpuMs))} | ${f(m((t) => t.setupMainCpuMs))} | ` +
        `${f(mp((p) => p.firstCpu))} | ${mp((p) => p.steadyCpu).toFixed(2)} | ${f(mp((p) => p.excessCpu))} | ` +
        `${f(m((t) => t.cpuMs))} | ${m((t) => t.faults)} |`,
    );
  }
  console.log(
    `(medians over ${args.rounds} rounds; first = the first ${FIRST} steps; load average after ${loadavg()[0].toFixed(2)}, ${new Date().toISOString()})`,
  );
}
