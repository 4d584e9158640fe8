// Where a training child's resident memory goes, phase by phase: after the backend is chosen, after the data is
// loaded, after the epoch, after evaluation. For each phase: peak RSS so far, RSS now, and /proc/self/smaps split
// into ONNX Runtime's library, Dawn, other file-backed mappings, and anonymous memory; V8's heap and external
// memory; the process's thread count; the WebAssembly memory's size where the backend has one. RSS_PHASES_TOP=n
// also lists the n largest mappings by resident size at the end. Linux only (it reads /proc).
//
//   pnpm --filter @nutshell/bench exec tsx src/rss-phases.ts --backend auto|native|wasm --workload W1|W2|W3 [--root <checkout>]
import { readdirSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { BATCH, buildWorkload, loadTree, type Workload } from './nutshellWorkload.js';
import { THIS_TREE } from './tree.js';

const { values: args } = parseArgs({
  options: {
    root: { type: 'string', default: THIS_TREE },
    backend: { type: 'string', default: 'auto' },
    workload: { type: 'string', default: 'W1' },
  },
});
const workload = args.workload as Workload;
const mb = (kb: number) => (kb / 1024).toFixed(0);

/** Resident kB of the mappings in /proc/self/smaps, by kind. */
function smaps(): Record<string, number> {
  const out: Record<string, number> = { ort: 0, dawn: 0, files: 0, anon: 0, wasm: 0, brk: 0 };
  let kind = 'anon';
  for (const line of readFileSync('/proc/self/smaps', 'utf8').split('\n')) {
    const head = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) {
      const path = head[3];
      // A WebAssembly memory is one anonymous reservation of several GiB (V8's guard regions).
      const size = Number(BigInt(`0x${head[2]}`) - BigInt(`0x${head[1]}`));
      // glibc's main arena ([heap], grown by brk): what malloc keeps of freed blocks below its mmap threshold.
      kind = /onnxruntime/.test(path)
        ? 'ort'
        : path === '[heap]'
          ? 'brk'
          : /dawn|vulkan|lvp|LLVM/.test(path)
            ? 'dawn'
            : path.startsWith('/')
              ? 'files'
              : size >= 2 ** 32
                ? 'wasm'
                : 'anon';
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss) out[kind] += Number(rss[1]);
  }
  out.anon += out.brk; // the anonymous column still counts the heap, as before
  return out;
}

function phase(name: string): void {
  const s = smaps();
  const u = process.memoryUsage();
  const threads = readdirSync('/proc/self/task').length;
  // `tree` is set before the first phase; the function is declared above it only for reading order.
  const heap = (tree.backend.tf.backend() as { wasm?: { HEAPU8: Uint8Array } } | undefined)?.wasm?.HEAPU8
    .length;
  if (heap) s.wasm = heap / 1024; // the WebAssembly memory's size (its touched part is resident)
  const sessions = (tree.backend.backendInfo().extra as { sessions?: number } | undefined)?.sessions ?? '–';
  console.log(
    `| ${name} | ${mb(process.resourceUsage().maxRSS)} | ${mb(u.rss / 1024)} | ${mb(s.ort)} | ${mb(s.dawn)} | ${mb(s.files)} | ${mb(s.wasm)} | ${mb(s.anon)} | ${mb(s.brk)} | ${mb(u.heapUsed / 1024)} / ${mb(u.heapTotal / 1024)} | ${mb(u.external / 1024)} (${mb(u.arrayBuffers / 1024)}) | ${threads} | ${sessions} |`,
  );
}

console.log(`${args.workload} on ${args.backend} (${args.root})`);
console.log(
  '| phase | peak RSS MB | RSS | ORT lib | Dawn + Vulkan | other files | wasm memory size | anonymous (wasm memory included) | of it [heap] | JS heap used / total | external (array buffers) | threads | ORT sessions |',
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
const tree = await loadTree(args.root);
phase('packages imported');
const sel = await tree.backend.useBackend(args.backend);
phase(`useBackend → ${sel.name}`);
const train = tree.datasets.loadMnist({ split: 'train', limit: workload === 'W3' ? 10000 : undefined });
const test = tree.datasets.loadMnist({ split: 'test' });
phase('data loaded');
const { trainer, dataset } = buildWorkload(tree, workload);
await trainer.fit(dataset(train), { epochs: 1, batchSize: BATCH, shuffle: true, seed: 1 });
phase('epoch trained');
await trainer.evaluate(dataset(test), { batchSize: 500 });
phase('evaluated');
if (process.env.RSS_PHASES_TOP) {
  // The largest mappings by resident size, to attribute "other anonymous".
  const rows: [number, string][] = [];
  let head = '';
  for (const line of readFileSync('/proc/self/smaps', 'utf8').split('\n')) {
    if (/^[0-9a-f]+-[0-9a-f]+ /.test(line)) head = line;
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss) rows.push([Number(rss[1]), head]);
  }
  rows.sort((a, b) => b[0] - a[0]);
  for (const [kb, h] of rows.slice(0, Number(process.env.RSS_PHASES_TOP))) {
    const [a, b] = h
      .split(' ')[0]
      .split('-')
      .map((x) => BigInt(`0x${x}`));
    console.log(`${mb(kb)} MB resident of ${mb(Number((b - a) / 1024n))} MB: ${h}`);
  }
}
