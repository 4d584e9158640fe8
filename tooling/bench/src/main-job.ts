// The main job timed (issue 12): `nutshell train mnist-cnn --epochs 1` with this tree's CLI on 'auto' (native
// where its probe passes) and on wasm, and with a baseline checkout's CLI on its 'auto', interleaved over rounds.
//
//   pnpm --filter @nutshell/bench bench:main-job [--rounds 3] [--configs native,wasm,baseline]
//        [--baseline /tmp/nutshell-baseline] [--epochs 1] [--limit n]
//
// Each run is the CLI as a user runs it (`node apps/cli/dist/bin.js train mnist-cnn --epochs 1`, from the
// checkout's root, NUTSHELL_BACKEND unset) writing its run folder into a temporary directory. Figures: the training
// seconds the CLI itself measures around `Trainer.fit` (test-metrics.json's trainSeconds, as the root README
// quotes), the whole command's wall seconds, the test accuracy it reports, and the command's peak RSS
// (/usr/bin/time, where present). The order of the configurations rotates from round to round; cells are medians.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fmtRange, fmtRatio, loadAverage, machine, median, rotate, utcNow } from './runStats.js';
import { THIS_TREE } from './tree.js';

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    configs: { type: 'string', default: 'native,wasm,baseline' },
    baseline: { type: 'string', default: '/tmp/nutshell-baseline' },
    epochs: { type: 'string', default: '1' },
    limit: { type: 'string' },
    'timeout-s': { type: 'string', default: '900' },
  },
});

interface Config {
  id: string;
  label: string;
  root: string;
  backendFlag: string[];
}

interface JobRun {
  round: number;
  backend?: string;
  trainSeconds?: number;
  wallSeconds?: number;
  accuracy?: number;
  peakRssMB?: number;
  /** The whole command's user + system CPU seconds (all threads), from /usr/bin/time. */
  cpuSeconds?: number;
  error?: string;
}

const CLI = join('apps', 'cli', 'dist', 'bin.js');
const known: Config[] = [
  { id: 'native', label: "this tree, 'auto'", root: THIS_TREE, backendFlag: [] },
  { id: 'wasm', label: 'this tree, --backend wasm', root: THIS_TREE, backendFlag: ['--backend', 'wasm'] },
  { id: 'baseline', label: "baseline, 'auto'", root: args.baseline, backendFlag: [] },
];
const configs = args.configs.split(',').map((id) => {
  const c = known.find((k) => k.id === id);
  if (!c) throw new Error(`unknown config ${id} (known: ${known.map((k) => k.id).join(', ')})`);
  return c;
});
const commit = (root: string) =>
  spawnSync('git', ['-C', root, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).stdout?.trim() || '?';
const hasTime = existsSync('/usr/bin/time');

function runJob(c: Config, round: number): JobRun {
  if (!existsSync(join(c.root, CLI))) return { round, error: `skipped: ${join(c.root, CLI)} not built` };
  const out = mkdtempSync(join(tmpdir(), `nutshell-main-job-${c.id}-`));
  try {
    const cli = ['train', 'mnist-cnn', '--epochs', args.epochs, ...c.backendFlag, '--out', join(out, 'run')];
    if (args.limit) cli.push('--limit', args.limit);
    const [file, argv] = hasTime
      ? ['/usr/bin/time', ['-f', 'PEAK_RSS_KB %M CPU_S %U %S', process.execPath, CLI, ...cli]]
      : [process.execPath, [CLI, ...cli]];
    const env = { ...process.env };
    delete env.NUTSHELL_BACKEND;
    const start = performance.now();
    const r = spawnSync(file, argv as string[], {
      cwd: c.root,
      encoding: 'utf8',
      env,
      maxBuffer: 64 << 20,
      timeout: Number(args['timeout-s']) * 1000,
    });
    const wallSeconds = (performance.now() - start) / 1000;
    const text = `${r.stdout ?? ''}\n${r.stderr ?? ''}`;
    const metricsFile = join(out, 'run', 'test-metrics.json');
    if (r.status !== 0 || !existsSync(metricsFile)) {
      const why = text.split('\n').find((l) => /error/i.test(l)) ?? `exit ${r.status} ${r.signal ?? ''}`;
      return { round, error: why.slice(0, 200) };
    }
    const metrics = JSON.parse(readFileSync(metricsFile, 'utf8')) as {
      trainSeconds: number;
      accuracy: number;
    };
    const rss = /PEAK_RSS_KB (\d+)/.exec(text);
    const cpu = /CPU_S ([\d.]+) ([\d.]+)/.exec(text);
    return {
      round,
      backend: /^backend: (\S+)/m.exec(text)?.[1],
      trainSeconds: metrics.trainSeconds,
      wallSeconds,
      accuracy: metrics.accuracy,
      peakRssMB: rss ? Number(rss[1]) / 1024 : undefined,
      cpuSeconds: cpu ? Number(cpu[1]) + Number(cpu[2]) : undefined,
    };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

const started = utcNow();
const loads = [loadAverage()];
const runs = new Map<string, JobRun[]>();
const rounds = Number(args.rounds);
for (let round = 0; round < rounds; round++) {
  for (const c of rotate(configs, round)) {
    process.stderr.write(`[${round + 1}/${rounds}] main job, ${c.id} ... `);
    const run = runJob(c, round);
    runs.set(c.id, [...(runs.get(c.id) ?? []), run]);
    process.stderr.write(
      run.error
        ? `${run.error}\n`
        : `${run.backend}: trained in ${run.trainSeconds!.toFixed(1)} s (command ${run.wallSeconds!.toFixed(1)} s), ${(run.accuracy! * 100).toFixed(2)}%\n`,
    );
  }
  loads.push(loadAverage());
}

const ok = (id: string) => (runs.get(id) ?? []).filter((r) => !r.error);
const med = (id: string, f: 'trainSeconds' | 'wallSeconds' | 'accuracy' | 'peakRssMB' | 'cpuSeconds') =>
  median(ok(id).flatMap((r) => (r[f] === undefined ? [] : [r[f]])));
console.log(
  `\n### Main job, \`nutshell train mnist-cnn --epochs ${args.epochs}${args.limit ? ` --limit ${args.limit}` : ''}\`, ${started} → ${utcNow()}; ${machine()}; load average by round: ${loads.join(' → ')}; ${rounds} round(s), median\n`,
);
console.log(
  '| configuration | commit | backend | training s | command s | command CPU s | test accuracy | peak RSS MB | training s per round |\n| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | --- |',
);
for (const c of configs) {
  const good = ok(c.id);
  const all = runs.get(c.id) ?? [];
  if (!good.length) {
    console.log(`| ${c.label} | ${commit(c.root)} | ${all[0]?.error ?? ''} | | | | | | |`);
    continue;
  }
  const per = good.map((r) => r.trainSeconds!.toFixed(1)).join(', ');
  console.log(
    `| ${c.label} | ${commit(c.root)} | ${[...new Set(good.map((r) => r.backend))].join('/')} | ${med(c.id, 'trainSeconds').toFixed(1)} | ${med(c.id, 'wallSeconds').toFixed(1)} | ${Number.isNaN(med(c.id, 'cpuSeconds')) ? '' : med(c.id, 'cpuSeconds').toFixed(1)} | ${(med(c.id, 'accuracy') * 100).toFixed(2)}% | ${Number.isNaN(med(c.id, 'peakRssMB')) ? '' : Math.round(med(c.id, 'peakRssMB'))} | ${per}${good.length < all.length ? `; ${all.length - good.length} failed` : ''} |`,
  );
}
/** How many times faster `a` trains than `b`: b's training seconds ÷ a's, of the medians and per round. */
const speedup = (a: string, b: string) => {
  const perRound = ok(a).flatMap((ra) => {
    const rb = ok(b).find((r) => r.round === ra.round);
    return rb ? [rb.trainSeconds! / ra.trainSeconds!] : [];
  });
  const range = fmtRange(perRound);
  return `${fmtRatio(med(b, 'trainSeconds') / med(a, 'trainSeconds'))}${range ? ` [${range}]` : ''}`;
};
const verdict = (id: string) =>
  med('baseline', 'trainSeconds') / med(id, 'trainSeconds') >= 3
    ? ' (target ≥ 3×: met)'
    : ' (target ≥ 3×: **missed**)';
if (ok('baseline').length) {
  console.log('\nTraining speed-up against the baseline (its training seconds ÷ ours; [per-round range]):\n');
  for (const id of ['native', 'wasm'])
    if (ok(id).length)
      console.log(`- ${id}: ${speedup(id, 'baseline')}${id === 'native' ? verdict(id) : ''}`);
}
