// ONNX Runtime for Node, reached through its native binding so that a kernel can run synchronously.
//
// onnxruntime-node's public API (`InferenceSession.run`) returns a Promise, but all it does is call the native
// binding's `run` inside `setImmediate` (dist/backend.js, OnnxruntimeSessionHandler.run): the binding's
// `InferenceSession.run(feeds, fetches, options)` is a synchronous N-API call that runs the graph on the calling
// thread (plus ONNX Runtime's own intra-op pool) and returns the outputs as new tensors. Calling it directly is
// therefore what the package itself does, minus the deferral; tfjs kernels must be synchronous, so this is the only
// way to use it from one. It is safe because (1) the inputs are typed arrays owned by tfjs that nothing else writes
// while the call blocks the JavaScript thread, (2) the outputs are fresh arrays copied out of ONNX Runtime's memory,
// and (3) a session is used from the one JavaScript thread only. The binding is loaded lazily (never at import), so a
// missing or broken native library is a probe failure, not a crash.
import type { SmallGraph } from './onnxModel.js';
import { batchInputs, graphModel } from './onnxModel.js';
import type { TransferFunction } from './bufferRelease.js';
import { findTransfer, releaseBuffer } from './bufferRelease.js';
import { OwnLoad, coreFreeFor } from './threads.js';

/** The part of onnxruntime-common's Tensor the kernels use. */
export interface OrtTensor {
  readonly data: Float32Array;
  readonly dims: readonly number[];
}

interface BindingSession {
  loadModel(buffer: ArrayBuffer, byteOffset: number, byteLength: number, options: object): void;
  run(
    feeds: Record<string, unknown>,
    fetches: Record<string, null>,
    options: object,
  ): Record<string, OrtTensor>;
  dispose(): void;
}

interface Loaded {
  readonly binding: { InferenceSession: new () => BindingSession };
  readonly Tensor: new (type: 'float32', data: Float32Array, dims: readonly number[]) => unknown;
  readonly version: string;
  readonly libraryDir: string;
  /** Node's os module (its load average) and the core count, for the thread policy. */
  readonly os: { loadavg(): number[] };
  readonly cores: number;
  /** What frees the binding's output copies at once (`bufferRelease.ts`); undefined where nothing can. */
  readonly transfer: TransferFunction | undefined;
}

/** The onnxruntime-node version this package is built and tested against (pinned exactly). */
export const ONNXRUNTIME_VERSION = '1.30.0';

/**
 * Turns ONNX Runtime's telemetry off unless the user set `ORT_DISABLE_TELEMETRY` themselves. onnxruntime-node 1.30's
 * Linux library otherwise creates `~/.cache/Microsoft/DeveloperTools/.onnxruntime/` (a device id and an event
 * database, 2.6 MB after a day of runs here) when it initialises and tries to upload the events over HTTPS; a
 * library that trains a model should not write to the user's home or reach the network on its own.
 */
export function optOutOfTelemetry(env: Record<string, string | undefined>): void {
  if (env.ORT_DISABLE_TELEMETRY === undefined) env.ORT_DISABLE_TELEMETRY = '1';
}

let loaded: Loaded | undefined;
let loadError: Error | undefined;

/** Loads onnxruntime-node's binding once; throws the load error (also on later calls). Node only. */
export async function loadOnnxRuntime(): Promise<Loaded> {
  if (loaded) return loaded;
  if (loadError) throw loadError;
  try {
    const nodeModule = 'node:module';
    const { createRequire } = (await import(/* @vite-ignore */ nodeModule)) as typeof import('node:module');
    const require = createRequire(import.meta.url);
    const manifestPath = require.resolve('onnxruntime-node/package.json');
    const version = (require(manifestPath) as { version: string }).version;
    // onnxruntime-common is onnxruntime-node's dependency, resolved from there (strict layouts hide it from here).
    const common = createRequire(manifestPath)('onnxruntime-common') as { Tensor: Loaded['Tensor'] };
    optOutOfTelemetry(process.env); // before the library loads: it reads the variable when it initialises
    const { binding, initOrt } = require('onnxruntime-node/dist/binding.js') as {
      binding: Loaded['binding'];
      initOrt: () => void;
    };
    initOrt();
    const libraryDir = `${manifestPath.slice(0, -'package.json'.length)}bin/napi-v6/${process.platform}/${process.arch}`;
    const os = require('node:os') as typeof import('node:os');
    const cores =
      typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
    const transfer = findTransfer({
      v8: require('node:v8') as typeof import('node:v8'),
      vm: require('node:vm') as typeof import('node:vm'),
    });
    loaded = { binding, Tensor: common.Tensor, version, libraryDir, os, cores, transfer };
    return loaded;
  } catch (e) {
    loadError = e as Error;
    throw loadError;
  }
}

/** The loaded runtime, for kernels (which only run after `loadOnnxRuntime` succeeded in activate()). */
function runtime(): Loaded {
  if (!loaded)
    throw new Error('@nutshell/backend-native: ONNX Runtime is not loaded; activate the backend first.');
  return loaded;
}

let intraOpThreads = 1;

/** Sets the intra-op thread count used by sessions created from now on (existing ones are recreated). */
export function setSessionThreads(threads: number): void {
  if (threads !== intraOpThreads) {
    intraOpThreads = threads;
    for (const s of sessions.values()) s.dispose();
    sessions.clear();
  }
}

/** The intra-op thread count sessions use. */
export function sessionThreads(): number {
  return intraOpThreads;
}

const sessions = new Map<string, BindingSession>();

/**
 * Multiply-adds below which a kernel runs on one thread: waking a pool thread and joining it costs tens of
 * microseconds, more than it saves on a small product. On a quiet machine the training workloads' kernels (up to
 * 26 M, the main job's second convolution) ran as fast or faster on one (README, Threads).
 */
export const PARALLEL_MIN_WORK = 1 << 25;

let adaptive = true;
let checkedAt = -Infinity;
let coreFree = true;
let ownLoad: OwnLoad | undefined;

/** CPU seconds (user + system, every thread) this process has used. */
function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/**
 * Whether kernels use the intra-op pool only while a core looks free, or always (the default since 2026-12-06: a
 * W3 epoch ran 1.6–2.2× faster on 2 threads than on 1 at load 5–7.5, though single kernels' minimums at load 13–15
 * were lower on 1; README, Threads).
 */
export function setAdaptiveThreads(on: boolean): void {
  adaptive = on;
  checkedAt = -Infinity;
}

/** Whether the thread policy adapts to the load average (`setAdaptiveThreads`). */
export function adaptiveThreadsOn(): boolean {
  return adaptive;
}

/**
 * Whether the pool's extra threads are used now: the 1-minute load average less this process's own share
 * (`OwnLoad`) leaves a core free (`coreFreeFor`); read at most once a second.
 */
export function poolInUse(): boolean {
  if (!adaptive) return true;
  const now = Date.now();
  if (now - checkedAt >= 1000) {
    const { os, cores } = runtime();
    checkedAt = now;
    const cpu = cpuSeconds();
    ownLoad ??= new OwnLoad(cpu, process.uptime());
    coreFree = coreFreeFor(os.loadavg()[0], ownLoad.update(cpu, process.uptime()), cores);
  }
  return coreFree;
}

function session(key: string, graph: () => SmallGraph, threads: number): BindingSession {
  const id = `${threads} ${key}`;
  let s = sessions.get(id);
  if (!s) {
    const model = graphModel(graph());
    s = new (runtime().binding.InferenceSession)();
    s.loadModel(model.buffer as ArrayBuffer, model.byteOffset, model.byteLength, {
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      executionProviders: ['cpu'],
      // Threads sleep between calls instead of spinning: Node's own thread does the work between kernels.
      extra: { session: { intra_op: { allow_spinning: '0' } } },
    });
    sessions.set(id, s);
  }
  return s;
}

/** How many sessions (one per graph signature) exist now. */
export function sessionCount(): number {
  return sessions.size;
}

/** Float32 values and the shape they are fed or fetched with. */
export interface Operand {
  readonly data: Float32Array;
  readonly shape: readonly number[];
}

/** Output bytes above which a call runs in slices of rows where its graph allows it (`batchInputs`), by default. */
export const SLICE_BYTES = 1 << 20;

let sliceBytes = SLICE_BYTES;

/** Sets the output bytes above which a call runs in slices (`SLICE_BYTES` by default). For tests and measurements. */
export function setSliceBytes(bytes: number): void {
  sliceBytes = bytes;
}

const rowInputs = new Map<string, readonly number[]>();
let runs = 0;

/** How many times ONNX Runtime has run a graph in this process (a call cut into slices counts each slice). */
export function graphRuns(): number {
  return runs;
}

/**
 * Runs the graph named `key` (built by `graph` the first time) on float32 inputs, synchronously; returns output `y`.
 * `inputs[i]` feeds `x{i}`. With `output`, ONNX Runtime writes `y` straight into that array (e.g. a view of the
 * tensor's memory that will hold the result), which saves two copies, and gets `output` back. `work` (multiply-adds) below
 * `PARALLEL_MIN_WORK` runs on one thread, as does every kernel while no core looks free (`poolInUse`).
 *
 * An output over `SLICE_BYTES` whose graph computes each row of `y` from the same row of some inputs (`batchInputs`:
 * a convolution's images) runs in slices of rows of at most that size. ONNX Runtime's per-session arena keeps the
 * largest intermediates a session has seen, and the binding copies each output: W3's evaluation at batch 500 ran
 * the first convolution with an 18 MB blocked intermediate and a 9 MB copy, which added 45–50 MB to peak RSS
 * (README, "Peak memory"). A slice costs one more call into the binding (tens of microseconds), small beside the
 * convolution of a megabyte of output.
 */
export function runGraph(
  key: string,
  graph: () => SmallGraph,
  inputs: readonly Operand[],
  output: Operand | undefined,
  work: number,
): OrtTensor {
  const n = output?.shape[0] ?? 0;
  if (!output || n < 2 || output.data.byteLength <= sliceBytes)
    return runOnce(key, graph, inputs, output, work);
  let rows = rowInputs.get(key);
  if (!rows) rowInputs.set(key, (rows = batchInputs(graph())));
  if (rows.length === 0 || rows.some((i) => inputs[i].shape[0] !== n))
    return runOnce(key, graph, inputs, output, work);
  const slices = Math.ceil(output.data.byteLength / sliceBytes);
  const step = Math.ceil(n / slices);
  const cut = (x: Operand, r0: number, r1: number): Operand => {
    const width = x.data.length / x.shape[0];
    return { data: x.data.subarray(r0 * width, r1 * width), shape: [r1 - r0, ...x.shape.slice(1)] };
  };
  for (let r0 = 0; r0 < n; r0 += step) {
    const r1 = Math.min(n, r0 + step);
    const part = inputs.map((x, i) => (rows.includes(i) ? cut(x, r0, r1) : x));
    runOnce(key, graph, part, cut(output, r0, r1), (work * (r1 - r0)) / n);
  }
  return { data: output.data, dims: output.shape };
}

function runOnce(
  key: string,
  graph: () => SmallGraph,
  inputs: readonly Operand[],
  output: Operand | undefined,
  work: number,
): OrtTensor {
  const { Tensor } = runtime();
  const feeds: Record<string, unknown> = {};
  inputs.forEach((x, i) => (feeds[`x${i}`] = new Tensor('float32', x.data, x.shape)));
  const fetches = { y: output ? new Tensor('float32', output.data, output.shape) : null } as Record<
    string,
    null
  >;
  const threads = work < PARALLEL_MIN_WORK || intraOpThreads === 1 || !poolInUse() ? 1 : intraOpThreads;
  const y = session(key, graph, threads).run(feeds, fetches, {}).y;
  runs++;
  if (!output) return y;
  // ONNX Runtime wrote the result into `output`; the binding's copy of it is garbage from here on. Left to V8 it
  // waits for a collection: 100 products into one 1 MB output piled up 25–36 MB of copies before V8 freed them.
  releaseBuffer(y.data.buffer, runtime().transfer);
  return { data: output.data, dims: output.shape };
}
