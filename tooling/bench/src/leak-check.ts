// Leak check (issue 12): 1,000 training steps of a workload on each Nutshell backend, tf.memory().numTensors
// before and after, each (backend, workload) in its own process.
//
//   pnpm --filter @nutshell/bench bench:leak [--steps 1000] [--checks native:W2,native:W3,wasm:W2,wasm:W3,cpu:W1]
//
// The count before is taken after a one-step warm-up fit, which creates the optimizer's slots; anything more after
// the 1,000 steps is a leak. `cpu` runs W1 only by default: 1,000 steps of W2 take minutes on the JavaScript
// backend and W3's take hours, and its kernels are tfjs's own (the Trainer, layers and losses are the same code on
// every backend).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Workload } from './nutshellWorkload.js';
import { loadTree } from './nutshellWorkload.js';
import { fmtInt, loadAverage, machine, utcNow } from './runStats.js';
import { THIS_TREE } from './tree.js';
import { trainingLeak, type LeakResult } from './trainingLeak.js';

const { values: args } = parseArgs({
  options: {
    child: { type: 'boolean', default: false },
    backend: { type: 'string', default: 'wasm' },
    workload: { type: 'string', default: 'W2' },
    steps: { type: 'string', default: '1000' },
    checks: { type: 'string', default: 'native:W2,native:W3,wasm:W2,wasm:W3,cpu:W1' },
  },
});

if (args.child) {
  try {
    const tree = await loadTree(THIS_TREE);
    const selection = await tree.backend.useBackend(args.backend);
    const result = await trainingLeak(tree, args.workload as Workload, Number(args.steps));
    console.log(`RESULT ${JSON.stringify({ backend: selection.name, ...result })}`);
  } catch (e) {
    console.log(`ERROR ${(e as Error).message.split('\n')[0]}`);
    process.exitCode = 1;
  }
} else {
  const started = utcNow();
  const loadBefore = loadAverage();
  const rows: string[] = [];
  let leaked = false;
  for (const check of args.checks.split(',')) {
    const [backend, workload] = check.split(':');
    process.stderr.write(`${backend} ${workload}, ${args.steps} steps ... `);
    const env = { ...process.env };
    delete env.NUTSHELL_BACKEND;
    const r = spawnSync(
      process.execPath,
      [
        ...process.execArgv,
        fileURLToPath(import.meta.url),
        '--child',
        '--backend',
        backend,
        '--workload',
        workload,
        '--steps',
        args.steps,
      ],
      { encoding: 'utf8', env, maxBuffer: 64 << 20 },
    );
    const lines = `${r.stdout}\n${r.stderr}`.split('\n');
    const line = lines.find((l) => l.startsWith('RESULT '));
    if (!line) {
      const why = lines.find((l) => l.startsWith('ERROR '))?.slice(6) ?? `exit ${r.status}`;
      process.stderr.write(`failed: ${why}\n`);
      rows.push(`| ${backend} | ${workload} | failed: ${why} | | | | | |`);
      leaked = true;
      continue;
    }
    const res = JSON.parse(line.slice(7)) as LeakResult & { backend: string };
    const diff = res.tensorsAfter - res.tensorsBefore;
    leaked ||= diff !== 0 || res.tensorsAtLastStep !== res.tensorsAtStep10;
    process.stderr.write(`${diff} tensors leaked\n`);
    rows.push(
      `| ${backend} → ${res.backend} | ${workload} | ${fmtInt(res.steps)} | ${res.tensorsBefore} → ${res.tensorsAfter} | **${diff}** | ${res.tensorsAtStep10} → ${res.tensorsAtLastStep} | ${fmtInt(res.bytesBefore)} → ${fmtInt(res.bytesAfter)} | ${res.seconds.toFixed(1)} |`,
    );
  }
  console.log(
    `\n### Leak check, ${started}; ${machine()}; load average ${loadBefore} → ${loadAverage()}\n\n| backend | workload | steps | tf.memory().numTensors before → after | leaked | inside the fit, step 10 → last step | numBytes before → after | seconds |\n| --- | --- | ---: | --- | ---: | --- | --- | ---: |`,
  );
  for (const row of rows) console.log(row);
  if (leaked) process.exitCode = 1;
}
