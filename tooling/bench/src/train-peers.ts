// Training speed side by side in one run (issue 12): Nutshell on each backend, Nutshell at a baseline commit,
// stock tfjs-layers, ConvNetJS and PyTorch, on the same three workloads, interleaved over rounds, medians.
//
//   pnpm --filter @nutshell/bench bench:train [--rounds 3] [--workloads W1,W2,W3]
//        [--peers native,wasm,cpu,baseline,tfjs-layers,convnetjs,torch-1t,torch-2t]
//        [--baseline /tmp/nutshell-baseline] [--limit n] [--limits cpu:W2=6400,cpu:W3=640] [--json out.json]
//
//   W1 softmax regression 784→10, SGD 0.1
//   W2 MLP 784-128-10 ReLU, Adam 1e-3
//   W3 LeNet (conv 5×5×8 ReLU, max-pool 2, conv 5×5×16 ReLU, max-pool 2, dense 10), Adam 1e-3, first 10,000 images
//
// Every (peer, workload, round) is its own child process (train-child.ts, convnetjs-train.ts, train_torch.py), so
// that its peak RSS is its own and one run's memory or caches cannot help the next. Figures: samples/s over the
// epoch (data loading excluded), the child's peak RSS, accuracy on the 10,000 MNIST test images. Each round runs
// every workload over every peer, the peers' order rotated from round to round, so that a burst of load from other
// jobs hits every peer alike; each cell is the median over rounds, and each ratio is printed with the range of
// its per-round ratios.
//
// Peers: `native` is Nutshell's 'auto' in Node (native where @nutshell/backend-native's probe passes),
// `native-named` (not in the default list) names native instead, `wasm` and `cpu` name the backend; `baseline` is
// Nutshell's 'auto' in another checkout (`--baseline`, e.g. a clone at commit 315b921 built with its own setup),
// skipped with the reason when that folder is not a built checkout;
// `tfjs-layers` is stock tfjs-layers on stock @tensorflow/tfjs-backend-wasm (no Nutshell kernels); `convnetjs` is
// ConvNetJS 0.3.0; `torch-Nt` is PyTorch with N threads (Debian's python3-torch with the pthread OpenBLAS,
// OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE unset: this machine's environment caps OpenBLAS at AVX2), skipped with the
// reason without Python or torch. `--limits peer:W=n,...` trains a peer on the first n images of a workload only
// (samples/s stays comparable, accuracy does not; the tables say "first n"): by default `cpu` on W2 and W3, since
// the JavaScript backend takes minutes for W2's epoch and hours for W3's.
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { ChildResult } from './train-child.js';
import type { Workload } from './nutshellWorkload.js';
import { fmtInt, fmtRange, fmtRatio, loadAverage, machine, median, rotate, utcNow } from './runStats.js';
import { mnistDir, packageDir, THIS_TREE } from './tree.js';

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    workloads: { type: 'string', default: 'W1,W2,W3' },
    peers: { type: 'string', default: 'native,wasm,cpu,baseline,tfjs-layers,convnetjs,torch-1t,torch-2t' },
    baseline: { type: 'string', default: '/tmp/nutshell-baseline' },
    limit: { type: 'string' },
    limits: { type: 'string', default: 'cpu:W2=6400,cpu:W3=640' },
    python: { type: 'string', default: '/usr/bin/python3' },
    'timeout-s': { type: 'string', default: '1500' },
    json: { type: 'string' },
  },
});

interface Peer {
  id: string;
  label: string;
  /** The command line of one run, or why this peer cannot run here. */
  command: (w: Workload) => { file: string; argv: string[]; env?: NodeJS.ProcessEnv } | string;
  nutshell?: boolean;
}

interface Run extends Partial<ChildResult> {
  /** samples ÷ cpuSeconds: the epoch's speed per CPU-second the child got, which other jobs' load moves less. */
  samplesPerCpuSec?: number;
  error?: string;
  round: number;
}

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const node = (script: string, argv: string[]) => ({
  file: process.execPath,
  argv: [...process.execArgv, here(script), ...argv],
});
const globalLimit = args.limit ? Number(args.limit) : undefined;
const peerLimits = new Map(
  args.limits
    .split(',')
    .filter(Boolean)
    .map((spec) => {
      const m = /^([\w-]+):(W[123])=(\d+)$/.exec(spec);
      if (!m) throw new Error(`--limits: expected peer:W1=n, got ${spec}`);
      return [`${m[1]} ${m[2]}`, Number(m[3])] as const;
    }),
);
const FULL: Record<Workload, number> = { W1: 60000, W2: 60000, W3: 10000 };
const limitOf = (id: string, w: Workload) =>
  Math.min(globalLimit ?? Infinity, peerLimits.get(`${id} ${w}`) ?? Infinity, FULL[w]);
const limitArgs = (id: string, w: Workload) => {
  const n = limitOf(id, w);
  return n < FULL[w] ? ['--limit', String(n)] : [];
};

/** Why `dir` cannot serve as the baseline checkout, or undefined when it can. */
function baselineMissing(dir: string): string | undefined {
  if (!existsSync(dir)) return `skipped: ${dir} does not exist (clone the baseline there, see README)`;
  for (const pkg of ['@nutshell/backend', '@nutshell/train', '@nutshell/conv', '@nutshell/datasets']) {
    const at = packageDir(dir, pkg);
    if (!at || !existsSync(join(at, 'dist', 'index.js')))
      return `skipped: ${pkg} is not installed and built in ${dir} (run its setup)`;
  }
  return undefined;
}

/** The baseline checkout's commit, for its label. */
function commitOf(dir: string): string {
  const r = spawnSync('git', ['-C', dir, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : '?';
}

/** Whether PyTorch can run here, and if not, why (its rows say so instead of a figure). */
function torchMissing(): string | undefined {
  const r = spawnSync(args.python, ['-c', 'import torch'], { encoding: 'utf8' });
  if (r.error) return `skipped: ${args.python} not found`;
  if (r.status !== 0)
    return `skipped: ${args.python} has no torch (apt-get install python3-torch libopenblas0-pthread)`;
  return undefined;
}

function peers(): Peer[] {
  const noBaseline = baselineMissing(args.baseline);
  const noTorch = torchMissing();
  const nutshell = (
    id: string,
    label: string,
    backend: string,
    root = THIS_TREE,
    env?: NodeJS.ProcessEnv,
  ): Peer => {
    const peer: Peer = {
      id,
      label,
      nutshell: true,
      command: (w) => ({
        ...node('./train-child.ts', [
          '--impl',
          'nutshell',
          '--root',
          root,
          '--backend',
          backend,
          '--workload',
          w,
          ...limitArgs(id, w),
        ]),
        env: env && { ...process.env, ...env },
      }),
    };
    return peer;
  };
  const torch = (threads: number): Peer => {
    const peer: Peer = {
      id: `torch-${threads}t`,
      label: `PyTorch, ${threads} thread${threads > 1 ? 's' : ''}`,
      command: (w) => {
        if (noTorch) return noTorch;
        const env: NodeJS.ProcessEnv = {
          ...process.env,
          LD_LIBRARY_PATH: '/usr/lib/x86_64-linux-gnu/openblas-pthread',
        };
        delete env.OPENBLAS_CORETYPE;
        delete env.OPENBLAS_L2_SIZE;
        const argv = [here('./train_torch.py'), '--workload', w, '--threads', String(threads)];
        argv.push('--data', mnistDir(), ...limitArgs(peer.id, w));
        return { file: args.python, argv, env };
      },
    };
    return peer;
  };
  const all: Peer[] = [
    nutshell('native', "Nutshell 'auto' (this tree)", 'auto'),
    // 'auto' probes the installed backends that could win here before it picks (WebGPU's Dawn only where a GPU
    // could exist); naming native shows what selection costs in RSS.
    nutshell('native-named', 'Nutshell native (named)', 'native'),
    // Native on one thread (not in the default list): what the second thread is worth in the same run.
    nutshell('native-1t', "Nutshell 'auto', NUTSHELL_NATIVE_THREADS=1", 'auto', THIS_TREE, {
      NUTSHELL_NATIVE_THREADS: '1',
    }),
    nutshell('wasm', 'Nutshell wasm', 'wasm'),
    nutshell('cpu', 'Nutshell cpu', 'cpu'),
    noBaseline
      ? { id: 'baseline', label: 'Nutshell baseline', command: () => noBaseline, nutshell: true }
      : nutshell('baseline', `Nutshell ${commitOf(args.baseline)} 'auto'`, 'auto', args.baseline),
    {
      id: 'tfjs-layers',
      label: 'tfjs-layers 4.22, stock wasm',
      command: (w) =>
        node('./train-child.ts', [
          '--impl',
          'tfjs-layers',
          '--backend',
          'wasm',
          '--workload',
          w,
          ...limitArgs('tfjs-layers', w),
        ]),
    },
    {
      id: 'convnetjs',
      label: 'ConvNetJS 0.3.0',
      command: (w) => node('./convnetjs-train.ts', ['--workload', w, ...limitArgs('convnetjs', w)]),
    },
    torch(1),
    torch(2),
  ];
  const wanted = args.peers.split(',');
  for (const id of wanted)
    if (!all.some((p) => p.id === id))
      throw new Error(`unknown peer ${id} (known: ${all.map((p) => p.id).join(', ')})`);
  return all.filter((p) => wanted.includes(p.id));
}

/** One run in its own process: its RESULT line, or the first line that says why it failed. */
function runOnce(peer: Peer, w: Workload, round: number): Run {
  const cmd = peer.command(w);
  if (typeof cmd === 'string') return { round, error: cmd };
  const env = { ...(cmd.env ?? process.env) };
  delete env.NUTSHELL_BACKEND; // 'auto' must mean 'auto'
  const r = spawnSync(cmd.file, cmd.argv, {
    encoding: 'utf8',
    env,
    maxBuffer: 64 << 20,
    timeout: Number(args['timeout-s']) * 1000,
  });
  const lines = `${r.stdout ?? ''}\n${r.stderr ?? ''}`.split('\n');
  const result = lines.find((l) => l.startsWith('RESULT '));
  if (result) {
    const res = JSON.parse(result.slice(7)) as ChildResult;
    return { round, ...res, samplesPerCpuSec: res.cpuSeconds > 0 ? res.samples / res.cpuSeconds : undefined };
  }
  if (r.error) return { round, error: `${r.error.message}` };
  const why =
    lines.find((l) => l.startsWith('ERROR '))?.slice(6) ??
    lines.find((l) => /^\w*Error\b/.test(l)) ??
    `exit ${r.status}${r.signal ? ` (${r.signal})` : ''}`;
  return { round, error: why.slice(0, 200) };
}

const workloads = args.workloads.split(',') as Workload[];
const list = peers();
const rounds = Number(args.rounds);
const runs = new Map<string, Run[]>(); // `${peer} ${workload}` → one run per round
const loads: string[] = [];
const started = utcNow();
loads.push(loadAverage());
for (let round = 0; round < rounds; round++) {
  for (const [wi, w] of workloads.entries()) {
    for (const peer of rotate(list, round + wi)) {
      process.stderr.write(`[${round + 1}/${rounds}] ${w} ${peer.id} ... `);
      const run = runOnce(peer, w, round);
      const key = `${peer.id} ${w}`;
      runs.set(key, [...(runs.get(key) ?? []), run]);
      process.stderr.write(
        run.error
          ? `${run.error}\n`
          : `${fmtInt(run.samplesPerSec!)} samples/s, ${Math.round(run.peakRssMB!)} MB, ${((run.testAccuracy ?? 0) * 100).toFixed(2)}% (${run.backend})\n`,
      );
    }
  }
  loads.push(loadAverage());
  process.stderr.write(`round ${round + 1} done, load average ${loads.at(-1)}\n`);
}

const ok = (id: string, w: Workload) => (runs.get(`${id} ${w}`) ?? []).filter((r) => !r.error);
type Field = 'samplesPerSec' | 'samplesPerCpuSec' | 'peakRssMB' | 'testAccuracy';
const med = (id: string, w: Workload, field: Field) => median(ok(id, w).map((r) => r[field]!));
const firstError = (id: string, w: Workload) => (runs.get(`${id} ${w}`) ?? []).find((r) => r.error)?.error;
const backendOf = (id: string, w: Workload) => ok(id, w)[0]?.backend;

console.log(
  `\n### Training, ${started} → ${utcNow()}; ${machine()}; load average by round: ${loads.join(' → ')}; ${rounds} round(s), median\n`,
);
const header = `| peer | ${workloads.join(' | ')} |`;
const rule = `| --- | ${workloads.map(() => '---:').join(' | ')} |`;
const cell = (id: string, w: Workload, show: (v: number) => string, field: Parameters<typeof med>[2]) => {
  const runsOk = ok(id, w);
  if (!runsOk.length) return firstError(id, w) ?? '';
  const n = limitOf(id, w);
  const partial = n < FULL[w] ? ` (first ${fmtInt(n)})` : '';
  const failed = (runs.get(`${id} ${w}`) ?? []).length - runsOk.length;
  return `${show(med(id, w, field))}${partial}${failed ? ` (${failed} failed)` : ''}`;
};
const label = (p: Peer) => {
  const ran = [...new Set(workloads.map((w) => backendOf(p.id, w)).filter(Boolean))];
  return p.nutshell && ran.length ? `${p.label} → ${ran.join('/')}` : p.label;
};
for (const [title, field, show] of [
  ['samples/s', 'samplesPerSec', fmtInt],
  [
    'samples per CPU-second (user + system time of the child over the epoch, all its threads; other jobs move it less than samples/s; PyTorch with 2 threads counts its spin-waiting)',
    'samplesPerCpuSec',
    fmtInt,
  ],
  ['peak RSS, MB (the child process)', 'peakRssMB', (v: number) => String(Math.round(v))],
  ['test accuracy', 'testAccuracy', (v: number) => `${(v * 100).toFixed(2)}%`],
] as const) {
  console.log(`${title}:\n\n${header}\n${rule}`);
  for (const p of list)
    console.log(`| ${label(p)} | ${workloads.map((w) => cell(p.id, w, show, field)).join(' | ')} |`);
  console.log('');
}

/** a ÷ b for a workload: ratio of the medians, and the per-round ratios (paired by round). */
function ratio(a: string, b: string, w: Workload, field: Exclude<Field, 'testAccuracy'> = 'samplesPerSec') {
  const perRound: number[] = [];
  for (const ra of ok(a, w)) {
    const rb = ok(b, w).find((r) => r.round === ra.round);
    if (rb) perRound.push(ra[field]! / rb[field]!);
  }
  return { value: med(a, w, field) / med(b, w, field), perRound };
}
/** PyTorch's better configuration on a workload (higher median samples/s) in this run. */
const torchBest = (w: Workload) =>
  list
    .filter((p) => p.id.startsWith('torch-') && ok(p.id, w).length)
    .sort((p, q) => med(q.id, w, 'samplesPerSec') - med(p.id, w, 'samplesPerSec'))[0]?.id;

type Targets = Partial<Record<Workload, number>>;
const rows: string[] = [];
const present = (id: string) => list.some((p) => p.id === id);
function compare(
  name: string,
  a: string,
  b: string | ((w: Workload) => string | undefined),
  targets: Targets = {},
  field: Exclude<Field, 'testAccuracy'> = 'samplesPerSec',
  atMost = false,
) {
  if (!present(a)) return;
  const cells = workloads.map((w) => {
    const other = typeof b === 'string' ? b : b(w);
    if (!other || !ok(a, w).length || !ok(other, w).length) return '–';
    const { value, perRound } = ratio(a, other, w, field);
    const range = fmtRange(perRound);
    const t = targets[w];
    const verdict =
      t === undefined
        ? ''
        : (atMost ? value <= t : value >= t)
          ? ` (target ${atMost ? '≤' : '≥'} ${t}×: met)`
          : ` (target ${atMost ? '≤' : '≥'} ${t}×: **missed**)`;
    const via = typeof b === 'string' ? '' : ` vs ${other}`;
    return `${fmtRatio(value)}${range ? ` [${range}]` : ''}${via}${verdict}`;
  });
  rows.push(`| ${name} | ${cells.join(' | ')} |`);
}
compare("native ÷ PyTorch's better", 'native', torchBest, { W1: 0.25, W2: 0.25, W3: 0.5 });
compare("wasm ÷ PyTorch's better", 'wasm', torchBest);
compare("cpu ÷ PyTorch's better", 'cpu', torchBest);
compare("baseline ÷ PyTorch's better", 'baseline', torchBest);
if (present('baseline')) {
  compare('native ÷ baseline', 'native', 'baseline', { W1: 2, W2: 4, W3: 2 });
  compare('wasm ÷ baseline', 'wasm', 'baseline', { W2: 3, W3: 1.5 });
}
if (present('tfjs-layers')) {
  compare('native ÷ tfjs-layers', 'native', 'tfjs-layers');
  compare('wasm ÷ tfjs-layers', 'wasm', 'tfjs-layers', { W1: 1, W2: 1, W3: 1 });
  compare('baseline ÷ tfjs-layers', 'baseline', 'tfjs-layers');
}
if (present('convnetjs')) {
  compare('native ÷ ConvNetJS', 'native', 'convnetjs');
  compare('wasm ÷ ConvNetJS', 'wasm', 'convnetjs');
}
if (present('baseline')) {
  compare('peak RSS: native ÷ baseline', 'native', 'baseline', { W1: 1, W2: 1, W3: 1 }, 'peakRssMB', true);
  compare(
    'peak RSS: native (named) ÷ baseline',
    'native-named',
    'baseline',
    { W1: 1, W2: 1, W3: 1 },
    'peakRssMB',
    true,
  );
  compare('peak RSS: wasm ÷ baseline', 'wasm', 'baseline', { W1: 1, W2: 1, W3: 1 }, 'peakRssMB', true);
  compare('per CPU-second: native ÷ baseline', 'native', 'baseline', {}, 'samplesPerCpuSec');
  compare('per CPU-second: wasm ÷ baseline', 'wasm', 'baseline', {}, 'samplesPerCpuSec');
}
if (present('tfjs-layers')) {
  compare('per CPU-second: wasm ÷ tfjs-layers', 'wasm', 'tfjs-layers', {}, 'samplesPerCpuSec');
}
if (rows.length) {
  console.log('Ratios (of the medians; [range of the per-round ratios]):\n');
  console.log(`| comparison | ${workloads.join(' | ')} |\n${rule}`);
  for (const row of rows) console.log(row);
}
if (args.json)
  writeFileSync(
    args.json,
    JSON.stringify(
      {
        started,
        ended: utcNow(),
        loads,
        peers: list.map((p) => ({ id: p.id, label: label(p) })),
        runs: Object.fromEntries(runs),
      },
      null,
      2,
    ),
  );
