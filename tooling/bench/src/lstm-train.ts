// LSTM training speed, side by side in one run on the same backend: Nutshell's LSTM vs @tensorflow/tfjs-layers'
// LSTM (and PyTorch's nn.LSTM on the CPU when /usr/bin/python3 has torch).
//
//   pnpm --filter @nutshell/bench exec tsx src/lstm-train.ts [--backends wasm,native] [--steps 3] [--rounds 2]
//        [--json out.json]
//
// Each round measures every implementation on every backend once (interleaved, so a change in the machine's load
// hits all of them alike), and prints each round's ratios beside the load average and the UTC time.
//
// Workload (the issue's): 64 sequences × 100 steps × 32 inputs → LSTM 128 units → Dense 1, MSE loss, Adam 1e-3;
// one training step = forward, backward through time, optimizer update. Figures: milliseconds per training step,
// the median of `--steps` steps after one warm-up step, each implementation on the same inputs and backend.
// Both JavaScript libraries compute through the one tfjs-core (tfjs-layers resolves the same 4.22.0), so the
// kernels are the same: the difference is how each library composes the recurrence.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import '@nutshell/backend-wasm';
import '@nutshell/backend-native';
import { Dense, Sequential } from '@nutshell/layers';
import { LSTM } from '@nutshell/recurrent';
import { tf, useBackend, type Tensor } from '@nutshell/tensor';
import { Adam, meanSquaredError } from '@nutshell/train';
import * as tfl from '@tensorflow/tfjs-layers';

const [BATCH, STEPS, FEATURES, UNITS] = [64, 100, 32, 128];

const { values: args } = parseArgs({
  options: {
    backends: { type: 'string', default: 'wasm,native' },
    steps: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '2' },
    json: { type: 'string' },
    python: { type: 'string', default: '/usr/bin/python3' },
  },
});
const measured = Number(args.steps);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Times `step` (awaited): one warm-up, then `measured` steps; returns the median in ms. */
async function time(step: () => Promise<void>): Promise<number> {
  await step();
  const ms: number[] = [];
  for (let i = 0; i < measured; i++) {
    const t = performance.now();
    await step();
    ms.push(performance.now() - t);
  }
  return median(ms);
}

async function nutshellStep(x: Tensor, y: Tensor): Promise<number> {
  const model = new Sequential([new LSTM({ units: UNITS, seed: 1 }), new Dense({ units: 1, seed: 2 })], {
    inputShape: [STEPS, FEATURES],
  });
  const vars = model.trainableWeights.map((w) => ({ name: w.name, variable: w.variable }));
  const opt = new Adam({ learningRate: 1e-3 });
  const ms = await time(async () => {
    // perSample: the loss without its synchronous label checks, as a training loop runs it.
    const value = opt.minimize(
      () => tf.mean(meanSquaredError.perSample(y, model.apply(x, { training: true }))),
      vars,
    );
    await value.data();
    value.dispose();
  });
  model.dispose();
  opt.dispose();
  return ms;
}

async function tfjsLayersStep(x: Tensor, y: Tensor): Promise<number> {
  const model = tfl.sequential({
    // glorotUniform for the recurrent kernel: tfjs-layers' orthogonal initializer calls a chained op
    // (tensor.flatten) that tfjs-core alone does not register; the initial values do not change the timing.
    layers: [
      tfl.layers.lstm({ units: UNITS, inputShape: [STEPS, FEATURES], recurrentInitializer: 'glorotUniform' }),
      tfl.layers.dense({ units: 1 }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'meanSquaredError' });
  const ms = await time(async () => {
    await model.trainOnBatch(x, y);
  });
  model.dispose();
  return ms;
}

function pytorch(): { ms?: number; note: string } {
  const probe = spawnSync(args.python, ['-c', 'import torch'], { encoding: 'utf8' });
  if (probe.error) return { note: `skipped: ${args.python} not found` };
  if (probe.status !== 0)
    return {
      note: `skipped: ${args.python} has no torch (apt-get install python3-torch libopenblas0-pthread)`,
    };
  const script = join(dirname(fileURLToPath(import.meta.url)), 'lstm_torch.py');
  const r = spawnSync(args.python, [script, '--steps', String(measured)], { encoding: 'utf8' });
  const line = r.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) return { note: `failed: ${r.stderr.trim().split('\n').pop()}` };
  const res = JSON.parse(line.slice(7)) as { ms: number; threads: number; version: string };
  return { ms: res.ms, note: `PyTorch ${res.version} nn.LSTM, ${res.threads} thread(s), CPU` };
}

interface Row {
  round: number;
  impl: string;
  backend: string;
  msPerStep?: number;
  note?: string;
  loadavg: number[];
  utc: string;
}
const results: Row[] = [];
const load = () => loadavg().map((l) => Number(l.toFixed(1)));
console.log(
  `LSTM training step: ${BATCH} sequences × ${STEPS} steps × ${FEATURES} inputs → ${UNITS} units → Dense 1, MSE, Adam`,
);
console.log(
  `${cpus().length} cores; median of ${measured} steps after a warm-up, ${args.rounds} interleaved round(s)`,
);
for (let round = 1; round <= Number(args.rounds); round++) {
  const rows: Row[] = [];
  for (const backend of args.backends.split(',')) {
    await useBackend(backend as 'cpu');
    const x = tf.randomNormal([BATCH, STEPS, FEATURES], 0, 1, 'float32', 1);
    const y = tf.randomNormal([BATCH, 1], 0, 1, 'float32', 2);
    for (const [impl, run] of [
      ['nutshell', nutshellStep],
      ['tfjs-layers', tfjsLayersStep],
    ] as const) {
      const ms = await run(x, y);
      rows.push({ round, impl, backend, msPerStep: ms, loadavg: load(), utc: new Date().toISOString() });
    }
    tf.dispose([x, y]);
  }
  const torch = pytorch();
  rows.push({
    round,
    impl: 'pytorch',
    backend: 'cpu (native)',
    msPerStep: torch.ms,
    note: torch.note,
    loadavg: load(),
    utc: new Date().toISOString(),
  });
  console.log(
    `round ${round} (${rows[0].utc} → ${rows[rows.length - 1].utc}, load average ${load().join(' ')})`,
  );
  const fmt = (ms?: number) => (ms === undefined ? '     —' : ms.toFixed(0).padStart(6));
  for (const r of rows) {
    const same = rows.find((o) => o.impl === 'tfjs-layers' && o.backend === r.backend);
    const torchMs = rows.find((o) => o.impl === 'pytorch')?.msPerStep;
    const ratios = [
      r.impl === 'nutshell' && same?.msPerStep && r.msPerStep
        ? `${(same.msPerStep / r.msPerStep).toFixed(2)}× tfjs-layers' speed`
        : '',
      r.impl !== 'pytorch' && torchMs && r.msPerStep
        ? `${(torchMs / r.msPerStep).toFixed(2)}× PyTorch's`
        : '',
    ].filter(Boolean);
    console.log(
      `  ${r.backend.padEnd(12)} ${r.impl.padEnd(12)} ${fmt(r.msPerStep)} ms/step  ${ratios.join(', ')}${r.note ? `  (${r.note})` : ''}`,
    );
  }
  results.push(...rows);
}
if (args.json) writeFileSync(args.json, JSON.stringify({ results, cores: cpus().length }, null, 2));
